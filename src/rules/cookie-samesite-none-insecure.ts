/**
 * cookie-samesite-none-insecure: `SameSite=None` without `Secure`. Browsers reject the cookie
 * (RFC 6265bis storage model; Chrome 80, Firefox 131).
 */
import type { Finding } from '../model/finding.js';
import type { Rule, RuleMeta } from './types.js';
import { cookieFinding } from './build.js';
import * as browser from './browser.js';
import { cookieSeverity, describeCookie, judgedCookies, otherRejections } from './cookie-facts.js';
import { cookieAttributeFix } from './fixes.js';
import { REF } from './references.js';

export const meta: RuleMeta = {
  id: 'cookie-samesite-none-insecure',
  title: 'SameSite=None without Secure: rejected',
  description:
    'A cookie with SameSite=None but without Secure. Chrome and Edge (80+) and Firefox (131+) refuse to store it, so ' +
    'whatever relies on it (a login in an embedded app, a cross-site flow) silently fails. A rejected cookie gets only ' +
    'this finding.',
  defaultSeverity: 'medium',
  sources: ['code', 'live', 'browser', 'har'],
  severityLogic:
    'medium for session/auth cookies (the login silently breaks); low for CSRF, unrecognised, preference, analytics ' +
    'and infrastructure cookies; info when vendor-controlled or in test code',
  references: [REF.storageModel, REF.sameSiteNoneSecure, REF.spec],
  rejections: ['SameSiteNoneInsecure'],
};

export const rule: Rule = {
  meta,
  check(observations, ctx) {
    const out: Finding[] = [];
    const judged = judgedCookies(observations, ctx);
    for (let i = 0; i < judged.length; i++) {
      const { cookie: c, primary } = judged[i]!;
      if (primary !== 'SameSiteNoneInsecure') continue;
      const also = otherRejections(c, 'SameSiteNoneInsecure');
      const where = c.delivery ? ` by ${c.delivery.url}` : '';
      out.push(
        cookieFinding({
          meta,
          cookie: c,
          severity: cookieSeverity('medium', c),
          message:
            `${describeCookie(c)} is set with SameSite=None but without Secure${where}: browsers reject it` +
            (also.length > 0 ? ` (also: ${also.join('; ')})` : ''),
          browser: browser.sameSiteNoneInsecure(),
          fix:
            `Add Secure, which SameSite=None requires: ${cookieAttributeFix('secure', c)}. If the cookie is not needed in ` +
            `cross-site requests, use SameSite=Lax instead: ${cookieAttributeFix('samesite', c)}`,
          attr: c.sameSite,
        }),
      );
    }
    return out;
  },
};

export default rule;
