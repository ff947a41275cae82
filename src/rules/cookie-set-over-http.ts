/**
 * cookie-set-over-http: a cookie delivered in a plain-HTTP response, including the first redirect
 * of an http:// URL to https:// ("sets a cookie before redirecting" is this rule, with the hop in
 * the message). Its value crossed the network in clear. Such a cookie gets this finding, not also
 * cookie-missing-secure (principle 1 of spec/findings.md).
 */
import type { Finding } from '../model/finding.js';
import type { Rule, RuleMeta } from './types.js';
import { cookieFinding } from './build.js';
import * as browser from './browser.js';
import { cookieSeverity, deliveredOverHttp, describeCookie, hostOf, judgedCookies } from './cookie-facts.js';
import { cookieAttributeFix, siteFix } from './fixes.js';
import { REF } from './references.js';

export const meta: RuleMeta = {
  id: 'cookie-set-over-http',
  title: 'Cookie set over plain HTTP',
  description:
    'A cookie delivered in a plain-HTTP response, for instance by the http:// URL before it redirects to https://. ' +
    'Its value crossed the network unencrypted, where it can be read or replaced (session fixation), and unless it is ' +
    'Secure the browser sends it back over HTTP too. A cookie set over HTTP gets this finding, not also ' +
    'cookie-missing-secure; a Secure cookie set over HTTP is rejected by browsers and reported as cookie-secure-over-http.',
  defaultSeverity: 'high',
  sources: ['live', 'browser', 'har'],
  severityLogic:
    'high for session/auth cookies; medium for CSRF and unrecognised cookies; low for preference, analytics and ' +
    'infrastructure cookies; info when vendor-controlled',
  references: [REF.retrieval, REF.spec, REF.userPains],
};

export const rule: Rule = {
  meta,
  check(observations, ctx) {
    const out: Finding[] = [];
    const judged = judgedCookies(observations, ctx);
    for (let i = 0; i < judged.length; i++) {
      const { cookie: c, primary } = judged[i]!;
      if (!deliveredOverHttp(c) || !c.delivery) continue;
      if (primary !== null) continue;
      const d = c.delivery;
      let how: string;
      if (d.redirect) {
        how = `by the plain-HTTP redirect ${d.url} (status ${d.status}${d.hop > 0 ? `, hop ${d.hop}` : ''}), before the browser is sent on`;
      } else if (d.hop > 0) {
        how = `in the plain-HTTP response ${d.url} (hop ${d.hop} of the chain from ${d.requestedUrl})`;
      } else {
        how = `in the plain-HTTP response ${d.url} (status ${d.status})`;
      }
      out.push(
        cookieFinding({
          meta,
          cookie: c,
          severity: cookieSeverity('high', c),
          message: `${describeCookie(c)} is sent ${how}: its value crossed the network in clear`,
          browser: browser.setOverHttp(hostOf(d.url)),
          fix:
            `${siteFix('httpsRedirect', c.framework ?? c.classification.framework)}, so that no cookie is ever set over ` +
            `HTTP; then mark it Secure: ${cookieAttributeFix('secure', c)}; and send HSTS`,
          attr: c.secure,
        }),
      );
    }
    return out;
  },
};

export default rule;
