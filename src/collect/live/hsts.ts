/**
 * Strict-Transport-Security parser, RFC 6797 (HTTP Strict Transport Security):
 *
 *   §6.1   Strict-Transport-Security = "Strict-Transport-Security" ":"
 *                                      [ directive ]  *( ";" [ directive ] )
 *          directive       = directive-name [ "=" directive-value ]
 *          directive-name  = token
 *          directive-value = token | quoted-string
 *          with implied linear whitespace (RFC 2616 §2.1) between the elements, and the rules:
 *          1. order not significant; 2. every directive appears at most once; 3. names are
 *          case-insensitive; 4. UAs ignore a header that does not conform to the syntax;
 *          5. unknown directives are ignored.
 *   §6.1.1 max-age is REQUIRED; delta-seconds = 1*DIGIT, optionally quoted; 0 = forget the host.
 *   §6.1.2 includeSubDomains is valueless.
 *   §8.1   a UA that receives several STS header fields processes only the first.
 *
 * Chromium (net/http/http_security_headers.cc, ParseHSTSHeader) rejects a repeated max-age or
 * includeSubDomains, an includeSubDomains with a value, and a header without max-age; it clamps
 * max-age to one year. `preload` is not part of RFC 6797: it is the opt-in of the HSTS preload list
 * (hstspreload.org), which requires max-age >= 31536000 and includeSubDomains.
 *
 * Never throws; linear in the input.
 */
import type { HstsParsed } from '../../model/observation.js';

/** At most this many notes about unknown or repeated directives are listed. */
const MAX_NOTES = 5;

/** hstspreload.org submission requirement: at least one year. */
export const HSTS_PRELOAD_MIN_MAX_AGE = 31536000;

function isTchar(c: number): boolean {
  // RFC 9110 §5.6.2: "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
  if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) return true;
  switch (c) {
    case 0x21:
    case 0x23:
    case 0x24:
    case 0x25:
    case 0x26:
    case 0x27:
    case 0x2a:
    case 0x2b:
    case 0x2d:
    case 0x2e:
    case 0x5e:
    case 0x5f:
    case 0x60:
    case 0x7c:
    case 0x7e:
      return true;
    default:
      return false;
  }
}

