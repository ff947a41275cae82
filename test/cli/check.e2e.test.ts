/**
 * `cookieguard check` end to end: the real bin against real HTTPS servers on loopback with a CA made
 * in the test. Every server binds 127.0.0.1; every run is bounded by runCli's timeout.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { LOOPBACK_NAMES, makeTestCa, type TestCa } from '../helpers/tls.js';
import { freePort, startTestSite, type TestSite } from '../helpers/servers.js';
import { sarifValidator } from '../report/sarif-schema.js';
import { oneErrorLine, repoRoot, runCli } from './run.js';

const SECRET = 'sEcReT-session-4b9c2e7f1a0d83';
const TOKEN = 'api-token-7d1e0c9b8a6f5e4d';
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[/;

let ca: TestCa;
let bad: TestSite; // session cookie without Secure / HttpOnly, no HSTS
let good: TestSite; // __Host- cookie with every attribute, HSTS, HTTP redirects
let auth: TestSite; // like good, for the test that inspects what the client sent
let tmp: string;

before(async () => {
  ca = await makeTestCa();
  const cert = await ca.issue(LOOPBACK_NAMES);
  bad = await startTestSite({
    cert,
    https: {
      '*': { headers: { 'set-cookie': [`sid=${SECRET}; Path=/`, 'theme=dark; Path=/'] }, body: 'hello' },
    },
    http: { '*': { status: 301, headers: { location: '{https}{path}' } } },
  });
  const goodRoutes = {
    https: {
      '*': {
        headers: {
          'set-cookie': [`__Host-sid=${SECRET}; Path=/; Secure; HttpOnly; SameSite=Lax`],
          'strict-transport-security': 'max-age=31536000; includeSubDomains',
        },
        body: 'hello',
      },
    },
    http: { '*': { status: 301, headers: { location: '{https}{path}' } } },
  };
  auth = await startTestSite({ cert, ...goodRoutes });
  good = await startTestSite({
    cert,
    https: {
      '*': {
        headers: {
          'set-cookie': [`__Host-sid=${SECRET}; Path=/; Secure; HttpOnly; SameSite=Lax`],
          'strict-transport-security': 'max-age=31536000; includeSubDomains',
        },
        body: 'hello',
      },
    },
    http: { '*': { status: 301, headers: { location: '{https}{path}' } } },
  });
  tmp = mkdtempSync(join(tmpdir(), 'cookieguard-check-e2e-'));
});

after(async () => {
  await Promise.all([bad?.close(), good?.close(), auth?.close()]);
  ca?.cleanup();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

function site(s: TestSite, ...extra: string[]): string[] {
  return [
    'check',
    `${s.httpsOrigin}/`,
    `${s.httpsOrigin}/account`,
    '--ca',
    ca.caFile,
    '--http',
    s.httpOrigin,
    ...extra,
  ];
}

interface JsonFinding {
  rule: string;
  severity: string;
  source: string;
  cookie: string | null;
  url: string | null;
  evidence: string | null;
  location: { file: string; line: number } | null;
  related?: { url?: string; location?: { file: string } }[];
}
interface JsonReport {
  findings: JsonFinding[];
  errors: { message: string; url?: string }[];
  suppressed: number;
}

// Independent runs of the real bin: run them side by side (each is bounded by runCli's timeout).
describe('check end to end', { concurrency: 4 }, () => {
  test('insecure site: exit 1, the findings in JSON, values redacted, nothing on stderr (not a TTY)', async () => {
    const r = await runCli(site(bad, '--format', 'json'));
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stderr, '', 'no progress line and no warning when stderr is not a terminal');
    const report = JSON.parse(r.stdout) as JsonReport;
    const secure = report.findings.find((f) => f.rule === 'cookie-missing-secure' && f.cookie === 'sid');
    assert.ok(secure, JSON.stringify(report.findings.map((f) => [f.rule, f.cookie])));
    assert.equal(secure.severity, 'high');
    assert.equal(secure.source, 'live');
    assert.ok(secure.url?.startsWith(bad.httpsOrigin));
    assert.match(secure.evidence ?? '', /sid=<redacted>/);
    assert.ok(report.findings.some((f) => f.rule === 'hsts-missing'));
    assert.deepEqual(report.errors, []);
    assert.ok(!r.stdout.includes(SECRET));
  });

  test('--show-values prints the value', async () => {
    const r = await runCli(site(bad, '--format', 'json', '--show-values'));
    assert.equal(r.code, 1);
    assert.ok(r.stdout.includes(SECRET));
  });

  test('--fail-on decides the exit code: none -> 0, high -> 1; config failOn applies without the flag', async () => {
    assert.equal((await runCli(site(bad, '--fail-on', 'none'))).code, 0);
    assert.equal((await runCli(site(bad, '--fail-on', 'high', '--format', 'json'))).code, 1);
    const cwd = mkdtempSync(join(tmp, 'failon-'));
    writeFileSync(join(cwd, 'cookieguard.config.json'), JSON.stringify({ failOn: 'none' }));
    assert.equal((await runCli(site(bad), { cwd })).code, 0);
    assert.equal(
      (await runCli(site(bad, '--fail-on', 'medium'), { cwd })).code,
      1,
      'the flag wins over the config',
    );
  });

  test('a well-configured site: exit 0', async () => {
    const r = await runCli(site(good, '--format', 'json'));
    assert.equal(r.code, 0, r.stdout);
    const report = JSON.parse(r.stdout) as JsonReport;
    assert.deepEqual(
      report.findings.filter((f) => ['high', 'medium'].includes(f.severity)),
      [],
    );
    assert.equal(r.stderr, '');
  });

  test('every format: valid output, no value leaked, no colour when stdout is not a terminal', async (t) => {
    const text = await runCli(site(bad));
    assert.equal(text.code, 1);
    assert.doesNotMatch(text.stdout, ANSI);
    assert.match(text.stdout, /cookie-missing-secure/);
    assert.match(text.stdout, /FAIL: \d+ findings? at or above --fail-on medium/);

    const junit = await runCli(site(bad, '--format', 'junit'));
    assert.equal(junit.code, 1);
    assert.equal(XMLValidator.validate(junit.stdout), true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(junit.stdout) as {
      testsuites: { failures: string };
    };
    assert.ok(Number(doc.testsuites.failures) > 0);

    const sarif = await runCli(site(bad, '--format', 'sarif'));
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
    const dir = mkdtempSync(join(tmp, 'out-'));
    const file = join(dir, 'report.json');
    writeFileSync(file, 'old content');
    const r = await runCli(site(bad, '--format', 'json', '--output', file));
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
    const r = await runCli([...site(good, '--format', 'json'), `https://127.0.0.1:${port}/`]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as JsonReport;
    assert.ok(report.errors.some((e) => e.url === `https://127.0.0.1:${port}/`));
  });

  test('config: ignore entries suppress and are counted; expired entries warn and stop applying; --quiet silences warnings', async () => {
    const cwd = mkdtempSync(join(tmp, 'ignore-'));
    writeFileSync(
      join(cwd, 'cookieguard.config.yaml'),
      [
        'check:',
        `  ca: ${JSON.stringify(ca.caFile)}`,
        `  http: ${bad.httpOrigin}`,
        'ignore:',
        '  - rule: cookie-missing-secure',
        '    cookie: sid',
        '    reason: accepted until the proxy moves',
        '    expires: 2999-12-31',
        '  - rule: hsts-missing',
        '    reason: HSTS is added by the CDN',
        '    expires: 2001-01-01',
      ].join('\n'),
    );
    const urls = ['check', `${bad.httpsOrigin}/`, '--format', 'json'];
    const r = await runCli(urls, { cwd });
    assert.equal(r.code, 1);
    const report = JSON.parse(r.stdout) as JsonReport;
    assert.ok(!report.findings.some((f) => f.rule === 'cookie-missing-secure' && f.cookie === 'sid'));
    assert.ok(report.suppressed >= 1);
    assert.ok(
      report.findings.some((f) => f.rule === 'hsts-missing'),
      'the expired entry no longer applies',
    );
    assert.equal(
      r.stderr,
      'cookieguard: warning: ignore entry hsts-missing expired on 2001-01-01; its findings are reported again\n',
    );
    const quiet = await runCli([...urls, '--quiet'], { cwd });
    assert.equal(quiet.stderr, '');

    const text = await runCli(['check', `${bad.httpsOrigin}/`, '--quiet'], { cwd });
    assert.match(text.stdout, /\d+ suppressed by config/);
  });

  test('--header / --cookie take ${ENV:NAME} from the environment, are sent, and never appear in the report', async () => {
    const r = await runCli(
      site(
        auth,
        '--format',
        'json',
        '--header',
        'Authorization: Bearer ${ENV:CG_TEST_TOKEN}',
        '--cookie',
        'sess=${ENV:CG_TEST_TOKEN}',
      ),
      { env: { CG_TEST_TOKEN: TOKEN } },
    );
    assert.equal(r.code, 0, r.stderr);
    const sent = auth.requests.filter((q) => q.scheme === 'https');
    assert.ok(sent.length > 0);
    assert.ok(sent.every((q) => q.headers.authorization === `Bearer ${TOKEN}`));
    assert.ok(sent.every((q) => String(q.headers.cookie ?? '').includes(`sess=${TOKEN}`)));
    const plain = auth.requests.filter((q) => q.scheme === 'http');
    assert.ok(
      plain.every((q) => !String(q.headers.cookie ?? '').includes(TOKEN)),
      'never sent over plain HTTP',
    );
    assert.ok(!r.stdout.includes(TOKEN));
  });

  test('--source links the live findings to the code that configured the cookie', async () => {
    const app = join(repoRoot, 'test', 'fixtures', 'cli', 'express-app');
    const r = await runCli([...site(bad, '--format', 'json'), '--source', app]);
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout) as JsonReport;
    const code = report.findings.find((f) => f.source === 'code' && f.rule === 'cookie-missing-secure');
    assert.ok(code, 'the code finding is in the report');
    assert.equal(code.location?.file, 'app.js');
    const live = report.findings.find(
      (f) => f.source === 'live' && f.rule === 'cookie-missing-secure' && f.cookie === 'sid',
    )!;
    assert.ok(
      live.related?.some((x) => x.location?.file === 'app.js'),
      JSON.stringify(live.related),
    );
  });
});
