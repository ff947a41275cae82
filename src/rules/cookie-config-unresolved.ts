/**
 * cookie-config-unresolved (info): a session cookie configuration the scanner found but could not
 * resolve: its Secure (or, for a cookie set by the server, HttpOnly; or a Domain the code sets) comes from a function call, a
 * config object or file outside the scanned tree, an environment none of whose values is known, a
 * framework version it cannot tell. The attribute rules never report an unknown value as insecure,
 * so without this finding "no findings" could mean "not understood" (spec/findings.md).
 */
import type { Finding } from '../model/finding.js';
import type { Attr, CookieObservation } from '../model/observation.js';
import type { Rule, RuleMeta } from './types.js';
import { cookieFinding } from './build.js';
import { describeCookie, judgedCookies, secureAcrossEnvironments } from './cookie-facts.js';
import { cookieAttributeFix } from './fixes.js';
import { REF } from './references.js';

export const meta: RuleMeta = {
  id: 'cookie-config-unresolved',
  title: 'Session cookie configuration not resolved',
  description:
    'The scanner found the configuration of a session cookie but could not tell whether it is Secure (or HttpOnly, or which ' +
    'Domain the code gives it): ' +
    'the value comes from a function call, a configuration object or file outside the scanned tree, an environment ' +
    'variable no committed file sets, or a framework version the scanner cannot tell. Nothing is reported as insecure ' +
    'on an unknown value; this finding says so, so that "no findings" is never mistaken for "safe". Check the value ' +
    'in each deployment, or make it explicit in the code.',
  defaultSeverity: 'info',
  sources: ['code'],
  severityLogic:
    'always info: nothing is known to be wrong, the configuration is named so that it can be checked',
  references: [REF.spec, REF.frameworkSettings],
};

/** Why an attribute is unresolved, or null when it is resolved (explicit, default, or known per environment). */
function unresolvedReason(attr: Attr<unknown>): string | null {
  const p = attr.provenance;
  if (p.kind === 'unknown') return p.reason;
  if (p.kind === 'env-dependent') {
    if (secureAcrossEnvironments(attr)?.outcome !== 'unresolved') return null;
    const envs = Object.keys(p.perEnvironment);
    return envs.length === 0
      ? `it depends on ${p.condition}, and no environment could be resolved`
      : `it depends on ${p.condition}, unresolved in ${envs.sort().join(', ')}`;
  }
  return attr.value === 'unknown' ? 'its value could not be resolved' : null;
}

function isSessionConfig(c: CookieObservation): boolean {
  return (
    c.source === 'code' && (c.classification.category === 'session' || c.classification.category === 'csrf')
  );
}

export const rule: Rule = {
  meta,
  check(observations, ctx) {
    const out: Finding[] = [];
    const judged = judgedCookies(observations, ctx);
    for (let i = 0; i < judged.length; i++) {
      const c = judged[i]!.cookie;
      if (!isSessionConfig(c)) continue;
      const parts: string[] = [];
      const secure = unresolvedReason(c.secure);
      if (secure !== null) parts.push(`Secure (${secure})`);
      // Scripts can never set HttpOnly, and CSRF cookies are meant to be read: only a server's session cookie.
      const httpOnly =
        c.setBy === 'server' && c.classification.category === 'session' ? unresolvedReason(c.httpOnly) : null;
      if (httpOnly !== null) parts.push(`HttpOnly (${httpOnly})`);
      // A Domain the code computes: whether it widens the session to other hosts is not known.
      const domain = c.domain ? unresolvedReason(c.domain) : null;
      if (domain !== null) parts.push(`Domain (${domain})`);
      if (parts.length === 0) continue;
      const attr = secure !== null ? c.secure : httpOnly !== null ? c.httpOnly : c.domain!;
      const fixFor = secure !== null ? 'secure' : httpOnly !== null ? 'httponly' : 'domain';
      out.push(
        cookieFinding({
          meta,
          cookie: c,
          severity: 'info',
          message: `${describeCookie(c)}: could not resolve ${parts.join('; ')}. Nothing is reported on it; check the value in each deployment`,
          browser:
            'Unknown: browsers do what the deployed configuration says. If it turns out not Secure, the cookie is also sent ' +
            'to http:// URLs of the host; if not HttpOnly, scripts (and an XSS) can read it; if its Domain names a parent ' +
            'domain, every host below it receives the session.',
          fix: `Make the setting explicit where the scanner (and a reviewer) can see it: ${cookieAttributeFix(fixFor, c)}`,
          attr,
        }),
      );
    }
    return out;
  },
};

export default rule;
