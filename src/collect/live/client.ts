/**
 * The HTTP client of the live collector: one undici Agent per run, with every bound explicit.
 *
 * - connect, headers and body timeouts, plus an overall deadline per request (AbortSignal);
 * - response headers capped (`maxHeaderSize`), bodies read up to a cap then the connection dropped;
 * - no automatic redirects (undici's `request` follows none unless an interceptor is added) and
 *   no decompression (`request` hands back the bytes as sent, so a gzip bomb stays small);
 * - TLS verified against Node's default roots plus `--ca` files; the outcome of each TLS handshake is
 *   recorded per origin, so a run with --insecure still knows which certificates were not trusted.
 */
import tls from 'node:tls';
import { readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { Agent, buildConnector } from 'undici';
import { describeError, errorCode, isTlsVerifyCode } from './errors.js';
import { pemBlocks } from './options.js';

/** Response headers as undici gives them: lower-case names, an array for a repeated header. */
export type IncomingHttpHeaders = Record<string, string | string[] | undefined>;

export interface ClientOptions {
  /** Extra trusted CAs, PEM text (not paths). */
  ca?: string[];
  insecure?: boolean;
  timeoutMs: number;
  maxBodyBytes: number;
  maxHeaderBytes: number;
}

export interface TlsState {
  authorized: boolean;
  /** Node's code for the verification failure, e.g. DEPTH_ZERO_SELF_SIGNED_CERT. */
  error?: string;
}

export interface HopResponse {
  url: string;
  status: number;
  headers: IncomingHttpHeaders;
  /** Bytes of body read (at most maxBodyBytes). */
  bodyBytes: number;
  /** The body was longer than maxBodyBytes; the rest was not read. */
  bodyTruncated: boolean;
  /** Why the body could not be read to its end (stall, reset ...), when it could not. */
  bodyError?: string;
  /** The body bytes read, only when asked with keepBody (never decompressed). */
  body?: Buffer;
}

/**
 * The overall deadline of one request (connect + headers + body), as the `signal` undici accepts
 * (anything with addEventListener / removeEventListener). A plain object with one timer: an
 * AbortSignal.timeout() keeps its timer and a finalization record alive until it fires, and an
 * EventEmitter costs more to create than the request it guards on a process's first run (measured
 * by bench/check.bench.ts).
 */
class Deadline {
  aborted = false;
  reason: Error | undefined;
  private listeners: (() => void)[] | null = null;
  private readonly timer: NodeJS.Timeout;

  constructor(ms: number) {
    this.timer = setTimeout(() => {
      this.aborted = true;
      this.reason = Object.assign(new Error(`no complete response within ${ms} ms`), {
        name: 'TimeoutError',
      });
      const listeners = this.listeners;
      this.listeners = null;
      if (listeners) for (const l of listeners) l();
    }, ms);
    this.timer.unref();
  }

  addEventListener(_type: 'abort', listener: () => void): void {
    (this.listeners ??= []).push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const i = this.listeners?.indexOf(listener) ?? -1;
    if (i !== -1) this.listeners!.splice(i, 1);
  }

  clear(): void {
    clearTimeout(this.timer);
    this.listeners = null;
  }
}

/** A request that produced no response: `message` is one clear line, `code` Node/undici's code. */
export class LiveRequestError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly url: string,
  ) {
    super(message);
    this.name = 'LiveRequestError';
  }
}

/** host:port with the default port filled in and IPv6 brackets removed. */
export function originKey(hostname: string, port: string | number, protocol: string): string {
  const h = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  const p = String(port || (protocol === 'https:' ? 443 : 80));
  return `${h.toLowerCase()}:${p}`;
}

/**
 * Roots Node trusts by default (its bundled Mozilla store, plus NODE_EXTRA_CA_CERTS and the system
 * store when Node is told to use it), to which --ca files are added. Passing `ca` to a TLS client
 * replaces the default store (Node docs, tls.createSecureContext `ca`), hence the explicit union.
 */
