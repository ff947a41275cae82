/**
 * Checking and normalising what the user gave `check`: URLs, --http / --https origins, --cookie,
 * --header, --ca files and numeric bounds. Every problem becomes one clear message.
 */
import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';

export interface UserCookie {
  name: string;
  value: string;
}

/**
 * (check --login) The cookies of a logged-in session: what the session's jar sends to `url` (RFC 6265
 * domain, path and expiry matching). The live checker asks it for HTTPS requests only.
 */
export interface SessionCookies {
  cookiesFor(url: URL): { name: string; pair: string }[];
}

export interface ResolvedBounds {
  timeoutMs: number;
  concurrency: number;
  maxBodyBytes: number;
  maxRedirects: number;
  maxHeaderBytes: number;
  maxSetCookies: number;
}

export const DEFAULT_BOUNDS: ResolvedBounds = {
  timeoutMs: 10_000,
  concurrency: 8,
  maxBodyBytes: 1024 * 1024,
  maxRedirects: 10,
  // Chromium refuses responses whose headers exceed 256 KiB (net/http/http_stream_parser.cc,
  // kMaxHeaderBufSize = 256 * 1024): a browser would see nothing beyond that either.
  maxHeaderBytes: 256 * 1024,
  // Chromium keeps at most 180 cookies per domain (net/cookies/cookie_monster.h, kDomainMaxCookies):
  // more Set-Cookie headers than that in one response cannot all survive in a browser.
  maxSetCookies: 180,
};

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Headers undici manages itself or refuses (undici lib/core/request.js processHeader). */
const REFUSED_HEADERS = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'content-length',
  'expect',
  'te',
]);

function hasControlChar(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/** Parse --cookie values ('NAME=VALUE', or several joined with '; ' as copied from a browser). */
export function parseUserCookies(values: string[]): { cookies: UserCookie[]; errors: string[] } {
  const cookies: UserCookie[] = [];
  const errors: string[] = [];
  for (const raw of values) {
    for (const part of raw.split(';')) {
      const p = part.trim();
      if (!p) continue;
      const eq = p.indexOf('=');
      const name = eq < 0 ? '' : p.slice(0, eq).trim();
      const value = eq < 0 ? '' : p.slice(eq + 1).trim();
      if (eq <= 0 || !TOKEN.test(name)) {
        errors.push(`--cookie: expected NAME=VALUE, got "${p.slice(0, 40).replace(/=.*/, '=...')}"`);
      } else if (hasControlChar(value)) {
        errors.push(`--cookie: the value of ${name} contains control characters`);
      } else {
        cookies.push({ name, value });
      }
    }
  }
  return { cookies, errors };
}

/**
 * Parse --header values ('Name: value'). A Cookie header is turned into user cookies (so it gets
 * the same care: HTTPS and the checked host only).
 */
export function parseUserHeaders(values: string[]): {
  headers: Record<string, string>;
  cookies: UserCookie[];
  errors: string[];
} {
  const headers: Record<string, string> = {};
  const cookieValues: string[] = [];
  const errors: string[] = [];
  for (const raw of values) {
    const colon = raw.indexOf(':');
    const name = colon < 0 ? '' : raw.slice(0, colon).trim();
    const value = colon < 0 ? '' : raw.slice(colon + 1).trim();
    if (colon <= 0 || !TOKEN.test(name)) {
      errors.push(`--header: expected 'Name: value', got "${raw.slice(0, 40)}"`);
      continue;
    }
    const lower = name.toLowerCase();
    if (hasControlChar(value.replaceAll('\t', ' ')) || [...value].some((ch) => ch.codePointAt(0)! > 0xff)) {
      errors.push(`--header: the value of ${name} contains control or non-Latin-1 characters`);
    } else if (REFUSED_HEADERS.has(lower)) {
      errors.push(`--header: ${name} is managed by the HTTP client and cannot be set`);
    } else if (lower === 'cookie') {
      cookieValues.push(value);
    } else {
      headers[lower] = headers[lower] !== undefined ? `${headers[lower]}, ${value}` : value;
    }
  }
  const parsed = parseUserCookies(cookieValues);
  return {
    headers,
    cookies: parsed.cookies,
    errors: [...errors, ...parsed.errors.map((e) => e.replace('--cookie', '--header Cookie'))],
  };
}

/** An origin given with --http / --https: must use `scheme`; path, query and fragment are ignored. */
export function parseOrigin(
  value: string,
  scheme: 'http' | 'https',
  flag: string,
): { origin?: URL; error?: string } {
  let u: URL;
  try {
    u = new URL(value.includes('://') ? value : `${scheme}://${value}`);
  } catch {
    return { error: `${flag}: not a valid origin: "${value}"` };
  }
  if (u.protocol !== `${scheme}:`)
    return { error: `${flag}: expected a ${scheme}:// origin, got "${value}"` };
  if (u.username || u.password) return { error: `${flag}: credentials in the origin are not supported` };
  return { origin: new URL(u.origin) };
}

/** A URL to check: http(s) only, no credentials; the fragment is dropped (never sent). */
export function parseTargetUrl(value: string): { url?: URL; error?: string } {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return { error: `not a valid URL (expected https://host/path): "${value.slice(0, 200)}"` };
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') {
    return { error: `only http:// and https:// URLs can be checked, got ${u.protocol}` };
  }
  if (u.username || u.password) {
    return { error: "credentials in the URL are not supported; use --header 'Authorization: ...'" };
  }
  if (value.includes('#')) u.hash = ''; // (a setter re-serialises the URL: only when needed)
  return { url: u };
}

