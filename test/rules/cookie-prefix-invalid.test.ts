import rule from '../../src/rules/cookie-prefix-invalid.js';
import { cookie, explicit, loc, runRuleCases } from './helpers.js';

runRuleCases(rule, {
  valid: [
    {
      name: '__Host- with Secure, Path=/ and no Domain',
      observations: [
        cookie({
          name: '__Host-sid',
          url: 'https://a.test/',
          secure: true,
          path: '/',
          raw: '__Host-sid=1; Secure; Path=/',
        }),
      ],
    },
    {
      name: '__Secure- with Secure',
      observations: [cookie({ name: '__Secure-sid', url: 'https://a.test/', secure: true })],
    },
    { name: 'no prefix', observations: [cookie({ name: 'sid', url: 'https://a.test/', secure: false })] },
    {
      name: 'code __Host- cookie whose path is not stated is not judged on path',
      observations: [cookie({ name: '__Host-sid', secure: true })],
    },
    {
      name: 'deletion',
      observations: [cookie({ name: '__Host-sid', url: 'https://a.test/', secure: false, deletion: true })],
    },
  ],
  invalid: [
    {
      name: '__Host- with a Domain (live)',
      observations: [
        cookie({
          name: '__Host-sid',
          url: 'https://a.test/',
          secure: true,
          path: '/',
          domain: 'a.test',
          raw: '__Host-sid=1; Secure; Path=/; Domain=a.test',
          rejectedBy: ['InvalidPrefix'],
        }),
      ],
      findings: [
        {
          severity: 'medium',
          cookie: '__Host-sid',
          message: ['rejected by browsers', '__Host- forbids a Domain attribute (Domain=a.test)'],
          browser: 'ignore a __Host- cookie',
          fix: 'Path=/ and no Domain',
        },
      ],
    },
    {
      name: '__Host- without a Path attribute (the default path does not count)',
      observations: [
        cookie({
          name: '__host-sid',
          url: 'https://a.test/',
          secure: true,
          path: '/',
          raw: '__host-sid=1; Secure',
        }),
      ],
      findings: [{ severity: 'medium', message: 'requires a Path=/ attribute (none was sent)' }],
    },
    {
      name: '__Secure- without Secure in code (computed), Flask fix',
      observations: [
        cookie({
          name: '__Secure-session',
          framework: 'flask',
          classFramework: 'flask',
          secure: explicit(false, 'SESSION_COOKIE_SECURE = False', loc('config.py', 7)),
        }),
      ],
      findings: [
        {
          severity: 'medium',
          location: { file: 'config.py', line: 7 },
          message: '__Secure- requires Secure',
          fix: "SESSION_COOKIE_SECURE'] = True",
        },
      ],
    },
    {
      name: '__Host- with Path=/app, and SameSite=None without Secure: one finding naming both',
      observations: [
        cookie({
          name: '__Host-x',
          url: 'https://a.test/app/',
          secure: false,
          sameSite: 'none',
          path: '/app',
          raw: '__Host-x=1; Path=/app; SameSite=None',
        }),
      ],
      findings: [
        {
          severity: 'medium',
          message: [
            '__Host- requires Secure',
            '__Host- requires Path=/ (Path=/app)',
            'also: SameSite=None without Secure',
          ],
        },
      ],
    },
    {
      name: 'analytics cookie with a broken prefix: low',
      observations: [
        cookie({ name: '__Secure-ab', category: 'analytics', url: 'https://a.test/', secure: false }),
      ],
      findings: [{ severity: 'low' }],
    },
  ],
});
