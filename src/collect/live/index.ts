/**
 * The live collector of `cookieguard check`. For each URL:
 *
 * - the HTTPS request and its redirect chain, followed by hand (every hop recorded, every
 *   Set-Cookie turned into a cookie observation with its delivery);
 * - the plain-HTTP twin (same path and query on --http ORIGIN, default the same host on port 80):
 *   its chain until it reaches https:// or ends, whether it sets cookies before redirecting and
 *   whether it serves content; a URL given as http:// is checked as given and its HTTPS twin is
 *   looked for on port 443 (or --https ORIGIN);
 * - HSTS at the final HTTPS origin of the chain, the TLS verification outcome of each HTTPS
 *   origin, session identifiers in Location headers and final URLs.
 *
 * It never judges: rules (src/rules) turn these observations into findings. Every failure of one
 * URL becomes a ReportError with a one-line message; the other URLs still complete.
 */
import type { ReportError } from '../../model/finding.js';
import type {
  HstsObservation,
  HttpTwinObservation,
  Observation,
  RedirectChainObservation,
  TlsObservation,
} from '../../model/observation.js';
import { VERSION } from '../../version.js';
import {
  chainObservations,
  followChain,
  sessionIdObservations,
  type ChainOutcome,
  type ChainSpec,
} from './chain.js';
import { LiveClient } from './client.js';
import { describeTlsCode, isTlsVerifyCode } from './errors.js';
import { parseHsts } from './hsts.js';
import { planProxyProbe, runProxyProbe, type ProxyProbeInput, type ProxyProbePlan } from './proxy-probe.js';
import {
  bound,
  DEFAULT_BOUNDS,
  parseOrigin,
  parseTargetUrl,
  parseUserCookies,
  parseUserHeaders,
  readCaFiles,
  twinUrl,
  type SessionCookies,
  type UserCookie,
} from './options.js';

export interface LiveOptions {
  /** Origin of the plain-HTTP twin (default: http://same-host:80). Path and query are carried over. */
  http?: string;
  /** Origin of the HTTPS twin for http:// URLs (default: https://same-host:443). */
  https?: string;
  /** PEM files of CAs to trust in addition to the default roots. */
  ca?: string[];
  /** Continue when a certificate cannot be verified (still reported). */
  insecure?: boolean;
  /** 'NAME=VALUE' cookies sent to the checked host over HTTPS only. */
  cookies?: string[];
  /** 'Name: value' headers sent to the checked host over HTTPS only. */
  headers?: string[];
  /** Per request (connect + headers + body), default 10000. */
  timeoutMs?: number;
  /** URLs checked at once, default 8. */
  concurrency?: number;
  /** Body bytes read per response (the rest is not read), default 1 MiB. */
  maxBodyBytes?: number;
  /** Redirects followed per chain, default 10. */
  maxRedirects?: number;
  /** Response header bytes accepted, default 256 KiB. */
  maxHeaderBytes?: number;
  /** Set-Cookie headers analysed per response, default 180. */
  maxSetCookies?: number;
  /** (check --login) The session after the login: its cookies go with every HTTPS request they match. */
  session?: SessionCookies;
}

export interface LiveResult {
  observations: Observation[];
  errors: ReportError[];
}

