/**
 * The proxy-trust probe of `cookieguard check` (knowledge/user-pains.md item 1).
 *
 * Behind a TLS-terminating proxy the app sees plain HTTP unless the proxy says otherwise
 * (`X-Forwarded-Proto: https`) and the app trusts it (express `trust proxy`, Koa `app.proxy`,
 * Fastify `trustProxy`, Django `SECURE_PROXY_SSL_HEADER`, werkzeug ProxyFix ...). When either half
 * is missing, a Secure session cookie is silently never set (express-session, @fastify/session), or
 * a cookie whose Secure flag follows the request goes out without Secure over HTTPS.
 *
 * When a URL looks like it is served through a proxy (the trigger, `proxySuspicion`), the probe asks
 * the plain-HTTP origin (the `--http` twin: in a set-up that exposes the app itself, the app) the
 * same question twice: once as is, once with `X-Forwarded-Proto: https` and
 * `X-Forwarded-For: 127.0.0.1` (harmless values: nothing but the scheme the app should have seen).
 * Comparing the session cookies (`compareProbe`) tells:
 *
 * - `cookie-only-with-forwarded-proto`: the app sets the session cookie only when told the request
 *   was HTTPS, and the HTTPS URL did not get it: the proxy does not send X-Forwarded-Proto (or the
 *   app does not trust the address it comes from), so users are never logged in;
 * - `insecure-despite-https`: the HTTPS response set the cookie without Secure, while the app adds
 *   Secure when told the request was HTTPS: the app follows the request's scheme and never learns it.
 *
 * What it cannot tell, by construction: an app that ignores X-Forwarded-Proto (no trust configured)
 * answers both requests alike, so a `secure: true` cookie that is never set (express-session
 * without `trust proxy` behind a proxy that does send the header) looks exactly like a page that
 * creates no session; and a cookie without Secure looks the same whether the code asked for
 * `secure: false` or for `'auto'` without trust. `cookieguard scan` (or `check --source`) sees those
 * in the code; the framework truth matrix (test/frameworks) proves both halves on real apps.
 *
 * The probe sends only the collector's base headers (User-Agent, Accept) plus the two headers above:
 * never the user's --cookie / --header values, which must not travel over plain HTTP. It makes no
 * request when nothing is suspicious, two when something is, and never follows redirects.
 */
import type { ReportError } from '../../model/finding.js';
import type {
  CookieObservation,
  LiveDelivery,
  Observation,
  ProxyTrustObservation,
} from '../../model/observation.js';
import { cookieObservationFromHeader } from '../../cookies/observe.js';
import { redactSetCookie } from '../../cookies/redact.js';
import { chainObservations, type ChainOutcome } from './chain.js';
import { firstHeader, headerValues, LiveRequestError, type LiveClient } from './client.js';

/** The headers the forwarded probe adds: what a TLS-terminating proxy tells the app. */
export const FORWARDED_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'x-forwarded-proto': 'https',
  'x-forwarded-for': '127.0.0.1',
});

/** LiveDelivery.probe of the cookies the probe sees (they are compared, never reported as such). */
export const PROBE_NAME = 'proxy-probe';

/** A session cookie seen in one response. */
export interface SeenCookie {
  name: string;
  secure: boolean;
  /** The Set-Cookie header value, unredacted (evidence is redacted when it is written). */
  raw: string;
  /** URL of the response that set it. */
  url: string;
  /** Framework the cookie's name points to, when it does. */
  framework?: string;
}

/** What one side (the HTTPS chain, or the plain-HTTP twin) showed. */
export interface SideSummary {
  /** A response came back. */
  answered: boolean;
  /** `Server` header of its last response (null when absent). */
  server: string | null;
  /** `Via` header of its last response (null when absent). */
  via: string | null;
  /** `X-Powered-By` header of its last response (null when absent), a framework hint. */
  poweredBy: string | null;
  /** Session cookies set along the chain (see sessionCookiesOf). */
  sessionCookies: SeenCookie[];
}

/** Session cookies the app sent (not deletions, not cookies a browser drops for their own syntax or prefix). */
export function sessionCookiesOf(
  observations: readonly Observation[],
  scheme?: 'https' | 'http',
): SeenCookie[] {
  const out: SeenCookie[] = [];
  const seen = new Set<string>();
  for (const o of observations) {
    if (o.kind !== 'cookie' || o.deletion || o.classification.category !== 'session') continue;
    // A browser drops a Secure cookie from an http:// response (SecureOnly), but the app did send it,
    // which is what the comparison is about; any other rejection makes it a different question.
    if ((o.rejectedBy ?? []).some((r) => r !== 'SecureOnly')) continue;
    if (scheme && o.delivery?.scheme !== scheme) continue;
    // The first response that set a name decides (a later hop re-setting it is the same cookie).
    if (seen.has(o.name)) continue;
    seen.add(o.name);
    out.push({
      name: o.name,
      secure: o.secure.value === true,
      raw: o.raw ?? '',
      url: o.delivery?.url ?? '',
      ...(o.framework ? { framework: o.framework } : {}),
    });
  }
  return out;
}

