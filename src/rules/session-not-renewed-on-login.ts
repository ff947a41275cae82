/**
 * session-not-renewed-on-login: the session cookie held before a login has the same value after it
 * (check --login). The identifier that becomes authenticated is one that existed before the user
 * proved who they are, so whoever planted or read it before (session fixation: a link, a sibling
 * subdomain's cookie, a shared computer) now holds the logged-in session.
 *
 * OWASP Session Management Cheat Sheet, "Renew the Session ID After Any Privilege Level Change";
 * CWE-384 (Session Fixation). Only cookies classified as session cookies are judged: a CSRF token or
 * a preference that survives a login is expected.
 */
import type { Finding } from '../model/finding.js';
import type { Rule, RuleMeta } from './types.js';
import { makeFinding } from './build.js';
import { sessionRenewalFix } from './fixes.js';
import { REF } from './references.js';

export const meta: RuleMeta = {
  id: 'session-not-renewed-on-login',
  title: 'Session not renewed on login (session fixation)',
  description:
    'The session cookie keeps the same value across a login. The identifier that becomes authenticated existed before ' +
    'the user logged in, so anyone who planted it (a link, a cookie set from a sibling subdomain, a shared computer) ' +
    'or read it before the login is logged in as the user (session fixation, CWE-384).',
  defaultSeverity: 'high',
  sources: ['live', 'browser'],
  severityLogic: 'high for every session cookie whose value is the same before and after the login',
  references: [
    'CWE-384: Session Fixation, https://cwe.mitre.org/data/definitions/384.html',
    'OWASP Session Management Cheat Sheet, Renew the Session ID After Any Privilege Level Change: https://cheatsheetseries.owasp.org/cheatsheets/Session_Management_Cheat_Sheet.html#renew-the-session-id-after-any-privilege-level-change',
    REF.spec,
  ],
};

const BROWSER =
  'The browser keeps sending the identifier it had before the login, and the server now treats it as the logged-in ' +
  'user: an identifier an attacker made the browser hold (a URL with a session id, a cookie set from a sibling ' +
  'subdomain or over plain HTTP) logs the attacker in as the victim.';

export const rule: Rule = {
  meta,
  check(observations) {
    const out: Finding[] = [];
    for (let i = 0; i < observations.length; i++) {
      const o = observations[i]!;
      if (o.kind !== 'login') continue;
      for (const c of o.cookies) {
        if (!c.sameValue || c.classification.category !== 'session') continue;
        const framework = c.classification.framework ?? null;
        out.push(
          makeFinding({
            meta,
            observation: o,
            severity: 'high',
            message: `The session cookie ${c.name} has the same value after the login at ${o.action} as before it: the login does not give the session a new identifier`,
            browser: BROWSER,
            fix: sessionRenewalFix(framework),
            evidence: `${o.evidence}\n${c.name} (domain ${c.domain}, path ${c.path}): same value before and after the login`,
            cookie: c.name,
            url: o.action,
            framework,
            classification: c.classification.reason,
          }),
        );
      }
    }
    return out;
  },
};

export default rule;