/** Exit-safe: never throws for bad input or network trouble; problems come back in `errors`. */
export async function collectLive(
  urls: string[],
  opts: LiveOptions,
  onProgress?: (done: number, total: number, url: string) => void,
): Promise<LiveResult> {
  const setup = prepare(opts);
  if (setup.errors.length > 0)
    return { observations: [], errors: setup.errors.map((message) => ({ message })) };
  const config = setup.config!;

  const targets: { input: string; url?: URL; error?: string }[] = [];
  const seen = new Set<string>();
  for (const input of urls) {
    const t = parseTargetUrl(input);
    if (t.url) {
      if (seen.has(t.url.href)) continue;
      seen.add(t.url.href);
    }
    targets.push({ input, ...t });
  }

  const client = clientFor(config);
  const results: LiveResult[] = new Array(targets.length);
  const fetched: (Fetched | undefined)[] = new Array(targets.length);
  const claimed: Claimed = { https: new Set(), twin: new Set() };
  const internalError = (i: number, url: string, err: unknown): void => {
    // A bug must not take the other URLs down with it.
    const msg = err instanceof Error ? err.message : String(err);
    const r = (results[i] ??= { observations: [], errors: [] });
    r.errors.push({ url, message: `internal error: ${msg}` });
  };
  let done = 0;
  const probes: { i: number; input: ProxyProbeInput; plan: ProxyProbePlan }[] = [];
  /** URLs whose requests are done and whose responses wait to be analysed. */
  let waiting: number[] = [];
  // The observations of fetched URLs, and the proxy-trust probes they call for, made a batch at a
  // time: in one loop rather than in between requests (see chain.ts), and soon enough that the
  // responses of a large run are not all kept until its end.
  const analyse = (): void => {
    const batch = waiting;
    waiting = [];
    for (const i of batch) {
      const f = fetched[i]!;
      fetched[i] = undefined;
      try {
        results[i] = observeUrl(client, config, f);
        const probe = proxyProbeOf(client, config, f);
        if (probe) probes.push({ i, ...probe });
      } catch (err) {
        internalError(i, f.requestedUrl, err);
      }
    }
  };
  try {
    // 1. The requests of every URL; 2. their analysis, ANALYSIS_BATCH URLs at a time.
    await runPool(targets.length, config.bounds.concurrency, async (i) => {
      const t = targets[i]!;
      if (!t.url) {
        results[i] = { observations: [], errors: [{ url: t.input, message: t.error! }] };
      } else {
        try {
          fetched[i] = await fetchUrl(client, config, t.url, claimed);
          waiting.push(i);
        } catch (err) {
          internalError(i, t.url.href, err);
        }
      }
      done++;
      onProgress?.(done, targets.length, t.url?.href ?? t.input);
      if (waiting.length >= ANALYSIS_BATCH) analyse();
    });
    analyse();
    // 3. The probes: the twin asked again, with and without X-Forwarded-Proto (proxy-probe.ts).
    await runPool(probes.length, config.bounds.concurrency, async (k) => {
      const { i, input, plan } = probes[k]!;
      try {
        await runProxyProbe(input, plan, results[i]!);
      } catch (err) {
        internalError(i, input.requestedUrl, err);
      }
    });
  } finally {
    await client.close();
  }
  // Concatenated with loops: Array.prototype.flatMap costs more than the rest of this function
  // (a CPU profile of a 500-URL run put it at 0.7 ms).
  const observations: Observation[] = [];
  const errors: ReportError[] = [];
  for (let i = 0; i < results.length; i++) {
    const r = results[i]!;
    for (let k = 0; k < r.observations.length; k++) observations.push(r.observations[k]!);
    for (let k = 0; k < r.errors.length; k++) errors.push(r.errors[k]!);
  }
  return { observations, errors };
}

/** URLs analysed at once (see collectLive). */
const ANALYSIS_BATCH = 64;

/** Start URLs of the chains already followed in this run, per kind of chain. */
export interface Claimed {
  https: Set<string>;
  twin: Set<string>;
}

export interface RunConfig {
  httpOrigin?: URL;
  httpsOrigin?: URL;
  caPems: string[];
  insecure: boolean;
  userCookies: UserCookie[];
  userHeaders: Record<string, string>;
  userHeaderCount: number;
  baseHeaders: Record<string, string>;
  bounds: typeof DEFAULT_BOUNDS;
  /** (check --login) The logged-in session's cookies, HTTPS only. */
  session: SessionCookies | null;
}