/** `url`'s path and query on `origin`, or on the same host with the default port of `scheme`. */
export function twinUrl(url: URL, scheme: 'http' | 'https', origin?: URL): URL {
  const base = origin ?? new URL(`${scheme}://${url.hostname}`);
  return new URL(`${url.pathname}${url.search}`, base);
}

const BEGIN = '-----BEGIN CERTIFICATE-----';
const END = '-----END CERTIFICATE-----';

/** The certificate blocks of a PEM bundle (text outside the blocks is ignored, as OpenSSL does). */
export function pemBlocks(text: string): string[] {
  const out: string[] = [];
  let from = 0;
  for (;;) {
    const b = text.indexOf(BEGIN, from);
    if (b < 0) return out;
    const e = text.indexOf(END, b);
    if (e < 0) {
      out.push(text.slice(b)); // unterminated: fails to parse, reported
      return out;
    }
    out.push(text.slice(b, e + END.length));
    from = e + END.length;
  }
}

/**
 * CA file contents already found usable in this process: a library caller that runs many checks
 * with the same --ca file has every certificate parsed once, not at every run (each file is still
 * read every run). Bounded: CA files are few.
 */
const usableCaTexts = new Set<string>();
const MAX_REMEMBERED_CA_TEXTS = 32;

/** Read --ca files (PEM). */
export function readCaFiles(paths: string[]): { pems: string[]; errors: string[] } {
  const pems: string[] = [];
  const errors: string[] = [];
  for (const p of paths) {
    let text: string;
    try {
      text = readFileSync(p, 'utf8');
    } catch (err) {
      const code = (err as { code?: string }).code;
      errors.push(`--ca ${p}: cannot read the file${code ? ` (${code})` : ''}`);
      continue;
    }
    if (usableCaTexts.has(text)) {
      pems.push(text);
      continue;
    }
    if (!text.includes('-----BEGIN CERTIFICATE-----')) {
      errors.push(`--ca ${p}: no PEM certificate in the file`);
      continue;
    }
    const bad = pemBlocks(text).findIndex((block) => {
      try {
        new X509Certificate(block);
        return false;
      } catch {
        return true;
      }
    });
    if (bad >= 0) {
      errors.push(`--ca ${p}: certificate ${bad + 1} in the file is not a usable PEM certificate`);
      continue;
    }
    if (usableCaTexts.size < MAX_REMEMBERED_CA_TEXTS) usableCaTexts.add(text);
    pems.push(text);
  }
  return { pems, errors };
}

/** A positive integer bound, or the default; non-integers and values below `min` are errors. */
export function bound(
  value: number | undefined,
  def: number,
  flag: string,
  min = 1,
): { value: number; error?: string } {
  if (value === undefined) return { value: def };
  if (!Number.isFinite(value) || !Number.isInteger(value) || value < min) {
    return { value: def, error: `${flag}: expected an integer >= ${min}, got ${value}` };
  }
  return { value };
}
