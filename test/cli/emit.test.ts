import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emitReport, exitCodeFor, type AuditOutcome, type CommonOptions } from '../../src/cli/emit.js';
import type { IgnoreEntry } from '../../src/config/types.js';
import { codeFinding, infoFinding, liveFinding, rules, siteFinding } from '../report/fixtures.js';

const tmp = mkdtempSync(join(tmpdir(), 'cookieguard-emit-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

test('exit codes: 1 when a finding reaches --fail-on, else 0; none never fails', () => {
  const cases: [(typeof codeFinding)[], CommonOptions['failOn'], number][] = [
    [[], 'info', 0],
    [[infoFinding], 'info', 1],
    [[infoFinding], 'low', 0],
    [[siteFinding], 'low', 1],
    [[siteFinding], 'medium', 0],
    [[liveFinding], 'medium', 1],
    [[liveFinding], 'high', 0],
    [[codeFinding], 'high', 1],
    [[codeFinding, liveFinding], 'none', 0],
  ];
  for (const [findings, failOn, code] of cases)
    assert.equal(exitCodeFor(findings, failOn), code, `${failOn}`);
});

function run(outcome: Partial<AuditOutcome>, opts: Partial<CommonOptions>, ignore: IgnoreEntry[] = []) {
  const output = join(tmp, `r-${Math.random().toString(36).slice(2)}.json`);
  const warnings: string[] = [];
  const full: AuditOutcome = {
    findings: [],
    errors: [],
    observations: [],
    srcRoot: null,
    fatal: null,
    ...outcome,
  };
  const common: CommonOptions = {
    format: 'json',
    output,
    failOn: 'medium',
    showValues: false,
    color: false,
    quiet: false,
    ...opts,
  };
  return emitReport(full, common, { ignore, rules, warn: (l) => warnings.push(l) }).then((code) => ({
    code,
    warnings,
    report: JSON.parse(readFileSync(output, 'utf8')) as { findings: unknown[]; suppressed: number },
  }));
}

test('emitReport: ignore entries, warnings for expired and unknown-rule entries, --quiet', async () => {
  const ignore: IgnoreEntry[] = [
    { rule: 'cookie-missing-secure', cookie: 'PHPSESSID', reason: 'accepted' },
    { rule: 'hsts-missing', reason: 'CDN', expires: '2001-01-01' },
    { rule: 'cookie-misssing-httponly', reason: 'typo' },
  ];
  const r = await run({ findings: [codeFinding, siteFinding, liveFinding] }, {}, ignore);
  assert.equal(r.code, 1);
  assert.equal(r.report.suppressed, 1);
  assert.equal(r.report.findings.length, 2);
  assert.deepEqual(r.warnings, [
    'warning: ignore entry hsts-missing expired on 2001-01-01; its findings are reported again',
    'warning: ignore entry names an unknown rule "cookie-misssing-httponly"',
  ]);
  const quiet = await run({ findings: [codeFinding] }, { quiet: true }, ignore);
  assert.deepEqual(quiet.warnings, []);
  assert.equal(quiet.code, 0, 'the only finding was suppressed');
});

test('emitReport: a fatal outcome still writes the report, prints its line, and exits 2', async () => {
  const r = await run(
    { errors: [{ url: 'https://x.test/', message: 'connection refused' }], fatal: 'nothing reachable' },
    {},
  );
  assert.equal(r.code, 2);
  assert.deepEqual(r.warnings, ['nothing reachable']);
  assert.deepEqual(r.report.findings, []);
});
