/** `cookieguard scan` end to end: the real bin on fixture projects under test/fixtures/cli/. */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { sarifValidator } from '../report/sarif-schema.js';
import { repoRoot, runCli } from './run.js';

const php = join(repoRoot, 'test', 'fixtures', 'cli', 'php-app');
const tmp = mkdtempSync(join(tmpdir(), 'cookieguard-scan-e2e-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

interface JsonReport {
  findings: {
    rule: string;
    cookie: string | null;
    source: string;
    location: { file: string; line: number; column: number } | null;
  }[];
  errors: unknown[];
  suppressed: number;
}

describe('scan end to end', { concurrency: 4 }, () => {
  test('json: the finding at the setting that decides it, relative to the scanned root; exit 1', async () => {
    const r = await runCli(['scan', php, '--format', 'json']);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stderr, '');
    const report = JSON.parse(r.stdout) as JsonReport;
    const f = report.findings.find((x) => x.rule === 'cookie-missing-secure');
    assert.ok(f);
    assert.equal(f.cookie, 'PHPSESSID');
    assert.equal(f.source, 'code');
    assert.deepEqual(f.location && [f.location.file, f.location.line], ['php.ini', 4]);
  });

  test('sarif: %SRCROOT% is the scanned root; results point into it; the log validates', async (t) => {
    const r = await runCli(['scan', php, '--format', 'sarif']);
    assert.equal(r.code, 1);
    const log = JSON.parse(r.stdout) as {
      runs: {
        originalUriBaseIds: Record<string, { uri: string }>;
        results: {
          ruleId: string;
          locations: {
            physicalLocation: {
              artifactLocation: { uri: string; uriBaseId: string };
              region: { startLine: number };
            };
          }[];
        }[];
      }[];
    };
    const run = log.runs[0]!;
    assert.equal(run.originalUriBaseIds['%SRCROOT%']!.uri, `${pathToFileURL(php).href}/`);
    const res = run.results.find((x) => x.ruleId === 'cookie-missing-secure')!;
    assert.deepEqual(res.locations[0]!.physicalLocation.artifactLocation, {
      uri: 'php.ini',
      uriBaseId: '%SRCROOT%',
    });
    assert.equal(res.locations[0]!.physicalLocation.region.startLine, 4);
    const schema = sarifValidator();
    if ('missing' in schema) {
      t.skip(schema.missing);
      return;
    }
    assert.ok(schema.validate(log), JSON.stringify(schema.validate.errors));
  });

  test('junit: a suite per file with the failing case', async () => {
    const r = await runCli(['scan', php, '--format', 'junit']);
    assert.equal(r.code, 1);
    assert.equal(XMLValidator.validate(r.stdout), true);
    const doc = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      isArray: (n) => n === 'testsuite' || n === 'testcase',
    }).parse(r.stdout) as {
      testsuites: {
        testsuite: {
          name: string;
          failures: string;
          testcase: { file: string; line: string; name: string }[];
        }[];
      };
    };
    const suite = doc.testsuites.testsuite.find((s) => s.name === 'php.ini')!;
    assert.equal(suite.failures, '1');
    assert.deepEqual([suite.testcase[0]!.file, suite.testcase[0]!.line], ['php.ini', '4']);
  });

  test('text: one block per cookie; --explain groups by file with file:line:column', async () => {
    const r = await runCli(['scan', php]);
    assert.equal(r.code, 1);
    assert.match(
      r.stdout,
      /^cookie PHPSESSID {2}\(1 finding\)\n {2}why: .*\n {2}HIGH {3}cookie-missing-secure\n {4}php\.ini:4: The session cookie PHPSESSID is configured without Secure/,
    );
    for (const flag of ['--explain', '--verbose']) {
      const x = await runCli(['scan', php, flag]);
      assert.equal(x.code, 1);
      assert.match(
        x.stdout,
        /^php\.ini\n {2}cookie PHPSESSID\n {4}HIGH {3}cookie-missing-secure {2}php\.ini:4:1\n/,
      );
      assert.match(x.stdout, /browser: /);
    }
  });

  test('--exclude: the excluded file is not read (PHP defaults then apply at session_start()); excluding everything -> exit 0', async () => {
    const one = await runCli(['scan', php, '--format', 'json', '--exclude', 'php.ini']);
    const report = JSON.parse(one.stdout) as JsonReport;
    assert.ok(report.findings.length > 0);
    assert.ok(
      report.findings.every((f) => f.location?.file === 'public/index.php'),
      JSON.stringify(report.findings),
    );
    const none = await runCli(['scan', php, '--exclude', 'php.ini', '--exclude', 'public/**']);
    assert.equal(none.code, 0, none.stdout);
    assert.match(none.stdout, /No findings\./);
  });

  test('config: scan.exclude and a file-scoped ignore entry', async () => {
    const cfg = join(tmp, 'exclude.json');
    writeFileSync(cfg, JSON.stringify({ scan: { exclude: ['public/**'] } }));
    const ex = JSON.parse(
      (await runCli(['scan', php, '--format', 'json', '--config', cfg])).stdout,
    ) as JsonReport;
    assert.ok(ex.findings.every((f) => f.location?.file === 'php.ini'));

    const ign = join(tmp, 'ignore.yaml');
    writeFileSync(
      ign,
      'scan:\n  exclude: ["public/**"]\nignore:\n  - rule: cookie-missing-secure\n    file: "*.ini"\n    reason: HTTPS is terminated by the host; the ini is for local dev\n',
    );
    const r = await runCli(['scan', php, '--format', 'json', '--config', ign]);
    const report = JSON.parse(r.stdout) as JsonReport;
    assert.ok(!report.findings.some((f) => f.rule === 'cookie-missing-secure'));
    assert.equal(report.suppressed, 1);
    assert.equal(
      r.code,
      report.findings.some((f) => ['high', 'medium'].includes(String((f as { severity?: string }).severity)))
        ? 1
        : 0,
    );
  });

  test('--fail-on none: exit 0 with findings (common flags work before the command too)', async () => {
    const r = await runCli(['--fail-on', 'none', '--format', 'json', 'scan', php]);
    assert.equal(r.code, 0);
    assert.ok((JSON.parse(r.stdout) as JsonReport).findings.length > 0);
  });
});
