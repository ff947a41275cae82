import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Lang, parse } from '@ast-grep/napi';
import {
  envFileName,
  extractDotenv,
  REDACTED_ENV_VALUE,
  safeEnvValue,
} from '../../src/collect/code/common/dotenv.js';
import {
  evidenceOf,
  excerptLines,
  locationAtOffset,
  locationOf,
  snippetAt,
} from '../../src/collect/code/common/location.js';
import { extractManifest, parseRequirement, versionAtLeast } from '../../src/collect/code/common/manifest.js';
import { describeValue, envValue, literal, sameValue } from '../../src/collect/code/common/values.js';
import type { CodeFact } from '../../src/collect/code/types.js';

const src = (file: string, text: string) => ({ file, absPath: `/x/${file}`, text });

test('dotenv file names give the environment', () => {
  const cases: [string, ReturnType<typeof envFileName>][] = [
    ['.env', { environment: 'default', local: false, template: false }],
    ['app/.env.production', { environment: 'production', local: false, template: false }],
    ['.env.production.local', { environment: 'production', local: true, template: false }],
    ['.env.local', { environment: 'local', local: true, template: false }],
    ['.env.example', { environment: 'example', local: false, template: true }],
    ['.env.dist', { environment: 'dist', local: false, template: true }],
    ['docker/prod.env', { environment: 'prod', local: false, template: false }],
    ['.env.local.php', null],
    ['.env.js', null],
    ['.envrc', null],
    ['environment.ts', null],
  ];
  for (const [name, want] of cases) assert.deepEqual(envFileName(name), want, name);
});

test('dotenv values: booleans, numbers, words, hosts and credential-free URLs are kept; everything else is redacted', () => {
  const valid: [string, string][] = [
    ['SESSION_SECURE_COOKIE', 'true'],
    ['APP_DEBUG', 'false'],
    ['SESSION_LIFETIME', '120'],
    ['SESSION_SAME_SITE', 'lax'],
    ['APP_ENV', 'production'],
    ['SESSION_DOMAIN', '.example.com'],
    ['APP_URL', 'https://shop.example.com'],
    ['DJANGO_SETTINGS_MODULE', 'mysite.settings.prod'],
    ['EMPTY', ''],
    ['FLAG', '(true)'],
  ];
  for (const [k, v] of valid) assert.equal(safeEnvValue(k, v), v, `${k} kept`);
  const invalid: [string, string][] = [
    ['APP_KEY', 'base64:Zm9vYmFy'],
    ['SECRET_KEY', 'lax'], // a secret-named key, whatever its value
    ['DB_PASSWORD', 'hunter'],
    ['DB_PASS', 'x'],
    ['GITHUB_TOKEN', 'ghp_xxx'],
    ['SENTRY_DSN', 'https://abc@o1.ingest.sentry.io/1'],
    ['SOMETHING', 'a8f5f167f44f4964e6c998dee827110c'],
    ['SOMETHING', 'hello world with spaces'],
    ['API_BASE', '4111111111111111'],
  ];
  for (const [k, v] of invalid) assert.equal(safeEnvValue(k, v), REDACTED_ENV_VALUE, `${k}=${v} redacted`);
  assert.equal(
    safeEnvValue('DATABASE_URL', 'postgres://user:pw@db.internal:5432/app'),
    'postgres://db.internal:5432',
  );
  assert.equal(
    safeEnvValue('APP_URL', 'https://user:pw@example.com/app?token=1#x'),
    'https://example.com/app',
  );
  assert.equal(
    safeEnvValue('HOOK_URL', 'https://hooks.example.com/services/T0A1B2C3D/XyZ123abc456'),
    'https://hooks.example.com',
  );
});

test('the dotenv extractor parses with dotenv and records the line of each variable', () => {
  const text =
    '# comment\nAPP_ENV=production\nexport SESSION_SECURE_COOKIE="false"\nAPP_KEY=base64:abc\nAPP_ENV=staging\n';
  const facts = extractDotenv(src('.env.production.local', text));
  assert.deepEqual(facts, [
    {
      type: 'env-file',
      environment: 'production',
      variables: { APP_ENV: 'staging', APP_KEY: REDACTED_ENV_VALUE, SESSION_SECURE_COOKIE: 'false' },
      location: { file: '.env.production.local', line: 1, column: 1 },
      lines: { APP_ENV: 5, SESSION_SECURE_COOKIE: 3, APP_KEY: 4 },
      local: true,
    },
  ]);
  assert.deepEqual(extractDotenv(src('.env.local.php', '<?php return [];')), []);
});

