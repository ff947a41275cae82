/**
 * Settings-module, config-class and config-map extraction, and the Django extractor
 * (DJANGO_SETTINGS_MODULE, i18n), ESLint style.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { envVarsOf, evaluate, newEvalContext } from '../../src/collect/code/python/expr.js';
import { djangoExtractor } from '../../src/collect/code/python/django-extractor.js';
import type {
  ConfigClassData,
  ConfigMapData,
  DjangoSettingsRefData,
  SettingAssign,
  SettingsModuleData,
} from '../../src/collect/code/python/facts.js';
import { settingsExtractor } from '../../src/collect/code/python/settings-extractor.js';
import { dataOf, extract } from './helpers.js';

function render(a: SettingAssign): string {
  const v = evaluate(a.expr, newEvalContext());
  const shown = v.ok && envVarsOf(a.expr).size === 0 ? JSON.stringify(v.v) : `<${a.expr.t}>`;
  return `${a.key}${a.op === 'add' ? '+=' : '='}${shown}${a.cond ? ` if ${a.cond.t}` : ''}@${a.location.line}:${a.location.column}`;
}

function settings(code: string, file = 'mysite/settings.py') {
  const m = dataOf<SettingsModuleData>(extract(settingsExtractor, code, file), 'settings-module');
  return m[0] ? m[0].assigns.filter((a) => /COOKIE|SECURE_|MIDDLEWARE|DEBUG/.test(a.key)).map(render) : [];
}

const found: { name: string; code: string; want: string[] }[] = [
  {
    name: 'plain assignment',
    code: 'SESSION_COOKIE_SECURE = False',
    want: ['SESSION_COOKIE_SECURE=false@1:1'],
  },
  {
    name: 'annotated assignment',
    code: 'SESSION_COOKIE_SECURE: bool = True',
    want: ['SESSION_COOKIE_SECURE=true@1:1'],
  },
  {
    name: 'chained assignment',
    code: 'SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True',
    want: ['SESSION_COOKIE_SECURE=true@1:1'],
  },
  {
    name: 'not DEBUG with DEBUG in the file',
    code: 'DEBUG = True\nSESSION_COOKIE_SECURE = not DEBUG',
    want: ['DEBUG=true@1:1', 'SESSION_COOKIE_SECURE=false@2:1'],
  },
  {
    name: 'django-environ',
    code: "import environ\nenv = environ.Env()\nSESSION_COOKIE_SECURE = env.bool('SESSION_COOKIE_SECURE', default=False)",
    want: ["SESSION_COOKIE_SECURE=<env.bool('SESSION_COOKIE_SECURE', default=False)>@3:1"],
  },
  {
    name: 'python-decouple',
    code: "from decouple import config\nCSRF_COOKIE_SECURE = config('CSRF_COOKIE_SECURE', default=True, cast=bool)",
    want: ["CSRF_COOKIE_SECURE=<config('CSRF_COOKIE_SECURE', default=True, cast=bool)>@2:1"],
  },
  {
    name: 'module-level if',
    code: 'if not DEBUG:\n    SESSION_COOKIE_SECURE = True',
    want: ['SESSION_COOKIE_SECURE=true if not DEBUG@2:5'],
  },
  {
    name: 'try body',
    code: 'try:\n    SECURE_HSTS_SECONDS = 60 * 60\nexcept Exception:\n    SECURE_HSTS_SECONDS = 0',
    want: ['SECURE_HSTS_SECONDS=3600@2:5'],
  },
  { name: 'MIDDLEWARE += [...]', code: "MIDDLEWARE += ['a.B']", want: ['MIDDLEWARE+=["a.B"]@1:1'] },
  { name: 'MIDDLEWARE.insert', code: "MIDDLEWARE.insert(0, 'a.B')", want: ['MIDDLEWARE+=["a.B"]@1:1'] },
];

const none: { name: string; code: string }[] = [
  { name: 'a comment', code: '# SESSION_COOKIE_SECURE = False' },
  { name: 'a docstring', code: '"""SESSION_COOKIE_SECURE = False"""' },
  { name: 'a string', code: "HELP = 'SESSION_COOKIE_SECURE = False'" },
  { name: 'inside a function', code: 'def f():\n    SESSION_COOKIE_SECURE = False' },
  { name: 'lower-case names', code: 'session_cookie_secure = False' },
  { name: 'an attribute', code: 'settings.SESSION_COOKIE_SECURE = False' },
];

for (const c of found)
  test(`settings extractor finds: ${c.name}`, () => assert.deepEqual(settings(c.code), c.want));
for (const c of none)
  test(`settings extractor ignores: ${c.name}`, () => assert.deepEqual(settings(c.code), []));

test('secret-named settings are never kept in facts', () => {
  const facts = extract(
    settingsExtractor,
    "SECRET_KEY = 'hunter2'\nDB_PASSWORD = 'x'\nSESSION_COOKIE_SECURE = True",
    'settings.py',
  );
  assert.ok(!JSON.stringify(facts).includes('hunter2'));
  assert.deepEqual(
    dataOf<SettingsModuleData>(facts, 'settings-module')[0]!.assigns.map((a) => a.key),
    ['SESSION_COOKIE_SECURE'],
  );
});

test('star imports are resolved against the package, with try/except marking them optional', () => {
  const m = dataOf<SettingsModuleData>(
    extract(
      settingsExtractor,
      'from .base import *\ntry:\n    from .local import *\nexcept ImportError:\n    pass\nDEBUG = False',
      'mysite/settings/production.py',
    ),
    'settings-module',
  )[0]!;
  assert.equal(m.module, 'mysite.settings.production');
  assert.deepEqual(
    m.starImports.map((s) => `${s.module}${s.optional ? '?' : ''}@${s.location.line}`),
    ['mysite.settings.base@1', 'mysite.settings.local?@3'],
  );
});

test('config classes with bases, and an environment mapping', () => {
  const code = [
    'class Config:',
    "    SESSION_COOKIE_SAMESITE = 'Lax'",
    'class ProductionConfig(Config):',
    '    SESSION_COOKIE_SECURE = True',
    'class DevelopmentConfig(Config):',
    '    """Local."""',
    'class Model(Base):',
    '    def save(self): pass',
    "config = {'production': ProductionConfig, 'development': DevelopmentConfig}",
    "by_name = dict(prod='config.ProductionConfig')",
  ].join('\n');
  const facts = extract(settingsExtractor, code, 'app/config.py');
  const classes = dataOf<ConfigClassData>(facts, 'config-class');
  assert.deepEqual(
    classes.map((c) => `${c.module}.${c.name}(${c.bases.join(',')}) ${c.attrs.map((a) => a.key).join(',')}`),
    [
      'app.config.Config() SESSION_COOKIE_SAMESITE',
      'app.config.ProductionConfig(app.config.Config) SESSION_COOKIE_SECURE',
      'app.config.DevelopmentConfig(app.config.Config) ',
    ],
  );
  const maps = dataOf<ConfigMapData>(facts, 'config-map');
  assert.deepEqual(
    maps.map((m) => `${m.name}: ${m.entries.map((e) => `${e.key}=${e.ref}`).join(' ')}`),
    [
      'config: production=app.config.ProductionConfig development=app.config.DevelopmentConfig',
      'by_name: prod=config.ProductionConfig',
    ],
  );
});

test('DJANGO_SETTINGS_MODULE in manage.py / wsgi.py, and i18n', () => {
  const wsgi = dataOf<DjangoSettingsRefData>(
    extract(
      djangoExtractor,
      "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings.production')",
      'mysite/wsgi.py',
    ),
    'django-settings-ref',
  );
  assert.deepEqual(wsgi, [{ module: 'mysite.settings.production', via: 'wsgi.py', overridable: true }]);
  const asgi = dataOf<DjangoSettingsRefData>(
    extract(
      djangoExtractor,
      "from os import environ\nenviron['DJANGO_SETTINGS_MODULE'] = 'mysite.settings.prod'",
      'asgi.py',
    ),
    'django-settings-ref',
  );
  assert.deepEqual(asgi, [{ module: 'mysite.settings.prod', via: 'asgi.py', overridable: false }]);
  assert.deepEqual(
    dataOf(
      extract(
        djangoExtractor,
        "# os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'x')\nDOC = 'DJANGO_SETTINGS_MODULE'",
        'manage.py',
      ),
      'django-settings-ref',
    ),
    [],
  );
  const i18n = extract(
    djangoExtractor,
    "from django.urls import include, path\nurlpatterns = [path('i18n/', include('django.conf.urls.i18n'))]",
    'urls.py',
  );
  assert.equal(dataOf(i18n, 'django-i18n').length, 1);
});
