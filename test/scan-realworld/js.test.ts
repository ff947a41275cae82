/**
 * JavaScript / TypeScript lessons of the real-world corpus, each a small project of our own with the shape
 * the corpus showed (test/fixtures/scan-realworld/js-*).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findingOf, scanFixture } from './harness.js';

test('a URL-scheme switch (BASE_URL.startsWith) with a template env file the app loads itself: Secure on https deployments only', async () => {
  const s = await scanFixture('js-url-scheme-switch');
  assert.deepEqual(s.rows, [
    'cookie-secure-env-dependent medium board.sid server.js:26',
    'session-cookie-persistent low board.sid server.js:25',
  ]);
  const f = findingOf(s, 'cookie-secure-env-dependent', 'board.sid');
  assert.match(f.message, /default: not Secure/);
  assert.match(f.message, /SITE_URL=https:\/\/…: Secure/);
  assert.match(f.message, /resolved from \.env\.sample/);
  // the code excerpt is the line that decides the attribute, not the session() call
  assert.equal(f.snippet, 'secure: usesHttps,');
  // the lifetime is located at maxAge
  assert.equal(
    findingOf(s, 'session-cookie-persistent', 'board.sid').snippet,
    'maxAge: 7 * 24 * 60 * 60 * 1000,',
  );
});

test('an envalid environment exported by a module: isProd is true when NODE_ENV is unset; a deletion is not judged', async () => {
  const s = await scanFixture('js-envalid-module');
  assert.deepEqual(s.rows, [
    'cookie-secure-env-dependent medium auth_token src/lib/auth.js:9',
    'session-cookie-persistent low auth_token src/lib/auth.js:8',
  ]);
  const f = findingOf(s, 'cookie-secure-env-dependent', 'auth_token');
  assert.match(f.message, /development: not Secure, production: Secure/);
  // Express advice for an Express res.cookie, whatever the cookie's name suggests
  assert.match(f.fix ?? '', /res\.cookie\('auth_token'/);
  assert.equal(f.framework, 'express');
});

test('a let variable reassigned under an environment condition: its value follows the condition', async () => {
  const s = await scanFixture('js-let-reassigned');
  assert.deepEqual(s.rows, ['cookie-secure-env-dependent medium shop.sid src/http/loader.ts:23']);
  assert.match(
    findingOf(s, 'cookie-secure-env-dependent', 'shop.sid').message,
    /development: not Secure, production: Secure, staging: Secure/,
  );
});

test('a workspace: each package has its own .env files, each app its own trust proxy and TLS; workspace imports by name', async () => {
  const s = await scanFixture('js-workspace-apps');
  assert.deepEqual(s.rows, [
    // apps/admin/.env says SESSION_SECURE=false; apps/api/.env.production's true is another package's
    'cookie-missing-secure high admin.sid apps/admin/src/index.js:12',
    // @beacon/shared/cookies: NODE_ENV through an env() helper, and a URL-scheme test on a computed URL
    'cookie-secure-env-dependent medium api_token packages/shared/src/cookies.ts:10',
    // two apps without trust, both with express-session's default name: one finding each
    'session-trust-proxy-missing low connect.sid apps/billing/src/server.js:5',
    'session-trust-proxy-missing low connect.sid apps/reports/src/server.js:5',
    // the second express() app of apps/admin: the first app's trust proxy is not its own
    'session-trust-proxy-missing low metrics.sess apps/admin/src/metrics.js:6',
    // api.sid: the api app terminates TLS itself (https.createServer(options, app)): no proxy trust needed
  ]);
  const f = findingOf(s, 'cookie-secure-env-dependent', 'api_token');
  assert.match(f.message, /development: not Secure/);
  assert.match(f.message, /publicUrl\(\) https:\/\/: Secure/);
});

test('front-end cookie writers: ngx-cookie / ngy-cookie put, a document.cookie helper called from another module, js-cookie, universal-cookie, react-cookie', async () => {
  const s = await scanFixture('js-frontend-writers');
  assert.deepEqual(s.rows, [
    // the helper decides the attributes: one finding there, about the token it writes
    'cookie-missing-secure high courier_token public/js/cookies.js:8',
    // react-cookie's setter, js-cookie and universal-cookie writing tokens from the API: high
    'cookie-missing-secure high grant web/auth.tsx:16',
    'cookie-missing-secure high jwt web/auth.tsx:6',
    'cookie-missing-secure high st web/auth.tsx:11',
    // ngy-cookie put(): a session cookie by its value (the JWT the API returned), whatever its name
    'cookie-missing-secure high u src/app/sign-in/sign-in.component.ts:14',
    'cookie-missing-secure low language src/app/sign-in/sign-in.component.ts:19',
    'cookie-missing-secure medium progress_<deps.stage> src/app/progress/save-progress.ts:4',
    'session-cookie-persistent low jwt web/auth.tsx:6',
  ]);
  assert.match(findingOf(s, 'cookie-missing-secure', 'u').classification ?? '', /its value is result\.jwt/);
  const helper = findingOf(s, 'cookie-missing-secure', 'courier_token');
  assert.match(helper.classification ?? '', /written through writeCookie\(\), which also writes seen_tour/);
  // scripts cannot set HttpOnly: never asked for
  assert.equal(
    s.findings.filter((f) => f.rule === 'cookie-missing-httponly').length,
    0,
    'no HttpOnly finding for script-written cookies',
  );
});

test('deletions, however written, are not judged', async () => {
  const s = await scanFixture('js-deletions');
  assert.deepEqual(s.rows, []);
});

test('a cookie named like a session whose value is JSON data of non-credential fields is no session cookie', async () => {
  const s = await scanFixture('js-json-value-cookie');
  // sessionList (names and links for a workspace switcher, httpOnly: false on purpose) is not reported;
  // JSON carrying a token still is
  assert.deepEqual(s.rows, ['cookie-missing-httponly medium sessionData server/handoff.ts:5']);
});

test('an opt-in flag no committed file sets is off: cookie-missing-secure; an opt-out one is Secure: nothing', async () => {
  const s = await scanFixture('js-optin-flag');
  assert.deepEqual(s.rows, ['cookie-missing-secure high connect.sid server.js:12']);
  assert.match(
    findingOf(s, 'cookie-missing-secure', 'connect.sid').message,
    /Secure in no environment that could be resolved \(variables unset: not Secure\)/,
  );
});

test('a platform manifest in the repository (Render) is evidence of a TLS-terminating proxy: medium', async () => {
  const s = await scanFixture('js-platform-proxy');
  // mobile/app.json is an Expo manifest, not Heroku's: no evidence from it
  assert.deepEqual(s.rows, ['session-trust-proxy-missing medium recipes.sid server.js:11']);
  assert.match(findingOf(s, 'session-trust-proxy-missing', 'recipes.sid').message, /a Render web service/);
});

test('@nuxtjs/auth keeps its token in a cookie written without Secure unless auth.cookie.options says so; cookie: false keeps it out', async () => {
  const s = await scanFixture('js-nuxt-auth');
  assert.deepEqual(s.rows, [
    'cookie-missing-secure high shop.auth._token.<strategy> web/nuxt.config.js:4',
    'session-cookie-persistent low shop.auth._token.<strategy> web/nuxt.config.js:7',
  ]);
  assert.match(
    findingOf(s, 'cookie-missing-secure', 'shop.auth._token.<strategy>').fix ?? '',
    /auth: \{ cookie: \{ options: \{ secure: true/,
  );
});

test('document.cookie strings: an uncalled helper is info, optional flags and paths stay in their own attribute', async () => {
  const s = await scanFixture('js-cookie-string-parts');
  assert.deepEqual(s.rows, [
    'cookie-config-unresolved info auth_token public/js/app.js:16',
    'cookie-missing-secure high remember_token public/js/app.js:31',
    'cookie-missing-secure info <name> public/js/app.js:9',
  ]);
  // No cookie is known for a helper nothing calls: said, at info, with the reason.
  assert.match(
    findingOf(s, 'cookie-missing-secure', '<name>').message,
    /setCookie\(\), which takes the cookie name as a parameter and which no scanned code calls/,
  );
  // `options.secure ? '; secure' : ''` leaves Secure to the caller: unknown, not missing.
  assert.match(findingOf(s, 'cookie-config-unresolved', 'auth_token').message, /computed secure value/);
});
