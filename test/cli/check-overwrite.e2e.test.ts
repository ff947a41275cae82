/**
 * A cookie set on the plain-HTTP redirect and replaced over HTTPS later in the same chain: the
 * browser ends up storing the HTTPS one, so its attributes decide; the clear-text hop is
 * cookie-set-over-http. Real TLS server on loopback, real bin.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestSite, type TestSite } from '../helpers/servers.js';
import { LOOPBACK_NAMES, makeTestCa, type TestCa } from '../helpers/tls.js';
import { runCli } from './run.js';
import type { JsonReport } from './sites.js';

let ca: TestCa;
let site: TestSite;
before(async () => {
  ca = await makeTestCa();
  site = await startTestSite({
    cert: await ca.issue(LOOPBACK_NAMES),
    http: {
      '*': {
        status: 301,
        headers: { location: '{https}{path}', 'set-cookie': ['PHPSESSID=firstvalue123; path=/'] },
      },
    },
    https: {
      '*': {
        headers: {
          'set-cookie': ['PHPSESSID=secondvalue456; path=/; secure; HttpOnly; SameSite=Lax'],
          'strict-transport-security': 'max-age=31536000',
        },
        body: 'ok',
      },
    },
  });
});
after(async () => {
  await site?.close();
  ca?.cleanup();
});

test('overwritten in the chain: cookie-set-over-http for the clear-text hop, no attribute finding for it', async () => {
  const r = await runCli([
    'check',
    `${site.httpOrigin}/`,
    '--https',
    site.httpsOrigin,
    '--ca',
    ca.caFile,
    '--format',
    'json',
  ]);
  const report = JSON.parse(r.stdout) as JsonReport;
  const about = report.findings.filter((f) => f.cookie === 'PHPSESSID').map((f) => `${f.rule} ${f.severity}`);
  assert.deepEqual(about, ['cookie-set-over-http high'], r.stdout);
});
