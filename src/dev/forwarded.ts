/**
 * Headers a reverse proxy sends on, and the ones it must not.
 *
 * - Hop-by-hop fields (RFC 9110 §7.6.1: Connection and the fields it names, Proxy-Connection,
 *   Keep-Alive, TE, Transfer-Encoding, Upgrade; RFC 2616 §13.5.1 adds Trailer, Proxy-Authenticate
 *   and Proxy-Authorization) describe one connection and are not forwarded. For a WebSocket upgrade
 *   (RFC 6455 §4.1) `Connection: Upgrade` and `Upgrade` are sent on to the app, which must see them.
 * - The proxy tells the app what the client asked for: `X-Forwarded-Proto: https`,
 *   `X-Forwarded-Host` (the Host the browser sent), `X-Forwarded-Port` (the port it connected to),
 *   `X-Forwarded-For` (the client address appended to any list already present: the de-facto
 *   convention of nginx's $proxy_add_x_forwarded_for) and `Forwarded` (RFC 7239 §4, one element
 *   appended: `for=...;host=...;proto=https`, values quoted when they are not tokens, IPv6 `for`
 *   in brackets and quotes, §6). Proto, Host and Port values a client sent are replaced, never
 *   passed on: this proxy is the one that knows them.
 * - `Expect: 100-continue` is answered by this proxy (Node's server sends the 100), so it is not
 *   sent on (the app's own 100 would be a second interim response).
 */
import { isIP } from 'node:net';
import { normalizeAddress } from './names.js';

const HOP_BY_HOP = new Set([
  'connection',
  'proxy-connection',
  'keep-alive',
  'te',
  'transfer-encoding',
  'upgrade',
  'trailer',
  'proxy-authenticate',
  'proxy-authorization',
]);

/** Set by the proxy, never taken from the client. */
const REPLACED = new Set(['x-forwarded-proto', 'x-forwarded-host', 'x-forwarded-port']);

export interface ForwardContext {
  /** Address of the client that connected to the proxy. */
  clientAddress: string;
  /** The Host header the client sent, if any. */
  host: string | undefined;
  /** The port the client connected to (the proxy's HTTPS port). */
  port: number;
}

/** Field names listed in Connection header values (`Connection: keep-alive, X-Foo`). */
function connectionTokens(raw: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (raw[i]!.toLowerCase() !== 'connection') continue;
    for (const t of raw[i + 1]!.split(',')) {
      const v = t.trim().toLowerCase();
      if (v) out.add(v);
    }
  }
  return out;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** RFC 7239 §4: a value is a token or a quoted-string. */
export function forwardedValue(v: string): string {
  return TOKEN.test(v) ? v : `"${v.replace(/["\\]/g, (c) => '\\' + c)}"`;
}

/** One RFC 7239 element for this hop: `for=127.0.0.1;host=localhost:8443;proto=https` (quoted where needed). */
export function forwardedElement(ctx: ForwardContext): string {
  const addr = normalizeAddress(ctx.clientAddress);
  const forNode = isIP(addr) === 6 ? `[${addr}]` : addr || 'unknown';
  const parts = [`for=${forwardedValue(forNode)}`];
  if (ctx.host) parts.push(`host=${forwardedValue(ctx.host)}`);
  parts.push('proto=https');
  return parts.join(';');
}

/**
 * The request header list (raw pairs: name, value, name, value ...) to send to the app for a request
 * the client sent with `raw`. `upgrade`: keep `Connection: Upgrade` / `Upgrade` for a protocol switch.
 */
export function forwardRequestHeaders(
  raw: readonly string[],
  ctx: ForwardContext,
  opts: { upgrade?: boolean } = {},
): string[] {
  const named = connectionTokens(raw);
  const out: string[] = [];
  const xff: string[] = [];
  const fwd: string[] = [];
  let upgradeValue: string | undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    const value = raw[i + 1]!;
    const lower = name.toLowerCase();
    if (lower === 'upgrade') {
      upgradeValue ??= value;
      continue;
    }
    if (HOP_BY_HOP.has(lower) || named.has(lower) || REPLACED.has(lower) || lower === 'expect') continue;
    if (lower === 'x-forwarded-for') {
      xff.push(value);
      continue;
    }
    if (lower === 'forwarded') {
      fwd.push(value);
      continue;
    }
    out.push(name, value);
  }
  const client = normalizeAddress(ctx.clientAddress);
  out.push('X-Forwarded-For', [...xff.map((v) => v.trim()).filter(Boolean), client].join(', '));
  out.push('X-Forwarded-Proto', 'https');
  if (ctx.host) out.push('X-Forwarded-Host', ctx.host);
  out.push('X-Forwarded-Port', String(ctx.port));
  out.push('Forwarded', [...fwd.map((v) => v.trim()).filter(Boolean), forwardedElement(ctx)].join(', '));
  if (opts.upgrade && upgradeValue !== undefined) out.push('Connection', 'Upgrade', 'Upgrade', upgradeValue);
  return out;
}

/** The response header list to send to the client (hop-by-hop fields removed; kept for a 101). */
export function forwardResponseHeaders(raw: readonly string[], opts: { upgrade?: boolean } = {}): string[] {
  const named = connectionTokens(raw);
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const lower = raw[i]!.toLowerCase();
    if (opts.upgrade && (lower === 'connection' || lower === 'upgrade')) {
      out.push(raw[i]!, raw[i + 1]!);
      continue;
    }
    if (HOP_BY_HOP.has(lower) || named.has(lower)) continue;
    out.push(raw[i]!, raw[i + 1]!);
  }
  return out;
}

/** Values of one header in a raw list, case-insensitively. */
export function rawValues(raw: readonly string[], name: string): string[] {
  const want = name.toLowerCase();
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) if (raw[i]!.toLowerCase() === want) out.push(raw[i + 1]!);
  return out;
}

/**
 * A request target this proxy accepts: origin-form (`/path?query`, RFC 9112 §3.2.1), or `*` for
 * OPTIONS (asterisk-form). Absolute-form (`http://other.host/`) and authority-form (CONNECT) are what
 * a forward proxy accepts; a reverse proxy that honoured them would be an open proxy.
 */
export function acceptableTarget(method: string | undefined, url: string | undefined): boolean {
  if (url === undefined) return false;
  if (url === '*') return method === 'OPTIONS';
  return url.startsWith('/');
}