function defaultRoots(): string[] {
  const getCa = (tls as unknown as { getCACertificates?: (kind: string) => string[] }).getCACertificates;
  if (typeof getCa === 'function') return getCa('default'); // Node >= 22.15 / 23.5
  const roots = [...tls.rootCertificates];
  const extra = process.env.NODE_EXTRA_CA_CERTS;
  if (extra) {
    let text: string;
    try {
      text = readFileSync(extra, 'utf8');
    } catch {
      // Node itself warns about an unreadable NODE_EXTRA_CA_CERTS at startup.
      return roots;
    }
    // Often the system bundle, which repeats most of Node's roots: each certificate is added once
    // (every PEM is parsed when the context is built, the first time a process connects).
    const known = new Set(roots.map(pemKey));
    for (const pem of pemBlocks(text)) {
      const key = pemKey(pem);
      if (known.has(key)) continue;
      known.add(key);
      roots.push(pem);
    }
  }
  return roots;
}

/**
 * A certificate's PEM text without line breaks: the same certificate gives the same key whatever
 * the line length (Node's bundled roots and the system bundle wrap differently). No regular
 * expression: this runs over every root certificate on a process's first connection.
 */
function pemKey(pem: string): string {
  return pem.replaceAll('\n', '').replaceAll('\r', '').trim();
}

const contexts = new Map<string, tls.SecureContext>();

/** A secure context trusting the default roots plus `extraCas`, built once per process per CA set. */
function secureContextWith(extraCas: string[]): tls.SecureContext {
  const key = extraCas.join('\n');
  let ctx = contexts.get(key);
  if (!ctx) {
    ctx = tls.createSecureContext({ ca: [...defaultRoots(), ...extraCas] });
    contexts.set(key, ctx);
  }
  return ctx;
}

export class LiveClient {
  readonly opts: ClientOptions;
  private readonly agent: Agent;
  private readonly tlsStates = new Map<string, TlsState>();

  constructor(opts: ClientOptions) {
    this.opts = opts;
    const base = buildConnector({
      rejectUnauthorized: !opts.insecure,
      // One secure context: a `ca` option would otherwise be parsed again (all the roots) on
      // every connection.
      ...(opts.ca && opts.ca.length > 0 ? { secureContext: secureContextWith(opts.ca) } : {}),
      timeout: opts.timeoutMs,
    });
    this.agent = new Agent({
      connect: (connectOpts, callback) => {
        const key = originKey(connectOpts.hostname, connectOpts.port, connectOpts.protocol);
        base(connectOpts, (err, socket) => {
          if (connectOpts.protocol === 'https:') {
            if (err) {
              const code = errorCode(err);
              if (isTlsVerifyCode(code)) this.tlsStates.set(key, { authorized: false, error: code });
            } else if (socket) {
              const s = socket as tls.TLSSocket;
              const authError = s.authorizationError as unknown;
              this.tlsStates.set(
                key,
                s.authorized
                  ? { authorized: true }
                  : {
                      authorized: false,
                      error: typeof authError === 'string' ? authError : String(authError ?? ''),
                    },
              );
            }
          }
          if (err) callback(err, null);
          else callback(null, socket!);
        });
      },
      headersTimeout: opts.timeoutMs,
      bodyTimeout: opts.timeoutMs,
      maxHeaderSize: opts.maxHeaderBytes,
      keepAliveTimeout: 4_000,
    });
  }

  /** Outcome of the TLS handshake with this URL's origin (undefined: never connected over TLS). */
  tlsState(url: URL): TlsState | undefined {
    return this.tlsStates.get(originKey(url.hostname, url.port, url.protocol));
  }

