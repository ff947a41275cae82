/**
 * cookie-samesite-invalid: a SameSite value browsers do not understand (`SameSite=yes`,
 * `SameSite=None;` typed as `Nnoe` ...). Browsers treat the cookie as if SameSite were absent
 * (RFC 6265bis "The SameSite Attribute": unknown values mean the default enforcement).
 */
import type { Finding } from '../model/finding.js';
import type { Rule, RuleMeta } from './types.js';
import { cookieFinding } from './build.js';
import * as browser from './browser.js';
import { cookieSeverity, describeCookie, judgedCookies, known, lastRawAttribute } from './cookie-facts.js';
import { cookieAttributeFix } from './fixes.js';
import { REF } from './references.js';

export const meta: RuleMeta = {
  id: 'cookie-samesite-invalid',
  title: 'Unknown SameSite value',
  description:
    'A SameSite value that is not Strict, Lax or None. Browsers ignore it and apply their default: Lax in Chrome and ' +
    'Edge, no restriction in Firefox and Safari. The protection the attribute was meant to give is lost in some browsers.',
  defaultSeverity: 'medium',
  sources: ['code', 'live', 'har'],
  severityLogic:
    'medium for session/auth cookies (an intended CSRF protection is lost); low for CSRF and unrecognised cookies; ' +
    'low or info for preference, analytics and infrastructure cookies; info in test code',
  references: [REF.sameSite, REF.laxByDefault, REF.spec],
};

export const rule: Rule = {
  meta,
  check(observations, ctx) {
    const out: Finding[] = [];
    const judged = judgedCookies(observations, ctx);
    for (let i = 0; i < judged.length; i++) {
      const { cookie: c, primary, superseded } = judged[i]!;
      // Overwritten later in the same chain: the browser keeps the later cookie, judged there.
      if (superseded) continue;
      if (known(c.sameSite) !== 'invalid') continue;
      if (primary !== null) continue;
      const raw =
        c.sameSite.raw ??
        (c.raw !== undefined ? lastRawAttribute(c.raw, 'samesite')?.value : undefined) ??
        '?';
      const where = c.delivery ? ` (set by ${c.delivery.url})` : '';
      out.push(
        cookieFinding({
          meta,
          cookie: c,
          severity: cookieSeverity('medium', c),
          message: `${describeCookie(c)} has SameSite=${raw}, a value browsers do not understand${where}`,
          browser: browser.sameSiteInvalid(raw),
          fix: cookieAttributeFix('samesite', c),
          attr: c.sameSite,
        }),
      );
    }
    return out;
  },
};

export default rule;