function deps(facts: CodeFact[]) {
  return facts.map((f) => {
    assert.equal(f.type, 'dependency');
    const d = f as Extract<CodeFact, { type: 'dependency' }>;
    return [d.ecosystem, d.name, d.version, d.location.line, d.locked === true, d.dev === true];
  });
}

test('manifests: package.json, package-lock.json, composer.json, composer.lock', () => {
  const pkg = JSON.stringify(
    {
      dependencies: { express: '^4.19.0', 'express-session': '1.18.1' },
      devDependencies: { typescript: '~5.6' },
    },
    null,
    2,
  );
  assert.deepEqual(deps(extractManifest(src('package.json', pkg))), [
    ['npm', 'express', '^4.19.0', 3, false, false],
    ['npm', 'express-session', '1.18.1', 4, false, false],
    ['npm', 'typescript', '~5.6', 7, false, true],
  ]);
  const lock = JSON.stringify(
    {
      lockfileVersion: 3,
      packages: {
        '': { dependencies: { 'express-session': '^1.18.0' } },
        'node_modules/express-session': { version: '1.18.1' },
        'node_modules/cookie': { version: '0.7.2' },
      },
    },
    null,
    2,
  );
  assert.deepEqual(deps(extractManifest(src('package-lock.json', lock))), [
    ['npm', 'express-session', '1.18.1', 9, true, false],
  ]);
  const composer = JSON.stringify(
    { require: { php: '^8.2', 'laravel/framework': '^11.9' }, 'require-dev': { 'phpunit/phpunit': '^11.0' } },
    null,
    4,
  );
  assert.deepEqual(deps(extractManifest(src('composer.json', composer))), [
    ['composer', 'php', '^8.2', 3, false, false],
    ['composer', 'laravel/framework', '^11.9', 4, false, false],
    ['composer', 'phpunit/phpunit', '^11.0', 7, false, true],
  ]);
  const clock = JSON.stringify(
    {
      packages: [
        { name: 'laravel/tinker', version: 'v2.9.0', require: { 'laravel/framework': '^10|^11' } },
        { name: 'laravel/framework', version: 'v11.21.0' },
      ],
      'packages-dev': [{ name: 'phpunit/phpunit', version: '11.3.1' }],
    },
    null,
    4,
  );
  assert.deepEqual(deps(extractManifest(src('composer.lock', clock))), [
    ['composer', 'laravel/tinker', 'v2.9.0', 4, true, false],
    ['composer', 'laravel/framework', 'v11.21.0', 11, true, false],
    ['composer', 'phpunit/phpunit', '11.3.1', 17, true, true],
  ]);
  assert.throws(() => extractManifest(src('composer.json', '{ "require": ')), /not valid JSON/);
});

test('manifests: requirements files, pyproject.toml (PEP 621, PEP 735, Poetry), Pipfile, poetry.lock', () => {
  const req =
    '# pinned\nFlask==3.0.3\nflask-login>=0.6,<1 ; python_version > "3.8"\n-r base.txt\n-e git+https://example.com/x.git#egg=x\nDjango[argon2] ~= 5.0\nrequests\n';
  assert.deepEqual(deps(extractManifest(src('requirements/prod.txt', req))), [
    ['pypi', 'Flask', '==3.0.3', 2, false, false],
    ['pypi', 'flask-login', '>=0.6,<1', 3, false, false],
    ['pypi', 'Django', '~=5.0', 6, false, false],
    ['pypi', 'requests', null, 7, false, false],
  ]);
  assert.equal(extractManifest(src('notes.txt', 'flask==1')).length, 0);
  const pyproject = [
    '[project]',
    'name = "app"',
    'dependencies = ["flask>=3.0", "Flask-Login==0.6.3"]',
    '[dependency-groups]',
    'dev = ["pytest>=8"]',
    '[tool.poetry.dependencies]',
    'python = "^3.11"',
    'django = { version = "^5.0", extras = ["argon2"] }',
    '[tool.poetry.group.test.dependencies]',
    'coverage = "*"',
  ].join('\n');
  assert.deepEqual(
    deps(extractManifest(src('pyproject.toml', pyproject))).map((d) => d.slice(0, 3).concat(d[5])),
    [
      ['pypi', 'flask', '>=3.0', false],
      ['pypi', 'Flask-Login', '==0.6.3', false],
      ['pypi', 'pytest', '>=8', true],
      ['pypi', 'django', '^5.0', false],
      ['pypi', 'coverage', '*', true],
    ],
  );
  const pipfile = '[packages]\nflask = "*"\nflask-login = "==0.6.3"\n[dev-packages]\npytest = "*"\n';
  assert.deepEqual(
    deps(extractManifest(src('Pipfile', pipfile))).map((d) => d.slice(0, 3)),
    [
      ['pypi', 'flask', null],
      ['pypi', 'flask-login', '==0.6.3'],
      ['pypi', 'pytest', null],
    ],
  );
  const poetryLock =
    '[[package]]\nname = "flask"\nversion = "3.0.3"\n\n[[package]]\nname = "flask-login"\nversion = "0.6.3"\n';
  assert.deepEqual(deps(extractManifest(src('poetry.lock', poetryLock))), [
    ['pypi', 'flask', '3.0.3', 2, true, false],
    ['pypi', 'flask-login', '0.6.3', 6, true, false],
  ]);
  assert.throws(() => extractManifest(src('pyproject.toml', '[project\n')), /not valid TOML/);
});

