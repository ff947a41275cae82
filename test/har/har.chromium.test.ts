/**
 * `cookieguard har` on HAR files recorded by a real Chromium (Debian's /usr/bin/chromium, driven by
 * playwright-core's recordHar; nothing is downloaded) from loopback apps made in the test: an HTTPS
 * site with a CA made for the test, which sets cookies through a redirect and its page, loads
 * subresources from its plain-HTTP twin, links to a URL with a session id, and sends a weak HSTS on
 * one page; and framework apps from the truth matrix (PHP's built-in server, Express +
 * express-session), logged into over plain HTTP.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOOPBACK_NAMES, makeTestCa } from '../helpers/tls.js';
import { startTestSite } from '../helpers/servers.js';
import { runCli, oneErrorLine } from '../cli/run.js';
import type { JsonReport } from '../cli/sites.js';
import { runtimeMissing, startApp } from '../frameworks/harness.js';
import { VARIANTS } from '../frameworks/matrix.js';

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM)
  ? false
  : `${CHROMIUM} is absent (Debian package chromium; scripts/setup.sh --test installs it)`;

const SESSION = 'hArSeSsIoN-7f3a9c1e5b2d';
const URL_SID = 'uRlSiD-0c4e8a2f6b1d';

type Browser = Awaited<ReturnType<typeof import('playwright-core').chromium.launch>>;

async function launch(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 60_000,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
}

/** Visit `urls` in one page with recordHar, and return the HAR file. */
async function record(browser: Browser, file: string, urls: string[]): Promise<string> {
  const context = await browser.newContext({
    ignoreHTTPSErrors: true,
    recordHar: { path: file, content: 'omit' },
  });
  try {
    const page = await context.newPage();
    for (const u of urls) {
      await page.goto(u, { timeout: 30_000, waitUntil: 'load' });
      // Let the page's own fetch settle (bounded).
      await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => {});
    }
  } finally {
    await context.close(); // writes the HAR
  }
  return file;
}

