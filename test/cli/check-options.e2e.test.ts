/**
 * `cookieguard check` end to end, options: --fail-on with the config, the config's ignore list,
 * ${ENV:NAME} in --header / --cookie, and --source linking. Real loopback servers (test/cli/sites.ts).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, runCli } from './run.js';
import { startSites, type JsonReport, type Sites } from './sites.js';

const TOKEN = 'api-token-7d1e0c9b8a6f5e4d';

let s: Sites;
before(async () => {
  s = await startSites();
});
after(() => s?.close());

describe('check end to end: options', { concurrency: 4 }, () => {
  test('--fail-on decides the exit code: none -> 0, high -> 1; config failOn applies without the flag', async () => {
    assert.equal((await runCli(s.args(s.bad, '--fail-on', 'none'))).code, 0);
    assert.equal((await runCli(s.args(s.bad, '--fail-on', 'high', '--format', 'json'))).code, 1);
    const cwd = mkdtempSync(join(s.tmp, 'failon-'));
    writeFileSync(join(cwd, 'cookieguard.config.json'), JSON.stringify({ failOn: 'none' }));
    assert.equal((await runCli(s.args(s.bad), { cwd })).code, 0);
    assert.equal(
      (await runCli(s.args(s.bad, '--fail-on', 'medium'), { cwd })).code,
      1,
      'the flag wins over the config',
    );
  });

  test('config: ignore entries suppress and are counted; expired entries warn and stop applying; --quiet silences warnings', async () => {
    const cwd = mkdtempSync(join(s.tmp, 'ignore-'));
    writeFileSync(
      join(cwd, 'cookieguard.config.yaml'),
      [
        'check:',
        `  ca: ${JSON.stringify(s.ca.caFile)}`,
        `  http: ${s.bad.httpOrigin}`,
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
    const urls = ['check', `${s.bad.httpsOrigin}/`, '--format', 'json'];
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

    const text = await runCli(['check', `${s.bad.httpsOrigin}/`, '--quiet'], { cwd });
    assert.match(text.stdout, /\d+ suppressed by config/);
  });

  test('--header / --cookie take ${ENV:NAME} from the environment, are sent, and never appear in the report', async () => {
    const r = await runCli(
      s.args(
        s.auth,
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
    const sent = s.auth.requests.filter((q) => q.scheme === 'https');
    assert.ok(sent.length > 0);
    assert.ok(sent.every((q) => q.headers.authorization === `Bearer ${TOKEN}`));
    assert.ok(sent.every((q) => String(q.headers.cookie ?? '').includes(`sess=${TOKEN}`)));
    const plain = s.auth.requests.filter((q) => q.scheme === 'http');
    assert.ok(
      plain.every((q) => !String(q.headers.cookie ?? '').includes(TOKEN)),
      'never sent over plain HTTP',
    );
    assert.ok(!r.stdout.includes(TOKEN));
  });

  test('--source links the live findings to the code that configured the cookie', async () => {
    const app = join(repoRoot, 'test', 'fixtures', 'cli', 'express-app');
    const r = await runCli([...s.args(s.bad, '--format', 'json'), '--source', app]);
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
