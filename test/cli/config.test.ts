import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findConfig, loadConfigFile } from '../../src/config/load.js';
import { validateConfig } from '../../src/config/validate.js';
import { applyIgnores, entryMatches, isExpired, today } from '../../src/config/ignore.js';
import type { IgnoreEntry } from '../../src/config/types.js';
import { expandEnv } from '../../src/config/env.js';
import type { Finding } from '../../src/model/finding.js';

const tmp = mkdtempSync(join(tmpdir(), 'cookieguard-config-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

test('validateConfig: valid configs', () => {
  const valid: [unknown, unknown][] = [
    [{}, {}],
    [
      { failOn: 'high', format: 'sarif' },
      { failOn: 'high', format: 'sarif' },
    ],
    [
      {
        check: {
          http: 'http://x:8080',
          ca: 'ca.pem',
          timeout: 5000,
          concurrency: 2,
          headers: { Authorization: 'Bearer ${ENV:T}' },
        },
      },
      {
        check: {
          http: 'http://x:8080',
          ca: ['ca.pem'],
          timeout: 5000,
          concurrency: 2,
          headers: ['Authorization: Bearer ${ENV:T}'],
        },
      },
    ],
    [
      { check: { cookies: { sid: '${ENV:SID}' }, insecure: true } },
      { check: { cookies: ['sid=${ENV:SID}'], insecure: true } },
    ],
    [
      { scan: { include: ['src/**'], exclude: 'vendor/**', maxFileSize: 1000, workers: 2 } },
      { scan: { include: ['src/**'], exclude: ['vendor/**'], maxFileSize: 1000, workers: 2 } },
    ],
    [
      {
        ignore: [
          { rule: 'hsts-missing', url: 'https://x/*', reason: 'HSTS set at the CDN', expires: '2030-02-28' },
        ],
      },
      {
        ignore: [
          { rule: 'hsts-missing', url: 'https://x/*', reason: 'HSTS set at the CDN', expires: '2030-02-28' },
        ],
      },
    ],
  ];
  for (const [input, expected] of valid)
    assert.deepEqual(validateConfig(input), expected, JSON.stringify(input));
});

test('validateConfig: invalid configs, one message each naming the key', () => {
  const invalid: [unknown, RegExp][] = [
    [[], /the config must be an object/],
    ['failOn: high', /the config must be an object/],
    [{ failon: 'high' }, /: failon is not a known setting/],
    [{ failOn: 'critical' }, /failOn must be one of high, medium, low, info, none/],
    [{ format: 'xml' }, /format must be one of text, json, sarif, junit, html, markdown/],
    [{ check: [] }, /check must be an object/],
    [{ check: { timeout: '10s' } }, /check\.timeout must be a positive integer/],
    [{ check: { timeout: 0 } }, /check\.timeout must be a positive integer/],
    [{ check: { concurency: 2 } }, /check\.concurency is not a known setting/],
    [{ check: { headers: [1] } }, /check\.headers\[0\] must be a non-empty string/],
    [{ check: { insecure: 'yes' } }, /check\.insecure must be true or false/],
    [{ scan: { maxFileSize: -1 } }, /scan\.maxFileSize must be a positive integer/],
    [{ ignore: {} }, /ignore must be a list/],
    [{ ignore: ['hsts-missing'] }, /ignore\[0\] must be an object/],
    [{ ignore: [{ rule: 'hsts-missing' }] }, /ignore\[0\]\.reason is required/],
    [{ ignore: [{ reason: 'x' }] }, /ignore\[0\]\.rule is required/],
    [{ ignore: [{ rule: 'r', reason: '  ' }] }, /ignore\[0\]\.reason must be a non-empty string/],
    [
      { ignore: [{ rule: 'r', reason: 'x', expires: '2025-02-30' }] },
      /ignore\[0\]\.expires must be a date written YYYY-MM-DD/,
    ],
    [{ ignore: [{ rule: 'r', reason: 'x', expires: '31/12/2025' }] }, /ignore\[0\]\.expires must be a date/],
    [{ ignore: [{ rule: 'r', reason: 'x', cookies: 'a' }] }, /ignore\[0\]\.cookies is not a known setting/],
  ];
  for (const [input, error] of invalid)
    assert.throws(() => validateConfig(input), error, JSON.stringify(input));
});

test('findConfig: json, yaml, yml and package.json, found upward; the nearest wins', () => {
  const root = join(tmp, 'find');
  const deep = join(root, 'a', 'b', 'c');
  mkdirSync(deep, { recursive: true });
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'x', cookieguard: { failOn: 'low' } }));
  assert.equal(findConfig(deep).config.failOn, 'low');
  assert.equal(findConfig(deep).path, join(root, 'package.json'));

  writeFileSync(join(root, 'a', 'package.json'), JSON.stringify({ name: 'no-key' }));
  assert.equal(findConfig(deep).config.failOn, 'low', 'a package.json without the key is passed over');

  writeFileSync(join(root, 'a', 'cookieguard.config.yml'), 'failOn: info\ncheck:\n  ca: certs/ca.pem\n');
  const yml = findConfig(deep);
  assert.equal(yml.config.failOn, 'info');
  assert.deepEqual(
    yml.config.check?.ca,
    [join(root, 'a', 'certs', 'ca.pem')],
    'CA paths are relative to the config file',
  );

  writeFileSync(join(root, 'a', 'b', 'cookieguard.config.yaml'), 'format: junit\n');
  assert.equal(findConfig(deep).config.format, 'junit');

  writeFileSync(join(root, 'a', 'b', 'cookieguard.config.json'), '{"format": "json"}');
  assert.equal(findConfig(deep).config.format, 'json', '.json is preferred in the same directory');

  const none = join(tmp, 'empty', 'x');
  mkdirSync(none, { recursive: true });
  // Nothing in tmp/empty/x or tmp/empty; anything above tmp is outside the test's control.
  const r = findConfig(none);
  assert.ok(r.path === null || !r.path.startsWith(join(tmp, 'empty')));
});