/** Summary of a followed chain (the HTTPS chain, or the twin's). */
export function summarizeChain(chain: ChainOutcome, scheme: 'https' | 'http'): SideSummary {
  const h = chain.lastServer;
  return {
    answered: chain.hops.length > 0,
    server: h?.server ?? null,
    via: h?.via ?? null,
    poweredBy: h?.poweredBy ?? null,
    sessionCookies: sessionCookiesOf(chainObservations(chain), scheme),
  };
}

/**
 * The trigger: why the HTTPS URL may sit behind a proxy that hides HTTPS from the app, or null when
 * there is nothing to probe. Pure.
 *
 * - the HTTPS response set a session cookie without Secure (the app may believe it spoke HTTP);
 * - the plain-HTTP origin sets a session cookie that the HTTPS URL does not (the app may refuse a
 *   Secure cookie over what it sees as HTTP);
 * - the HTTPS URL set no session cookie and its answer came from something else than the plain-HTTP
 *   origin's: a `Via` header, or a different `Server` header (nginx in front of an app that names
 *   itself differently, or not at all).
 *
 * Nothing to probe when either side did not answer, or when every session cookie the HTTPS URL set
 * carries Secure (the only outcome the probe could find is already the right one).
 */
export function proxySuspicion(https: SideSummary, twin: SideSummary): string | null {
  if (!https.answered || !twin.answered) return null;
  const insecure = https.sessionCookies.find((c) => !c.secure);
  if (insecure) return `the HTTPS response set the session cookie ${insecure.name} without Secure`;
  const httpsNames = new Set(https.sessionCookies.map((c) => c.name));
  const onlyPlain = twin.sessionCookies.find((c) => !httpsNames.has(c.name));
  if (onlyPlain)
    return `the plain-HTTP origin sets the session cookie ${onlyPlain.name}, the HTTPS URL does not`;
  if (https.sessionCookies.length > 0) return null;
  if (https.via !== null) return `the HTTPS response came through a proxy (Via: ${https.via})`;
  if (https.server !== twin.server) {
    const name = (s: string | null): string => (s === null ? 'no Server header' : `Server: ${s}`);
    return `the HTTPS and plain-HTTP answers come from different servers (${name(https.server)} / ${name(twin.server)})`;
  }
  return null;
}

export interface CompareInput {
  /** The HTTPS side, as checked. */
  https: SideSummary;
  /** Session cookies of the plain probe (no forwarded headers). */
  plain: SeenCookie[];
  /** Session cookies of the forwarded probe (X-Forwarded-Proto: https). */
  forwarded: SeenCookie[];
  /** The HTTPS URL the user checked (where the cookie should have come from). */
  httpsUrl: string;
  /** The plain-HTTP URL probed. */
  probeUrl: string;
  /** What triggered the probe (proxySuspicion). */
  suspicion: string;
  /** Framework hinted by the responses (X-Powered-By), for cookies whose name is ambiguous. */
  frameworkHint?: string;
}

/**
 * The comparison: one observation per session cookie the app treats differently once told the
 * request was HTTPS, in a way the HTTPS URL shows it never learns. Pure.
 */
export function compareProbe(input: CompareInput): ProxyTrustObservation[] {
  const out: ProxyTrustObservation[] = [];
  const done = new Set<string>();
  const viaHeader = `${input.probeUrl} with X-Forwarded-Proto: https`;
  for (const f of input.forwarded) {
    if (done.has(f.name)) continue;
    const h = input.https.sessionCookies.find((c) => c.name === f.name);
    const p = input.plain.find((c) => c.name === f.name);
    const framework = f.framework ?? h?.framework ?? input.frameworkHint ?? 'unknown';
    let obs: ProxyTrustObservation | null = null;
    if (h && !h.secure && f.secure) {
      obs = {
        kind: 'proxy-trust',
        source: 'live',
        framework,
        cookie: f.name,
        situation: 'insecure-despite-https',
        url: h.url,
        evidence:
          `over HTTPS ${h.url} sent Set-Cookie: ${redactSetCookie(h.raw)} (no Secure); ` +
          `${viaHeader} sent Set-Cookie: ${redactSetCookie(f.raw)}`,
        proxyEvidence: input.suspicion,
      };
    } else if (!h && !p) {
      obs = {
        kind: 'proxy-trust',
        source: 'live',
        framework,
        cookie: f.name,
        situation: 'cookie-only-with-forwarded-proto',
        url: input.httpsUrl,
        evidence:
          `no ${f.name} from ${input.httpsUrl} nor from ${input.probeUrl}; ` +
          `${viaHeader} sent Set-Cookie: ${redactSetCookie(f.raw)}`,
        proxyEvidence: input.suspicion,
      };
    }
    if (obs) {
      done.add(f.name);
      out.push(obs);
    }
  }
  return out;
}