test(
  'a HAR recorded by Chromium: cookies, mixed content, a session id in a URL and HSTS, judged like check',
  { skip, timeout: 240_000 },
  async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'cookieguard-har-chromium-'));
    const ca = await makeTestCa();
    const cert = await ca.issue(LOOPBACK_NAMES);
    const page = (http: string) =>
      '<!doctype html><html><head>' +
      `<link rel="stylesheet" href="${http}/style.css"></head><body>` +
      `<script src="${http}/app.js"></script><img src="${http}/logo.png">` +
      `<script>fetch('/api/ping').catch(() => {});</script>` +
      '<p>home</p></body></html>';
    const site = await startTestSite({
      cert,
      https: {
        '/start': {
          status: 302,
          headers: { location: '/', 'set-cookie': 'tracking=abc123def456; Path=/; Max-Age=3600' },
        },
        '/': (_req, ctx) => ({
          headers: {
            'content-type': 'text/html',
            'set-cookie': [
              `sid=${SESSION}; Path=/`,
              '__Host-ok=1; Path=/; Secure; HttpOnly; SameSite=Lax',
              'old=; Path=/; Max-Age=0',
            ],
          },
          body: page(ctx.httpOrigin),
        }),
        '/api/ping': { headers: { 'content-type': 'application/json' }, body: '{}' },
        '/account': {
          headers: { 'content-type': 'text/html', 'strict-transport-security': 'max-age=600' },
          body: '<p>account</p>',
        },
      },
      http: {
        '*': (req) => ({
          headers: {
            'content-type': req.path.endsWith('.css')
              ? 'text/css'
              : req.path.endsWith('.png')
                ? 'image/png'
                : 'text/javascript',
            'set-cookie': 'cdn=edge1; Path=/',
          },
          body: req.path.endsWith('.css') ? 'p{}' : req.path.endsWith('.png') ? 'png' : '1;',
        }),
      },
    });
    const browser = await launch();
    try {
      const har = await record(browser, join(tmp, 'site.har'), [
        `${site.httpsOrigin}/start`,
        `${site.httpsOrigin}/account?PHPSESSID=${URL_SID}`,
      ]);
      const raw = readFileSync(har, 'utf8');
      assert.match(raw, /"version":\s*"1\.2"/);
      assert.ok(raw.includes(SESSION), 'the recording holds the cookie value');

      const r = await runCli(['har', har, '--format', 'json'], { timeoutMs: 60_000 });
      assert.equal(r.code, 1, r.stderr);
      assert.equal(r.stderr, '');
      const report = JSON.parse(r.stdout) as JsonReport;
      const of = (rule: string, cookie: string | null = null) =>
        report.findings.filter((f) => f.rule === rule && f.cookie === cookie);
      assert.ok(report.findings.every((f) => f.source === 'har'));

      // The session cookie set by the HTTPS page without Secure, at the page's URL.
      const missing = of('cookie-missing-secure', 'sid');
      assert.equal(missing.length, 1, JSON.stringify(report.findings, null, 1));
      assert.equal(missing[0]!.severity, 'high');
      assert.equal(missing[0]!.url, `${site.httpsOrigin}/`);
      assert.equal(of('cookie-missing-httponly', 'sid').length, 1);
      // The redirect's cookie, at the redirect's URL.
      assert.equal(of('cookie-missing-secure', 'tracking')[0]?.url, `${site.httpsOrigin}/start`);
      // Cookies set by the plain-HTTP subresources: set over HTTP, one finding with the others related.
      const overHttp = of('cookie-set-over-http', 'cdn');
      assert.equal(overHttp.length, 1);
      assert.ok(overHttp[0]!.url!.startsWith(site.httpOrigin));
      assert.equal(overHttp[0]!.related?.length, 2);
      // Nothing about the good cookie or the deletion.
      assert.equal(report.findings.filter((f) => f.cookie === '__Host-ok' || f.cookie === 'old').length, 0);

      // Mixed content of the HTTPS page: the script and stylesheet are active (high).
      const mixed = of('mixed-content');
      assert.equal(mixed.length, 1);
      assert.equal(mixed[0]!.url, `${site.httpsOrigin}/`);
      assert.equal(mixed[0]!.severity, 'high');
      for (const p of ['app.js', 'style.css', 'logo.png'])
        assert.ok(mixed[0]!.evidence!.includes(`/${p}`), p);
      assert.ok(!mixed[0]!.evidence!.includes('/api/ping'), 'the same-origin fetch is not mixed');

      // The session id in the request URL, redacted.
      const sidInUrl = of('session-id-in-url', 'PHPSESSID');
      assert.equal(sidInUrl.length, 1);
      assert.ok(!JSON.stringify(sidInUrl).includes(URL_SID));

      // HSTS: the host learnt max-age=600 (weak), so not missing.
      assert.equal(of('hsts-weak').length, 1);
      assert.equal(of('hsts-missing').length, 0);

      // Values redacted unless --show-values.
      assert.ok(!r.stdout.includes(SESSION));
      const shown = await runCli(['har', har, '--format', 'json', '--show-values', '--explain'], {
        timeoutMs: 60_000,
      });
      assert.ok(shown.stdout.includes(SESSION) || shown.stdout.includes('sid='), shown.stdout.slice(0, 500));
      const text = await runCli(['har', har, '--show-values', '--explain', '--no-color'], {
        timeoutMs: 60_000,
      });
      assert.ok(text.stdout.includes(SESSION), 'the text report shows the value with --show-values');
      const textHidden = await runCli(['har', har, '--explain', '--no-color'], { timeoutMs: 60_000 });
      assert.ok(!textHidden.stdout.includes(SESSION));
      assert.equal(oneErrorLine(textHidden.stderr), null);
    } finally {
      await browser.close();
      await site.close();
      ca.cleanup();
      rmSync(tmp, { recursive: true, force: true });
    }
  },
);

/** What the truth matrix says of each app's default session cookie, over plain HTTP. */
const APPS = [
  // PHP: session.cookie_httponly=0 by default.
  { id: 'php-default', path: '/', rules: ['cookie-missing-httponly', 'cookie-set-over-http'] },
  // express-session: HttpOnly by default.
  { id: 'express-default', path: '/login', rules: ['cookie-set-over-http'] },
];

for (const app of APPS) {
  const v = VARIANTS.find((x) => x.id === app.id)!;
  const missing = skip || runtimeMissing(v.runtime);
  test(
    `a HAR recorded by Chromium from the ${v.id} app: its session cookie set over plain HTTP`,
    { skip: missing ?? false, timeout: 240_000 },
    async () => {
      const tmp = mkdtempSync(join(tmpdir(), 'cookieguard-har-app-'));
      const running = await startApp(v);
      const browser = await launch().catch(async (e: unknown) => {
        await running.stop();
        throw e;
      });
      try {
        const har = await record(browser, join(tmp, `${v.id}.har`), [
          `http://127.0.0.1:${running.port}${app.path}`,
        ]);
        const r = await runCli(['har', har, '--format', 'json', '--fail-on', 'high'], { timeoutMs: 60_000 });
        assert.equal(r.code, 1, r.stderr + running.output());
        const report = JSON.parse(r.stdout) as JsonReport;
        const f = report.findings.filter((x) => x.cookie === v.cookie);
        assert.deepEqual(f.map((x) => x.rule).sort(), app.rules, JSON.stringify(report.findings, null, 1));
        const overHttp = f.find((x) => x.rule === 'cookie-set-over-http')!;
        assert.equal(overHttp.severity, 'high');
        assert.equal(overHttp.url, `http://127.0.0.1:${running.port}${app.path}`);
      } finally {
        await browser.close();
        await running.stop();
        rmSync(tmp, { recursive: true, force: true });
      }
    },
  );
}
