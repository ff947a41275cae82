import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anchorsOf, KeywordFilter } from '../../src/collect/code/prefilter.js';
import type { Extractor } from '../../src/collect/code/types.js';

const ex = (name: string, keywords: string[]): Extractor => ({
  name,
  files: ['**/*'],
  keywords,
  extract: () => [],
});

test('anchors drop keywords that contain another keyword, case-insensitively', () => {
  assert.deepEqual(
    anchorsOf([
      'session',
      'SESSION_COOKIE_',
      'express-session',
      'Cookie',
      'setcookie',
      'proxy',
      'trust proxy',
    ]),
    ['cookie', 'proxy', 'session'],
  );
  assert.deepEqual(anchorsOf(['a.b', 'A.B', '']), ['a.b']);
});

test('the filter hands a file only to the extractors whose keywords occur in it', () => {
  const extractors = [
    ex('sessions', ['session', 'cookie']),
    ex('proxies', ['trust proxy', 'ProxyFix']),
    ex('env', []),
    ex('regex-chars', ['a.b(c']),
  ];
  const f = new KeywordFilter(extractors);
  const all = [0, 1, 2, 3];
  const cases: [string, number[]][] = [
    ['nothing to see here', [2]],
    ['app.use(SESSION())', [0, 2]],
    ["app.set('Trust Proxy', 1)", [1, 2]],
    ['x = ProxyFix(app); set_cookie()', [0, 1, 2]],
    ['axb(c', [2]],
    ['a.b(c', [2, 3]],
  ];
  for (const [text, want] of cases) assert.deepEqual(f.select(text, all), want, text);
  assert.deepEqual(f.select('session', [1]), []);
  assert.deepEqual(f.select('session', [0]), [0]);
  assert.deepEqual(f.anchors([0, 1]), ['cookie', 'proxyfix', 'session', 'trust proxy']);
});

test('an extractor may match its keywords with their case: stage 1 stays a superset, stage 2 decides', () => {
  const upper: Extractor = {
    name: 'upper',
    files: ['**/*.py'],
    keywords: ['SESSION_', 'Config'],
    caseSensitive: true,
    extract: () => [],
  };
  const lower: Extractor = { name: 'lower', files: ['**/*.py'], keywords: ['set_cookie'], extract: () => [] };
  const f = new KeywordFilter([upper, lower]);
  assert.deepEqual(f.select('x = session_cookie_name', [0, 1]), []);
  assert.deepEqual(f.select('SESSION_COOKIE_SECURE = True', [0, 1]), [0]);
  assert.deepEqual(f.select('class ProdConfig: pass\nresp.SET_COOKIE()', [0, 1]), [0, 1]);
  // Alone in its plan, stage 1's case-insensitive test is not taken as its own.
  assert.deepEqual(new KeywordFilter([upper]).select('my_config = 1', [0]), []);
});
