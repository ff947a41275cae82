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
