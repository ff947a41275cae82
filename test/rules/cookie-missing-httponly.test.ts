import rule from '../../src/rules/cookie-missing-httponly.js';
import {
  cookie,
  envDependent,
  explicit,
  frameworkDefault,
  loc,
  runRuleCases,
  unknownAttr,
} from './helpers.js';

runRuleCases(rule, {
  valid: [
    {
      name: 'environment-dependent HttpOnly that some environment sets is not reported',
      observations: [
        cookie({
          name: 'sid',
          httpOnly: envDependent('unknown', 'DEBUG', { development: false, production: true }),
        }),
      ],
    },
    {
      name: 'HttpOnly session cookie',
      observations: [cookie({ name: 'sid', url: 'https://a.test/', httpOnly: true })],
    },
    {
      name: 'CSRF cookies are never asked for HttpOnly',
      observations: [
        cookie({ name: 'csrftoken', category: 'csrf', url: 'https://a.test/', httpOnly: false }),
        cookie({ name: 'XSRF-TOKEN', category: 'csrf', url: 'https://a.test/', httpOnly: false }),
        // even when a classifier called it a session cookie, a CSRF name is not asked
        cookie({ name: '_csrf', category: 'session', url: 'https://a.test/', httpOnly: false }),
      ],
    },
    {
      name: 'a script-set cookie can never be HttpOnly',
      observations: [cookie({ name: 'token', setBy: 'script', framework: 'browser-js', httpOnly: false })],
    },
    {
      name: 'non-session cookies are not judged',
      observations: [
        cookie({ name: 'theme', category: 'preference', url: 'https://a.test/', httpOnly: false }),
        cookie({ name: '_ga', category: 'analytics', url: 'https://a.test/', httpOnly: false }),
        cookie({ name: 'foo', category: 'unknown', url: 'https://a.test/', httpOnly: false }),
      ],
    },
    {
      name: 'deletion',
      observations: [cookie({ name: 'sid', url: 'https://a.test/', httpOnly: false, deletion: true })],
    },
    { name: 'unknown HttpOnly', observations: [cookie({ name: 'sid', httpOnly: unknownAttr() })] },
    {
      name: 'rejected cookie: only the rejection',
      observations: [
        cookie({ name: 'sid', url: 'https://a.test/', httpOnly: false, secure: false, sameSite: 'none' }),
      ],
    },
  ],
  invalid: [
    {
      name: 'environment-dependent HttpOnly that no resolved environment sets',
      observations: [
        cookie({
          name: 'remember_token',
          httpOnly: envDependent('unknown', 'the config class selected by name', {
            development: false,
            production: false,
            hosted: 'unknown',
          }),
        }),
      ],
      findings: [
        {
          severity: 'medium',
          message: [
            'sets it in no environment that could be resolved',
            'development, production',
            'not resolved: hosted',
          ],
        },
      ],
    },
    {
      name: 'live session cookie without HttpOnly',
      observations: [cookie({ name: 'sid', url: 'https://a.test/', httpOnly: false, value: 'VALUEVALUE' })],
      findings: [
        {
          severity: 'medium',
          cookie: 'sid',
          url: 'https://a.test/',
          message: ['session cookie sid', 'readable by scripts'],
          browser: 'document.cookie',
          fix: 'HttpOnly',
          evidence: 'sid=<redacted>',
        },
      ],
    },
    {
      name: 'PHP session.cookie_httponly off by default',
      observations: [
        cookie({
          name: 'PHPSESSID',
          framework: 'php',
          classFramework: 'php',
          httpOnly: frameworkDefault(false, 'php', 'session.cookie_httponly defaults to 0'),
          location: loc('index.php', 2),
        }),
      ],
      findings: [
        {
          severity: 'medium',
          location: { file: 'index.php', line: 2 },
          fix: 'session.cookie_httponly = 1',
          message: "php's default",
        },
      ],
    },
    {
      name: 'Flask set_cookie(httponly=False) on a session-like cookie',
      observations: [
        cookie({
          name: 'auth_token',
          framework: 'flask',
          httpOnly: explicit(false, "resp.set_cookie('auth_token', t, httponly=False)", loc('app.py', 40, 5)),
        }),
      ],
      findings: [
        {
          severity: 'medium',
          location: { file: 'app.py', line: 40 },
          fix: 'httponly=True',
          evidence: 'httponly=False',
        },
      ],
    },
    {
      name: 'in test code: info',
      observations: [cookie({ name: 'sid', httpOnly: false, inTestCode: true })],
      findings: [{ severity: 'info' }],
    },
  ],
});
