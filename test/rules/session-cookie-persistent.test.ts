import rule from '../../src/rules/session-cookie-persistent.js';
import { cookie, explicit, loc, runRuleCases } from './helpers.js';

runRuleCases(rule, {
  valid: [
    { name: 'browser-session cookie', observations: [cookie({ name: 'sid', url: 'https://a.test/' })] },
    {
      name: 'remember-me cookie is persistent by design',
      observations: [
        cookie({
          name: 'remember_token',
          url: 'https://a.test/',
          lifetime: { kind: 'persistent', seconds: 31536000 },
        }),
      ],
    },
    {
      name: 'persistent preference cookie',
      observations: [
        cookie({
          name: 'theme',
          category: 'preference',
          url: 'https://a.test/',
          lifetime: { kind: 'persistent', seconds: 86400 },
        }),
      ],
    },
    { name: 'unknown lifetime', observations: [cookie({ name: 'sid', lifetime: { kind: 'unknown' } })] },
    {
      name: 'deletion',
      observations: [
        cookie({
          name: 'sid',
          url: 'https://a.test/',
          deletion: true,
          lifetime: { kind: 'persistent', seconds: 0 },
        }),
      ],
    },
  ],
  invalid: [
    {
      name: 'Django default two weeks (live)',
      observations: [
        cookie({
          name: 'sessionid',
          framework: 'django',
          classFramework: 'django',
          url: 'https://a.test/',
          lifetime: { kind: 'persistent', seconds: 1209600 },
        }),
      ],
      findings: [
        {
          severity: 'low',
          message: 'expires after 14 days',
          browser: 'after every window is closed',
          fix: 'SESSION_EXPIRE_AT_BROWSER_CLOSE = True',
        },
      ],
    },
    {
      name: 'capped at 400 days; PHP cookie_lifetime in code',
      observations: [
        cookie({
          name: 'sid',
          url: 'https://a.test/',
          lifetime: { kind: 'persistent', seconds: 34560000, capped: true },
        }),
        cookie({
          name: 'PHPSESSID',
          framework: 'php',
          classFramework: 'php',
          lifetime: { kind: 'persistent', seconds: 3600 },
          secure: explicit(true),
          location: loc('php.ini', 8),
        }),
      ],
      findings: [
        { severity: 'low', cookie: 'PHPSESSID', message: '1 hour', fix: 'session.cookie_lifetime = 0' },
        { severity: 'low', cookie: 'sid', message: 'capped at 400 days' },
      ],
    },
  ],
});
