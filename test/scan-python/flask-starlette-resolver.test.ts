/** Flask / Flask-Login, Starlette and set_cookie resolvers over small projects (every observation listed). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveFlask } from '../../src/collect/code/python/flask-resolver.js';
import { resolveSetCookie } from '../../src/collect/code/python/set-cookie-resolver.js';
import { resolveStarlette } from '../../src/collect/code/python/starlette-resolver.js';
import type { ProjectFacts } from '../../src/collect/code/types.js';
import type { Observation } from '../../src/model/observation.js';
import { projectFromFiles } from './helpers.js';
import { summaries } from './summary.js';

interface Case {
  name: string;
  files: Record<string, string>;
  want: string[];
}

const APP = 'from flask import Flask, session\napp = Flask(__name__)\n';

const flask: Case[] = [
  {
    name: 'defaults, located at Flask(__name__)',
    files: { 'app.py': APP },
    want: [
      'cookie session [flask/session] secure=false(default) httponly=true(default) samesite=unset(default) @app.py:2',
    ],
  },
  {
    name: 'an app that never uses the session: nothing',
    files: { 'app.py': 'from flask import Flask, jsonify\napp = Flask(__name__)\n' },
    want: [],
  },
  {
    name: 'explicit settings, last write wins',
    files: {
      'app.py':
        APP +
        "app.config['SESSION_COOKIE_SECURE'] = False\napp.config.update(SESSION_COOKIE_SECURE=True, SESSION_COOKIE_SAMESITE='Strict')\n",
    },
    want: ['cookie session [flask/session] secure=true httponly=true(default) samesite=strict @app.py:4'],
  },
  {
    name: 'SameSite None with the default (insecure) Secure; a broad domain',
    files: {
      'app.py':
        APP + "app.config.update(SESSION_COOKIE_SAMESITE='None', SESSION_COOKIE_DOMAIN='.example.com')\n",
    },
    want: [
      'cookie session [flask/session] secure=false(default) httponly=true(default) samesite=none domain=.example.com @app.py:2',
    ],
  },
  {
    name: 'from_object of a config class with inheritance',
    files: {
      'config.py':
        'class Base:\n    SESSION_COOKIE_HTTPONLY = False\nclass Prod(Base):\n    SESSION_COOKIE_SECURE = True\n',
      'app.py': APP + "app.config.from_object('config.Prod')\n",
    },
    want: ['cookie session [flask/session] secure=true httponly=false samesite=unset(default) @config.py:4'],
  },
  {
    name: 'from_object of a module',
    files: {
      'settings.py': 'SESSION_COOKIE_SECURE = False\n',
      'app.py': APP + "app.config.from_object('settings')\n",
    },
    want: [
      'cookie session [flask/session] secure=false httponly=true(default) samesite=unset(default) @settings.py:1',
    ],
  },
  {
    name: 'from_object of something outside the tree: unknown',
    files: { 'app.py': APP + "app.config.from_object('company_settings.Prod')\n" },
    want: [
      'cookie session [flask/session] secure=unknown(unknown) httponly=unknown(unknown) samesite=unknown(unknown) domain=unknown(unknown) @app.py:3',
    ],
  },
  {
    name: 'from_pyfile of a file not in the tree: unknown; a later explicit write decides',
    files: {
      'app.py':
        APP + "app.config.from_pyfile('instance/config.py')\napp.config['SESSION_COOKIE_SECURE'] = True\n",
    },
    want: [
      'cookie session [flask/session] secure=true httponly=unknown(unknown) samesite=unknown(unknown) domain=unknown(unknown) @app.py:4',
    ],
  },
  {
    name: 'from_pyfile of a file in the tree',
    files: {
      'app.py': APP + "app.config.from_pyfile('settings.py')\n",
      'settings.py': 'SESSION_COOKIE_SECURE = True\n',
    },
    want: [
      'cookie session [flask/session] secure=true httponly=true(default) samesite=unset(default) @settings.py:1',
    ],
  },
  {
    name: 'from_pyfile of a .cfg file (Python syntax) in the tree',
    files: {
      'app.py': APP + "app.config.from_pyfile('application.cfg')\n",
      'application.cfg': "SESSION_COOKIE_SECURE = False\nSESSION_COOKIE_SAMESITE = 'Lax'\n",
      'setup.cfg': '[flake8]\nmax-line-length = 100\n',
    },
    want: [
      'cookie session [flask/session] secure=false httponly=true(default) samesite=lax @application.cfg:1',
    ],
  },
  {
    name: 'config class picked by environment',
    files: {
      'config.py':
        "class Config:\n    pass\nclass Dev(Config):\n    DEBUG = True\nclass Prod(Config):\n    SESSION_COOKIE_SECURE = True\nconfig = {'development': Dev, 'production': Prod}\n",
      'app.py':
        'import os\nfrom config import config\n' +
        APP +
        "app.config.from_object(config[os.getenv('APP_CONFIG', 'development')])\n",
    },
    want: [
      'cookie session [flask/session] secure=true(env development=false, production=true) httponly=true(default) samesite=unset(default) @config.py:6',
    ],
  },
  {
    name: 'from_prefixed_env with FLASK_SESSION_COOKIE_SECURE in .env files',
    files: {
      'app.py': APP + 'app.config.from_prefixed_env()\n',
      '.env': 'FLASK_SESSION_COOKIE_SECURE=false\n',
      '.env.production': 'FLASK_SESSION_COOKIE_SECURE=true\n',
    },
    want: [
      'cookie session [flask/session] secure=true(env default=false, production=true, variables unset=false) httponly=true(default) samesite=unset(default) @app.py:3',
    ],
  },
  {
    name: 'from_prefixed_env without .env values keeps the default',
    files: { 'app.py': APP + 'app.config.from_prefixed_env()\n' },
    want: [
      'cookie session [flask/session] secure=false(default) httponly=true(default) samesite=unset(default) @app.py:2',
    ],
  },
  {
    name: 'set under a condition the scanner cannot decide',
    files: { 'app.py': APP + "if not app.debug:\n    app.config['SESSION_COOKIE_SECURE'] = True\n" },
    want: [
      'cookie session [flask/session] secure=unknown(env when app.debug=false, when not app.debug=true) httponly=true(default) samesite=unset(default) @app.py:4',
    ],
  },
  {
    name: 'Flask-Login remember cookie (remember=True somewhere), Flask-Login 0.6 defaults',
    files: {
      'app.py':
        APP +
        'from flask_login import LoginManager, login_user\nlm = LoginManager(app)\ndef login(u):\n    login_user(u, remember=True)\n',
    },
    want: [
      'cookie session [flask/session] secure=false(default) httponly=true(default) samesite=unset(default) @app.py:2',
      'cookie remember_token [flask-login/session] secure=false(default) httponly=true(default) samesite=unset(default) @app.py:4',
    ],
  },
  {
    name: 'Flask-Login before 0.6.0: the remember cookie is not HttpOnly by default',
    files: {
      'app.py':
        APP +
        "from flask_login import LoginManager\nlm = LoginManager(app)\napp.config['REMEMBER_COOKIE_SECURE'] = True\n",
      'requirements.txt': 'Flask-Login==0.5.0\n',
    },
    want: [
      'cookie session [flask/session] secure=false(default) httponly=true(default) samesite=unset(default) @app.py:2',
      'cookie remember_token [flask-login/session] secure=true httponly=false(default) samesite=unset(default) @app.py:5',
    ],
  },
  {
    name: 'Flask-Login without any remember=True: no remember cookie',
    files: {
      'app.py':
        APP +
        'from flask_login import LoginManager, login_user\nlm = LoginManager(app)\ndef login(u):\n    login_user(u)\n    login_user(u, remember=False)\n',
    },
    want: [
      'cookie session [flask/session] secure=false(default) httponly=true(default) samesite=unset(default) @app.py:2',
    ],
  },
  {
    name: 'Secure behind a proxy without ProxyFix',
    files: {
      'app.py': APP + "app.config['SESSION_COOKIE_SECURE'] = True\n",
      Procfile: 'web: gunicorn app:app\n',
    },
    want: [
      'cookie session [flask/session] secure=true httponly=true(default) samesite=unset(default) @app.py:3',
      'proxy-trust flask session secure-without-trust @app.py:3 (a Procfile web process (the platform router terminates TLS))',
    ],
  },
  {
    name: 'Secure behind a proxy with ProxyFix (default x_proto=1)',
    files: {
      'app.py':
        APP +
        "from werkzeug.middleware.proxy_fix import ProxyFix\napp.wsgi_app = ProxyFix(app.wsgi_app)\napp.config['SESSION_COOKIE_SECURE'] = True\n",
      'docker-compose.yml': 'services:\n  web:\n    build: .\n  proxy:\n    image: nginx:1.27-alpine\n',
    },
    want: [
      'cookie session [flask/session] secure=true httponly=true(default) samesite=unset(default) @app.py:5',
    ],
  },
  {
    name: 'ProxyFix with x_proto=0 does not trust the scheme',
    files: {
      'app.py':
        APP +
        "from werkzeug.middleware.proxy_fix import ProxyFix\napp.wsgi_app = ProxyFix(app.wsgi_app, x_proto=0)\napp.config['SESSION_COOKIE_SECURE'] = True\n",
      'deploy/nginx/site.conf': 'server { location / { proxy_pass http://app:8000; } }\n',
    },
    want: [
      'cookie session [flask/session] secure=true httponly=true(default) samesite=unset(default) @app.py:5',
      'proxy-trust flask session secure-without-trust @app.py:5 (nginx proxy_pass in deploy/nginx/site.conf)',
    ],
  },
  {
    name: 'test code configures the session: reported in test code',
    files: {
      'app.py': APP + "app.config['SESSION_COOKIE_SECURE'] = True\n",
      'tests/conftest.py': 'from app import app\napp.config.update(SESSION_COOKIE_SECURE=False)\n',
    },
    want: [
      'cookie session [flask/session] secure=true httponly=true(default) samesite=unset(default) @app.py:3',
      'cookie session [flask/session] secure=false httponly=true(default) samesite=unset(default) @tests/conftest.py:2 [test]',
    ],
  },
  {
    name: 'decoys: comments, docstrings, mail settings, requests verify=False',
    files: {
      'app.py':
        APP +
        "\"\"\"app.config['SESSION_COOKIE_SECURE'] = False\"\"\"\n# app.config['SESSION_COOKIE_SECURE'] = False\napp.config['MAIL_USE_TLS'] = False\nimport requests\nrequests.get('https://x', verify=False)\napp.config['SESSION_COOKIE_SECURE'] = True\n",
    },
    want: [
      'cookie session [flask/session] secure=true httponly=true(default) samesite=unset(default) @app.py:8',
    ],
  },
];

const starlette: Case[] = [
  {
    name: 'defaults',
    files: {
      'main.py':
        "from fastapi import FastAPI\nfrom starlette.middleware.sessions import SessionMiddleware\napp = FastAPI()\napp.add_middleware(SessionMiddleware, secret_key='k')\n",
    },
    want: [
      'cookie session [starlette/session] secure=false(default) httponly=true(default) samesite=lax(default) @main.py:4',
    ],
  },
  {
    name: 'https_only, a custom name, SameSite none',
    files: {
      'main.py':
        "from starlette.applications import Starlette\nfrom starlette.middleware import Middleware\nfrom starlette.middleware.sessions import SessionMiddleware\napp = Starlette(middleware=[Middleware(SessionMiddleware, secret_key='k', session_cookie='sid', https_only=True, same_site='none')])\n",
    },
    want: ['cookie sid [starlette/session] secure=true httponly=true(default) samesite=none @main.py:4'],
  },
  {
    name: '**kwargs: unknown',
    files: {
      'main.py':
        'from starlette.middleware.sessions import SessionMiddleware\napp.add_middleware(SessionMiddleware, **settings.session)\n',
    },
    want: [
      'cookie session [starlette/session] secure=unknown(unknown) httponly=true(default) samesite=unknown(unknown) domain=unknown(unknown) @main.py:2',
    ],
  },
];

const setCookie: Case[] = [
  {
    name: 'Flask defaults',
    files: {
      'views.py':
        "from flask import make_response\ndef v():\n    r = make_response('x')\n    r.set_cookie('sid', token)\n",
    },
    want: [
      'cookie sid [flask/session] secure=false(default) httponly=false(default) samesite=unset(default) @views.py:4',
    ],
  },
  {
    name: 'Starlette defaults to SameSite=lax',
    files: {
      'views.py':
        "from fastapi import Response\ndef v(response: Response):\n    response.set_cookie('theme', 'dark')\n",
    },
    want: [
      'cookie theme [starlette/preference] secure=false(default) httponly=false(default) samesite=lax(default) @views.py:3',
    ],
  },
  {
    name: 'SameSite=None with Secure and HttpOnly',
    files: {
      'views.py':
        "from django.http import HttpResponse\ndef v():\n    r = HttpResponse()\n    r.set_cookie('sessionid2', s, samesite='None', secure=True, httponly=True)\n",
    },
    want: ['cookie sessionid2 [django/session] secure=true httponly=true samesite=none @views.py:4'],
  },
  {
    name: 'a deletion',
    files: {
      'views.py':
        "from django.http import HttpResponse\ndef v(r):\n    r.set_cookie('sessionid', '', max_age=0)\n",
    },
    want: [
      'cookie sessionid [django/session] secure=false(default) httponly=false(default) samesite=unset(default) deletion @views.py:3',
    ],
  },
  {
    name: 'helper module without imports: framework from the project, SameSite unknown otherwise',
    files: {
      'helpers.py': "def remember(resp, v):\n    resp.set_cookie('token', v, secure=True, httponly=True)\n",
      'requirements.txt': 'fastapi\n',
    },
    want: ['cookie token [starlette/session] secure=true httponly=true samesite=lax(default) @helpers.py:2'],
  },
  {
    name: 'helper module without any framework evidence',
    files: {
      'helpers.py': "def remember(resp, v):\n    resp.set_cookie('token', v, secure=True, httponly=True)\n",
    },
    want: ['cookie token [?/session] secure=true httponly=true samesite=unknown(unknown) @helpers.py:2'],
  },
  {
    name: 'a test file',
    files: {
      'tests/test_views.py':
        "from flask import Response\nr = Response()\nr.set_cookie('sid', make_token())\n",
    },
    want: [
      'cookie sid [flask/session] secure=false(default) httponly=false(default) samesite=unset(default) @tests/test_views.py:3 [test]',
    ],
  },
];

function withDeps(files: Record<string, string>): ProjectFacts {
  const p = projectFromFiles(files);
  // requirements.txt facts come from the engine's common extractor; stand in for it here.
  const req = files['requirements.txt'];
  if (req) {
    const f = p.files.find((x) => x.file === 'requirements.txt')!;
    for (const line of req.split('\n')) {
      const m = /^([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?\s*(.*)$/.exec(line.trim());
      if (m)
        f.facts.push({
          type: 'dependency',
          ecosystem: 'pypi',
          name: m[1]!,
          version: m[2] || null,
          location: { file: 'requirements.txt', line: 1, column: 1 },
        });
    }
  }
  return p;
}

function run(name: string, cases: Case[], resolve: (p: ProjectFacts) => Observation[]) {
  for (const c of cases) {
    test(`${name}: ${c.name}`, () => assert.deepEqual(summaries(resolve(withDeps(c.files))), c.want));
  }
}

run('flask', flask, resolveFlask);
run('starlette', starlette, resolveStarlette);
run('set_cookie', setCookie, resolveSetCookie);

test('flask-login default provenance names the version and, before 0.6.0, why', () => {
  const obs = resolveFlask(
    withDeps({
      'app.py': APP + 'from flask_login import LoginManager\nlm = LoginManager(app)\n',
      'requirements.txt': 'Flask-Login==0.5.0\n',
    }),
  );
  const r = obs.find((o) => o.kind === 'cookie' && o.name === 'remember_token');
  assert.ok(r && r.kind === 'cookie');
  assert.deepEqual(r.httpOnly.provenance, {
    kind: 'framework-default',
    framework: 'flask-login',
    version: '0.5.0',
    note: 'HttpOnly by default only since Flask-Login 0.6.0',
  });
  assert.deepEqual(r.lifetime, { kind: 'persistent', seconds: 31536000 });
});
