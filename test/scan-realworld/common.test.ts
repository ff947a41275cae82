import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findingOf, scanFixture } from './harness.js';

test('a cookie whose value is a constant is not a session cookie, whatever its name (JS, Python, PHP)', async () => {
  const s = await scanFixture('constant-values');
  assert.deepEqual(s.rows, [
    'cookie-missing-httponly medium auth_token server.js:10',
    'cookie-missing-secure high auth_token server.js:10',
    'cookie-missing-secure low is_user_authorized views.py:10',
    'cookie-missing-secure low logged_in login.php:3',
    'cookie-missing-secure low remember server.js:8',
  ]);
  assert.match(
    findingOf(s, 'cookie-missing-secure', 'remember').message,
    /a number constant written in the code/,
  );
});
