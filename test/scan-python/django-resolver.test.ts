/**
 * Django resolver over small projects: each case lists every observation expected, in order.
 * Provenance: `(default)` framework default, `(env k=v, ...)` per environment, `(unknown)`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveDjango } from '../../src/collect/code/python/django-resolver.js';
import { projectFromFiles } from './helpers.js';
import { summaries } from './summary.js';

const MW = `MIDDLEWARE = [
    'django.middleware.security.SecurityMiddleware',
    'django.contrib.sessions.middleware.SessionMiddleware',
    'django.middleware.csrf.CsrfViewMiddleware',
]
`;
const APPS = "INSTALLED_APPS = ['django.contrib.auth', 'django.contrib.sessions']\n";

interface Case {
  name: string;
  files: Record<string, string>;
  want: string[];
}

const cases: Case[] = [
  {
    name: 'startproject defaults: insecure cookies located at SessionMiddleware / CsrfViewMiddleware',
    files: { 'mysite/settings.py': 'DEBUG = True\n' + APPS + MW },
    want: [
      'cookie sessionid [django/session] secure=false(default) httponly=true(default) samesite=lax(default) @mysite/settings.py:5',
      'cookie csrftoken [django/csrf] secure=false(default) httponly=false(default) samesite=lax(default) @mysite/settings.py:6',
      'setting ssl-redirect=false(default) @mysite/settings.py:4',
      'hsts none @mysite/settings.py:4',
    ],
  },
  {
    name: 'hardened settings',
    files: {
      'mysite/settings.py':
        APPS +
        MW +
        'SESSION_COOKIE_SECURE = True\nCSRF_COOKIE_SECURE = True\nSECURE_SSL_REDIRECT = True\nSECURE_HSTS_SECONDS = 60 * 60 * 24 * 365\nSECURE_HSTS_INCLUDE_SUBDOMAINS = True\n',
    },
    want: [
      'cookie sessionid [django/session] secure=true httponly=true(default) samesite=lax(default) @mysite/settings.py:7',
      'cookie csrftoken [django/csrf] secure=true httponly=false(default) samesite=lax(default) @mysite/settings.py:8',
      'setting ssl-redirect=true @mysite/settings.py:9',
      'hsts max-age=31536000 includeSubDomains @mysite/settings.py:10',
    ],
  },
  {
    name: 'not DEBUG with DEBUG from the environment (django-environ), resolved from .env files',
    files: {
      'mysite/settings.py':
        "import environ\nenv = environ.Env()\nDEBUG = env.bool('DEBUG', default=False)\n" +
        APPS +
        MW +
        'SESSION_COOKIE_SECURE = not DEBUG\nCSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE\n',
      '.env': 'DEBUG=True\n',
      '.env.production': 'DEBUG=False\n',
      '.env.example': 'DEBUG=True\n',
    },
    want: [
      'cookie sessionid [django/session] secure=true(env default=false, production=true, variables unset=true) httponly=true(default) samesite=lax(default) @mysite/settings.py:10',
      'cookie csrftoken [django/csrf] secure=true(env default=false, production=true, variables unset=true) httponly=false(default) samesite=lax(default) @mysite/settings.py:11',
      'setting ssl-redirect=false(default) @mysite/settings.py:6',
      'hsts none @mysite/settings.py:6',
    ],
  },
  {
    name: "os.environ.get('X') == '1' and decouple config(..., cast=bool)",
    files: {
      'settings.py':
        "import os\nfrom decouple import config\nROOT_URLCONF = 'urls'\n" +
        MW +
        "SESSION_COOKIE_SECURE = os.environ.get('SECURE_COOKIES') == '1'\nCSRF_COOKIE_SECURE = config('CSRF_SECURE', default=True, cast=bool)\nSECURE_HSTS_SECONDS = int(os.getenv('HSTS', '0'))\n",
      '.env.production': 'SECURE_COOKIES=1\nCSRF_SECURE=no\n',
    },
    want: [
      'cookie sessionid [django/session] secure=true(env production=true, variables unset=false) httponly=true(default) samesite=lax(default) @settings.py:9',
      'cookie csrftoken [django/csrf] secure=false(env production=false, variables unset=true) httponly=false(default) samesite=lax(default) @settings.py:10',
      'setting ssl-redirect=false(default) @settings.py:5',
      'setting hsts-seconds=0(env variables unset=0) @settings.py:11',
    ],
  },
  {
    name: 'split settings: base False, production True, wsgi.py names production; manage.py development',
    files: {
      'mysite/settings/__init__.py': '',
      'mysite/settings/base.py': APPS + MW + 'SESSION_COOKIE_SECURE = False\n',
      'mysite/settings/development.py': 'from .base import *\nDEBUG = True\n',
      'mysite/settings/production.py':
        'from .base import *\nSESSION_COOKIE_SECURE = True\nCSRF_COOKIE_SECURE = True\nSECURE_HSTS_SECONDS = 600\n',
      'mysite/wsgi.py':
        "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings.production')\n",
      'manage.py':
        "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings.development')\n",
    },
    want: [
      'cookie sessionid [django/session] secure=true(env development=false, production=true) httponly=true(default) samesite=lax(default) @mysite/settings/production.py:2',
      'cookie csrftoken [django/csrf] secure=true(env development=false, production=true) httponly=false(default) samesite=lax(default) @mysite/settings/production.py:3',
      'setting ssl-redirect=false(default) @mysite/settings/base.py:3',
      'hsts max-age=600 @mysite/settings/production.py:4',
    ],
  },
  {
    name: 'a local override imported last wins over the module (try: from .local import *)',
    files: {
      'proj/settings.py':
        APPS +
        MW +
        'SESSION_COOKIE_SECURE = True\ntry:\n    from .local import *\nexcept ImportError:\n    pass\n',
      'proj/local.py': 'SESSION_COOKIE_SECURE = False\n',
    },
    want: [
      'cookie sessionid [django/session] secure=false httponly=true(default) samesite=lax(default) @proj/local.py:1',
      'cookie csrftoken [django/csrf] secure=false(default) httponly=false(default) samesite=lax(default) @proj/settings.py:5',
      'setting ssl-redirect=false(default) @proj/settings.py:3',
      'hsts none @proj/settings.py:3',
    ],
  },
  {
    name: 'a test settings module is reported for what it sets itself, in test code',
    files: {
      'app/settings/base.py': APPS + MW + 'SESSION_COOKIE_SECURE = True\nCSRF_COOKIE_SECURE = True\n',
      'app/settings/production.py': 'from .base import *\n',
      'app/settings/test.py': 'from .base import *\nSESSION_COOKIE_SECURE = False\n',
    },
    want: [
      'cookie sessionid [django/session] secure=true httponly=true(default) samesite=lax(default) @app/settings/base.py:7',
      'cookie csrftoken [django/csrf] secure=true httponly=false(default) samesite=lax(default) @app/settings/base.py:8',
      'setting ssl-redirect=false(default) @app/settings/base.py:3',
      'hsts none @app/settings/base.py:3',
      'cookie sessionid [django/session] secure=false httponly=true(default) samesite=lax(default) @app/settings/test.py:2 [test]',
    ],
  },
  {
    name: 'no sessions, no CSRF middleware (an API): no cookie observations',
    files: {
      'api/settings.py':
        "INSTALLED_APPS = ['rest_framework']\nMIDDLEWARE = ['django.middleware.security.SecurityMiddleware']\nSECURE_SSL_REDIRECT = True\n",
    },
    want: ['setting ssl-redirect=true @api/settings.py:3', 'hsts none @api/settings.py:2'],
  },
  {
    name: 'sessions only in INSTALLED_APPS (W010) and CSRF kept in the session',
    files: {
      's/settings.py':
        APPS + "MIDDLEWARE = ['django.middleware.csrf.CsrfViewMiddleware']\nCSRF_USE_SESSIONS = True\n",
    },
    want: [
      'cookie sessionid [django/session] secure=false(default) httponly=true(default) samesite=lax(default) @s/settings.py:1',
      'setting ssl-redirect=false(default) @s/settings.py:1',
      'hsts none @s/settings.py:1',
    ],
  },
  {
    name: 'SECURE_SSL_REDIRECT / HSTS without SecurityMiddleware have no effect',
    files: {
      's/settings.py':
        APPS +
        "MIDDLEWARE = ['django.contrib.sessions.middleware.SessionMiddleware']\nSESSION_COOKIE_SECURE = True\nSECURE_SSL_REDIRECT = True\nSECURE_HSTS_SECONDS = 31536000\n",
    },
    want: [
      'cookie sessionid [django/session] secure=true httponly=true(default) samesite=lax(default) @s/settings.py:3',
      'setting ssl-redirect=false @s/settings.py:2',
      'hsts none @s/settings.py:2',
    ],
  },
  {
    name: 'unknown values stay unknown; SameSite None and invalid values; a broad domain',
    files: {
      's/settings.py':
        APPS +
        MW +
        "SESSION_COOKIE_SECURE = get_flag()\nSESSION_COOKIE_SAMESITE = 'None'\nCSRF_COOKIE_SAMESITE = 'Relaxed'\nSESSION_COOKIE_DOMAIN = '.example.com'\n",
    },
    want: [
      'cookie sessionid [django/session] secure=unknown(unknown) httponly=true(default) samesite=none domain=.example.com @s/settings.py:7',
      'cookie csrftoken [django/csrf] secure=false(default) httponly=false(default) samesite=invalid @s/settings.py:5',
      'setting ssl-redirect=false(default) @s/settings.py:3',
      'hsts none @s/settings.py:3',
    ],
  },
  {
    name: 'no language cookie when LANGUAGE_COOKIE_* is set but nothing uses set_language (Django sets it nowhere else)',
    files: { 's/settings.py': 'INSTALLED_APPS = []\nMIDDLEWARE = []\nLANGUAGE_COOKIE_HTTPONLY = True\n' },
    want: ['setting ssl-redirect=false(default) @s/settings.py:1', 'hsts none @s/settings.py:1'],
  },
  {
    name: 'language cookie when set_language is routed, with its LANGUAGE_COOKIE_* settings',
    files: {
      's/settings.py': 'INSTALLED_APPS = []\nMIDDLEWARE = []\nLANGUAGE_COOKIE_HTTPONLY = True\n',
      's/urls.py':
        "from django.urls import include, path\nurlpatterns = [path('i18n/', include('django.conf.urls.i18n'))]\n",
    },
    want: [
      'cookie django_language [django/preference] secure=false(default) httponly=true samesite=unset(default) @s/urls.py:2',
      'setting ssl-redirect=false(default) @s/settings.py:1',
      'hsts none @s/settings.py:1',
    ],
  },
  {
    name: 'decoys: comments, docstrings, mail TLS, a non-Django module with the same names',
    files: {
      's/settings.py':
        '"""SESSION_COOKIE_SECURE = False is the default."""\n' +
        APPS +
        MW +
        '# SESSION_COOKIE_SECURE = False\nSESSION_COOKIE_SECURE = True\nCSRF_COOKIE_SECURE = True\nEMAIL_USE_TLS = False\nSECURE_SSL_REDIRECT = True\nSECURE_HSTS_SECONDS = 31536000\n',
      'tools/constants.py': 'SESSION_COOKIE_SECURE = False\n',
    },
    want: [
      'cookie sessionid [django/session] secure=true httponly=true(default) samesite=lax(default) @s/settings.py:9',
      'cookie csrftoken [django/csrf] secure=true httponly=false(default) samesite=lax(default) @s/settings.py:10',
      'setting ssl-redirect=true @s/settings.py:12',
      'hsts max-age=31536000 @s/settings.py:13',
    ],
  },
  {
    name: 'proxy evident (USE_X_FORWARDED_HOST) without SECURE_PROXY_SSL_HEADER',
    files: { 's/settings.py': APPS + MW + 'SESSION_COOKIE_SECURE = True\nUSE_X_FORWARDED_HOST = True\n' },
    want: [
      'cookie sessionid [django/session] secure=true httponly=true(default) samesite=lax(default) @s/settings.py:7',
      'cookie csrftoken [django/csrf] secure=false(default) httponly=false(default) samesite=lax(default) @s/settings.py:5',
      'setting ssl-redirect=false(default) @s/settings.py:3',
      'hsts none @s/settings.py:3',
      'proxy-trust django sessionid secure-without-trust @s/settings.py:7 (USE_X_FORWARDED_HOST = True)',
    ],
  },
  {
    name: 'proxy evident (Procfile) but SECURE_PROXY_SSL_HEADER set: no proxy-trust',
    files: {
      's/settings.py':
        APPS +
        MW +
        "SESSION_COOKIE_SECURE = True\nSECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https')\n",
      Procfile: 'web: gunicorn s.wsgi\n',
    },
    want: [
      'cookie sessionid [django/session] secure=true httponly=true(default) samesite=lax(default) @s/settings.py:7',
      'cookie csrftoken [django/csrf] secure=false(default) httponly=false(default) samesite=lax(default) @s/settings.py:5',
      'setting ssl-redirect=false(default) @s/settings.py:3',
      'hsts none @s/settings.py:3',
    ],
  },
  {
    name: 'Secure cookies but no proxy evidence: no proxy-trust (the app may terminate TLS)',
    files: { 's/settings.py': APPS + MW + 'SESSION_COOKIE_SECURE = True\nSECURE_SSL_REDIRECT = True\n' },
    want: [
      'cookie sessionid [django/session] secure=true httponly=true(default) samesite=lax(default) @s/settings.py:7',
      'cookie csrftoken [django/csrf] secure=false(default) httponly=false(default) samesite=lax(default) @s/settings.py:5',
      'setting ssl-redirect=true @s/settings.py:8',
      'hsts none @s/settings.py:3',
    ],
  },
  {
    name: 'the deployed module named by DJANGO_SETTINGS_MODULE in .env.production',
    files: {
      'site/settings/common.py': APPS + MW,
      'site/settings/local.py': 'from .common import *\n',
      'site/settings/live_eu.py': 'from .common import *\nSESSION_COOKIE_SECURE = True\n',
      '.env.production': 'DJANGO_SETTINGS_MODULE=site.settings.live_eu\n',
    },
    want: [
      'cookie sessionid [django/session] secure=true(env production=true, local=false) httponly=true(default) samesite=lax(default) @site/settings/live_eu.py:2',
      'cookie csrftoken [django/csrf] secure=false(default) httponly=false(default) samesite=lax(default) @site/settings/common.py:5',
      'setting ssl-redirect=false(default) @site/settings/common.py:3',
      'hsts none @site/settings/common.py:3',
    ],
  },
  {
    name: 'no Django settings at all: nothing',
    files: { 'app.py': 'SESSION_COOKIE_SECURE = False\n' },
    want: [],
  },
];

for (const c of cases) {
  test(`django: ${c.name}`, () => {
    assert.deepEqual(summaries(resolveDjango(projectFromFiles(c.files))), c.want);
  });
}

test('a defaulted finding points at the settings module, an explicit one carries its evidence', () => {
  const obs = resolveDjango(projectFromFiles({ 'mysite/settings.py': APPS + MW }));
  const s = obs.find((o) => o.kind === 'cookie' && o.name === 'sessionid');
  assert.ok(s && s.kind === 'cookie');
  assert.equal(s.secure.provenance.kind, 'framework-default');
  assert.deepEqual(s.secure.provenance, {
    kind: 'framework-default',
    framework: 'django',
    version: '3.2.25',
  });
  assert.equal(s.location?.column, 5);
  assert.match(s.snippet ?? '', /SessionMiddleware/);
});
