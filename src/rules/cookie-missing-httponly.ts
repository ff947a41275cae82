/**
 * cookie-missing-httponly: a session/auth cookie that scripts can read. Only session cookies are
 * judged (principle 3 of spec/findings.md): CSRF cookies (csrftoken, XSRF-TOKEN, _csrf) must be
 * readable by scripts, and a cookie set by script (document.cookie, js-cookie) can never be HttpOnly,
 * so neither is asked for it.
 */
import type { Finding } from '../model/finding.js';
import type { Rule, RuleMeta } from './types.js';
import { cookieFinding } from './build.js';
import * as browser from './browser.js';
import { cookieSeverity, describeCookie, judgedCookies, known, provenanceWhy } from './cookie-facts.js';
import { cookieAttributeFix } from './fixes.js';
import { REF } from './references.js';

export const meta: RuleMeta = {
  id: 'cookie-missing-httponly',
  title: 'Session cookie readable by scripts',
  description:
    'A session or authentication cookie without HttpOnly: any script in the page, including an XSS payload or a ' +
    'compromised third-party script, can read it through document.cookie and send the session elsewhere. CSRF cookies ' +
    'are never asked for HttpOnly (scripts read them by design), nor are cookies set by scripts (they cannot be HttpOnly).',
  defaultSeverity: 'medium',
  sources: ['code', 'live', 'browser', 'har'],
  severityLogic: 'medium for session/auth cookies (the only ones judged); info in test code',
  references: [REF.spec, REF.owaspSession, REF.frameworkSettings],
};

const CSRF_NAME = /csrf|xsrf|antiforgery/i;

export const rule: Rule = {
  meta,
  check(observations, ctx) {
    const out: Finding[] = [];
    const judged = judgedCookies(observations, ctx);
    for (let i = 0; i < judged.length; i++) {
      const { cookie: c, primary } = judged[i]!;
      if (c.classification.category !== 'session' || CSRF_NAME.test(c.name)) continue;
      if (c.setBy === 'script') continue;
      if (known(c.httpOnly) !== false) continue;
      if (primary !== null) continue;
      const where = c.delivery
        ? `set by ${c.delivery.url} without HttpOnly`
        : `configured without HttpOnly: ${provenanceWhy(c.httpOnly, 'HttpOnly is not set')}`;
      out.push(
        cookieFinding({
          meta,
          cookie: c,
          severity: cookieSeverity('medium', c),
          message: `${describeCookie(c)} is readable by scripts: ${where}`,
          browser: browser.missingHttpOnly(),
          fix: cookieAttributeFix('httponly', c),
          attr: c.httpOnly,
        }),
      );
    }
    return out;
  },
};

export default rule;
