import rule from '../../src/rules/cookie-set-over-http.js';
import { cookie, runRuleCases } from './helpers.js';

runRuleCases(rule, {
  valid: [
    { name: 'over HTTPS', observations: [cookie({ name: 'sid', url: 'https://a.test/', secure: false })] },
    { name: 'code has no delivery', observations: [cookie({ name: 'sid', secure: false })] },
    {
      name: 'deletion over HTTP',
      observations: [
        cookie({ name: 'sid', url: 'http://a.test/logout', secure: false, deletion: true, value: '' }),
      ],
    },
    {
      name: 'a Secure cookie over HTTP is rejected: cookie-secure-over-http only',
      observations: [
        cookie({ name: 'sid', url: 'http://a.test/', secure: true, rejectedBy: ['SecureOnly'] }),
      ],
    },
    {
      name: 'SameSite=None without Secure over HTTP is rejected: only the rejection',
      observations: [cookie({ name: 'sid', url: 'http://a.test/', secure: false, sameSite: 'none' })],
    },
  ],
  invalid: [
    {
      name: 'session cookie set by the first redirect (http → https), the hop is named',
      observations: [
        cookie({
          name: 'PHPSESSID',
          framework: 'php',
          classFramework: 'php',
          url: 'http://a.test/login',
          redirect: true,
          status: 301,
          secure: false,
          value: 'ABCDEFGHIJ',
        }),
      ],
      findings: [
        {
          severity: 'high',
          cookie: 'PHPSESSID',
          url: 'http://a.test/login',
          message: ['plain-HTTP redirect http://a.test/login (status 301)', 'crossed the network in clear'],
          browser: 'unencrypted',
          fix: ['return 301 https://', 'session.cookie_secure = 1'],
          evidence: 'PHPSESSID=<redacted>',
        },
      ],
    },
    {
      name: 'later hop of a chain',
      observations: [
        cookie({
          name: 'sid',
          url: 'http://a.test/home',
          hop: 2,
          requestedUrl: 'http://a.test/',
          secure: false,
        }),
      ],
      findings: [{ severity: 'high', message: 'hop 2 of the chain from http://a.test/' }],
    },
    {
      name: 'same cookie on two hops of one requested URL: reported by the rule twice, merged by the engine',
      observations: [
        cookie({
          name: 'sid',
          url: 'http://a.test/',
          hop: 0,
          redirect: true,
          requestedUrl: 'http://a.test/',
          secure: false,
        }),
        cookie({
          name: 'sid',
          url: 'http://a.test/next',
          hop: 1,
          redirect: true,
          requestedUrl: 'http://a.test/',
          secure: false,
        }),
      ],
      findings: [
        { severity: 'high', url: 'http://a.test/' },
        { severity: 'high', url: 'http://a.test/next' },
      ],
    },
    {
      name: 'infrastructure cookie: low; CSRF: medium',
      observations: [
        cookie({ name: 'AWSALB', category: 'infrastructure', url: 'http://a.test/', secure: false }),
        cookie({ name: 'csrftoken', category: 'csrf', url: 'http://a.test/', secure: false }),
      ],
      findings: [
        { severity: 'low', cookie: 'AWSALB' },
        { severity: 'medium', cookie: 'csrftoken' },
      ],
    },
  ],
});