  /**
   * GET `url` with exactly `headers`; never follows redirects. Throws LiveRequestError (one-line
   * message) when no response came; a response whose body could not be read completely is returned
   * with `bodyError` set.
   */
  async get(
    url: URL,
    headers: Record<string, string>,
    opts: { keepBody?: boolean } = {},
  ): Promise<HopResponse> {
    const { timeoutMs, maxBodyBytes } = this.opts;
    const deadline = new Deadline(timeoutMs);
    try {
      let res;
      try {
        res = await this.agent.request({
          origin: url.origin,
          path: url.pathname + url.search,
          method: 'GET',
          headers,
          signal: deadline,
        });
      } catch (err) {
        throw new LiveRequestError(describeError(err, this.errorContext(url)), errorCode(err), url.href);
      }
      const keep = opts.keepBody === true;
      const body = await readCapped(res.body, maxBodyBytes, keep);
      const out: HopResponse = {
        url: url.href,
        status: res.statusCode,
        headers: res.headers,
        bodyBytes: body.bytes,
        bodyTruncated: body.truncated,
      };
      if (body.error !== undefined) out.bodyError = describeError(body.error, this.errorContext(url));
      if (keep) out.body = Buffer.concat(body.chunks);
      return out;
    } finally {
      deadline.clear();
    }
  }

  /** What an error message about a request to `url` needs (made only when there is an error). */
  private errorContext(url: URL): { timeoutMs: number; maxHeaderBytes: number; hostPort: string } {
    const { timeoutMs, maxHeaderBytes } = this.opts;
    return { timeoutMs, maxHeaderBytes, hostPort: originKey(url.hostname, url.port, url.protocol) };
  }

  async close(): Promise<void> {
    await this.agent.destroy().catch(() => {});
  }
}

/** What readCapped read. */
interface CappedBody {
  bytes: number;
  truncated: boolean;
  chunks: Buffer[];
  error?: unknown;
}

/**
 * Read a response body up to `max` bytes, then destroy it (closing the connection when more was
 * coming). Plain 'data' events: cheaper per response than an async iterator; `on` rather than
 * `once` (the first of end / error / close settles, and the stream is destroyed then).
 */
function readCapped(stream: Readable, max: number, keep: boolean): Promise<CappedBody> {
  return new Promise((resolve) => {
    const out: CappedBody = { bytes: 0, truncated: false, chunks: [] };
    let settled = false;
    const finish = (truncated: boolean, error?: unknown): void => {
      if (settled) return;
      settled = true;
      stream.off('data', onData);
      if (!stream.destroyed) stream.destroy();
      out.truncated = truncated;
      if (error !== undefined) out.error = error;
      resolve(out);
    };
    const onData = (chunk: Buffer): void => {
      const room = max - out.bytes;
      if (chunk.length > room) {
        if (keep && room > 0) out.chunks.push(chunk.subarray(0, room));
        out.bytes += room;
        finish(true);
        return;
      }
      out.bytes += chunk.length;
      if (keep) out.chunks.push(chunk);
    };
    stream.on('data', onData);
    stream.on('end', () => finish(false));
    stream.on('error', (err) => finish(false, err));
    stream.on('close', () => {
      if (!settled) finish(false, new Error('response body closed before its end'));
    });
  });
}

/** Header values as a list (undici gives a string for one, an array for several). */
export function headerValues(headers: IncomingHttpHeaders, name: string): string[] {
  const v = headers[name];
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/** Headers of a response that tell who answered it (the proxy-trust probe compares them). */
export interface ServerHeaders {
  server: string | null;
  via: string | null;
  poweredBy: string | null;
}

/** The first value of a header, trimmed; null when absent. */
export function firstHeader(headers: IncomingHttpHeaders | undefined, name: string): string | null {
  if (!headers) return null;
  const v = headerValues(headers, name)[0];
  return v === undefined ? null : v.trim();
}

export function serverHeadersOf(headers: IncomingHttpHeaders): ServerHeaders {
  return {
    server: firstHeader(headers, 'server'),
    via: firstHeader(headers, 'via'),
    poweredBy: firstHeader(headers, 'x-powered-by'),
  };
}