export function prepare(opts: LiveOptions): { config?: RunConfig; errors: string[] } {
  const errors: string[] = [];
  let httpOrigin: URL | undefined;
  let httpsOrigin: URL | undefined;
  if (opts.http !== undefined) {
    const r = parseOrigin(opts.http, 'http', '--http');
    if (r.error) errors.push(r.error);
    httpOrigin = r.origin;
  }
  if (opts.https !== undefined) {
    const r = parseOrigin(opts.https, 'https', '--https');
    if (r.error) errors.push(r.error);
    httpsOrigin = r.origin;
  }
  const ca = readCaFiles(opts.ca ?? []);
  errors.push(...ca.errors);
  const cookies = parseUserCookies(opts.cookies ?? []);
  errors.push(...cookies.errors);
  const headers = parseUserHeaders(opts.headers ?? []);
  errors.push(...headers.errors);
  const d = DEFAULT_BOUNDS;
  const b = {
    timeoutMs: bound(opts.timeoutMs, d.timeoutMs, '--timeout'),
    concurrency: bound(opts.concurrency, d.concurrency, '--concurrency'),
    maxBodyBytes: bound(opts.maxBodyBytes, d.maxBodyBytes, 'maxBodyBytes'),
    maxRedirects: bound(opts.maxRedirects, d.maxRedirects, 'maxRedirects', 0),
    maxHeaderBytes: bound(opts.maxHeaderBytes, d.maxHeaderBytes, 'maxHeaderBytes', 1024),
    maxSetCookies: bound(opts.maxSetCookies, d.maxSetCookies, 'maxSetCookies'),
  };
  for (const v of Object.values(b)) if (v.error) errors.push(v.error);
  if (errors.length > 0) return { errors };
  return {
    errors,
    config: {
      httpOrigin,
      httpsOrigin,
      caPems: ca.pems,
      insecure: opts.insecure === true,
      userCookies: [...cookies.cookies, ...headers.cookies],
      userHeaders: headers.headers,
      userHeaderCount: Object.keys(headers.headers).length,
      baseHeaders: {
        'user-agent': `cookieguard/${VERSION}`,
        accept: 'text/html,application/xhtml+xml,*/*;q=0.8',
      },
      bounds: {
        timeoutMs: b.timeoutMs.value,
        concurrency: b.concurrency.value,
        maxBodyBytes: b.maxBodyBytes.value,
        maxRedirects: b.maxRedirects.value,
        maxHeaderBytes: b.maxHeaderBytes.value,
        maxSetCookies: b.maxSetCookies.value,
      },
      session: opts.session ?? null,
    },
  };
}

/** The HTTP client of a run (the live checker's, the crawl's and the login's alike). */
export function clientFor(config: RunConfig): LiveClient {
  return new LiveClient({
    ca: config.caPems,
    insecure: config.insecure,
    timeoutMs: config.bounds.timeoutMs,
    maxBodyBytes: config.bounds.maxBodyBytes,
    maxHeaderBytes: config.bounds.maxHeaderBytes,
  });
}

/** Run `task(0..count-1)` with at most `limit` (at least one) at once. */
export async function runPool(
  count: number,
  limit: number,
  task: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), count) }, worker));
}

/** Connection refused or no connection at all: nothing listens there. */
function nothingListens(code: string | undefined): boolean {
  return code === 'ECONNREFUSED' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT';
}

/** The chains followed for one URL (null: already followed for an earlier URL of the run). */
export interface Fetched {
  requestedUrl: string;
  givenHttps: boolean;
  httpsStart: URL;
  httpStart: URL;
  secure: ChainOutcome | null;
  twin: ChainOutcome | null;
}

/**
 * The requests for one URL: its HTTPS chain and its plain-HTTP twin, at once. `claimed` holds the
 * chains already followed in this run (probe + start URL): when two URLs share a twin (several URLs
 * with one --http origin and the same path, or http://x/a and https://x/a), it is followed and
 * reported once, for the first URL that needs it.
 */
