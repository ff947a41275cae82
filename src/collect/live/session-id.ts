/**
 * Session identifiers carried in URLs: query parameters named like session ids, path parameters
 * (`;jsessionid=`, the Servlet URL-rewriting form, Jakarta Servlet 6.0 §7.1.3 "URL Rewriting") and
 * ASP.NET cookieless sessions (`/(S(id))/`, System.Web SessionStateSection `cookieless="UseUri"`;
 * `(F(...))` is the cookieless forms-authentication ticket). A URL is data, not source code: it is
 * taken apart with the WHATWG URL parser and split on its own delimiters.
 */

export interface UrlSessionId {
  /** Parameter name as written (PHPSESSID, jsessionid ...) or `(S(...))` / `(F(...))` for ASP.NET. */
  parameter: string;
  value: string;
  form: 'query' | 'path-parameter' | 'aspnet-cookieless';
  framework?: string;
}

/**
 * Names compared case-insensitively. Sources: knowledge/browser-rules.md "Session identifiers
 * commonly seen" (PHP session.name default PHPSESSID, Servlet JSESSIONID, ASP.NET_SessionId,
 * ColdFusion CFID/CFTOKEN, Zen Cart zenid ...).
 */
const SESSION_PARAMS: Record<string, string | undefined> = {
  phpsessid: 'php',
  jsessionid: 'java',
  sid: undefined,
  sessid: undefined,
  sessionid: undefined,
  session_id: undefined,
  'asp.net_sessionid': 'aspnet',
  cfid: 'coldfusion',
  cftoken: 'coldfusion',
  zenid: 'zencart',
  oscsid: 'oscommerce',
};

function sessionParam(name: string): { known: boolean; framework?: string } {
  const n = name.toLowerCase();
  if (Object.hasOwn(SESSION_PARAMS, n)) return { known: true, framework: SESSION_PARAMS[n] };
  // Classic ASP: ASPSESSIONID followed by eight letters.
  if (n.startsWith('aspsessionid')) return { known: true, framework: 'asp' };
  return { known: false };
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** ASP.NET cookieless segment: `(S(abc))`, `(A(...)S(...)F(...))`. */
function aspnetCookieless(segment: string): UrlSessionId[] {
  if (!segment.startsWith('(') || !segment.endsWith(')')) return [];
  const inner = segment.slice(1, -1);
  const out: UrlSessionId[] = [];
  let i = 0;
  while (i < inner.length) {
    const letter = inner[i];
    if (!letter || !/[A-Z]/.test(letter) || inner[i + 1] !== '(') return [];
    const close = inner.indexOf(')', i + 2);
    if (close < 0) return [];
    const value = inner.slice(i + 2, close);
    if ((letter === 'S' || letter === 'F') && value) {
      out.push({ parameter: `(${letter}(...))`, value, form: 'aspnet-cookieless', framework: 'aspnet' });
    }
    i = close + 1;
  }
  return out;
}

/**
 * Every parameter name above contains "sid", "sess", "cfid", "cftoken" or "zenid" (case-insensitive);
 * a name may also be percent-encoded or split by a tab or newline (which URL parsing removes), and
 * the ASP.NET forms need a "(". A URL without any of these
 * carries no session id, which spares parsing it (this runs for every hop and final URL).
 */
const SESSION_ID_HINT = /sid|sess|cfid|cftoken|zenid|[%(\t\n\r]/i;

/** False when `url` certainly carries no session identifier (a cheap test before parsing it). */
export function mayCarrySessionId(url: string): boolean {
  return (url.includes('=') || url.includes('(')) && SESSION_ID_HINT.test(url);
}

/** Session identifiers in `url` (absolute, or relative to `base`). Empty values are ignored. */
export function findSessionIdsInUrl(url: string, base?: string): UrlSessionId[] {
  if (!mayCarrySessionId(url) && (base === undefined || !mayCarrySessionId(base))) return [];
  return parseSessionIdsInUrl(url, base);
}

/** findSessionIdsInUrl without the cheap pre-test (exported so tests can check the pre-test). */
export function parseSessionIdsInUrl(url: string, base?: string): UrlSessionId[] {
  let u: URL;
  try {
    u = new URL(url, base);
  } catch {
    return [];
  }
  const out: UrlSessionId[] = [];
  for (const [name, value] of u.searchParams) {
    const p = sessionParam(name);
    if (p.known && value) out.push({ parameter: name, value, form: 'query', framework: p.framework });
  }
  for (const rawSegment of u.pathname.split('/')) {
    const [, ...params] = rawSegment.split(';');
    for (const param of params) {
      const eq = param.indexOf('=');
      if (eq <= 0) continue;
      const name = decode(param.slice(0, eq));
      const value = decode(param.slice(eq + 1));
      const p = sessionParam(name);
      if (p.known && value)
        out.push({ parameter: name, value, form: 'path-parameter', framework: p.framework });
    }
    out.push(...aspnetCookieless(decode(rawSegment)));
  }
  return out;
}

/** `text` with every occurrence of each value replaced by `<redacted>` (for evidence strings). */
export function redactValues(text: string, values: string[]): string {
  let out = text;
  for (const v of values) {
    if (!v) continue;
    out = out.split(v).join('<redacted>');
    const enc = encodeURIComponent(v);
    if (enc !== v) out = out.split(enc).join('<redacted>');
  }
  return out;
}

/** `url` with the values of the session identifiers it carries redacted (for error messages). */
export function redactSessionIdsInUrl(url: string): string {
  const ids = findSessionIdsInUrl(url);
  return ids.length === 0
    ? url
    : redactValues(
        url,
        ids.map((i) => i.value),
      );
}
