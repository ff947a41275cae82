import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../../src/model/finding.js';
import { splitByBaseline } from '../../src/report/baseline.js';

const f = (over: Partial<Finding>): Finding => ({
  rule: 'cookie-missing-secure',
  severity: 'high',
  source: 'live',
  message: 'm',
  cookie: 'sid',
  location: null,
  url: 'https://a.test/',
  evidence: null,
  fix: null,
  framework: null,
  ...over,
});

test('live findings match by rule, cookie and URL; the message and severity may change', () => {
  const base = [f({ message: 'old wording', severity: 'medium' })];
  const { fresh, unchanged } = splitByBaseline(
    [f({}), f({ url: 'https://b.test/' }), f({ cookie: 'other' }), f({ rule: 'cookie-missing-httponly' })],
    base,
  );
  assert.equal(unchanged.length, 1);
  assert.equal(unchanged[0]!.url, 'https://a.test/');
  assert.deepEqual(
    fresh.map((x) => [x.rule, x.cookie, x.url]),
    [
      ['cookie-missing-secure', 'sid', 'https://b.test/'],
      ['cookie-missing-secure', 'other', 'https://a.test/'],
      ['cookie-missing-httponly', 'sid', 'https://a.test/'],
    ],
  );
});

test('code findings match by file whatever the line; earlier lines take the baseline places first', () => {
  const at = (line: number) => ({ file: 'a.php', line, column: 1 });
  const base = [f({ source: 'code', url: null, location: at(3) })];
  const { fresh, unchanged } = splitByBaseline(
    [f({ source: 'code', url: null, location: at(40) }), f({ source: 'code', url: null, location: at(9) })],
    base,
  );
  assert.deepEqual(
    unchanged.map((x) => x.location?.line),
    [9],
  );
  assert.deepEqual(
    fresh.map((x) => x.location?.line),
    [40],
  );
  // Another file with the same rule and cookie is new.
  assert.equal(
    splitByBaseline([f({ source: 'code', url: null, location: { file: 'b.php', line: 3, column: 1 } })], base)
      .fresh.length,
    1,
  );
});