export async function fetchUrl(
  client: LiveClient,
  config: RunConfig,
  target: URL,
  claimed: Claimed,
  crawl?: CrawlChainOptions,
): Promise<Fetched> {
  const givenHttps = target.protocol === 'https:';
  const httpsStart = givenHttps ? target : twinUrl(target, 'https', config.httpsOrigin);
  const httpStart = givenHttps ? twinUrl(target, 'http', config.httpOrigin) : target;
  const requestedUrl = target.href;
  const chain = (start: URL, probe: 'https' | 'http-twin'): ChainSpec => ({
    client,
    start,
    requestedUrl,
    probe,
    stopAtHttps: probe === 'http-twin',
    userHost: httpsStart.hostname,
    userCookies: config.userCookies,
    userHeaders: config.userHeaders,
    userHeaderCount: config.userHeaderCount,
    baseHeaders: config.baseHeaders,
    maxRedirects: config.bounds.maxRedirects,
    maxSetCookies: config.bounds.maxSetCookies,
    ...crawl,
    session: config.session,
  });
  const claim = (set: Set<string>, href: string): boolean => (set.has(href) ? false : (set.add(href), true));
  const secureP = claim(claimed.https, httpsStart.href) ? followChain(chain(httpsStart, 'https')) : null;
  const twinP = claim(claimed.twin, httpStart.href) ? followChain(chain(httpStart, 'http-twin')) : null;
  const both = await Promise.all([secureP, twinP]);
  return { requestedUrl, givenHttps, httpsStart, httpStart, secure: both[0], twin: both[1] };
}

/** What the crawl (src/collect/crawl/http.ts) asks of a page's chains. */
export interface CrawlChainOptions {
  /** Keep the last response's HTML body up to this many bytes. */
  keepHtmlBytes: number;
  /** Redirects followed only within these origins (absent: anywhere, as for a given URL). */
  allowedOrigins?: ReadonlySet<string>;
}

/** The observations (and errors) of one URL's chains. */
export function observeUrl(client: LiveClient, config: RunConfig, f: Fetched): LiveResult {
  const observations: Observation[] = [];
  const errors: ReportError[] = [];
  const t: ReportTarget = {
    client,
    config,
    requestedUrl: f.requestedUrl,
    givenHttps: f.givenHttps,
    observations,
    errors,
  };
  if (f.secure) reportHttpsChain(f.secure, t);
  if (f.twin) reportTwin(f.twin, f.httpStart, t);
  return { observations, errors };
}

/**
 * The proxy-trust probe one URL calls for (src/collect/live/proxy-probe.ts), or null: the twin is
 * asked again when the HTTPS answer looks like it comes through a proxy that hides HTTPS.
 */
export function proxyProbeOf(
  client: LiveClient,
  config: RunConfig,
  f: Fetched,
): { input: ProxyProbeInput; plan: ProxyProbePlan } | null {
  if (!f.secure || !f.twin) return null;
  const input: ProxyProbeInput = {
    client,
    https: f.secure,
    twin: f.twin,
    twinUrl: f.httpStart,
    httpsUrl: f.httpsStart,
    requestedUrl: f.requestedUrl,
    baseHeaders: config.baseHeaders,
    maxSetCookies: config.bounds.maxSetCookies,
  };
  const plan = planProxyProbe(input);
  return plan ? { input, plan } : null;
}

interface ReportTarget {
  client: LiveClient;
  config: RunConfig;
  requestedUrl: string;
  givenHttps: boolean;
  observations: Observation[];
  errors: ReportError[];
}

