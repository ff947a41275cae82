/**
 * The whole path on the Python fixture projects: collectCode() (discovery, keyword filter, workers,
 * the common .env / requirements extractors, the Python extractors and resolvers) then runRules().
 * Each project asserts every finding (rule, severity, cookie, location); the decoys in the fixtures
 * (docstrings and comments quoting settings, EMAIL_USE_TLS / MAIL_USE_TLS, requests verify=False,
 * smtplib, `secure=False` on a database client and a report helper, SameSite=None with Secure,
 * a CSRF cookie without HttpOnly, a cookie deletion, a test client's cookies) produce none.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { collectCode } from '../../src/collect/code/index.js';
import type { Finding } from '../../src/model/finding.js';
import type { CookieObservation, Observation } from '../../src/model/observation.js';
import { runRules } from '../../src/rules/index.js';
import { FIXTURES } from './helpers.js';

function row(f: Finding): string {
  return `${f.rule} ${f.severity} ${f.cookie ?? '-'} ${f.location ? `${f.location.file}:${f.location.line}` : '-'}`;
}

async function scan(app: string, workers = 0) {
  const r = await collectCode([join(FIXTURES, app)], { workers });
  assert.deepEqual(r.errors, []);
  return { ...r, findings: runRules(r.observations) };
}

function cookie(obs: Observation[], name: string, file?: string): CookieObservation {
  const c = obs.find(
    (o): o is CookieObservation =>
      o.kind === 'cookie' && o.name === name && (!file || o.location?.file === file),
  );
  assert.ok(c, `cookie ${name}`);
  return c;
}

test('django-split: split settings, wsgi.py names production, .env files, decoys silent', async () => {
  const { findings, observations } = await scan('django-split');
  assert.deepEqual(findings.map(row).sort(), [
    'cookie-missing-secure info probe tests/test_views.py:8',
    'cookie-missing-secure info sessionid mysite/settings/test.py:4',
    'cookie-missing-secure low django_language mysite/urls.py:6',
    'cookie-missing-secure low theme shop/views.py:7',
    'cookie-secure-env-dependent low csrftoken mysite/settings/production.py:6',
    'cookie-secure-env-dependent medium sessionid mysite/settings/production.py:5',
    'hsts-weak low - mysite/settings/production.py:9',
    'session-cookie-persistent low sessionid mysite/settings/base.py:31',
    'session-trust-proxy-missing medium sessionid mysite/settings/production.py:8',
  ]);
  const session = cookie(observations, 'sessionid', 'mysite/settings/production.py');
  assert.deepEqual(session.secure.provenance, {
    kind: 'env-dependent',
    condition: 'the settings module in use (DJANGO_SETTINGS_MODULE)',
    perEnvironment: { development: false, production: true },
  });
  const csrf = cookie(observations, 'csrftoken');
  assert.equal(csrf.secure.value, true, 'production with .env.production: CSRF_COOKIE_SECURE=True');
  assert.equal(csrf.classification.category, 'csrf');
  const trust = observations.find((o) => o.kind === 'proxy-trust');
  assert.ok(trust && trust.kind === 'proxy-trust');
  assert.equal(trust.proxyEvidence, 'a Procfile web process (the platform router terminates TLS)');
  assert.match(trust.consequence ?? '', /redirect loop/);
  const names = observations.flatMap((o) => (o.kind === 'cookie' ? [o.name] : []));
  assert.deepEqual(names.sort(), [
    'cart_id',
    'cart_id',
    'csrftoken',
    'django_language',
    'probe',
    'sessionid',
    'sessionid',
    'theme',
  ]);
  assert.equal(
    observations.filter((o) => o.kind === 'cookie' && o.name === 'cart_id' && o.deletion).length,
    1,
    'the cart_id deletion is an observation rules do not judge',
  );
});

test('flask-config-classes: config class picked by FLASK_CONFIG, Flask-Login, nginx without ProxyFix', async () => {
  const { findings, observations } = await scan('flask-config-classes');
  assert.deepEqual(findings.map(row).sort(), [
    'cookie-missing-secure info session tests/conftest.py:9',
    'cookie-secure-env-dependent medium remember_token config.py:25',
    'cookie-secure-env-dependent medium session config.py:24',
    'session-trust-proxy-missing medium session config.py:24',
  ]);
  const session = cookie(observations, 'session', 'config.py');
  assert.deepEqual(session.secure.provenance, {
    kind: 'env-dependent',
    condition: 'the config class selected by os.getenv("FLASK_CONFIG", "default")',
    perEnvironment: { development: false, testing: false, production: true, default: false },
    resolvedFrom: ['.env', '.env.production'],
  });
  assert.equal(session.httpOnly.value, true);
  assert.equal(session.sameSite.value, 'lax');
  const remember = cookie(observations, 'remember_token');
  assert.equal(remember.httpOnly.value, true);
  assert.equal(cookie(observations, 'last_login_hint').sameSite.value, 'none');
});

test('fastapi-session: SessionMiddleware with an env-dependent https_only, set_cookie defaults', async () => {
  const { findings, observations } = await scan('fastapi-session');
  assert.deepEqual(findings.map(row).sort(), [
    'cookie-missing-secure info session tests/test_login.py:6',
    'cookie-missing-secure low ui_lang app/main.py:19',
    'cookie-secure-env-dependent medium session app/main.py:12',
    'session-cookie-persistent info session tests/test_login.py:6',
    'session-cookie-persistent low admin_session app/admin.py:7',
    'session-cookie-persistent low session app/main.py:8',
  ]);
  const s = cookie(observations, 'session', 'app/main.py');
  assert.deepEqual(s.secure.provenance, {
    kind: 'env-dependent',
    condition: 'os.getenv("APP_ENV") == "production" (environment: APP_ENV)',
    perEnvironment: { development: false, production: true, 'variables unset': false },
    resolvedFrom: ['.env.development', '.env.production'],
  });
  assert.ok(!JSON.stringify(observations).includes('admin-secret'), 'secret keys never reach observations');
});

test('the findings do not depend on the number of workers', async () => {
  for (const app of ['django-split', 'flask-config-classes', 'fastapi-session']) {
    const one = await scan(app, 0);
    const two = await scan(app, 2);
    assert.deepEqual(two.findings, one.findings, app);
  }
});
