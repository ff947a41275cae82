/**
 * Redaction of cookie values and session identifiers in evidence text.
 *
 * Findings always carry redacted `evidence`; the unredacted text goes to `rawEvidence`, which
 * reporters print only with --show-values. Redaction works on header and URL text (never on
 * source code, where a value is not known to be a value).
 */

export const REDACTED = '<redacted>';

/**
 * Redacts the cookie value of a Set-Cookie header value, keeping the name and every attribute:
 * `sid=abc; Path=/; Secure` → `sid=<redacted>; Path=/; Secure`. Accepts the header with or without
 * its `Set-Cookie:` name, and several headers on separate lines. An empty value stays empty (a
 * deletion has nothing to hide); a pair without `=` is a nameless cookie whose whole text is the
 * value (RFC 6265bis §5.6 step 3), so it is redacted whole.
 */
export function redactSetCookie(raw: string): string {
  if (!raw.includes('\n')) return redactSetCookieLine(raw);
  return raw
    .split(/(\r?\n)/)
    .map((part) => (part === '\n' || part === '\r\n' ? part : redactSetCookieLine(part)))
    .join('');
}

/**
 * White space as `String.prototype.trim` and the `\s` of regular expressions see it (ECMAScript
 * WhiteSpace and LineTerminator), for code that trims by index instead of slicing.
 */
export function isWhiteSpace(ch: number): boolean {
  if (ch === 0x20 || (ch >= 0x09 && ch <= 0x0d)) return true;
  if (ch < 0xa0) return false;
  return (
    ch === 0xa0 ||
    ch === 0x1680 ||
    (ch >= 0x2000 && ch <= 0x200a) ||
    ch === 0x2028 ||
    ch === 0x2029 ||
    ch === 0x202f ||
    ch === 0x205f ||
    ch === 0x3000 ||
    ch === 0xfeff
  );
}

/**
 * The index of the colon of a header line that starts with the `Set-Cookie` name (what
 * `line.slice(0, colon).trim().toLowerCase() === 'set-cookie'` accepts, for the first colon), or -1.
 */
export function setCookieNameColon(line: string): number {
  const colon = line.indexOf(':');
  if (colon === -1) return -1;
  let start = 0;
  while (start < colon && isWhiteSpace(line.charCodeAt(start))) start++;
  // Only 's' and 'S' lowercase to 's'; and a name that lowercases to the 10 ASCII characters of
  // 'set-cookie' has 10 characters (lowercasing never shortens a string).
  const first = line.charCodeAt(start);
  if ((first !== 0x73 && first !== 0x53) || colon - start < 10) return -1;
  for (let i = start + 10; i < colon; i++) if (!isWhiteSpace(line.charCodeAt(i))) return -1;
  return line.slice(start, start + 10).toLowerCase() === 'set-cookie' ? colon : -1;
}

function redactSetCookieLine(line: string): string {
  let start = 0;
  const colon = setCookieNameColon(line);
  if (colon !== -1) {
    start = colon + 1;
    while (start < line.length && (line[start] === ' ' || line[start] === '\t')) start++;
  }
  return redactPair(line, start);
}

/**
 * `redactSetCookie(`Set-Cookie: ${value}`)` for a header value that does not start with the
 * `Set-Cookie` name, without building the header first.
 */
export function redactSetCookieValue(value: string): string {
  if (value.includes('\n')) return redactSetCookie(`Set-Cookie: ${value}`);
  let start = 0;
  while (start < value.length && (value[start] === ' ' || value[start] === '\t')) start++;
  return `Set-Cookie: ${redactPair(value, start)}`;
}

/** The text with the value of the name-value pair that starts at `start` redacted (by index, two slices). */
function redactPair(line: string, start: number): string {
  const semi = line.indexOf(';', start);
  const pairEnd = semi === -1 ? line.length : semi;
  const eq = line.indexOf('=', start);
  // No `=` in the pair: a nameless cookie whose whole text is the value.
  const valueStart = eq === -1 || eq >= pairEnd ? start : eq + 1;
  let i = valueStart;
  while (i < pairEnd && isWhiteSpace(line.charCodeAt(i))) i++;
  if (i === pairEnd) return line; // an empty value: nothing to hide
  return line.slice(0, valueStart) + REDACTED + line.slice(pairEnd);
}

/** Redacts every value of a Cookie request header value: `a=1; b=2` → `a=<redacted>; b=<redacted>`. */
export function redactCookieHeader(raw: string): string {
  return raw
    .split(';')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq === -1) {
        if (pair.trim() === '') return pair;
        const lead = pair.length - pair.trimStart().length;
        return pair.slice(0, lead) + REDACTED;
      }
      const value = pair.slice(eq + 1);
      return pair.slice(0, eq + 1) + (value.trim() === '' ? value : REDACTED);
    })
    .join(';');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Redacts a session identifier carried in a URL (or a text holding URLs): the query parameter
 * `?PHPSESSID=…` / `&sid=…` and the path parameter `;jsessionid=…`, matched case-insensitively,
 * plus any occurrence of `value` itself when it is known.
 */
export function redactSessionIdInUrl(text: string, parameter: string, value?: string): string {
  let out = text;
  if (value !== undefined && value.length > 0) out = out.split(value).join(REDACTED);
  if (parameter.length > 0) {
    const re = new RegExp(`([;?&]${escapeRegExp(parameter)}=)([^&#;?/\\s"'<>]*)`, 'gi');
    out = out.replace(re, (_m, head: string, v: string) =>
      v === '' || v === REDACTED ? head + v : head + REDACTED,
    );
  }
  return out;
}

/** Replaces each known value (of 3 characters or more, so short flags like `1` stay readable) in a text. */
export function redactKnownValues(text: string, values: readonly (string | undefined)[]): string {
  let out = text;
  for (const v of values) {
    if (v !== undefined && v.length >= 3) out = out.split(v).join(REDACTED);
  }
  return out;
}