/** A framework named by X-Powered-By (only the ones whose cookie names are ambiguous matter). */
export function frameworkFromPoweredBy(poweredBy: string | null): string | undefined {
  if (poweredBy === null) return undefined;
  const p = poweredBy.toLowerCase();
  if (p.startsWith('express')) return 'express';
  if (p.startsWith('php')) return 'php';
  return undefined;
}

export interface ProxyProbeInput {
  client: LiveClient;
  /** The HTTPS chain as checked. */
  https: ChainOutcome;
  /** The plain-HTTP twin's chain as checked. */
  twin: ChainOutcome;
  /** The plain-HTTP URL the twin started from (the probe asks it again). */
  twinUrl: URL;
  /** The HTTPS URL the chain started from. */
  httpsUrl: URL;
  /** The URL the user asked to check. */
  requestedUrl: string;
  /** The collector's base headers (User-Agent, Accept): never the user's cookies or headers. */
  baseHeaders: Record<string, string>;
  maxSetCookies: number;
}

async function probeOnce(
  input: ProxyProbeInput,
  headers: Record<string, string>,
): Promise<{ cookies: SeenCookie[]; poweredBy: string | null }> {
  const res = await input.client.get(input.twinUrl, headers);
  const delivery: LiveDelivery = {
    url: input.twinUrl.href,
    scheme: input.twinUrl.protocol === 'https:' ? 'https' : 'http',
    status: res.status,
    hop: 0,
    requestedUrl: input.requestedUrl,
    redirect: false,
    probe: PROBE_NAME,
  };
  const observations: CookieObservation[] = [];
  for (const raw of headerValues(res.headers, 'set-cookie').slice(0, input.maxSetCookies)) {
    const o = cookieObservationFromHeader(raw, delivery, { source: 'live' });
    if (o.kind === 'cookie') observations.push(o);
  }
  return { cookies: sessionCookiesOf(observations), poweredBy: firstHeader(res.headers, 'x-powered-by') };
}

/** A probe to make: what each side showed, and why it looks like a proxy hides HTTPS. */
export interface ProxyProbePlan {
  https: SideSummary;
  twin: SideSummary;
  suspicion: string;
}

/** Whether one checked URL calls for the probe (null: nothing suspicious, no request). */
export function planProxyProbe(input: ProxyProbeInput): ProxyProbePlan | null {
  if (input.twinUrl.protocol !== 'http:') return null;
  const https = summarizeChain(input.https, 'https');
  const twin = summarizeChain(input.twin, 'http');
  const suspicion = proxySuspicion(https, twin);
  return suspicion === null ? null : { https, twin, suspicion };
}

/**
 * Make the probe's two requests and add what they show to `out`. Never throws: a probe request that
 * fails becomes one line in `out.errors`.
 */
export async function runProxyProbe(
  input: ProxyProbeInput,
  plan: ProxyProbePlan,
  out: { observations: Observation[]; errors: ReportError[] },
): Promise<void> {
  const { https, twin, suspicion } = plan;
  // Exactly the collector's base headers: the user's --cookie / --header never go over plain HTTP.
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(input.baseHeaders)) {
    const lower = k.toLowerCase();
    if (lower === 'cookie' || lower === 'authorization') continue;
    base[k] = v;
  }
  let plain: Awaited<ReturnType<typeof probeOnce>>;
  let forwarded: Awaited<ReturnType<typeof probeOnce>>;
  try {
    [plain, forwarded] = await Promise.all([
      probeOnce(input, base),
      probeOnce(input, { ...base, ...FORWARDED_HEADERS }),
    ]);
  } catch (err) {
    const msg = err instanceof LiveRequestError || err instanceof Error ? err.message : String(err);
    out.errors.push({
      url: input.requestedUrl,
      message: `proxy-trust probe of ${input.twinUrl.href}: ${msg}`,
    });
    return;
  }
  const frameworkHint = frameworkFromPoweredBy(
    forwarded.poweredBy ?? plain.poweredBy ?? twin.poweredBy ?? https.poweredBy,
  );
  out.observations.push(
    ...compareProbe({
      https,
      plain: plain.cookies,
      forwarded: forwarded.cookies,
      httpsUrl: input.https.finalUrl?.protocol === 'https:' ? input.https.finalUrl.href : input.httpsUrl.href,
      probeUrl: input.twinUrl.href,
      suspicion,
      ...(frameworkHint ? { frameworkHint } : {}),
    }),
  );
}
