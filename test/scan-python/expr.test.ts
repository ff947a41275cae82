/**
 * The Python expression model: how settings read from the environment evaluate, case by case.
 * Each case is a module whose last assignment `X = ...` is evaluated with the given environment.
 * Where the library's behaviour is the point (django-environ, python-decouple, bool(str)), the
 * expectation follows its source (comments in src/collect/code/python/expr.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeStringLiteral,
  evaluate,
  newEvalContext,
  type PyVal,
} from '../../src/collect/code/python/expr.js';
import { PyFile } from '../../src/collect/code/python/module.js';
import { source } from './helpers.js';

interface Case {
  code: string;
  env?: Record<string, string>;
  /** Expected value; 'unknown' / 'error' for outcomes that are not values. */
  want: PyVal | 'unknown' | 'error';
  name?: string;
}

function valueOfX(code: string, env: Record<string, string> = {}) {
  const py = new PyFile(source(code, 'settings.py'));
  const asg = py.root
    .findAll({ rule: { kind: 'assignment' } })
    .filter((a) => a.field('left')?.text() === 'X')
    .at(-1);
  assert.ok(asg, 'the case assigns X');
  return evaluate(py.expr(asg.field('right')!), newEvalContext(env));
}

const cases: Case[] = [
  { code: 'X = True', want: true },
  { code: 'X = None', want: null },
  { code: "X = 'Lax'", want: 'Lax' },
  { code: 'X = 60 * 60 * 24 * 365', want: 31536000 },
  { code: 'X = 31_536_000', want: 31536000 },
  { code: 'X = 0x10', want: 16 },
  { code: 'DEBUG = True\nX = not DEBUG', want: false, name: 'a name defined earlier in the file is inlined' },
  { code: 'X = not DEBUG', want: 'unknown', name: 'a name from elsewhere stays open' },
  { code: 'X = not Y\nY = False', want: 'unknown', name: 'a name assigned later is not visible' },
  // os.environ
  { code: "import os\nX = os.environ.get('S') == '1'", env: { S: '1' }, want: true },
  { code: "import os\nX = os.environ.get('S') == '1'", env: {}, want: false },
  { code: "import os\nX = os.environ.get('S', 'False')", env: {}, want: 'False' },
  {
    code: "import os\nX = bool(os.environ.get('S', False))",
    env: { S: 'False' },
    want: true,
    name: "bool() of the string 'False' is True",
  },
  {
    code: "import os\nX = os.getenv('S', 'false').lower() in ('1', 'true', 'yes')",
    env: { S: 'TRUE' },
    want: true,
  },
  { code: "import os\nX = os.getenv('S', 'false').lower() in ('1', 'true', 'yes')", env: {}, want: false },
  { code: "from os import environ\nX = environ.get('S') == 'on'", env: { S: 'on' }, want: true },
  { code: "from os import getenv\nX = getenv('S', '0') == '1'", env: { S: '1' }, want: true },
  {
    code: "import os\nX = os.environ['S']",
    env: {},
    want: 'error',
    name: 'a required variable that is unset',
  },
  { code: "import os\nX = 'S' in os.environ", env: { S: '' }, want: true },
  { code: "import os\nX = int(os.environ.get('HSTS', '0'))", env: { HSTS: '31536000' }, want: 31536000 },
  { code: "import os\nX = int(os.environ.get('HSTS', 0))", env: {}, want: 0 },
  { code: "import os\nX = os.environ.get('E') != 'development'", env: {}, want: true },
  {
    code: "import os\nENV = os.getenv('FLASK_ENV', 'development')\nX = ENV == 'production'",
    env: { FLASK_ENV: 'production' },
    want: true,
  },
  {
    code: "import os\nX = True if os.getenv('APP_ENV') == 'prod' else False",
    env: { APP_ENV: 'prod' },
    want: true,
  },
  {
    code: "from distutils.util import strtobool\nimport os\nX = strtobool(os.getenv('S', 'no'))",
    env: { S: 'yes' },
    want: 1,
  },
  { code: "import os, json\nX = json.loads(os.getenv('S', 'false'))", env: { S: 'true' }, want: true },
  // django-environ
  {
    code: "import environ\nenv = environ.Env()\nX = env.bool('S', default=False)",
    env: { S: 'on' },
    want: true,
  },
  {
    code: "import environ\nenv = environ.Env()\nX = env.bool('S', default=False)",
    env: { S: 'False' },
    want: false,
  },
  { code: "import environ\nenv = environ.Env()\nX = env.bool('S', default=True)", env: {}, want: true },
  { code: "import environ\nenv = environ.Env()\nX = env.bool('S')", env: {}, want: 'error' },
  {
    code: "import environ\nenv = environ.Env(DEBUG=(bool, False))\nX = not env('DEBUG')",
    env: { DEBUG: 'true' },
    want: false,
  },
  {
    code: "import environ\nenv = environ.Env(DEBUG=(bool, False))\nX = not env('DEBUG')",
    env: {},
    want: true,
  },
  {
    code: "import environ\nenv = environ.Env()\nX = env.int('HSTS', default=0)",
    env: { HSTS: '600' },
    want: 600,
  },
  {
    code: "from .base import *\nX = env.bool('S', default=False)",
    env: { S: 'yes' },
    want: true,
    name: 'env star-imported from base settings (django-environ)',
  },
  // python-decouple
  {
    code: "from decouple import config\nX = config('S', default=False, cast=bool)",
    env: { S: 'off' },
    want: false,
  },
  {
    code: "from decouple import config\nX = config('S', default=False, cast=bool)",
    env: { S: 'True' },
    want: true,
  },
  {
    code: "from decouple import config\nX = config('S', default=False, cast=bool)",
    env: { S: 'maybe' },
    want: 'error',
  },
  { code: "from decouple import config\nX = config('S', cast=bool)", env: {}, want: 'error' },
  { code: "from decouple import config\nX = config('S', default='1', cast=bool)", env: {}, want: true },
  {
    code: "from decouple import config\nX = config('HSTS', default=0, cast=int)",
    env: { HSTS: '60' },
    want: 60,
  },
  // not evaluated
  { code: 'X = settings.SECURE', want: 'unknown' },
  { code: "X = f'{a}'", want: 'unknown' },
  { code: 'X = get_secure()', want: 'unknown' },
];

