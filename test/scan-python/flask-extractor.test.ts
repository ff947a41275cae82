/**
 * Flask extractor, ESLint style: `found` cases must produce exactly the listed config operations
 * (key, value, line:column of the deciding text), `none` cases (decoys) must produce no cookie
 * setting at all.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { envVarsOf, evaluate, newEvalContext } from '../../src/collect/code/python/expr.js';
import type {
  FlaskConfigOpData,
  ProxyFixData,
  FlaskLoginData,
  FlaskSessionUseData,
} from '../../src/collect/code/python/facts.js';
import { flaskExtractor } from '../../src/collect/code/python/flask-extractor.js';
import { dataOf, extract } from './helpers.js';

/** One expected op: `KEY=value@line:col` for sets, `op:detail@line:col` for the others. */
function render(op: FlaskConfigOpData): string {
  const at = `@${op.location.line}:${op.location.column}`;
  const i = op.item;
  switch (i.op) {
    case 'set': {
      const v = evaluate(i.expr, newEvalContext());
      const shown = v.ok && envVarsOf(i.expr).size === 0 ? JSON.stringify(v.v) : `<${i.expr.t}>`;
      return `${i.key}=${shown}${i.setdefault ? ' (setdefault)' : ''}${op.cond ? ` if ${op.cond.t}` : ''}${at}`;
    }
    case 'from_object':
      return `from_object:${i.target.kind === 'ref' ? i.target.ref : i.target.kind === 'select' ? `${i.target.map}[${i.target.selector.t}]` : i.target.kind === 'param' ? `param ${i.target.fn}(${i.target.name})` : `?${i.target.text}`}${at}`;
    case 'from_pyfile':
      return `from_pyfile:${i.path}${i.silent ? ' silent' : ''}${at}`;
    case 'from_envvar':
      return `from_envvar:${i.variable}${at}`;
    case 'from_file':
      return `from_file:${i.path}${at}`;
    case 'from_prefixed_env':
      return `from_prefixed_env:${i.prefix}${at}`;
    case 'opaque':
      return `opaque${at}`;
  }
}

const ops = (code: string, file = 'app.py') =>
  dataOf<FlaskConfigOpData>(extract(flaskExtractor, code, file), 'flask-config').map(render);

const H = 'from flask import Flask\napp = Flask(__name__)\n';

const found: { name: string; code: string; want: string[] }[] = [
  {
    name: 'subscript assignment',
    code: H + "app.config['SESSION_COOKIE_SECURE'] = False",
    want: ['SESSION_COOKIE_SECURE=false@3:1'],
  },
  {
    name: 'double-quoted key',
    code: H + 'app.config["SESSION_COOKIE_HTTPONLY"] = False',
    want: ['SESSION_COOKIE_HTTPONLY=false@3:1'],
  },
  {
    name: 'update with keywords',
    code: H + "app.config.update(\n    SESSION_COOKIE_SECURE=True,\n    SESSION_COOKIE_SAMESITE='None',\n)",
    want: ['SESSION_COOKIE_SECURE=true@4:5', 'SESSION_COOKIE_SAMESITE="None"@5:5'],
  },
  {
    name: 'update with a dict',
    code: H + "app.config.update({'SESSION_COOKIE_SECURE': True, 'REMEMBER_COOKIE_SECURE': False})",
    want: ['SESSION_COOKIE_SECURE=true@3:20', 'REMEMBER_COOKIE_SECURE=false@3:51'],
  },
  {
    name: 'from_mapping',
    code: H + 'app.config.from_mapping(SESSION_COOKIE_SECURE=False)',
    want: ['SESSION_COOKIE_SECURE=false@3:25'],
  },
  {
    name: 'setdefault',
    code: H + "app.config.setdefault('REMEMBER_COOKIE_SECURE', True)",
    want: ['REMEMBER_COOKIE_SECURE=true (setdefault)@3:1'],
  },
  {
    name: 'a key held in a constant',
    code: H + "KEY = 'SESSION_COOKIE_SECURE'\napp.config[KEY] = True",
    want: ['SESSION_COOKIE_SECURE=true@4:1'],
  },
  {
    name: 'env-dependent value',
    code:
      'import os\n' + H + "app.config['SESSION_COOKIE_SECURE'] = os.environ.get('FLASK_ENV') == 'production'",
    want: ["SESSION_COOKIE_SECURE=<os.environ.get('FLASK_ENV') == 'production'>@4:1"],
  },
  {
    name: 'inside an if block',
    code: H + "if not app.debug:\n    app.config['SESSION_COOKIE_SECURE'] = True",
    want: ['SESSION_COOKIE_SECURE=true if app.debug@4:5'.replace('if app.debug', 'if not app.debug')],
  },
  {
    name: 'else branch negates the test',
    code: H + "if app.debug:\n    pass\nelse:\n    app.config['SESSION_COOKIE_SECURE'] = True",
    want: ['SESSION_COOKIE_SECURE=true if not (app.debug)@6:5'],
  },
  {
    name: 'from_object with a dotted string',
    code: H + "app.config.from_object('config.ProductionConfig')",
    want: ['from_object:config.ProductionConfig@3:1'],
  },
  {
    name: 'from_object with an imported class',
    code: 'from .config import ProductionConfig\n' + H + 'app.config.from_object(ProductionConfig)',
    want: ['from_object:config.ProductionConfig@4:1'],
  },
  {
    name: 'from_object picked by environment',
    code:
      'import os\nfrom config import config\n' +
      H +
      "app.config.from_object(config[os.getenv('FLASK_ENV', 'development')])",
    want: ["from_object:config.config[os.getenv('FLASK_ENV', 'development')]@5:1"],
  },
  {
    name: 'from_object with mapping.get',
    code:
      'from config import config_by_name\n' +
      H +
      'def create_app(name):\n    app.config.from_object(config_by_name.get(name))',
    want: ['from_object:config.config_by_name[name]@5:5'],
  },
  {
    name: 'from_pyfile',
    code: H + "app.config.from_pyfile('settings.cfg', silent=True)",
    want: ['from_pyfile:settings.cfg silent@3:1'],
  },
  {
    name: 'from_envvar',
    code: H + "app.config.from_envvar('APP_SETTINGS')",
    want: ['from_envvar:APP_SETTINGS@3:1'],
  },
  {
    name: 'from_file',
    code: 'import json\n' + H + "app.config.from_file('config.json', load=json.load)",
    want: ['from_file:config.json@4:1'],
  },
  {
    name: 'from_prefixed_env',
    code: H + 'app.config.from_prefixed_env()',
    want: ['from_prefixed_env:FLASK@3:1'],
  },
  { name: 'update from **kwargs', code: H + 'app.config.update(**settings)', want: ['opaque@3:1'] },
  {
    name: 'a config write in a factory function without the Flask import (cookie key)',
    code: "def init(app):\n    app.config['SESSION_COOKIE_SECURE'] = False",
    want: ['SESSION_COOKIE_SECURE=false@2:5'],
  },
];

