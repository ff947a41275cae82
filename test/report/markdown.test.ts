import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_ROWS, mdEscape, renderMarkdown } from '../../src/report/markdown.js';
import type { RenderOptions } from '../../src/report/types.js';
import { SECRET, allFindings, codeFinding, errors, liveFinding, makeReport, rules } from './fixtures.js';

const base: RenderOptions = { showValues: false, color: false, failOn: 'medium', suppressed: 0, rules };

test('markdown: verdict, counts, a row per finding worst first, fixes once, errors', () => {
  const out = renderMarkdown(makeReport(allFindings, errors), { ...base, suppressed: 2 });
  assert.match(out, /^## cookieguard\n\n\*\*FAIL\*\*: 3 findings at or above `--fail-on medium`\./);
  assert.match(out, /\| 1 \| 2 \| 1 \| 1 \|/);
  assert.match(out, /2 suppressed by config; 2 errors\./);
  const rows = out.split('\n').filter((l) => /^\| (🔴|🟠|🟡|⚪) \w+ \| `/.test(l));
  assert.equal(rows.length, 5);
  assert.match(rows[0]!, /high \| `cookie-missing-secure` \| PHPSESSID \| config\/php\.ini:9 \|/);
  assert.match(out, /<details><summary>How to fix<\/summary>/);
  assert.match(
    out,
    /- \*\*cookie-missing-secure · PHPSESSID\*\*: Set session\.cookie\\_secure = 1 \(php\.ini\)/,
  );
  assert.match(out, /### Errors \(not collected\)\n\n- https:\/\/down\.example\.test\/: connection refused/);
  assert.ok(!renderMarkdown(makeReport([liveFinding]), { ...base, showValues: true }).includes(SECRET));
  assert.match(renderMarkdown(makeReport([]), base), /\*\*PASS\*\*[\s\S]*No findings\./);
});

test('markdown: strings from the audited code cannot inject markup or break the table', () => {
  const evil = {
    ...codeFinding,
    cookie: 'a|b',
    message: '<img src=x onerror=alert(1)> [link](http://x) | cell\nnext',
  };
  const out = renderMarkdown(makeReport([evil]), base);
  assert.ok(!out.includes('<img'));
  assert.match(out, /a\\\|b/);
  assert.match(out, /&lt;img src=x onerror=alert\(1\)&gt; \\\[link\\\]\(http:\/\/x\) \\\| cell next/);
  assert.equal(mdEscape('a\u0000b'), 'a b');
});

test('markdown: at most MAX_ROWS rows, the rest counted', () => {
  const many = Array.from({ length: MAX_ROWS + 7 }, (_, i) => ({ ...codeFinding, cookie: `c${i}` }));
  const out = renderMarkdown(makeReport(many), base);
  assert.equal(out.split('\n').filter((l) => l.startsWith('| 🔴 high | `')).length, MAX_ROWS);
  assert.match(out, /…and 7 more/);
});
