/**
 * Loopback sites shared by the `check` end-to-end tests: a CA made in the test, a badly configured
 * site, a well configured one, and a copy of the latter for tests that inspect what the client sent.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOOPBACK_NAMES, makeTestCa, type TestCa } from '../helpers/tls.js';
import { startTestSite, type TestSite, type TestSiteOptions } from '../helpers/servers.js';

/** The cookie value both sites set: it must never appear in a report without --show-values. */
export const SECRET = 'sEcReT-session-4b9c2e7f1a0d83';

export interface Sites {
  ca: TestCa;
  /** Session cookie without Secure / HttpOnly, no HSTS. */
  bad: TestSite;
  /** __Host- cookie with every attribute, HSTS, plain HTTP redirects to HTTPS. */
  good: TestSite;
  /** Same as good, for a test that inspects the requests it received. */
  auth: TestSite;
  tmp: string;
  /** `check URL/ URL/account --ca CA --http TWIN ...extra` */
  args(s: TestSite, ...extra: string[]): string[];
  close(): Promise<void>;
}

export async function startSites(): Promise<Sites> {
  const ca = await makeTestCa();
  const cert = await ca.issue(LOOPBACK_NAMES);
  const redirect: TestSiteOptions['http'] = { '*': { status: 301, headers: { location: '{https}{path}' } } };
  const bad = await startTestSite({
    cert,
    https: {
      '*': { headers: { 'set-cookie': [`sid=${SECRET}; Path=/`, 'theme=dark; Path=/'] }, body: 'hello' },
    },
    http: redirect,
  });
  const goodOpts: TestSiteOptions = {
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
    http: redirect,
  };
  const good = await startTestSite(goodOpts);
  const auth = await startTestSite(goodOpts);
  const tmp = mkdtempSync(join(tmpdir(), 'cookieguard-check-e2e-'));
  return {
    ca,
    bad,
    good,
    auth,
    tmp,
    args: (s, ...extra) => [
      'check',
      `${s.httpsOrigin}/`,
      `${s.httpsOrigin}/account`,
      '--ca',
      ca.caFile,
      '--http',
      s.httpOrigin,
      ...extra,
    ],
    async close() {
      await Promise.all([bad.close(), good.close(), auth.close()]);
      ca.cleanup();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

export interface JsonFinding {
  rule: string;
  severity: string;
  source: string;
  cookie: string | null;
  url: string | null;
  evidence: string | null;
  location: { file: string; line: number } | null;
  related?: { url?: string; location?: { file: string } }[];
}
export interface JsonReport {
  findings: JsonFinding[];
  errors: { message: string; url?: string }[];
  suppressed: number;
}
