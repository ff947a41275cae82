import type { LoginCookieComparison, LoginObservation } from '../../src/model/observation.js';
import { classifyCookie } from '../../src/cookies/classify.js';
import rule from '../../src/rules/session-not-renewed-on-login.js';
import { runRuleCases } from './helpers.js';

function cookie(name: string, before: boolean, after: boolean, sameValue: boolean): LoginCookieComparison {
  return {
    name,
    domain: 'a.test',
    path: '/',
    before,
    after,
    sameValue,
    classification: { ...classifyCookie(name, 'x7Gq2pLm9Zt4Rv8Kc1Nw', { setBy: 'server' }) },
  };
}

function login(...cookies: LoginCookieComparison[]): LoginObservation {
  return {
    kind: 'login',
    source: 'live',
    url: 'https://a.test/login',
    action: 'https://a.test/session',
    evidence: 'POST https://a.test/session (form fields: csrf, user, pass; values not shown)',
    cookies,
  };
}

runRuleCases(rule, {
  valid: [
    {
      name: 'the session id changes at login',
      observations: [login(cookie('PHPSESSID', true, true, false))],
    },
    { name: 'the session is born at login', observations: [login(cookie('sessionid', false, true, false))] },
    {
      name: 'a CSRF token that survives the login',
      observations: [login(cookie('csrftoken', true, true, true))],
    },
    {
      name: 'a preference that survives the login',
      observations: [login(cookie('theme', true, true, true))],
    },
  ],
  invalid: [
    {
      name: 'PHPSESSID kept across the login',
      observations: [login(cookie('PHPSESSID', true, true, true), cookie('csrftoken', true, true, true))],
      findings: [
        {
          severity: 'high',
          cookie: 'PHPSESSID',
          url: 'https://a.test/session',
          message:
            'The session cookie PHPSESSID has the same value after the login at https://a.test/session',
          browser: 'logs the attacker in',
          fix: 'session_regenerate_id(true)',
          evidence: ['POST https://a.test/session', 'values not shown', 'same value before and after'],
        },
      ],
    },
    {
      name: 'express-session connect.sid: fix names req.session.regenerate',
      observations: [login(cookie('connect.sid', true, true, true))],
      findings: [{ severity: 'high', cookie: 'connect.sid', fix: 'req.session.regenerate' }],
    },
    {
      name: 'Django sessionid: fix names cycle_key',
      observations: [login(cookie('sessionid', true, true, true))],
      findings: [{ severity: 'high', cookie: 'sessionid', fix: 'cycle_key()' }],
    },
  ],
});
