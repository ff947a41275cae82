import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../../src/model/finding.js';
import { cookieBlocks, summaryNotes } from '../../src/report/common.js';
import { renderHtml } from '../../src/report/html.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderText } from '../../src/report/text.js';
import type { RenderOptions } from '../../src/report/types.js';
import { codeFinding, makeReport, rules, siteFinding } from './fixtures.js';

const base: RenderOptions = { showValues: false, color: false, failOn: 'medium', suppressed: 0, rules };
const as = (cookie: string | null, severity: Finding['severity']): Finding => ({
  ...codeFinding,
  cookie,
  severity,
});

test('cookieBlocks: worst first, then the name in code units (not the locale), site-wide last', () => {
  const fs = [
    as('b_sid', 'medium'),
    siteFinding,
    as('a_sid', 'medium'),
    as('B_sid', 'medium'),
    as('z', 'high'),
  ];
  assert.deepEqual(
    cookieBlocks(fs).map(([c]) => c),
    ['z', 'B_sid', 'a_sid', 'b_sid', ''],
  );
});

test('text and HTML list the cookies in the same order (HTML sorted ties by the locale before)', () => {
  const report = makeReport([as('b_sid', 'medium'), as('a_sid', 'medium'), as('B_sid', 'medium')]);
  const text = renderText(report, base);
  const html = renderHtml(report, base);
  const order = (out: string, re: RegExp) => [...out.matchAll(re)].map((m) => m[1]);
  const inText = order(text, /^cookie (\S+) {2}\(/gm);
  const inHtml = order(html, /data-cookie="([^"]+)"/g);
  assert.deepEqual(inText, ['B_sid', 'a_sid', 'b_sid']);
  assert.deepEqual(inHtml, inText);
});

test('summary notes: the same words in text, HTML and Markdown; Markdown leaves out "0 errors"', () => {
  const report = makeReport([as('sid', 'high'), { ...siteFinding, rule: 'cookie-config-unresolved' }]);
  const opts = { ...base, suppressed: 1, baseline: { unchanged: [codeFinding] } };
  const notes =
    '1 suppressed by config; 1 already in the baseline (not shown); 1 session configuration could not be resolved (cookie-config-unresolved)';
  assert.equal(summaryNotes(report, opts, true).join('; '), `${notes}; 0 errors`);
  assert.ok(renderText(report, opts).includes(`${notes}; 0 errors`));
  assert.ok(renderHtml(report, opts).includes(`${notes}; 0 errors`));
  assert.ok(renderMarkdown(report, opts).includes(`${notes}.`));
});