function isLws(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

function describeChar(s: string, i: number): string {
  const c = s.charCodeAt(i);
  if (c < 0x20 || c === 0x7f || c > 0x7e) return 'U+' + c.toString(16).toUpperCase().padStart(4, '0');
  return JSON.stringify(s[i]);
}

function clip(s: string, max = 40): string {
  const short = s.length > max ? s.slice(0, max) + '…' : s;
  let out = '';
  for (let i = 0; i < short.length; i++) {
    const c = short.charCodeAt(i);
    out += c < 0x20 || c === 0x7f ? '\\x' + c.toString(16).padStart(2, '0') : short[i];
  }
  return out;
}

interface Directive {
  name: string;
  /** undefined: no "=" at all. */
  value?: string;
  quoted: boolean;
}

type Tokenised =
  { ok: true; directives: Directive[] } | { ok: false; error: string; directives: Directive[] };

/** Split one header field value into directives per the §6.1 grammar. */
function tokenise(v: string): Tokenised {
  const directives: Directive[] = [];
  const len = v.length;
  let i = 0;
  const fail = (error: string): Tokenised => ({ ok: false, error, directives });
  for (;;) {
    while (i < len && isLws(v.charCodeAt(i))) i++;
    if (i >= len) break;
    if (v.charCodeAt(i) === 0x3b) {
      i++; // empty directive: allowed by `[ directive ] *( ";" [ directive ] )`
      continue;
    }
    const nameStart = i;
    while (i < len && isTchar(v.charCodeAt(i))) i++;
    if (i === nameStart) {
      const hint =
        v.charCodeAt(i) === 0x2c ? ' (a comma: probably several header fields joined into one)' : '';
      return fail(
        `unexpected character ${describeChar(v, i)} at offset ${i}${hint}: not a directive name (RFC 6797 §6.1)`,
      );
    }
    const name = v.slice(nameStart, i);
    while (i < len && isLws(v.charCodeAt(i))) i++;
    const d: Directive = { name, quoted: false };
    if (i < len && v.charCodeAt(i) === 0x3d) {
      i++;
      while (i < len && isLws(v.charCodeAt(i))) i++;
      if (i < len && v.charCodeAt(i) === 0x22) {
        // quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE
        i++;
        let out = '';
        let closed = false;
        while (i < len) {
          const c = v.charCodeAt(i);
          if (c === 0x22) {
            closed = true;
            i++;
            break;
          }
          if (c === 0x5c) {
            if (i + 1 >= len) break;
            const n = v.charCodeAt(i + 1);
            if (!(n === 0x09 || (n >= 0x20 && n <= 0x7e) || (n >= 0x80 && n <= 0xff))) {
              return fail(
                `invalid escaped character ${describeChar(v, i + 1)} in the quoted value of ${clip(name)}`,
              );
            }
            out += v[i + 1];
            i += 2;
            continue;
          }
          // qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
          if (!(
            c === 0x09 ||
            c === 0x20 ||
            c === 0x21 ||
            (c >= 0x23 && c <= 0x7e) ||
            (c >= 0x80 && c <= 0xff)
          )) {
            return fail(`invalid character ${describeChar(v, i)} in the quoted value of ${clip(name)}`);
          }
          out += v[i];
          i++;
        }
        if (!closed) return fail(`unterminated quoted value of ${clip(name)}`);
        d.value = out;
        d.quoted = true;
      } else {
        const vs = i;
        while (i < len && isTchar(v.charCodeAt(i))) i++;
        if (i === vs) {
          return fail(
            i < len
              ? `unexpected character ${describeChar(v, i)} in the value of ${clip(name)} (RFC 6797 §6.1)`
              : `${clip(name)} has "=" but no value (RFC 6797 §6.1)`,
          );
        }
        d.value = v.slice(vs, i);
      }
      while (i < len && isLws(v.charCodeAt(i))) i++;
    }
    directives.push(d);
    if (i >= len) break;
    if (v.charCodeAt(i) !== 0x3b) {
      const hint =
        v.charCodeAt(i) === 0x2c ? ' (a comma: probably several header fields joined into one)' : '';
      return fail(
        `expected ";" after ${clip(name)} but found ${describeChar(v, i)} at offset ${i}${hint} (RFC 6797 §6.1)`,
      );
    }
    i++;
  }
  return { ok: true, directives };
}

/**
 * Parse the Strict-Transport-Security header field values of one response, in the order received.
 * `valid` is true when browsers would honour the (first) field. `maxAge` / `includeSubDomains` /
 * `preload` report what the first field says; they are meaningful only when `valid`.
 * `errors` also carries informational notes (preload requirements, max-age=0) that do not
 * invalidate the header. Never throws.
 */
export function parseHsts(values: string[]): HstsParsed {
  // A site sends the same header on every page: the answer is remembered per header text (bounded)
  // and handed out as a copy, so a caller that changes its result changes nobody else's.
  const key =
    Array.isArray(values) && values.every((v) => typeof v === 'string')
      ? `${values.length}\n${values.join('\n')}`
      : null;
  const hit = key === null ? undefined : memo.get(key);
  if (hit) return { ...hit, errors: [...hit.errors] };
  const parsed = parseOnce(values);
  if (key !== null) {
    if (memo.size >= MEMO_MAX) memo.clear();
    memo.set(key, { ...parsed, errors: [...parsed.errors] });
  }
  return parsed;
}

const memo = new Map<string, HstsParsed>();
const MEMO_MAX = 256;

function parseOnce(values: string[]): HstsParsed {
  try {
    return parse(values);
  } catch (err) {
    return {
      maxAge: null,
      includeSubDomains: false,
      preload: false,
      errors: [`could not parse Strict-Transport-Security: ${(err as Error)?.message ?? String(err)}`],
      valid: false,
    };
  }
}

function parse(valuesIn: string[]): HstsParsed {
  const values = Array.isArray(valuesIn)
    ? valuesIn.map((v) => (typeof v === 'string' ? v : String(v ?? '')))
    : [];
  const errors: string[] = [];
  const result: HstsParsed = { maxAge: null, includeSubDomains: false, preload: false, errors, valid: false };
  if (values.length === 0) {
    errors.push('no Strict-Transport-Security header');
    return result;
  }
  if (values.length > 1) {
    const differ = values.some((v) => v.trim() !== values[0]!.trim());
    errors.push(
      `Strict-Transport-Security appears ${values.length} times${differ ? ' with different values' : ''}: browsers process only the first (RFC 6797 §8.1)`,
    );
  }
  const first = values[0]!;
  if (first.trim() === '') {
    errors.push('empty Strict-Transport-Security header: max-age is required (RFC 6797 §6.1.1)');
    return result;
  }

  const t = tokenise(first);
  let valid = t.ok;
  if (!t.ok) errors.push(t.error + ': browsers ignore the header');

  const seen = new Map<string, number>();
  let maxAgeSeen = false;
  let unknown = 0;
  let duplicates = 0;
  let preloadValue = false;
  for (const d of t.directives) {
    const lname = d.name.toLowerCase();
    const count = (seen.get(lname) ?? 0) + 1;
    seen.set(lname, count);
    if (count === 2) {
      valid = false;
      duplicates++;
    }
    if (count === 2 && duplicates <= MAX_NOTES) {
      const chromium =
        lname === 'max-age' || lname === 'includesubdomains'
          ? ''
          : ' (Chromium tolerates repeated unknown directives; the RFC does not)';
      errors.push(
        `directive ${clip(d.name)} appears more than once: browsers ignore the header (RFC 6797 §6.1 rule 2)${chromium}`,
      );
    }
    if (count > 1) continue; // the first occurrence is reported
    if (lname === 'max-age') {
      maxAgeSeen = true;
      const v = d.value;
      if (v === undefined || v === '') {
        valid = false;
        errors.push('max-age has no value: browsers ignore the header (RFC 6797 §6.1.1)');
        continue;
      }
      let digits = true;
      for (let k = 0; k < v.length; k++) {
        const c = v.charCodeAt(k);
        if (c < 0x30 || c > 0x39) {
          digits = false;
          break;
        }
      }
      if (!digits) {
        valid = false;
        errors.push(
          `max-age=${clip(d.quoted ? `"${v}"` : v)} is not a non-negative integer (delta-seconds = 1*DIGIT): browsers ignore the header (RFC 6797 §6.1.1)`,
        );
        continue;
      }
      // Digits only, so Number() is exact up to 2^53; longer values are clamped (Chromium clamps to a year).
      result.maxAge = Math.min(Number(v), Number.MAX_SAFE_INTEGER);
    } else if (lname === 'includesubdomains') {
      result.includeSubDomains = true;
      if (d.value !== undefined) {
        valid = false;
        errors.push(
          'includeSubDomains takes no value: browsers ignore the header (RFC 6797 §6.1.2; Chromium rejects it)',
        );
      }
    } else if (lname === 'preload') {
      result.preload = true;
      preloadValue = d.value !== undefined;
    } else {
      unknown++;
      if (unknown <= MAX_NOTES)
        errors.push(`unknown directive ${clip(d.name)} is ignored (RFC 6797 §6.1 rule 5)`);
    }
  }

  if (unknown > MAX_NOTES) errors.push(`${unknown - MAX_NOTES} more unknown directives ignored`);
  if (duplicates > MAX_NOTES) errors.push(`${duplicates - MAX_NOTES} more repeated directives`);

  if (!maxAgeSeen && t.ok) {
    valid = false;
    errors.push('no max-age directive: it is required, browsers ignore the header (RFC 6797 §6.1.1)');
  }

  if (valid && result.maxAge === 0) {
    errors.push('max-age=0: browsers forget HSTS for this host instead of enforcing it (RFC 6797 §6.1.1)');
  }
  if (result.preload) {
    const missing: string[] = [];
    if (result.maxAge === null || result.maxAge < HSTS_PRELOAD_MIN_MAX_AGE) {
      missing.push(`max-age >= ${HSTS_PRELOAD_MIN_MAX_AGE} (one year)`);
    }
    if (!result.includeSubDomains) missing.push('includeSubDomains');
    if (preloadValue) errors.push('preload is a flag and takes no value');
    if (missing.length > 0) {
      errors.push(
        `preload is set but the preload list (hstspreload.org) also requires ${missing.join(' and ')}`,
      );
    }
  }
  result.valid = valid;
  return result;
}
