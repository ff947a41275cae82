/**
 * `cookieguard check` end to end: the real bin against real HTTPS servers on loopback with a CA made
 * in the test (test/cli/sites.ts). Every server binds 127.0.0.1; every run is bounded by runCli.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { freePort } from '../helpers/servers.js';
import { sarifValidator } from '../report/sarif-schema.js';
import { oneErrorLine, runCli } from './run.js';
import { SECRET, startSites, type JsonReport, type Sites } from './sites.js';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[/;

let s: Sites;
before(async () => {
  s = await startSites();
});
after(() => s?.close());

// Independent runs of the real bin: run them side by side.
describe('check end to end', { concurrency: 4 }, () => {
  test('insecure site: exit 1, the findings in JSON, values redacted, nothing on stderr (not a TTY)', async () => {
    const r = await runCli(s.args(s.bad, '--format', 'json'));
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stderr, '', 'no progress line and no warning when stderr is not a terminal');
    const report = JSON.parse(r.stdout) as JsonReport;
    const secure = report.findings.find((f) => f.rule === 'cookie-missing-secure' && f.cookie === 'sid');
    assert.ok(secure, JSON.stringify(report.findings.map((f) => [f.rule, f.cookie])));
    assert.equal(secure.severity, 'high');
    assert.equal(secure.source, 'live');
    assert.ok(secure.url?.startsWith(s.bad.httpsOrigin));
    assert.match(secure.evidence ?? '', /sid=<redacted>/);
    assert.ok(report.findings.some((f) => f.rule === 'hsts-missing'));
    assert.deepEqual(report.errors, []);
    assert.ok(!r.stdout.includes(SECRET));
  });

  test('--show-values prints the value', async () => {
    const r = await runCli(s.args(s.bad, '--format', 'json', '--show-values'));
    assert.equal(r.code, 1);
    assert.ok(r.stdout.includes(SECRET));
  });

  test('a well-configured site: exit 0', async () => {
    const r = await runCli(s.args(s.good, '--format', 'json'));
    assert.equal(r.code, 0, r.stdout);
    const report = JSON.parse(r.stdout) as JsonReport;
    assert.deepEqual(
      report.findings.filter((f) => ['high', 'medium'].includes(f.severity)),
      [],
    );
    assert.equal(r.stderr, '');
  });

  test('every format: valid output, no value leaked, no colour when stdout is not a terminal', async (t) => {
    const text = await runCli(s.args(s.bad));
    assert.equal(text.code, 1);
    assert.doesNotMatch(text.stdout, ANSI);
    assert.match(text.stdout, /cookie-missing-secure/);
    assert.match(text.stdout, /FAIL: \d+ findings? at or above --fail-on medium/);

    const junit = await runCli(s.args(s.bad, '--format', 'junit'));
    assert.equal(junit.code, 1);
    assert.equal(XMLValidator.validate(junit.stdout), true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(junit.stdout) as {
      testsuites: { failures: string };
    };
    assert.ok(Number(doc.testsuites.failures) > 0);

    const sarif = await runCli(s.args(s.bad, '--format', 'sarif'));
    assert.equal(sarif.code, 1);
    const log = JSON.parse(sarif.stdout) as { runs: { results: { ruleId: string; level: string }[] }[] };
    assert.ok(log.runs[0]!.results.some((x) => x.ruleId === 'cookie-missing-secure' && x.level === 'error'));
    for (const out of [text.stdout, junit.stdout, sarif.stdout, text.stderr, junit.stderr, sarif.stderr]) {
      assert.ok(!out.includes(SECRET), 'a cookie value reached a report');
    }
    const schema = sarifValidator();
    if ('missing' in schema) {
      t.skip(schema.missing);
      return;
    }
    assert.ok(schema.validate(log), JSON.stringify(schema.validate.errors));
  });

  test('--output writes the report to a file and nothing to stdout; no temporary file is left', async () => {
    const dir = mkdtempSync(join(s.tmp, 'out-'));
    const file = join(dir, 'report.json');
    writeFileSync(file, 'old content');
    const r = await runCli(s.args(s.bad, '--format', 'json', '--output', file));
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    const report = JSON.parse(readFileSync(file, 'utf8')) as JsonReport;
    assert.ok(report.findings.length > 0);
    assert.deepEqual(readdirSync(dir), ['report.json']);
  });

  test('nothing reachable: exit 2, one line on stderr, the report still lists the errors', async () => {
    const port = await freePort();
    const r = await runCli(['check', `https://127.0.0.1:${port}/`, '--format', 'json', '--timeout', '5000']);
    assert.equal(r.code, 2);
    assert.match(oneErrorLine(r.stderr) ?? r.stderr, /^cookieguard: nothing reachable: .*127\.0\.0\.1:\d+/);
    const report = JSON.parse(r.stdout) as JsonReport;
    assert.equal(report.findings.length, 0);
    assert.ok(report.errors.length >= 1);
    assert.match(report.errors[0]!.message, /connection refused/);
  });

  test('some URLs unreachable: not exit 2; the exit code follows the findings and the errors are listed', async () => {
    const port = await freePort();
    const r = await runCli([...s.args(s.good, '--format', 'json'), `https://127.0.0.1:${port}/`]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as JsonReport;
    assert.ok(report.errors.some((e) => e.url === `https://127.0.0.1:${port}/`));
  });
});
