/**
 * The framework defaults the Python resolvers rely on (src/collect/code/python/defaults.ts), checked
 * against the real packages: Debian's /usr/bin/python3 with python3-flask, python3-django,
 * python3-flask-login and python3-starlette (scripts/setup.sh --test installs them). Not the
 * `python3` first on PATH, which may be another interpreter without these packages.
 *
 * Also checks the fact behind the Python proxy-trust observations: Flask and Django write the Secure
 * flag on a response to a request they see as plain HTTP (the cookie is still set behind a proxy).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  DJANGO_DEFAULTS,
  FLASK_DEFAULTS,
  FLASK_LOGIN_DEFAULTS,
  FLASK_LOGIN_DURATION,
  SET_COOKIE_DEFAULTS,
  STARLETTE_SESSION_DEFAULTS,
  VERSIONS,
} from '../../src/collect/code/python/defaults.js';

const PY = '/usr/bin/python3';

function python(script: string): unknown {
  const r = spawnSync(PY, ['-c', script], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, `${PY} failed (run scripts/setup.sh --test): ${r.stderr}`);
  return JSON.parse(r.stdout) as unknown;
}

const ORACLE = `
import inspect, json, importlib.metadata as md
import flask, django, flask_login
from django.conf import global_settings as g
from django.http import HttpResponse
from werkzeug.sansio.response import Response as WResponse
from starlette.middleware.sessions import SessionMiddleware
from starlette.responses import Response as SResponse
from flask_login import config as lc

def defaults(fn):
    return {k: v.default for k, v in inspect.signature(fn).parameters.items() if v.default is not inspect.Parameter.empty}

out = {
  'versions': {
    'flask': md.version('flask'), 'werkzeug': md.version('werkzeug'), 'flaskLogin': md.version('flask-login'),
    'django': django.get_version(), 'starlette': md.version('starlette'),
  },
  'flask': {k: v for k, v in flask.Flask.default_config.items() if k.startswith('SESSION_COOKIE_') or k in ('DEBUG', 'TESTING')},
  'django': {k: getattr(g, k) for k in dir(g) if k.isupper()},
  'flaskLogin': {'REMEMBER_COOKIE_' + k[7:]: getattr(lc, k) for k in dir(lc) if k.startswith('COOKIE_') and k != 'COOKIE_DURATION'},
  'flaskLoginDuration': lc.COOKIE_DURATION.total_seconds(),
  'starletteSession': defaults(SessionMiddleware.__init__),
  'setCookie': {'flask': defaults(WResponse.set_cookie), 'django': defaults(HttpResponse.set_cookie), 'starlette': defaults(SResponse.set_cookie)},
}
print(json.dumps(out, default=str))
`;

interface Oracle {
  versions: Record<string, string>;
  flask: Record<string, unknown>;
  django: Record<string, unknown>;
  flaskLogin: Record<string, unknown>;
  flaskLoginDuration: number;
  starletteSession: Record<string, unknown>;
  setCookie: Record<string, Record<string, unknown>>;
}

const oracle = python(ORACLE) as Oracle;

test('versions recorded in defaults.ts are the ones checked', () => {
  assert.deepEqual(oracle.versions, { ...VERSIONS });
});

test('Flask default_config', () => {
  for (const [k, v] of Object.entries(FLASK_DEFAULTS)) assert.deepEqual(oracle.flask[k], v, k);
});

test('Django global_settings', () => {
  for (const [k, v] of Object.entries(DJANGO_DEFAULTS)) {
    if (k === 'MIDDLEWARE' || k === 'INSTALLED_APPS') assert.deepEqual(oracle.django[k], [], k);
    else assert.deepEqual(oracle.django[k], v, k);
  }
});

test('Flask-Login remember cookie', () => {
  // flask_login/config.py holds name, secure, httponly and samesite; domain and path are
  // config.get() defaults in login_manager.py.
  assert.deepEqual(Object.keys(oracle.flaskLogin).sort(), [
    'REMEMBER_COOKIE_HTTPONLY',
    'REMEMBER_COOKIE_NAME',
    'REMEMBER_COOKIE_SAMESITE',
    'REMEMBER_COOKIE_SECURE',
  ]);
  for (const [k, v] of Object.entries(oracle.flaskLogin)) assert.deepEqual(FLASK_LOGIN_DEFAULTS[k], v, k);
  assert.equal(oracle.flaskLoginDuration, FLASK_LOGIN_DURATION);
});

test('Starlette SessionMiddleware', () => {
  for (const [k, v] of Object.entries(STARLETTE_SESSION_DEFAULTS)) {
    // `path` and `domain` came after 0.26.1 with these defaults; check the ones this version has.
    if (k in oracle.starletteSession) assert.deepEqual(oracle.starletteSession[k], v, k);
  }
  assert.equal(oracle.starletteSession.https_only, false);
});

test('set_cookie defaults of Werkzeug, Django and Starlette', () => {
  for (const fw of ['flask', 'django', 'starlette'] as const) {
    for (const [k, v] of Object.entries(SET_COOKIE_DEFAULTS[fw]))
      assert.deepEqual(oracle.setCookie[fw]![k], v, `${fw} ${k}`);
  }
});

test('Flask and Django send a Secure session cookie on a plain-HTTP request', () => {
  const out = python(`
import json, flask, django
from django.conf import settings
app = flask.Flask('probe'); app.secret_key = 'k'; app.config['SESSION_COOKIE_SECURE'] = True
@app.route('/')
def index():
    flask.session['a'] = 1
    return 'ok'
fl = app.test_client().get('/', base_url='http://example.test').headers.getlist('Set-Cookie')
settings.configure(SECRET_KEY='k', ROOT_URLCONF=__name__, ALLOWED_HOSTS=['*'], SESSION_COOKIE_SECURE=True,
    SESSION_ENGINE='django.contrib.sessions.backends.signed_cookies',
    MIDDLEWARE=['django.contrib.sessions.middleware.SessionMiddleware'], INSTALLED_APPS=['django.contrib.sessions'])
django.setup()
from django.http import HttpResponse
from django.urls import path
def view(request):
    request.session['a'] = 1
    return HttpResponse('ok')
urlpatterns = [path('', view)]
from django.test import Client
r = Client().get('/')
print(json.dumps({'flask': fl, 'django': [m.output(header='') for m in r.cookies.values()]}))
`) as { flask: string[]; django: string[] };
  assert.equal(out.flask.length, 1);
  assert.match(out.flask[0]!, /^session=[^;]+;.*\bSecure\b/);
  assert.equal(out.django.length, 1);
  assert.match(out.django[0]!, /sessionid=.*\bSecure\b/);
});
