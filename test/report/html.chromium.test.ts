/**
 * `--format html` loaded in real Chromium (Debian's, driven by playwright-core with its own
 * executablePath: nothing is downloaded): the page makes no request besides its own file, shows the
 * summary and every finding, links code and live findings with anchors, filters by severity and by
 * cookie name with script, is complete without script, redacts values and has a dark scheme.
 * A screenshot is written to $COOKIEGUARD_SCREENSHOT_DIR (or the temp dir) for people to look at.
 *
 * Skipped (with the reason) when no Chromium is found; scripts/setup.sh --test installs it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { chromium } from 'playwright-core';
import type { Finding } from '../../src/model/finding.js';
import { renderHtml } from '../../src/report/html.js';
import type { RenderOptions } from '../../src/report/types.js';
import { SECRET, allFindings, codeFinding, errors, makeReport, rules } from './fixtures.js';
import { repoRoot, runCli } from '../cli/run.js';

const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (p): p is string => !!p && existsSync(p),
);

const base: RenderOptions = { showValues: false, color: false, failOn: 'medium', suppressed: 1, rules };

/** The live side of codeFinding: a live finding at a URL whose related code is codeFinding's place. */
const liveTwin: Finding = {
  rule: 'cookie-missing-secure',
  severity: 'high',
  source: 'live',
  message: 'The session cookie PHPSESSID is set without Secure by https://app.example.test/',
  cookie: 'PHPSESSID',
  location: null,
  url: 'https://app.example.test/',
  evidence: 'Set-Cookie: PHPSESSID=<redacted>; Path=/',
  fix: 'Set session.cookie_secure = 1',
  framework: 'php',
  related: [{ location: { file: 'config/php.ini', line: 9, column: 1 }, message: 'configured here' }],
};
const hostile: Finding = {
  ...liveTwin,
  cookie: '<img src=x onerror=alert(1)>',
  message: '<script>document.title="pwned"</script>',
  related: [],
};

