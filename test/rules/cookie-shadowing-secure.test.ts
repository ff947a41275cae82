import rule from '../../src/rules/cookie-shadowing-secure.js';
import { cookie, explicit, loc, runRuleCases } from './helpers.js';

runRuleCases(rule, {
  valid: [
    {
      name: 'only a Secure cookie',
      observations: [cookie({ name: 'sid', url: 'https://a.test/', secure: true })],
    },
    {
      name: 'different names',
      observations: [
        cookie({ name: 'sid', url: 'https://a.test/', secure: true }),
        cookie({ name: 'other', url: 'http://a.test/', secure: false }),
      ],
    },
    {
      name: 'different sites',
      observations: [
        cookie({ name: 'sid', url: 'https://a.test/', secure: true }),
        cookie({ name: 'sid', url: 'http://b.test/', secure: false }),
      ],
    },
    {
      name: 'non-Secure cookie on a broader path than the Secure one (not refused)',
      observations: [
        cookie({ name: 'sid', url: 'https://a.test/app/', secure: true, path: '/app' }),
        cookie({ name: 'sid', url: 'http://a.test/', secure: false, path: '/' }),
      ],
    },
    {
      name: 'code and live are not compared',
      observations: [
        cookie({ name: 'sid', secure: true }),
        cookie({ name: 'sid', url: 'http://a.test/', secure: false }),
      ],
    },
    {
      name: 'deletion of the non-Secure one',
      observations: [
        cookie({ name: 'sid', url: 'https://a.test/', secure: true }),
        cookie({ name: 'sid', url: 'http://a.test/', secure: false, deletion: true }),
      ],
    },
  ],
  invalid: [
    {
      name: 'the HTTP twin sets the session cookie without Secure, HTTPS with Secure',
      observations: [
        cookie({ name: 'sid', url: 'https://a.test/', secure: true }),
        cookie({ name: 'sid', url: 'http://a.test/', secure: false }),
      ],
      findings: [
        {
          severity: 'medium',
          url: 'http://a.test/',
          message: [
            'set without Secure by http://a.test/',
            'same name is set with Secure by https://a.test/',
          ],
          browser: ['leave secure cookies alone', 'Chrome 58+'],
          fix: '__Host-',
        },
      ],
    },
    {
      name: 'collector saw the overwrite refused (OverwriteSecure), subdomain Domain match',
      observations: [
        cookie({ name: 'sid', url: 'https://www.a.test/', secure: true, domain: 'a.test' }),
        cookie({ name: 'sid', url: 'http://www.a.test/x/', secure: false, rejectedBy: ['OverwriteSecure'] }),
      ],
      findings: [
        {
          severity: 'medium',
          message: 'browsers refuse to let it overwrite the Secure cookie',
          browser: 'refuse',
        },
      ],
    },
    {
      name: 'code: session config Secure, but setcookie re-sets it without Secure',
      observations: [
        cookie({
          name: 'PHPSESSID',
          framework: 'php',
          secure: explicit(true, 'session.cookie_secure = 1', loc('php.ini', 3)),
        }),
        cookie({
          name: 'PHPSESSID',
          framework: 'php',
          secure: explicit(false, 'setcookie(session_name(), session_id())', loc('login.php', 20)),
          location: loc('login.php', 20),
        }),
      ],
      findings: [
        {
          severity: 'medium',
          location: { file: 'login.php', line: 20 },
          message: 'at php.ini:3',
          fix: "'secure' => true",
        },
      ],
    },
  ],
});
