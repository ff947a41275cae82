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

test('Laravel configuration outside config/ (app/Config/session.php), `env(..., null) ?? Str::startsWith(env(APP_URL), ...)`', async () => {
  const s = await scanFixture('php-laravel-config-dir');
  // Found where the application keeps it, never located at composer.lock; the .env.example template
  // configures nothing; persistent because 'expire_on_close' => false (located there).
  assert.deepEqual(s.rows, [
    'cookie-secure-env-dependent medium wiki_session app/Config/session.php:14',
    'session-cookie-persistent low wiki_session app/Config/session.php:9',
  ]);
  const f = findingOf(s, 'cookie-secure-env-dependent', 'wiki_session');
  assert.match(f.message, /APP_URL unset: not Secure/);
  assert.match(f.message, /production: Secure/);
});

test('two Laravel applications in one tree, each judged on its own, with its own deployment evidence', async () => {
  const s = await scanFixture('php-laravel-two-apps');
  // The shop (Laravel 10, 'secure' => false) and the back office (11.30, unset: follows the request, no
  // trusted proxy, a Procfile in its folder: medium); its .env.example's SESSION_SECURE_COOKIE=false is a template.
  assert.deepEqual(s.rows, [
    'cookie-missing-secure high shop_session apps/shop/config/session.php:8',
    'session-trust-proxy-missing medium backoffice_session apps/backoffice/config/session.php:8',
  ]);
  assert.match(findingOf(s, 'session-trust-proxy-missing', 'backoffice_session').message, /Procfile/);
});

test('session-trust-proxy-missing: medium with a proxy in the application folder (fortrabbit.yml, a Kubernetes Ingress), low without, none when its own web server terminates TLS', async () => {
  const s = await scanFixture('php-proxy-evidence');
  assert.deepEqual(s.rows, [
    'session-trust-proxy-missing low wiki_sid sites/wiki/public/index.php:7',
    'session-trust-proxy-missing medium blog_sid sites/blog/public/index.php:7',
    'session-trust-proxy-missing medium forum_sid sites/forum/public/index.php:7',
  ]);
  assert.match(findingOf(s, 'session-trust-proxy-missing', 'blog_sid').message, /fortrabbit/);
  assert.match(findingOf(s, 'session-trust-proxy-missing', 'forum_sid').message, /Ingress/);
  assert.match(findingOf(s, 'session-trust-proxy-missing', 'wiki_sid').message, /if deployed behind/);
  // sites/shop: its Apache vhost has `SSLEngine on` ($_SERVER['HTTPS'] is set there): no shop_sid finding.
});

test('Symfony: remember_me of a firewall, each application on its own, app/config layout, proxy trust located where configured', async () => {
  const s = await scanFixture('php-symfony-apps');
  // portal: `session: true` does not pass cookie_secure on to the remember-me cookie (RememberMeFactory::
  // prepend), so it is not Secure; its trusted_proxies reads a variable no file sets. intranet: the
  // remember-me cookie inherits cookie_secure: auto, and 10.0.0.0/8 is trusted. legacy: app/config/config.yml.
  assert.deepEqual(s.rows, [
    'cookie-missing-secure high REMEMBERME apps/portal/config/packages/security.yaml:12',
    'session-trust-proxy-missing low PHPSESSID apps/legacy/app/config/config.yml:5',
    'session-trust-proxy-missing low PHPSESSID apps/portal/config/packages/framework.yaml:3',
  ]);
  assert.match(findingOf(s, 'cookie-missing-secure', 'REMEMBERME').message, /RememberMeFactory::prepend/);
});

test("Secure from a request object's copy of $_SERVER (`$this->request->server['HTTPS']`) follows the request; positional variables", async () => {
  const s = await scanFixture('php-request-object');
  assert.deepEqual(s.rows, [
    'cookie-missing-httponly medium PHPSESSID src/bootstrap.php:6',
    'session-cookie-persistent low account_token src/AccountController.php:10',
    'session-trust-proxy-missing low account_token src/AccountController.php:13',
  ]);
});

