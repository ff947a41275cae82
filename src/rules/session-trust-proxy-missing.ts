/**
 * session-trust-proxy-missing: Secure cookies are configured but the app cannot tell that requests
 * arrived over HTTPS behind a TLS-terminating proxy (express-session without 'trust proxy' /
 * `proxy: true` refuses to send a Secure cookie over what it sees as HTTP; Koa's cookies module
 * throws; 'auto' / SameAsRequest policies drop Secure). knowledge/user-pains.md item 1.
 */
import type { Finding, Severity } from '../model/finding.js';
import type { Rule, RuleMeta } from './types.js';
import { makeFinding } from './build.js';
import * as browser from './browser.js';
import { siteFix } from './fixes.js';
import { REF } from './references.js';

export const meta: RuleMeta = {
  id: 'session-trust-proxy-missing',
  title: 'App cannot see HTTPS behind its proxy',
  description:
    'Secure session cookies are configured, but behind a TLS-terminating proxy the app sees plain HTTP because it does ' +
    "not trust the proxy's X-Forwarded-Proto: the cookie is silently never set (express-session, Koa), or set without " +
    'Secure when the policy follows the request. Trust exactly your proxy: trusting everyone lets clients spoof the header.',
  defaultSeverity: 'medium',
  sources: ['code', 'live'],
  severityLogic:
    'code: medium when the repository shows a TLS-terminating proxy in front of the app (Procfile, a compose or ' +
    'Kubernetes proxy, nginx proxy_pass, a platform config), low otherwise ("if deployed behind a TLS-terminating ' +
    'proxy"), never when the app terminates TLS itself; live: medium when a probe got the cookie only with ' +
    'X-Forwarded-Proto: https, high when an HTTPS response set the cookie without Secure because of it; info in test code',
  references: [REF.userPains, REF.frameworkSettings, REF.spec],
};

export const rule: Rule = {
  meta,
  check(observations) {
    const out: Finding[] = [];
    for (let i = 0; i < observations.length; i++) {
      const o = observations[i]!;
      if (o.kind !== 'proxy-trust') continue;
      let message: string;
      let severity: Severity = 'medium';
      // Code: how sure we are that a proxy terminates TLS in front of the app. Without evidence in the
      // repository it is a warning about a deployment we cannot see.
      const behind = o.proxyEvidence
        ? `behind the TLS-terminating proxy (${o.proxyEvidence})`
        : 'if deployed behind a TLS-terminating proxy';
      if (o.source === 'code' && !o.proxyEvidence) severity = 'low';
      switch (o.situation) {
        case 'secure-without-trust':
          // The collector knows what breaks in its framework: Django and Flask still send a Secure
          // cookie over what they believe is HTTP (their breakage is redirects and CSRF), express-session
          // and Koa never set it.
          message = o.consequence
            ? `${o.framework} sets the ${o.cookie} cookie Secure, but the app does not trust X-Forwarded-Proto from a proxy: ${behind}, ${o.consequence}`
            : `${o.framework} sets the ${o.cookie} cookie Secure, but the app does not trust X-Forwarded-Proto from a proxy: ${behind}, the cookie is never set`;
          break;
        case 'auto-without-trust':
          // Secure follows the request ('auto', cookie-session, Koa): behind a TLS-terminating proxy the
          // app sees HTTP and drops Secure, so the cookie is set but crosses plain HTTP afterwards.
          message = `${o.framework} sets Secure on ${o.cookie} only when it sees HTTPS, and the app does not trust its proxy's X-Forwarded-Proto: ${behind}, the cookie is set without Secure`;
          break;
        case 'cookie-only-with-forwarded-proto':
          message = `${o.url ?? 'The app'} sets ${o.cookie} only when the request carries X-Forwarded-Proto: https: without a proxy that sends it and an app that trusts it, users are never logged in`;
          break;
        case 'insecure-despite-https':
          severity = 'high';
          message = `${o.url ?? 'The app'} is served over HTTPS but sets ${o.cookie} without Secure: the app believes the request is plain HTTP (it does not trust the proxy's X-Forwarded-Proto)`;
          break;
        default:
          message = `${o.framework}: the ${o.cookie} cookie depends on a proxy the app does not trust (${o.situation})`;
      }
      out.push(
        makeFinding({
          meta,
          observation: o,
          severity,
          message,
          browser:
            o.consequence && o.situation === 'secure-without-trust'
              ? browser.trustProxyConsequence(o.consequence)
              : browser.trustProxyMissing(o.situation),
          fix: siteFix('trustProxy', o.framework),
          evidence: o.evidence ?? null,
          cookie: o.cookie,
          location: o.location ?? null,
          url: o.url ?? null,
          framework: o.framework,
          ...(o.snippet !== undefined ? { snippet: o.snippet } : {}),
        }),
      );
    }
    return out;
  },
};

export default rule;