test('requirement lines follow PEP 508', () => {
  assert.deepEqual(parseRequirement('Flask-Login [extra] (>=0.6) ; python_version<"4"'), {
    name: 'Flask-Login',
    version: '>=0.6',
  });
  assert.deepEqual(parseRequirement('pkg @ https://example.com/pkg.whl'), { name: 'pkg', version: null });
  assert.equal(parseRequirement('--index-url https://example.com'), null);
  assert.equal(parseRequirement('   # only a comment'), null);
});

test('versionAtLeast decides only when every allowed version is on the same side', () => {
  const cases: [string | null, string, boolean | 'unknown', ('npm' | 'composer' | 'pypi')?][] = [
    ['v11.21.0', '11.21', true],
    ['11.20.3', '11.21', false],
    ['^12.0', '11.21', true],
    ['^11.9', '11.21', 'unknown'],
    ['^10.0', '11.21', false],
    ['^10.0|^11.0', '11.21', 'unknown'],
    ['^10.0 || ^11.0', '12.0', false],
    ['~11.21', '11.21', true],
    ['~11.5', '11.21', 'unknown', 'composer'],
    ['~11.5', '11.21', false, 'npm'],
    ['11.*', '11.21', 'unknown'],
    ['10.*', '11.21', false],
    ['>=0.6,<1', '0.6.0', true, 'pypi'],
    ['>=0.5', '0.6.0', 'unknown', 'pypi'],
    ['==0.5.3', '0.6.0', false, 'pypi'],
    ['~=0.6', '0.6.0', true, 'pypi'],
    ['<0.6', '0.6.0', false, 'pypi'],
    ['*', '1.0', 'unknown'],
    [null, '1.0', 'unknown'],
    ['dev-master', '1.0', 'unknown'],
  ];
  for (const [spec, min, want, eco] of cases)
    assert.equal(versionAtLeast(spec, min, eco), want, `${spec} >= ${min}`);
});

test('locations are 1-based with UTF-16 columns; excerpts cut long lines and drop blank context', () => {
  const text = 'const é = 1;\n\nsession({ a: 1 });\n' + 'x'.repeat(300) + '\n';
  const node = parse(Lang.JavaScript, text).root().find('session($A)');
  assert.ok(node);
  assert.deepEqual(locationOf(node, 'app.js'), {
    file: 'app.js',
    line: 3,
    column: 1,
    endLine: 3,
    endColumn: 18,
  });
  assert.deepEqual(locationAtOffset(text, text.indexOf('= 1'), 'app.js'), {
    file: 'app.js',
    line: 1,
    column: 9,
  });
  assert.equal(snippetAt(text, 3, 1), 'session({ a: 1 });\n' + 'x'.repeat(199) + '…');
  assert.deepEqual(
    excerptLines(text, 1, 1).map((l) => l.line),
    [1],
  );
  assert.equal(snippetAt(text, 99), '');
  assert.equal(evidenceOf(node), 'session({ a: 1 })');
  assert.equal(evidenceOf('a\n   b'), 'a b');
});

test('setting value helpers', () => {
  assert.equal(describeValue(literal(true)), 'true');
  assert.equal(describeValue(literal('lax')), "'lax'");
  assert.equal(
    describeValue(envValue('SESSION_SECURE_COOKIE', "env('SESSION_SECURE_COOKIE', false)", false)),
    'env SESSION_SECURE_COOKIE (default false)',
  );
  assert.ok(sameValue(envValue('A', 'x'), envValue('A', 'x')));
  assert.ok(!sameValue(literal(1), literal('1')));
});
