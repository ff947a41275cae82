import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findingOf, scanFixture } from './harness.js';

test('deletions written with constants (time() - YEAR_SECS), a variable holding a past time, or an options array: not judged', async () => {
  const s = await scanFixture('php-deletions');
  // Only the real login cookie is judged; the options variable assigned in two branches is read in each.
  assert.deepEqual(s.rows, ['cookie-missing-secure high <LOGIN_COOKIE> lib/auth.php:12']);
});

test('setcookie() options from array_merge() with a parameter, or from a parameter: unknown, not PHP defaults', async () => {
  const s = await scanFixture('php-options-unknown');
  assert.deepEqual(s.rows, []);
});

test("a project's request-scheme helper (is_ssl()-style): Secure follows the request, one proxy finding per decision", async () => {
  const s = await scanFixture('php-scheme-helper');
  // shop_is_https() reads only $_SERVER['HTTPS'] / SERVER_PORT; the parameter's default '' selects it;
  // the auth and logged-in cookies share the options array. Http::isHttps() honours X-Forwarded-Proto,
  // and ShopSession::reopen() restarts the session init() configured: no finding for them.
  assert.deepEqual(s.rows, ['session-trust-proxy-missing low shop_auth lib/login.php:14']);
  const f = findingOf(s, 'session-trust-proxy-missing', 'shop_auth');
  assert.match(f.message, /if deployed behind a TLS-terminating proxy/);
});
