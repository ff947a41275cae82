/**
 * The HTTP client of the live collector: one undici Agent per run, with every bound explicit.
 *
 * - connect, headers and body timeouts, plus an overall deadline per request;
 * - response headers capped (`maxHeaderSize`), bodies read up to a cap then the connection dropped;
 * - no automatic redirects (an Agent's `dispatch` follows none unless an interceptor is added) and
 *   no decompression (the handler is given the bytes as sent, so a gzip bomb stays small);
 * - TLS verified against Node's default roots plus `--ca` files; the outcome of each TLS handshake is
 *   recorded per origin, so a run with --insecure still knows which certificates were not trusted.
 */
import tls from 'node:tls';
import { readFileSync } from 'node:fs';
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
  /**
   * The body itself, when the request asked for HTML bodies (`keepHtmlBytes`, the crawl) and the
   * response is HTML (text/html or application/xhtml+xml): at most keepHtmlBytes bytes.
   */
  html?: { contentType: string; body: Buffer; truncated: boolean };
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

/** undici's parser timeouts tick every 499 ms (undici lib/util/timers.js, TICK_MS): one full tick and more. */
const UNDICI_TIMER_SLACK_MS = 1000;

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
      // undici times headers and body with a clock that ticks every half second, so its timeouts can
      // end a request up to that much early: set past the overall deadline, which decides alone
      // (they stay as a backstop).
      headersTimeout: opts.timeoutMs + UNDICI_TIMER_SLACK_MS,
      bodyTimeout: opts.timeoutMs + UNDICI_TIMER_SLACK_MS,
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
   * with `bodyError` set. With `keepHtmlBytes` > 0 (the crawl), an HTML body is kept up to that
   * many bytes (`html`); other bodies are only counted, as always.
   */
  get(url: URL, headers: Record<string, string>, keepHtmlBytes = 0): Promise<HopResponse> {
    return new Promise<HopResponse>((resolve, reject) => {
      const handler = new GetHandler(this, url, resolve, reject, keepHtmlBytes);
      // Dispatched on the event loop's next turn. undici reuses a connection whose response has
      // just ended only from its next turn (it waits one before reusing a socket, in case the
      // server closes it); a request dispatched before then finds every connection busy and
      // opens one more. A crawl's next page is asked for as soon as one ends: dispatched at once,
      // it made about twice the connections (and TLS handshakes) of --concurrency
      // (bench/crawl.bench.js; test/crawl/collect.test.ts counts them).
      setImmediate(() => {
        try {
          this.agent.dispatch(
            { origin: url.origin, path: url.pathname + url.search, method: 'GET', headers },
            handler,
          );
        } catch (err) {
          handler.onResponseError(undefined, err as Error);
        }
      });
    });
  }

  /** What an error message about a request to `url` needs (made only when there is an error). */
  errorContext(url: URL): { timeoutMs: number; maxHeaderBytes: number; hostPort: string } {
    const { timeoutMs, maxHeaderBytes } = this.opts;
    return { timeoutMs, maxHeaderBytes, hostPort: originKey(url.hostname, url.port, url.protocol) };
  }

  async close(): Promise<void> {
    await this.agent.destroy().catch(() => {});
  }

  // --- login (check --login): a request of any method whose body is kept, for the login page's HTML
  // and the form submission. Same agent, TLS record and bounds as get(); never follows redirects.
  /**
   * `method` `url` with `headers` and `body`; the response body is kept up to maxBodyBytes (the rest
   * is not read). Throws LiveRequestError (one line, which never holds the request body).
   */
  async send(
    url: URL,
    method: 'GET' | 'POST',
    headers: Record<string, string>,
    body?: string,
  ): Promise<HopResponse & { body: Buffer }> {
    const ms = this.opts.timeoutMs;
    const ac = new AbortController();
    const timer = setTimeout(
      () =>
        ac.abort(Object.assign(new Error(`no complete response within ${ms} ms`), { name: 'TimeoutError' })),
      ms,
    );
    timer.unref();
    try {
      const res = await this.agent.request({
        origin: url.origin,
        path: url.pathname + url.search,
        method,
        headers,
        ...(body !== undefined ? { body } : {}),
        signal: ac.signal,
      });
      const chunks: Buffer[] = [];
      let bytes = 0;
      let truncated = false;
      let bodyError: string | undefined;
      try {
        for await (const chunk of res.body as AsyncIterable<Buffer>) {
          const room = this.opts.maxBodyBytes - bytes;
          if (chunk.length > room) {
            chunks.push(chunk.subarray(0, room));
            bytes += room;
            truncated = true;
            res.body.destroy();
            break;
          }
          chunks.push(chunk);
          bytes += chunk.length;
        }
      } catch (err) {
        bodyError = describeError(err, this.errorContext(url));
      }
      const out: HopResponse & { body: Buffer } = {
        url: url.href,
        status: res.statusCode,
        headers: res.headers as IncomingHttpHeaders,
        bodyBytes: bytes,
        bodyTruncated: truncated,
        body: Buffer.concat(chunks),
      };
      if (bodyError !== undefined) out.bodyError = bodyError;
      return out;
    } catch (err) {
      const cause = ac.signal.aborted ? (ac.signal.reason as unknown) : err;
      throw new LiveRequestError(describeError(cause, this.errorContext(url)), errorCode(cause), url.href);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** undici's handle on a dispatched request (the `controller` of its handler interface). */
interface RequestController {
  abort(reason: Error): void;
}

/** Marks the abort that ends a body read up to maxBodyBytes (not an error of the response). */
const CAPPED = new Error('body capped');

/**
 * One GET, as an undici dispatch handler (the Dispatcher API's onRequestStart / onResponseStart /
 * onResponseData / onResponseEnd / onResponseError): the status and headers, then the body counted
 * up to maxBodyBytes, where the request is aborted, which closes the connection if more was coming.
 * The collector reads nothing of a body but its length, so it needs none of what `Agent.request`
 * makes per response (a Readable stream and its events, an AsyncResource, a promise): measured by
 * bench/check.bench.ts, 0.045 G fewer instructions per 1,125 requests (cachegrind) and 4 MB less
 * allocated.
 *
 * The overall deadline (connect + headers + body) is one timer: when it fires first, the request is
 * aborted (at once, or as soon as undici hands it a connection) and the outcome is a TimeoutError.
 */
class GetHandler {
  private controller: RequestController | null = null;
  private settled = false;
  private status = 0;
  private headers: IncomingHttpHeaders | null = null;
  private bytes = 0;
  /** Chunks of an HTML body kept for the crawl (null: not kept). */
  private kept: Buffer[] | null = null;
  private keptBytes = 0;
  private keptTruncated = false;
  private contentType = '';
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly client: LiveClient,
    private readonly url: URL,
    private readonly resolve: (r: HopResponse) => void,
    private readonly reject: (e: LiveRequestError) => void,
    private readonly keepHtmlBytes = 0,
  ) {
    const ms = client.opts.timeoutMs;
    this.timer = setTimeout(() => {
      const reason = Object.assign(new Error(`no complete response within ${ms} ms`), {
        name: 'TimeoutError',
      });
      this.fail(reason);
      this.controller?.abort(reason);
    }, ms);
    this.timer.unref();
  }

  onRequestStart(controller: RequestController): void {
    this.controller = controller;
    // The deadline passed while the request waited for a connection: it is not sent.
    if (this.settled) controller.abort(new Error('deadline passed'));
  }

  onResponseStart(_controller: RequestController, status: number, headers: IncomingHttpHeaders): void {
    if (status < 200) return; // an informational answer; the response follows
    this.status = status;
    this.headers = headers;
    if (this.keepHtmlBytes > 0) {
      const ct = headers['content-type'];
      const type = (Array.isArray(ct) ? (ct[0] ?? '') : (ct ?? '')).trim();
      if (isHtmlType(type)) {
        this.kept = [];
        this.contentType = type;
      }
    }
  }

  onResponseData(controller: RequestController, chunk: Buffer): void {
    if (this.settled) return;
    if (this.kept !== null) this.keep(chunk);
    const room = this.client.opts.maxBodyBytes - this.bytes;
    if (chunk.length > room) {
      this.bytes += room;
      this.done(true, undefined);
      controller.abort(CAPPED);
      return;
    }
    this.bytes += chunk.length;
  }

  /** The HTML body up to keepHtmlBytes (the rest is counted, not kept). */
  private keep(chunk: Buffer): void {
    const room = this.keepHtmlBytes - this.keptBytes;
    if (room <= 0) {
      this.keptTruncated = true;
      return;
    }
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    if (part.length < chunk.length) this.keptTruncated = true;
    this.kept!.push(part);
    this.keptBytes += part.length;
  }

  onResponseEnd(): void {
    this.done(false, undefined);
  }

  onResponseError(_controller: RequestController | undefined, err: Error): void {
    this.fail(err);
  }

  /** The response, with the body read so far. */
  private done(truncated: boolean, error: unknown): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    const out: HopResponse = {
      url: this.url.href,
      status: this.status,
      headers: this.headers!,
      bodyBytes: this.bytes,
      bodyTruncated: truncated,
    };
    if (this.kept !== null)
      out.html = {
        contentType: this.contentType,
        body: this.kept.length === 1 ? this.kept[0]! : Buffer.concat(this.kept, this.keptBytes),
        truncated: this.keptTruncated || truncated,
      };
    if (error !== undefined) out.bodyError = describeError(error, this.client.errorContext(this.url));
    this.resolve(out);
  }

  /**
   * The request failed, or its deadline passed: before the headers, there is no response; after
   * them, the response is kept with the body read so far and the reason.
   */
  private fail(err: unknown): void {
    if (this.settled) return;
    if (this.headers !== null) {
      this.done(false, err);
      return;
    }
    this.settled = true;
    clearTimeout(this.timer);
    this.reject(
      new LiveRequestError(
        describeError(err, this.client.errorContext(this.url)),
        errorCode(err),
        this.url.href,
      ),
    );
  }
}

/** An HTML media type (WHATWG MIME Sniffing's HTML MIME type, plus XHTML), parameters ignored. */
export function isHtmlType(contentType: string): boolean {
  const semi = contentType.indexOf(';');
  const essence = (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  return essence === 'text/html' || essence === 'application/xhtml+xml';
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