describe(
  'html report in Chromium',
  { skip: CHROMIUM ? false : 'no Chromium (apt-get install chromium)' },
  () => {
    let browser: Browser;
    let dir: string;
    let file: string;

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'cg-html-'));
      file = join(dir, 'report.html');
      writeFileSync(file, renderHtml(makeReport([...allFindings, liveTwin, hostile], errors), base));
      browser = await chromium.launch({
        executablePath: CHROMIUM!,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
        timeout: 60_000,
      });
    });
    after(async () => {
      await browser?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    test('no request besides the file; summary, findings, anchors, redaction', async () => {
      const page = await browser.newPage();
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      const dialogs: string[] = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      await page.goto(pathToFileURL(file).href);
      assert.deepEqual(requests, [pathToFileURL(file).href]);
      assert.deepEqual(dialogs, [], 'hostile strings are text, not markup');
      assert.equal(await page.title(), 'cookieguard report: 7 findings');
      assert.equal(await page.locator('[data-count=high] b').textContent(), '3');
      assert.equal(await page.locator('[data-count=medium] b').textContent(), '2');
      assert.match(
        (await page.locator('#verdict').textContent())!,
        /FAIL: 5 findings at or above --fail-on medium/,
      );
      assert.match((await page.locator('#summary').textContent())!, /1 suppressed by config; 2 errors/);
      assert.equal(await page.locator('article.finding').count(), 7);
      assert.equal(await page.locator('#errors li').count(), 2);
      // grouped by cookie, then by rule: PHPSESSID holds the code finding and its live twin
      const php = page.locator('section.cookie[data-cookie=PHPSESSID]');
      assert.equal(await php.locator('article.finding').count(), 2);
      assert.equal(await php.locator('.rule').count(), 1);
      // the live finding links to the code finding that configured the cookie, and the link works
      const link = php.locator('article[data-source=live] a.related');
      const href = (await link.getAttribute('href'))!;
      const target = php.locator('article[data-source=code]');
      assert.equal(href, `#${await target.getAttribute('id')}`);
      await link.click();
      assert.equal(new URL(page.url()).hash, href);
      assert.match((await target.textContent())!, /session\.cookie_secure = Off/);
      // the hostile cookie name and message are shown as text
      assert.match(
        (await page.locator('#findings').textContent())!,
        /<script>document\.title="pwned"<\/script>/,
      );
      const html = await page.content();
      assert.ok(!html.includes(SECRET), 'cookie values are redacted');
      await page.close();
    });

    test('filters: severity boxes and cookie search hide what does not match', async () => {
      const page = await browser.newPage();
      await page.goto(pathToFileURL(file).href);
      assert.ok(await page.locator('#controls').isVisible());
      const visible = () => page.locator('article.finding:visible').count();
      assert.equal(await visible(), 7);
      await page.locator('#controls input[value=high]').uncheck();
      assert.equal(await visible(), 4);
      assert.match((await page.locator('#shown').textContent())!, /^4 shown$/);
      await page.locator('#controls input[value=high]').check();
      await page.locator('#q').fill('sid');
      // PHPSESSID and sid contain "sid"
      assert.deepEqual(
        await page
          .locator('section.cookie:visible')
          .evaluateAll((s) => s.map((x) => x.getAttribute('data-cookie'))),
        ['PHPSESSID', 'sid'],
      );
      await page.close();
    });

    test('without script: every finding shown, no controls', async () => {
      const ctx = await browser.newContext({ javaScriptEnabled: false });
      const page = await ctx.newPage();
      await page.goto(pathToFileURL(file).href);
      assert.equal(await page.locator('article.finding:visible').count(), 7);
      assert.equal(await page.locator('#controls').isVisible(), false);
      await ctx.close();
    });

    test('light and dark schemes; a screenshot to look at', async () => {
      const page = await browser.newPage({ viewport: { width: 1000, height: 1400 } });
      await page.emulateMedia({ colorScheme: 'light' });
      await page.goto(pathToFileURL(file).href);
      const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      assert.equal(await bg(), 'rgb(255, 255, 255)');
      const shots = process.env.COOKIEGUARD_SCREENSHOT_DIR ?? dir;
      await page.screenshot({ path: join(shots, 'report-light.png'), fullPage: false });
      await page.emulateMedia({ colorScheme: 'dark' });
      assert.equal(await bg(), 'rgb(13, 17, 23)');
      await page.screenshot({ path: join(shots, 'report-dark.png'), fullPage: false });
      assert.ok(readFileSync(join(shots, 'report-dark.png')).length > 1000);
      await page.close();
    });

    test('cookieguard scan --format html --output: a file Chromium renders, exit code as usual', async () => {
      const out = join(dir, 'scan.html');
      const fixture = join(repoRoot, 'test', 'fixtures', 'cli', 'php-app');
      const r = await runCli(['scan', fixture, '--format', 'html', '--output', out]);
      assert.equal(r.code, 1, r.stderr);
      assert.equal(r.stdout, '');
      const page = await browser.newPage();
      await page.goto(pathToFileURL(out).href);
      assert.ok((await page.locator('article.finding').count()) >= 1);
      assert.match(
        (await page.locator('section.cookie[data-cookie=PHPSESSID] article').first().textContent())!,
        /cookie-missing-secure|php\.ini:4/,
      );
      await page.close();
    });
  },
);

test('html: escapes and the code finding of the fixtures', () => {
  const out = renderHtml(makeReport([codeFinding]), base);
  assert.ok(out.startsWith('<!doctype html>'));
  assert.match(out, /Content-Security-Policy" content="default-src 'none'/);
  assert.ok(!/<(link|img|script) [^>]*(src|href)=/i.test(out), 'nothing loaded from elsewhere');
  assert.match(out, /PHP’s default session cookie/);
});
