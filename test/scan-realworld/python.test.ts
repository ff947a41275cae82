import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findingOf, scanFixture } from './harness.js';

test('a variable naming the deployment environment compared with a name: Secure in that environment', async () => {
  const s = await scanFixture('flask-env-named');
  assert.deepEqual(s.rows, ['cookie-secure-env-dependent medium session app.py:7']);
  const f = findingOf(s, 'cookie-secure-env-dependent', 'session');
  assert.match(f.message, /APP_ENV=production: Secure/);
  assert.match(f.message, /variables unset: not Secure/);
});

test('an opt-in flag no committed file sets: not Secure where it resolves, so cookie-missing-secure naming it', async () => {
  const s = await scanFixture('flask-optin-flag');
  assert.deepEqual(s.rows, ['cookie-missing-secure high session settings.py:5']);
  const f = findingOf(s, 'cookie-missing-secure', 'session');
  assert.match(f.message, /COOKIE_SECURE/);
  assert.match(f.message, /makes it Secure in no environment that could be resolved/);
});