test("the project's cookie helpers (a helper over a shim trait, Cookie::set() with array_merge(), options += defaults) judged at each call", async () => {
  const s = await scanFixture('php-cookie-wrappers');
  // shop_cookie() never passes Secure (its $secure = 0 default); the installer's own copy of it (in a
  // script nothing includes) is not the one public/login.php calls, so HttpOnly is the library's (on).
  // Cookie::set() follows $_SERVER['HTTPS']. put_cookie() is Secure by default; called without options
  // it deletes. Deletions through the helpers are not judged.
  assert.deepEqual(s.rows, [
    'cookie-missing-secure high shop_auth public/login.php:6',
    'cookie-missing-secure low shop_theme public/login.php:7',
    'session-cookie-persistent low shop_auth public/login.php:6',
    'session-trust-proxy-missing low shop_remember_token public/login.php:8',
  ]);
});

test('a configuration getter (Settings::get(KEY) returning $config[$key] of settings.<stage>.php) and setcookie(session_name(), ...)', async () => {
  const s = await scanFixture('php-config-getter');
  // The key is read from the configuration files the getter loads: the same in every one (not Secure),
  // or one value in production and another elsewhere (environment-dependent). session_name() is PHPSESSID.
  assert.deepEqual(s.rows, [
    'cookie-missing-secure high remember_login app/model/Login.php:11',
    'cookie-secure-env-dependent medium PHPSESSID app/model/Login.php:9',
    'session-cookie-persistent low PHPSESSID app/model/Login.php:8',
  ]);
});

test('password-reset cookies are credentials: the reset key lets its holder set the password', async () => {
  const s = await scanFixture('php-password-reset');
  // Both hold the reset key; the first is Secure only when the Referer is https (never when the link is
  // opened from a mail client, which sends none); the second is never Secure.
  assert.deepEqual(s.rows, [
    "cookie-missing-secure high <'blog-pwreset-' . SITE_HASH> reset.php:19",
    'cookie-missing-secure high recover_key reset.php:22',
  ]);
  assert.match(findingOf(s, 'cookie-missing-secure', 'recover_key').message, /password-reset cookie/);
});

test("Secure from the client's Referer (`$_SERVER['HTTP_REFERER']`, a project's referer helper): judged without one", async () => {
  const s = await scanFixture('php-referer-helper');
  // shop_get_referrer() returns the Referer (through shop_raw_referrer()) or false: a request without one,
  // which any mail client sends, gets the reset key without Secure. shop_back is Secure unless the Referer
  // says http, so Secure without one.
  assert.deepEqual(s.rows, ['cookie-missing-secure high shop_pwreset account/unlock.php:12']);
  assert.match(
    findingOf(s, 'cookie-missing-secure', 'shop_pwreset').message,
    /Referer header the client sends, and a request without one/,
  );
});

test("a cookie helper that widens an empty domain to '.' . HOST, a login token computed from the password, the installer's own copy of the helper", async () => {
  const s = await scanFixture('php-helper-parent-domain');
  // site_cookie() gives every cookie called without a domain Domain=.<host> (host-only only for an IP
  // address or a language subdomain, which the repository cannot decide): Domain-broad. The token is
  // computed from the password hash, so it is a login cookie whatever name the setting gives it; the
  // 30-day one is set only when the user asked to be remembered (no persistence finding). setup.php
  // calls its own host-only copy of site_cookie(), not the library's.
  assert.deepEqual(s.rows, [
    'cookie-domain-broad low site_theme login.php:14',
    "cookie-domain-broad medium <get_setting('cookie_key')> login.php:10",
    "cookie-domain-broad medium <get_setting('cookie_key')> login.php:12",
    "cookie-missing-secure high <get_setting('cookie_key')> login.php:10",
    "cookie-missing-secure high <get_setting('cookie_key')> login.php:12",
    'cookie-missing-secure low setup_step setup.php:8',
    'cookie-missing-secure low site_theme login.php:14',
  ]);
  const broad = s.findings.find((f) => f.rule === 'cookie-domain-broad' && f.location?.line === 12)!;
  assert.match(broad.message, /Domain is \.<SITE_HOST> when .*host-only otherwise/);
  assert.match(broad.message, /computed from the user.s password/);
});
