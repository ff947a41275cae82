/**
 * cookie-missing-secure: a cookie set over HTTPS (or configured in code) without Secure. Browsers
 * send a cookie without Secure to http:// URLs of its host too (RFC 6265bis retrieval algorithm),
 * where it crosses the network in clear.
 */
import type { Finding } from '../model/finding.js';
import type { CookieObservation, HstsObservation, Observation } from '../model/observation.js';
import type { Rule, RuleMeta } from './types.js';
import { cookieFinding } from './build.js';
import * as browser from './browser.js';
import {
  cookieSeverity,
  deliveredOverHttp,
  describeCookie,
  hostOf,
  httpTwinOfHost,
  judgedCookies,
  known,
  provenanceWhy,
  renderSecureValue,
  sameOrigin,
  secureAcrossEnvironments,
} from './cookie-facts.js';
import { cookieAttributeFix } from './fixes.js';
import { REF } from './references.js';

export const meta: RuleMeta = {
  id: 'cookie-missing-secure',
  title: 'Cookie without Secure',
  description:
    'A cookie set over HTTPS, or configured in code, without the Secure attribute. Browsers keep it and also send it ' +
    'with requests to http:// URLs of the same host (a typed host name, an old link, an injected image), where anyone ' +
    'on the network path can read and replay it. HSTS narrows the window after the first visit only. Cookies delivered ' +
    'over plain HTTP are reported as cookie-set-over-http instead; Secure settings that depend on the environment as ' +
    'cookie-secure-env-dependent; a value the collector could not resolve is never reported.',
  defaultSeverity: 'high',
  sources: ['code', 'live', 'browser', 'har'],
  severityLogic:
    'high for session/auth cookies; medium for CSRF and unrecognised cookies; low for preference, analytics and ' +
    'infrastructure cookies; info when vendor-controlled or in test code',
  references: [REF.retrieval, REF.spec, REF.frameworkSettings, REF.owaspSession],
};

/** Valid live HSTS policies by host (the first seen for a host wins). */
function hstsByHost(observations: readonly Observation[]): Map<string, HstsObservation> {
  const out = new Map<string, HstsObservation>();
  for (let i = 0; i < observations.length; i++) {
    const o = observations[i]!;
    if (o.kind !== 'hsts' || o.source === 'code' || o.parsed === null || !o.parsed.valid) continue;
    if ((o.parsed.maxAge ?? 0) <= 0) continue;
    const host = hostOf(o.url);
    if (host !== null && !out.has(host)) out.set(host, o);
  }
  return out;
}

/**
 * Cookies a live probe showed to lack Secure because the app does not trust its proxy
 * (situation 'insecure-despite-https'): session-trust-proxy-missing explains them, keyed by name.
 */
function proxyExplained(observations: readonly Observation[]): Map<string, (string | undefined)[]> {
  const out = new Map<string, (string | undefined)[]>();
  for (let i = 0; i < observations.length; i++) {
    const o = observations[i]!;
    if (o.kind !== 'proxy-trust' || o.situation !== 'insecure-despite-https') continue;
    out.set(o.cookie, [...(out.get(o.cookie) ?? []), o.url]);
  }
  return out;
}

/** A live probe showed the app omits Secure because it does not trust the proxy: session-trust-proxy-missing explains it. */
export function explainedByProxyTrust(c: CookieObservation, observations: readonly Observation[]): boolean {
  return isExplained(c, proxyExplained(observations));
}

function isExplained(c: CookieObservation, explained: Map<string, (string | undefined)[]>): boolean {
  if (c.source === 'code') return false;
  const urls = explained.get(c.name);
  return urls !== undefined && urls.some((u) => u === undefined || sameOrigin(u, c.delivery?.url));
}

export const rule: Rule = {
  meta,
  check(observations, ctx) {
    const out: Finding[] = [];
    const hsts = hstsByHost(ctx.observations);
    const explained = proxyExplained(ctx.observations);
    const judged = judgedCookies(observations, ctx);
    for (let i = 0; i < judged.length; i++) {
      const { cookie: c, primary, superseded } = judged[i]!;
      // Overwritten later in the same chain: the browser keeps the later cookie, judged there.
      if (superseded) continue;
      const across = secureAcrossEnvironments(c.secure);
      if (known(c.secure) !== false && across?.outcome !== 'never') continue;
      if (primary !== null || deliveredOverHttp(c) || isExplained(c, explained)) continue;
      const subject = describeCookie(c);
      let message: string;
      let host: string | null = null;
      if (across !== null && c.secure.provenance.kind === 'env-dependent') {
        // Not Secure in any environment that resolved: the condition never makes it Secure here.
        const p = c.secure.provenance;
        const values = across.insecure.map((e) => `${e}: ${renderSecureValue(p.perEnvironment[e])}`);
        const open = across.unresolved.length > 0 ? `; not resolved: ${across.unresolved.join(', ')}` : '';
        message = `${subject} is configured without Secure: ${p.condition} makes it Secure in no environment that could be resolved (${values.join(', ')}${open})`;
      } else if (c.delivery) {
        host = hostOf(c.delivery.url);
        message = `${subject} is set without Secure by ${c.delivery.url}: browsers will also send it to ${httpTwinOfHost(host) ?? 'http:// URLs of the host'}`;
      } else {
        const verb = c.setBy === 'script' ? 'is set by script' : 'is configured';
        message = `${subject} ${verb} without Secure: ${provenanceWhy(c.secure, 'Secure is not set')}`;
      }
      const policy = host !== null ? hsts.get(host) : undefined;
      out.push(
        cookieFinding({
          meta,
          cookie: c,
          severity: cookieSeverity('high', c),
          message,
          browser: browser.missingSecure({ host, hsts: policy?.parsed ?? null }),
          fix: cookieAttributeFix('secure', c),
          attr: c.secure,
        }),
      );
    }
    return out;
  },
};

export default rule;