for (const c of cases) {
  test(`evaluate ${c.name ?? c.code.split('\n').pop()} with ${JSON.stringify(c.env ?? {})}`, () => {
    const r = valueOfX(c.code, c.env);
    if (c.want === 'unknown') assert.ok(!r.ok && !r.error, JSON.stringify(r));
    else if (c.want === 'error') assert.ok(!r.ok && r.error, JSON.stringify(r));
    else assert.deepEqual(r, { ok: true, v: c.want });
  });
}

test('a class body sees its own earlier attributes and module names, not other classes', () => {
  const py = new PyFile(
    source(
      'DEBUG = False\nclass A:\n    DEBUG = True\nclass B:\n    X = not DEBUG\nclass C:\n    DEBUG = True\n    X = not DEBUG\n',
      'config.py',
    ),
  );
  const xs = py.root.findAll({ rule: { kind: 'assignment' } }).filter((a) => a.field('left')?.text() === 'X');
  const [b, c] = xs.map((a) => evaluate(py.expr(a.field('right')!), newEvalContext()));
  assert.deepEqual(b, { ok: true, v: true }, 'B reads the module-level DEBUG = False');
  assert.deepEqual(c, { ok: true, v: false }, 'C reads its own DEBUG = True');
});

test('a function sees its own assignments before module ones', () => {
  const py = new PyFile(
    source("MODE = 'dev'\ndef f():\n    MODE = 'prod'\n    X = MODE == 'prod'\n", 'a.py'),
  );
  const asg = py.root.findAll({ rule: { kind: 'assignment' } }).find((a) => a.field('left')?.text() === 'X')!;
  assert.deepEqual(evaluate(py.expr(asg.field('right')!), newEvalContext()), { ok: true, v: true });
});

test('string literals decode like Python', () => {
  const cases: [string, string | null][] = [
    ["'Lax'", 'Lax'],
    ['"a\\tb"', 'a\tb'],
    ["r'\\d+'", '\\d+'],
    ["'''multi\nline'''", 'multi\nline'],
    ["'\\x41\\u0042'", 'AB'],
    ["u'x'", 'x'],
    ["b'bytes'", null],
    ["f'{name}'", null],
    ["f'{{literal}}'", '{literal}'],
    ["'it\\'s'", "it's"],
  ];
  for (const [text, want] of cases) assert.equal(decodeStringLiteral(text), want, text);
});
