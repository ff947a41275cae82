/**
 * cookie-secure-over-http: a Secure cookie set by a plain-HTTP response. Browsers ignore it
 * (RFC 6265bis storage model: a cookie with the secure-only flag from a non-secure request URI is
 * ignored entirely). Exception: Chrome 89+ and Firefox 75+ treat http://localhost and loopback
 * addresses as secure and keep it; Safari does not, so there it is reported at low.
 */
import type { Finding } from '../model/finding.js';
import type { Rule, RuleMeta } from './types.js';
import { cookieFinding } from './build.js';
import * as browser from './browser.js';
import {
  cookieSeverity,
  describeCookie,
  judgedCookies,
  otherRejections,
  secureOverLoopbackHttp,
} from './cookie-facts.js';
import { siteFix } from './fixes.js';
import { REF } from './references.js';

export const meta: RuleMeta = {
  id: 'cookie-secure-over-http',
  title: 'Secure cookie set over plain HTTP: rejected',
  description:
    'A cookie with Secure set by a plain-HTTP response. Browsers ignore it: the session or login the response meant ' +
    'to start does not happen on http://. On http://localhost and loopback addresses Chrome and Firefox keep it and ' +
    'Safari drops it. A rejected cookie gets only this finding.',
  defaultSeverity: 'medium',
  sources: ['live', 'browser', 'har'],
  severityLogic:
    'medium for session/auth cookies (the login silently breaks), lowered like the other rejection rules for other ' +
    'cookies; low on loopback hosts (only Safari drops it)',
  references: [REF.storageModel, REF.localhost, REF.spec],
  rejections: ['SecureOnly'],
};

export const rule: Rule = {
  meta,
  check(observations, ctx) {
    const out: Finding[] = [];
    const judged = judgedCookies(observations, ctx);
    for (let i = 0; i < judged.length; i++) {
      const { cookie: c, primary } = judged[i]!;
      const loopback = secureOverLoopbackHttp(c);
      if (primary !== 'SecureOnly' && !(loopback && primary === null)) continue;
      const url = c.delivery?.url ?? 'a plain-HTTP response';
      const also = primary ? otherRejections(c, primary) : [];
      const message = loopback
        ? `${describeCookie(c)} is set with Secure by the plain-HTTP loopback URL ${url}: Chrome and Firefox keep it, Safari ignores it`
        : `${describeCookie(c)} is set with Secure by the plain-HTTP response ${url}: browsers ignore it` +
          (also.length > 0 ? ` (also: ${also.join('; ')})` : '');
      out.push(
        cookieFinding({
          meta,
          cookie: c,
          severity: loopback ? cookieSeverity('low', c) : cookieSeverity('medium', c),
          message,
          browser: browser.secureOverHttp(loopback),
          fix: loopback
            ? 'Develop over HTTPS on loopback too (`cookieguard dev` puts a trusted local HTTPS proxy in front of the app) so every browser keeps the cookie'
            : `Serve this URL over HTTPS only: ${siteFix('httpsRedirect', c.framework ?? c.classification.framework)}, before any Set-Cookie`,
          attr: c.secure,
        }),
      );
    }
    return out;
  },
};

export default rule;
