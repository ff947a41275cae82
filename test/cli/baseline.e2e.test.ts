/**
 * `--baseline FILE` end to end: accept today's findings, fail only on new ones.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { XMLValidator } from 'fast-xml-parser';
import { sarifValidator } from '../report/sarif-schema.js';
import { oneErrorLine, runCli } from './run.js';

const V1 = `<?php
ini_set('session.cookie_secure', '0');
session_start();
setcookie('auth_token', $token, ['secure' => false, 'httponly' => true]);
`;
// Lines moved, one message-relevant change (the literal is now 0), and one new insecure cookie.
const V2 = `<?php
// Session set-up, moved down by this comment.

ini_set('session.cookie_secure', 0);
session_start();
setcookie('auth_token', $token, ['secure' => false, 'httponly' => true]);
setcookie('remember_me', $token, ['secure' => false, 'httponly' => true]);
`;

interface JsonOut {
  findings: { rule: string; cookie: string | null; location: { line: number } | null }[];
  baselined: number;
  tool: { version: string };
}

describe('--baseline', () => {
  let dir: string;
  let base: string;
  let baseFindings: number;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cg-baseline-'));
    writeFileSync(join(dir, 'app.php'), V1);
    base = join(dir, 'baseline.json');
    const r = await runCli(['scan', dir, '--format', 'json', '--output', base]);
    assert.equal(r.code, 1, r.stderr);
    baseFindings = (JSON.parse(readFileSync(base, 'utf8')) as JsonOut).findings.length;
    assert.ok(baseFindings >= 2, `the first run finds the session and the auth cookie (${baseFindings})`);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('the same code against its own baseline: nothing new, exit 0, everything counted as baselined', async () => {
    const r = await runCli(['scan', dir, '--format', 'json', '--baseline', base]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as JsonOut;
    assert.deepEqual(out.findings, []);
    assert.equal(out.baselined, baseFindings);
  });

  test('scan --fix --dry-run exits as scan does: the baseline holds every finding left, exit 0', async () => {
    const plain = await runCli(['scan', dir, '--fix', '--dry-run']);
    assert.equal(plain.code, 1, 'without the baseline, what the fixes leave fails the run');
    assert.match(plain.stderr, /not fixed: /, 'some finding has no mechanical fix');
    const r = await runCli(['scan', dir, '--fix', '--dry-run', '--baseline', base]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^--- a\/app\.php/m, 'the diff is still printed');
    assert.equal(readFileSync(join(dir, 'app.php'), 'utf8'), V1, 'nothing changed');
  });

  test('moved lines still match; only the new cookie is reported and decides the exit code', async () => {
    writeFileSync(join(dir, 'app.php'), V2);
    try {
      const r = await runCli(['scan', dir, '--format', 'json', '--baseline', base]);
      assert.equal(r.code, 1, r.stderr);
      const out = JSON.parse(r.stdout) as JsonOut;
      assert.ok(out.findings.length > 0);
      assert.ok(
        out.findings.every((f) => f.cookie === 'remember_me'),
        JSON.stringify(out.findings.map((f) => [f.rule, f.cookie])),
      );
      assert.equal(out.baselined, baseFindings);

      const low = await runCli(['scan', dir, '--baseline', base, '--fail-on', 'high', '--no-color']);
      assert.match(low.stdout, new RegExp(`${baseFindings} already in the baseline \\(not shown\\)`));
      assert.doesNotMatch(low.stdout, /auth_token/);

      const sarif = await runCli(['scan', dir, '--format', 'sarif', '--baseline', base]);
      const log = JSON.parse(sarif.stdout) as { runs: { results: { baselineState?: string }[] }[] };
      const states = log.runs[0]!.results.map((x) => x.baselineState);
      assert.equal(states.filter((s) => s === 'unchanged').length, baseFindings);
      assert.equal(states.filter((s) => s === 'new').length, out.findings.length);
      const schema = sarifValidator();
      if ('validate' in schema) assert.ok(schema.validate(log), JSON.stringify(schema.validate.errors));

      const junit = await runCli(['scan', dir, '--format', 'junit', '--baseline', base]);
      assert.equal(XMLValidator.validate(junit.stdout), true);
      assert.match(
        junit.stdout,
        new RegExp(`<testsuite name="baseline" tests="${baseFindings}"[^>]*skipped="${baseFindings}"`),
      );
      assert.equal((junit.stdout.match(/<skipped /g) ?? []).length, baseFindings);
    } finally {
      writeFileSync(join(dir, 'app.php'), V1);
    }
  });

  test('a second finding of the same rule and cookie in the same file is new (matching is one to one)', async () => {
    writeFileSync(
      join(dir, 'app.php'),
      V1 + `setcookie('auth_token', $token, ['secure' => false, 'httponly' => true, 'path' => '/x']);\n`,
    );
    try {
      const r = await runCli(['scan', dir, '--format', 'json', '--baseline', base]);
      assert.equal(r.code, 1, r.stderr);
      const out = JSON.parse(r.stdout) as JsonOut;
      assert.deepEqual(
        out.findings.map((f) => [f.rule, f.cookie, f.location?.line]),
        [['cookie-missing-secure', 'auth_token', 5]],
      );
    } finally {
      writeFileSync(join(dir, 'app.php'), V1);
    }
  });

  test('a report of another tool version still works; extra and missing optional fields are fine', async () => {
    const old = JSON.parse(readFileSync(base, 'utf8')) as Record<string, unknown> & JsonOut;
    old.tool.version = '0.0.1';
    delete (old as Record<string, unknown>).suppressed;
    (old as Record<string, unknown>).futureField = { x: 1 };
    const f = join(dir, 'old.json');
    writeFileSync(f, JSON.stringify(old));
    const r = await runCli(['scan', dir, '--format', 'json', '--baseline', f]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as JsonOut).baselined, baseFindings);
  });

  test('a file that is not a report, a missing file, a directory: one line, exit 2, before scanning', async () => {
    const cases: [string, string | null, RegExp][] = [
      ['not-json.json', 'hello', /is not a cookieguard JSON report: not JSON/],
      ['sarif.json', JSON.stringify({ version: '2.1.0', runs: [] }), /not a cookieguard JSON report/],
      ['no-findings.json', JSON.stringify({ tool: { name: 'cookieguard' } }), /no "findings" array/],
      [
        'bad-finding.json',
        JSON.stringify({ tool: { name: 'cookieguard' }, findings: [{ rule: 'x', severity: 'fatal' }] }),
        /findings\[0\] has no valid severity/,
      ],
      ['missing.json', null, /cannot read --baseline .*missing\.json: no such file/],
    ];
    for (const [name, content, expected] of cases) {
      const p = join(dir, name);
      if (content !== null) writeFileSync(p, content);
      const r = await runCli(['scan', dir, '--baseline', p]);
      assert.equal(r.code, 2, `${name}: ${r.stderr}`);
      const line = oneErrorLine(r.stderr);
      assert.ok(line, `${name}: one line, got ${r.stderr}`);
      assert.match(line, expected);
    }
    const r = await runCli(['scan', dir, '--baseline', dir]);
    assert.equal(r.code, 2);
    assert.match(oneErrorLine(r.stderr) ?? '', /it is a directory/);
  });
});