const none: { name: string; code: string }[] = [
  { name: 'a comment', code: H + "# app.config['SESSION_COOKIE_SECURE'] = False" },
  { name: 'a docstring', code: H + '"""Never write app.config[\'SESSION_COOKIE_SECURE\'] = False."""' },
  { name: 'a string', code: H + 'HELP = "app.config.update(SESSION_COOKIE_SECURE=False)"' },
  {
    name: 'other config keys are not kept (secrets)',
    code: H + "app.config['SECRET_KEY'] = 'hunter2'\napp.config.update(MAIL_USE_TLS=False)",
  },
  {
    name: 'a non-Flask config object in a non-Flask file',
    code: "celery.config.from_object('celeryconfig')\nsettings.config.update(timeout=3)",
  },
  { name: 'requests verify=False', code: "import requests\nrequests.get('https://x.test', verify=False)" },
];

for (const c of found) {
  test(`flask extractor finds: ${c.name}`, () => assert.deepEqual(ops(c.code), c.want));
}
for (const c of none) {
  test(`flask extractor ignores: ${c.name}`, () => assert.deepEqual(ops(c.code), []));
}

test('Flask() creation, ProxyFix, Flask-Login and session use are reported with their lines', () => {
  const code = [
    'from flask import Flask, session, flash',
    'from flask_login import LoginManager, login_user',
    'from werkzeug.middleware.proxy_fix import ProxyFix',
    'app = Flask(__name__)',
    'app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=0)',
    'lm = LoginManager()',
    'def login(u):',
    '    login_user(u, remember=True)',
    '    login_user(u)',
  ].join('\n');
  const facts = extract(flaskExtractor, code);
  const app = dataOf<{ location: { line: number; column: number } }>(facts, 'flask-app');
  assert.deepEqual(
    app.map((a) => `${a.location.line}:${a.location.column}`),
    ['4:7'],
  );
  const pf = dataOf<ProxyFixData>(facts, 'proxyfix');
  assert.equal(pf.length, 1);
  assert.deepEqual(evaluate(pf[0]!.xProto!, newEvalContext()), { ok: true, v: 0 });
  const login = dataOf<FlaskLoginData>(facts, 'flask-login');
  assert.deepEqual(
    login.map(
      (l) =>
        `${l.kind}@${l.location.line}${l.kind === 'login_user' ? ` remember=${l.remember ? l.remember.t : 'absent'}` : ''}`,
    ),
    ['manager@6', 'login_user@8 remember=True', 'login_user@9 remember=absent'],
  );
  const use = dataOf<FlaskSessionUseData>(facts, 'flask-session-use').map((u) => u.what);
  assert.ok(use.includes('from flask import session'));
  assert.ok(use.some((u) => u.startsWith('Flask-Login')));
});

test('a ProxyFix without x_proto keeps the default (x_proto=1)', () => {
  const facts = extract(
    flaskExtractor,
    'from werkzeug.middleware.proxy_fix import ProxyFix\napp.wsgi_app = ProxyFix(app.wsgi_app)',
  );
  assert.equal(dataOf<ProxyFixData>(facts, 'proxyfix')[0]!.xProto, null);
});
