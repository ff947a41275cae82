import assert from 'node:assert/strict';
import { test } from 'node:test';
import missingSecure from '../../src/rules/cookie-missing-secure.js';
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
    {
      name: 'located at the code that sets the lifetime when the collector knows it',
      observations: [
        cookie({
          name: 'board.sid',
          framework: 'express-session',
          location: loc('server.js', 18),
          lifetime: {
            kind: 'persistent',
            seconds: 604800,
            location: loc('server.js', 25, 7),
            evidence: 'maxAge: 7 * 24 * 60 * 60 * 1000,',
          },
        }),
      ],
      findings: [
        {
          severity: 'low',
          cookie: 'board.sid',
          location: { file: 'server.js', line: 25 },
          evidence: 'maxAge: 7 * 24 * 60 * 60 * 1000,',
        },
      ],
    },
  ],
});

test('the code excerpt of a finding is the line that decides the attribute when the collector gives it', () => {
  const c = cookie({
    name: 'board.sid',
    framework: 'express-session',
    location: loc('server.js', 18),
    snippet: 'app.use(',
    lifetime: { kind: 'persistent', seconds: 60, location: loc('server.js', 25), evidence: 'maxAge: 60000,' },
  });
  c.secure = { ...explicit(false, 'secure: false,', loc('server.js', 26)), snippet: 'secure: false,' };
  const observations = [c];
  const persistent = rule.check(observations, { observations });
  assert.equal(persistent[0]?.snippet, 'maxAge: 60000,');
  const secure = missingSecure.check(observations, { observations });
  assert.equal(secure[0]?.snippet, 'secure: false,');
  // without an excerpt of its own, the cookie's
  c.secure = explicit(false, 'secure: false,', loc('server.js', 26));
  assert.equal(missingSecure.check(observations, { observations })[0]?.snippet, 'app.use(');
});