function reportHttpsChain(secure: ChainOutcome, t: ReportTarget): void {
  const { observations } = t;
  const err = (message: string) => t.errors.push({ url: t.requestedUrl, message });
  observations.push(...chainObservations(secure));
  const chainObs: RedirectChainObservation = {
    kind: 'redirect-chain',
    source: 'live',
    requestedUrl: t.requestedUrl,
    probe: 'https',
    chain: secure.hops,
    finalUrl: secure.finalUrl?.href ?? null,
  };
  if (secure.error) chainObs.error = secure.error.message;
  observations.push(chainObs);
  observations.push(...tlsObservations(t.client, t.config, secure));
  if (secure.lastHttps) {
    const hsts: HstsObservation = {
      kind: 'hsts',
      source: 'live',
      url: secure.lastHttps.url,
      headers: secure.lastHttps.hsts,
      parsed: secure.lastHttps.hsts.length > 0 ? parseHsts(secure.lastHttps.hsts) : null,
    };
    observations.push(hsts);
  }
  finalUrlSessionIds(secure, observations);
  if (secure.error) {
    const e = secure.error;
    let message = `${t.givenHttps ? '' : 'HTTPS twin '}${e.url}: ${e.message}`;
    if (isTlsVerifyCode(e.code))
      message += '; trust its CA with --ca FILE, or continue anyway with --insecure';
    err(message);
  }
  for (const n of secure.notes) err(n);
}

function reportTwin(twin: ChainOutcome, httpStart: URL, t: ReportTarget): void {
  const { observations } = t;
  const err = (message: string) => t.errors.push({ url: t.requestedUrl, message });
  observations.push(...chainObservations(twin));
  const lastTwin = twin.hops.at(-1);
  const twinObs: HttpTwinObservation = {
    kind: 'http-twin',
    source: 'live',
    url: httpStart.href,
    requestedUrl: t.requestedUrl,
    reachable: twin.hops.length > 0,
    ...(twin.hops[0] ? { status: twin.hops[0].status } : {}),
    redirectsToHttps: twin.reachedHttps !== null,
    servesContent:
      twin.reachedHttps === null &&
      lastTwin !== undefined &&
      !lastTwin.redirect &&
      lastTwin.status >= 200 &&
      lastTwin.status < 300 &&
      (lastTwin.bodyBytes ?? 0) > 0,
    chain: twin.hops,
    ...(twin.error ? { error: twin.error.message } : {}),
  };
  observations.push(twinObs);
  if (twin.reachedHttps === null) finalUrlSessionIds(twin, observations);
  if (twin.error) {
    const e = twin.error;
    // Nothing listening on the default twin (port 80 of an HTTPS-only host) is a fact, not a failure.
    const quiet = t.givenHttps && !t.config.httpOrigin && e.hop === 0 && nothingListens(e.code);
    if (!quiet) err(`${t.givenHttps ? 'HTTP twin ' : ''}${e.url}: ${e.message}`);
  }
  for (const n of twin.notes) err(n);
}

function finalUrlSessionIds(chain: ChainOutcome, observations: Observation[]): void {
  if (!chain.finalUrl) return;
  observations.push(...sessionIdObservations(chain.finalUrl.href, 'url', chain.finalUrl.href, '', chain));
}

/** One TLS observation per HTTPS origin the chain reached (or failed to reach for a certificate). */
function tlsObservations(client: LiveClient, config: RunConfig, chain: ChainOutcome): TlsObservation[] {
  const out: TlsObservation[] = [];
  // Every URL here is https:, so the host (with its port) names the origin. Chains are short.
  const hosts: string[] = [];
  for (const u of chain.httpsRequested) {
    const host = u.host;
    if (hosts.includes(host)) continue;
    hosts.push(host);
    const state = client.tlsState(u);
    if (!state) continue;
    const obs: TlsObservation = {
      kind: 'tls',
      source: 'live',
      url: u.href,
      authorized: state.authorized,
      insecureAllowed: config.insecure && !state.authorized,
    };
    if (state.error) obs.error = isTlsVerifyCode(state.error) ? describeTlsCode(state.error) : state.error;
    out.push(obs);
  }
  return out;
}
