/**
 * `--baseline` with `check`: findings whose URL carries a session id (a URL pasted from a browser's
 * address bar). The report redacts the value, so the baseline holds `<redacted>` in the URL; the next
 * run's findings must be compared in that form to match. The site also hands out a fresh id on every
 * run. Real TLS server on loopback, real bin.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startTestSite, type TestSite } from '../helpers/servers.js';
import { LOOPBACK_NAMES, makeTestCa, type TestCa } from '../helpers/tls.js';
import { runCli } from './run.js';
import type { JsonReport } from './sites.js';

let ca: TestCa;
let site: TestSite;
let dir: string;
const issued: string[] = [];
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cg-baseline-live-'));
  ca = await makeTestCa();
  site = await startTestSite({
    cert: await ca.issue(LOOPBACK_NAMES),
    http: { '*': { status: 301, headers: { location: '{https}{path}' } } },
    https: {
      '/': () => {
        // A Java-style app without cookies enabled for the first request: the id goes in the URL.
        const id = randomBytes(16).toString('hex').toUpperCase();
        issued.push(id);
        return {
          status: 302,
          headers: {
            location: `/home;jsessionid=${id}`,
            'set-cookie': [`JSESSIONID=${id}; Path=/`],
            'strict-transport-security': 'max-age=31536000',
          },
        };
      },
      '*': (req) => ({
        headers: {
          // The pasted URL's session, without Secure.
          ...(req.path.startsWith('/account;')
            ? { 'set-cookie': [`JSESSIONID=${PASTED_ID}; Path=/; HttpOnly`] }
            : {}),
          'strict-transport-security': 'max-age=31536000',
        },
        body: 'page',
      }),
    },
  });
});
after(async () => {
  await site?.close();
  ca?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const PASTED_ID = 'F3A9C1D2E4B5A6978812ABCDEF012345';

const check = (...extra: string[]) =>
  runCli([
    'check',
    `${site.httpsOrigin}/`,
    `${site.httpsOrigin}/account;jsessionid=${PASTED_ID}`,
    '--http',
    site.httpOrigin,
    '--ca',
    ca.caFile,
    '--format',
    'json',
    ...extra,
  ]);

test('findings on URLs that carry session ids match their baseline entries, shown or not', async () => {
  const base = join(dir, 'baseline.json');
  const first = await check('--output', base, '--fail-on', 'none');
  assert.equal(first.code, 0, first.stderr);
  const written = readFileSync(base, 'utf8');
  const baseline = JSON.parse(written) as JsonReport;
  assert.ok(
    baseline.findings.some((f) => f.rule === 'session-id-in-url'),
    `the id in the redirect is reported: ${written}`,
  );
  assert.ok(issued.length >= 1);
  for (const id of [...issued, PASTED_ID])
    assert.ok(!written.includes(id), 'the baseline holds no session id');
  assert.ok(
    baseline.findings.some(
      (f) => f.rule === 'cookie-missing-secure' && /jsessionid=<redacted>/.test(f.url ?? ''),
    ),
    'a finding about the pasted URL, with its id redacted',
  );

  const before = issued.length;
  const again = await check('--baseline', base);
  assert.ok(issued.length > before, 'the second run was given a new id');
  assert.equal(again.code, 0, `${again.stderr}\n${again.stdout}`);
  const out = JSON.parse(again.stdout) as JsonReport & { baselined: number };
  assert.deepEqual(out.findings, []);
  assert.equal(out.baselined, baseline.findings.length);

  // With --show-values the report shows this run's id, and the match is still made on the redacted form.
  const shown = await check('--baseline', base, '--show-values');
  assert.equal(shown.code, 0, shown.stderr);
  assert.equal(
    (JSON.parse(shown.stdout) as JsonReport & { baselined: number }).baselined,
    baseline.findings.length,
  );
});
