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

test('app factory: the parameter default is the config, LoginManager bound with init_app, login_user in a blueprint', async () => {
  const s = await scanFixture('flask-factory');
  assert.deepEqual(s.rows, [
    'cookie-missing-secure high remember_token shop/__init__.py:6',
    'cookie-missing-secure high session shop/__init__.py:11',
  ]);
  // The test passes its own Secure settings class: test calls never decide what the app runs with.
  assert.match(findingOf(s, 'cookie-missing-secure', 'session').message, /flask [\d.]+'s default/);
});

test('app factory: a call outside tests passing another config is one case, the default another', async () => {
  const s = await scanFixture('flask-factory-calls');
  assert.deepEqual(s.rows, ['cookie-secure-env-dependent medium session portal/__init__.py:13']);
  const f = findingOf(s, 'cookie-secure-env-dependent', 'session');
  assert.match(f.message, /the configuration passed to create_app\(\)/);
  assert.match(f.message, /the default of config: not Secure/);
  assert.match(f.message, /create_app\(ProductionConfig\) \(wsgi\.py:3\): Secure/);
});

test('several Flask apps in one tree are judged each on its own', async () => {
  const s = await scanFixture('flask-two-apps');
  assert.deepEqual(s.rows, [
    'cookie-missing-secure high session admin/app.py:4',
    'cookie-missing-secure high session blog/app.py:4',
  ]);
});

test('Django: the Dockerfile names the deployed settings; conditional MIDDLEWARE appends keep SessionMiddleware', async () => {
  const s = await scanFixture('django-dockerfile');
  assert.deepEqual(s.rows, [
    'cookie-missing-secure high sessionid site/settings/base.py:12',
    'cookie-missing-secure medium csrftoken site/settings/base.py:13',
    'hsts-missing low - site/settings/base.py:11',
    'https-not-enforced low - site/settings/base.py:11',
    'session-cookie-persistent low sessionid site/settings/base.py:12',
  ]);
  assert.match(findingOf(s, 'hsts-missing', null).message, /site\.settings\.production/);
});

test("Django: wsgi.py's setdefault naming a dev module does not make it production when a prod module exists", async () => {
  const s = await scanFixture('django-dev-default');
  assert.deepEqual(s.rows, [
    'cookie-secure-env-dependent medium sessionid web/settings/prod.py:3',
    'session-cookie-persistent low sessionid web/settings/common.py:4',
  ]);
  assert.match(
    findingOf(s, 'cookie-secure-env-dependent', 'sessionid').message,
    /dev: not Secure, production: Secure/,
  );
});

test('Django: set_cookie(settings.LANGUAGE_COOKIE_NAME) takes the name from the settings; LANGUAGE_COOKIE_NAME alone sets no cookie', async () => {
  const s = await scanFixture('django-setting-names');
  assert.deepEqual(s.rows, ['cookie-missing-secure low ui_language proj/views.py:7']);
});

test("a project's own boolean parser (to_bool, parse_boolean) reads like strtobool", async () => {
  const s = await scanFixture('flask-bool-helper');
  assert.deepEqual(s.rows, ['cookie-missing-secure high session tracker/config/__init__.py:6']);
  assert.match(findingOf(s, 'cookie-missing-secure', 'session').message, /TRACKER_SECURE_COOKIES/);
});

test('Flask-Login before 0.6: the remember cookie is not HttpOnly in any config class of the mapping', async () => {
  const s = await scanFixture('flask-login-old');
  assert.deepEqual(s.rows, [
    'cookie-missing-httponly medium remember_token board/__init__.py:6',
    'cookie-missing-secure high remember_token board/__init__.py:6',
    'cookie-missing-secure high session board/__init__.py:10',
  ]);
  assert.match(
    findingOf(s, 'cookie-missing-httponly', 'remember_token').message,
    /sets it in no environment that could be resolved/,
  );
});

test('Flask subclass apps, a config instance loaded by name, and a SessionInterface that writes the session cookie', async () => {
  const s = await scanFixture('flask-subclass');
  assert.deepEqual(s.rows, ['cookie-missing-secure high session arena/__init__.py:13']);
});

test('Python cookies without set_cookie: raw Set-Cookie headers, SimpleCookie morsels, dump_cookie; client jars are not responses', async () => {
  const s = await scanFixture('python-raw-cookies');
  assert.deepEqual(s.rows, [
    'cookie-missing-secure high gateway_session service.py:29',
    'cookie-missing-secure high member_token service.py:15',
  ]);
});

test('Flask: session.permanent = True makes the session cookie last PERMANENT_SESSION_LIFETIME', async () => {
  const s = await scanFixture('flask-permanent');
  assert.deepEqual(s.rows, ['session-cookie-persistent low session app.py:13']);
  assert.match(findingOf(s, 'session-cookie-persistent', 'session').message, /7 days/);
});

test('pydantic settings fields are environment reads: prefix, alias, default, a required boolean is both', async () => {
  const s = await scanFixture('fastapi-pydantic-settings');
  assert.deepEqual(s.rows, [
    'cookie-config-unresolved info recipes_sid recipes/api/auth.py:15',
    'cookie-missing-secure high recipes_auth recipes/api/auth.py:13',
    'cookie-secure-env-dependent medium recipes_remember recipes/api/auth.py:14',
    'cookie-secure-env-dependent medium recipes_token recipes/api/auth.py:12',
  ]);
  // Required, no file sets it: the app runs with either value.
  const token = findingOf(s, 'cookie-secure-env-dependent', 'recipes_token');
  assert.match(token.message, /environment variable RECIPES_PRODUCTION, required/);
  assert.match(token.message, /RECIPES_PRODUCTION=false: not Secure, RECIPES_PRODUCTION=true: Secure/);
  // A set_cookie call is fixed at the call, not in SessionMiddleware.
  assert.match(token.fix ?? '', /response\.set_cookie\('recipes_token'/);
  assert.doesNotMatch(token.fix ?? '', /SessionMiddleware/);
  // Inherited env_prefix, lower-case field read upper-case, default False.
  const auth = findingOf(s, 'cookie-missing-secure', 'recipes_auth');
  assert.match(auth.message, /environment variable RECIPES_COOKIE_SECURE\)/);
  assert.match(auth.message, /variables unset: not Secure/);
  // validation_alias names the variable; .env.production sets it.
  const remember = findingOf(s, 'cookie-secure-env-dependent', 'recipes_remember');
  assert.match(remember.message, /OLD_SECURE_FLAG.*production: Secure/);
  // Two classes with the same field and different defaults: said, not guessed.
  const sid = findingOf(s, 'cookie-config-unresolved', 'recipes_sid');
  assert.match(
    sid.message,
    /read OTHER_FLAG differently \(ExporterSettings: OTHER_FLAG, default True; ImporterSettings/,
  );
});
