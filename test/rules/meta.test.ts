import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SEVERITIES } from '../../src/model/finding.js';
import type { RejectionReason } from '../../src/model/observation.js';
import { allRules, ruleById } from '../../src/rules/index.js';

/** The core ids of spec/findings.md: a public contract. */
const CORE = [
  'cookie-missing-secure',
  'cookie-secure-env-dependent',
  'cookie-missing-httponly',
  'cookie-samesite-none-insecure',
  'cookie-samesite-invalid',
  'cookie-prefix-invalid',
  'cookie-set-over-http',
  'cookie-domain-broad',
  'session-id-in-url',
  'session-trust-proxy-missing',
  'https-not-enforced',
  'hsts-missing',
  'hsts-weak',
  'mixed-content',
  'form-posts-over-http',
  'cookie-config-unresolved',
];

const REJECTIONS: RejectionReason[] = [
  'SecureOnly',
  'SameSiteNoneInsecure',
  'InvalidPrefix',
  'InvalidDomain',
  'NameValuePairExceedsMaxSize',
  'DisallowedCharacter',
  'OverwriteSecure',
  'SyntaxError',
];

test('every core rule id of the findings contract exists', () => {
  for (const id of CORE) assert.ok(ruleById(id), id);
  assert.equal(ruleById('no-such-rule'), undefined);
});

test('rule ids are unique, kebab-case, and every meta is complete', () => {
  const ids = allRules.map((r) => r.meta.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const { meta } of allRules) {
    assert.match(meta.id, /^[a-z]+(-[a-z]+)*$/);
    assert.ok(meta.title.length > 0 && meta.description.length > 40, meta.id);
    assert.ok(SEVERITIES.includes(meta.defaultSeverity), meta.id);
    assert.ok(meta.sources.length > 0, meta.id);
    for (const s of meta.sources)
      assert.ok(['code', 'live', 'crawl', 'browser', 'har'].includes(s), `${meta.id}: ${s}`);
    assert.ok((meta.references ?? []).length > 0, `${meta.id}: no references`);
    assert.ok((meta.severityLogic ?? '').length > 0, `${meta.id}: no severityLogic`);
  }
});

test('every storage-model rejection belongs to exactly one rule', () => {
  for (const reason of REJECTIONS) {
    const owners = allRules.filter((r) => r.meta.rejections?.includes(reason)).map((r) => r.meta.id);
    assert.equal(owners.length, 1, `${reason}: ${owners.join(', ')}`);
  }
});

test('the README rules section documents every rule with its default severity', () => {
  const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');
  const start = readme.indexOf('<!-- section: rules -->');
  const end = readme.indexOf('<!-- end section: rules -->');
  assert.ok(start !== -1 && end > start);
  const section = readme.slice(start, end);
  for (const { meta } of allRules) {
    const row = section.split('\n').find((l) => l.startsWith(`| \`${meta.id}\``));
    assert.ok(row, `${meta.id} missing from README`);
    assert.ok(row.includes(meta.defaultSeverity), `${meta.id}: README row lacks ${meta.defaultSeverity}`);
  }
});