test('loadConfigFile: parse errors and missing keys are one line', () => {
  const bad = join(tmp, 'bad.yaml');
  writeFileSync(bad, 'failOn: [high\n  check: {');
  assert.throws(
    () => loadConfigFile(bad),
    (e: Error) => /^invalid config file .*bad\.yaml: /.test(e.message) && !e.message.includes('\n'),
  );
  const pkg = join(tmp, 'package.json');
  writeFileSync(pkg, '{"name": "x"}');
  assert.throws(() => loadConfigFile(pkg), /has no "cookieguard" key/);
  const empty = join(tmp, 'empty.json');
  writeFileSync(empty, '');
  assert.deepEqual(loadConfigFile(empty).config, {});
});

const f = (over: Partial<Finding>): Finding => ({
  rule: 'cookie-missing-secure',
  severity: 'high',
  source: 'live',
  message: 'm',
  cookie: '_ga_XYZ',
  location: null,
  url: 'https://shop.example/cart?x=1',
  evidence: null,
  fix: null,
  framework: null,
  ...over,
});

test('ignore entries: what matches and what does not', () => {
  const e = (over: Partial<IgnoreEntry>): IgnoreEntry => ({
    rule: 'cookie-missing-secure',
    reason: 'r',
    ...over,
  });
  const matches: [IgnoreEntry, Finding][] = [
    [e({}), f({})],
    [e({ cookie: '_ga*' }), f({})],
    [e({ cookie: '_ga_XYZ' }), f({})],
    [e({ url: 'https://shop.example/*' }), f({})],
    [e({ url: 'https://shop.example/cart?x=1' }), f({})],
    [e({ url: 'HTTPS://SHOP.example/cart?x=1' }), f({})],
    [
      e({ file: 'test/**' }),
      f({ source: 'code', url: null, location: { file: 'test/a/b.js', line: 1, column: 1 } }),
    ],
    [
      e({ file: 'config/php.ini' }),
      f({ source: 'code', url: null, location: { file: 'config/php.ini', line: 1, column: 1 } }),
    ],
    [
      e({ file: '**/.env*' }),
      f({ source: 'code', url: null, location: { file: 'app/.env.local', line: 1, column: 1 } }),
    ],
  ];
  const misses: [IgnoreEntry, Finding][] = [
    [e({ rule: 'cookie-missing-httponly' }), f({})],
    [e({ cookie: 'sid' }), f({})],
    [e({ cookie: '_ga*' }), f({ cookie: null })],
    [e({ url: 'https://shop.example/' }), f({})],
    [e({ url: 'https://other.example/*' }), f({})],
    [e({ url: 'https://shop.example/*' }), f({ url: null })],
    [e({ file: 'test/**' }), f({})],
    [
      e({ file: 'test/**' }),
      f({ source: 'code', url: null, location: { file: 'src/test.js', line: 1, column: 1 } }),
    ],
    [e({ cookie: '_ga*', url: 'https://other/*' }), f({})],
  ];
  for (const [entry, finding] of matches) assert.ok(entryMatches(entry, finding), JSON.stringify(entry));
  for (const [entry, finding] of misses) assert.ok(!entryMatches(entry, finding), JSON.stringify(entry));
});

