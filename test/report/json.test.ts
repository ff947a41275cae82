import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderJson } from '../../src/report/json.js';
import type { RenderOptions } from '../../src/report/types.js';
import { SECRET, allFindings, codeFinding, errors, liveFinding, makeReport, rules } from './fixtures.js';

const base: RenderOptions = { showValues: false, color: false, failOn: 'medium', suppressed: 0, rules };
const CONTRACT_KEYS = [
  'rule',
  'severity',
  'source',
  'message',
  'cookie',
  'location',
  'url',
  'evidence',
  'fix',
  'framework',
];

test('json: top level is the spec/findings.md contract plus the suppressed and baselined counts', () => {
  const out = JSON.parse(renderJson(makeReport(allFindings, errors), { ...base, suppressed: 3 }));
  assert.deepEqual(Object.keys(out), ['version', 'tool', 'findings', 'errors', 'suppressed', 'baselined']);
  assert.equal(out.baselined, 0);
  assert.equal(out.version, 1);
  assert.deepEqual(out.tool, { name: 'cookieguard', version: '0.1.0' });
  assert.equal(out.findings.length, allFindings.length);
  assert.equal(out.suppressed, 3);
  assert.deepEqual(out.errors, errors);
});

test('json: every finding starts with the contract fields, in order, null when not applicable', () => {
  const out = JSON.parse(renderJson(makeReport(allFindings), base));
  for (const f of out.findings) {
    assert.deepEqual(Object.keys(f).slice(0, CONTRACT_KEYS.length), CONTRACT_KEYS);
    for (const k of CONTRACT_KEYS) assert.ok(k in f && f[k] !== undefined, k);
    assert.ok(!('rawEvidence' in f), 'rawEvidence is never a field of its own');
  }
  const site = out.findings.find((f: { rule: string }) => f.rule === 'hsts-missing');
  assert.equal(site.cookie, null);
  assert.equal(site.location, null);
  assert.equal(site.evidence, null);
});

test('json: a code finding keeps its location, extras and code fix', () => {
  const out = JSON.parse(renderJson(makeReport([codeFinding]), base));
  const f = out.findings[0];
  assert.deepEqual(f.location, codeFinding.location);
  assert.equal(f.url, null);
  assert.equal(f.browser, codeFinding.browser);
  assert.equal(f.classification, codeFinding.classification);
  assert.equal(f.snippet, codeFinding.snippet);
  assert.deepEqual(f.related, codeFinding.related);
  assert.deepEqual(f.codeFix, codeFinding.codeFix);
});

test('json: evidence is the redacted one unless --show-values', () => {
  const redacted = JSON.parse(renderJson(makeReport([liveFinding]), base));
  assert.equal(redacted.findings[0].evidence, liveFinding.evidence);
  const shown = JSON.parse(renderJson(makeReport([liveFinding]), { ...base, showValues: true }));
  assert.equal(shown.findings[0].evidence, `Set-Cookie: sid=${SECRET}; Path=/; Secure`);
});

test('json: findings are ordered deterministically (files, then URLs; worst first)', () => {
  const a = renderJson(makeReport(allFindings), base);
  const b = renderJson(makeReport([...allFindings].reverse()), base);
  assert.equal(a, b);
  const out = JSON.parse(a);
  assert.deepEqual(
    out.findings.map((f: { rule: string; cookie: string | null }) => `${f.rule}/${f.cookie}`),
    [
      'cookie-missing-secure/PHPSESSID',
      'cookie-missing-secure/theme',
      'hsts-missing/null',
      'cookie-missing-httponly/sid',
      'cookie-future-rule/sid',
    ],
  );
});
