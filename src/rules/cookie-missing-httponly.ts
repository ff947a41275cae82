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
import {
  cookieSeverity,
  describeCookie,
  judgedCookies,
  known,
  provenanceWhy,
  secureAcrossEnvironments,
} from './cookie-facts.js';
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
      const { cookie: c, primary, superseded } = judged[i]!;
      // Overwritten later in the same chain: the browser keeps the later cookie, judged there.
      if (superseded) continue;
      if (c.classification.category !== 'session' || CSRF_NAME.test(c.name)) continue;
      if (c.setBy === 'script') continue;
      // Environment-dependent: reported when no environment that resolves sets it (as for Secure).
      const across = secureAcrossEnvironments(c.httpOnly);
      if (known(c.httpOnly) !== false && across?.outcome !== 'never') continue;
      if (primary !== null) continue;
      let where: string;
      if (c.delivery) where = `set by ${c.delivery.url} without HttpOnly`;
      else if (across !== null && c.httpOnly.provenance.kind === 'env-dependent') {
        const p = c.httpOnly.provenance;
        const open = across.unresolved.length > 0 ? `; not resolved: ${across.unresolved.join(', ')}` : '';
        where = `configured without HttpOnly: ${p.condition} sets it in no environment that could be resolved (${across.insecure.join(', ')}${open})`;
      } else where = `configured without HttpOnly: ${provenanceWhy(c.httpOnly, 'HttpOnly is not set')}`;
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