test('applyIgnores: drops matches, counts them, and expired entries no longer apply', () => {
  const findings = [f({}), f({ cookie: 'sid' }), f({ rule: 'hsts-missing', cookie: null })];
  const entries: IgnoreEntry[] = [
    { rule: 'cookie-missing-secure', cookie: '_ga*', reason: 'analytics', expires: '2999-12-31' },
    { rule: 'hsts-missing', reason: 'set at the CDN', expires: '2000-01-01' },
  ];
  const r = applyIgnores(findings, entries, '2026-11-26');
  assert.equal(r.suppressed, 1);
  assert.deepEqual(
    r.kept.map((x) => `${x.rule}/${x.cookie}`),
    ['cookie-missing-secure/sid', 'hsts-missing/null'],
  );
  assert.deepEqual(r.expired, [entries[1]]);
  // The expiry day itself still applies; the day after does not.
  const day: IgnoreEntry = { rule: 'r', reason: 'x', expires: '2026-11-26' };
  assert.equal(isExpired(day, '2026-11-26'), false);
  assert.equal(isExpired(day, '2026-11-27'), true);
  assert.match(today(new Date(2026, 0, 5)), /^2026-01-05$/);
});

test('expandEnv: ${ENV:NAME} from the environment; unset and malformed names are errors', () => {
  const env = { TOKEN: 'abc', EMPTY: '' };
  assert.equal(expandEnv('Bearer ${ENV:TOKEN}', '--header', env), 'Bearer abc');
  assert.equal(expandEnv('${ENV:TOKEN}-${ENV:TOKEN}${ENV:EMPTY}', '--header', env), 'abc-abc');
  assert.equal(expandEnv('no refs $TOKEN ${TOKEN}', '--header', env), 'no refs $TOKEN ${TOKEN}');
  assert.throws(
    () => expandEnv('${ENV:NOPE}', '--cookie', env),
    /environment variable NOPE is not set \(referenced in --cookie\)/,
  );
  assert.throws(() => expandEnv('${ENV:1X}', '--cookie', env), /invalid environment reference/);
});

test("the README's example config is valid", async () => {
  const { readFileSync } = await import('node:fs');
  const { repoRoot } = await import('./run.js');
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const m = /```yaml\n# cookieguard\.config\.yaml\n([\s\S]*?)```/.exec(readme);
  assert.ok(m, 'README has the example config');
  const file = join(tmp, 'cookieguard.config.yaml');
  writeFileSync(file, m[1]!);
  const { config } = loadConfigFile(file);
  assert.equal(config.failOn, 'high');
  assert.deepEqual(config.check?.headers, ['Authorization: Bearer ${ENV:API_TOKEN}']);
  assert.deepEqual(config.check?.cookies, ['session=${ENV:SESSION_COOKIE}']);
  assert.equal(config.ignore?.length, 3);
  assert.equal(config.ignore?.[1]?.expires, '2027-06-30');
});
