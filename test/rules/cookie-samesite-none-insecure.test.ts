import rule from '../../src/rules/cookie-samesite-none-insecure.js';
import { cookie, runRuleCases, unknownAttr } from './helpers.js';

runRuleCases(rule, {
  valid: [
    {
      name: 'SameSite=None; Secure is valid',
      observations: [cookie({ name: 'sid', url: 'https://a.test/', sameSite: 'none', secure: true })],
    },
    {
      name: 'SameSite=Lax without Secure is another rule',
      observations: [cookie({ name: 'sid', url: 'https://a.test/', sameSite: 'lax', secure: false })],
    },
    {
      name: 'Secure unknown: not judged',
      observations: [cookie({ name: 'sid', sameSite: 'none', secure: unknownAttr() })],
    },
    {
      name: "secure: 'auto' is Secure over HTTPS",
      observations: [cookie({ name: 'sid', sameSite: 'none', secure: 'auto' })],
    },
    {
      name: 'deletion',
      observations: [
        cookie({ name: 'sid', url: 'https://a.test/', sameSite: 'none', secure: false, deletion: true }),
      ],
    },
    {
      name: 'a prefix violation takes precedence (one finding for the cookie)',
      observations: [
        cookie({
          name: '__Host-sid',
          url: 'https://a.test/',
          sameSite: 'none',
          secure: false,
          path: '/',
          raw: '__Host-sid=1; Path=/; SameSite=None',
        }),
      ],
    },
  ],
  invalid: [
    {
      name: 'live SameSite=None without Secure (collector rejection)',
      observations: [
        cookie({
          name: 'sid',
          url: 'https://a.test/',
          sameSite: 'none',
          secure: false,
          rejectedBy: ['SameSiteNoneInsecure'],
        }),
      ],
      findings: [
        {
          severity: 'medium',
          cookie: 'sid',
          url: 'https://a.test/',
          message: 'browsers reject it',
          browser: ['Chrome', 'Firefox (since 131)'],
          fix: 'SameSite=Lax',
        },
      ],
    },
    {
      name: 'code: computed from attributes (no rejectedBy), fix per framework',
      observations: [
        cookie({
          name: 'connect.sid',
          framework: 'express-session',
          classFramework: 'express-session',
          sameSite: 'none',
          secure: false,
        }),
      ],
      findings: [{ severity: 'medium', fix: ['cookie: { secure: true }', "sameSite: 'lax'"] }],
    },
    {
      name: 'analytics: low; vendor: info',
      observations: [
        cookie({
          name: 'ab',
          category: 'analytics',
          url: 'https://a.test/',
          sameSite: 'none',
          secure: false,
        }),
        cookie({
          name: 'cf',
          category: 'infrastructure',
          vendor: 'Cloudflare',
          url: 'https://a.test/',
          sameSite: 'none',
          secure: false,
        }),
      ],
      findings: [
        { severity: 'low', cookie: 'ab' },
        { severity: 'info', cookie: 'cf', message: 'vendor-controlled: Cloudflare' },
      ],
    },
  ],
});
