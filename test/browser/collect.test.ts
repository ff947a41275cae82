/**
 * The browser collector against real Chromium (Debian's /usr/bin/chromium): an HTTPS page on a
 * loopback server whose scripts write cookies and request things over plain HTTP. Host names
 * `site.test` are mapped to 127.0.0.1 with --host-resolver-rules so that Chromium treats the
 * plain-HTTP origin as a real insecure origin (http://127.0.0.1 is "potentially trustworthy" to it
 * and would never be mixed content).
 *
 * Asserted: a token cookie a script writes without Secure (observed as written by script, judged by
 * cookie-missing-secure), a __Host- cookie written without Secure by a script and one set by the
 * server, both blocked by Chromium (the server's with Chromium's reason InvalidPrefix, the script's
 * found missing from the jar) and reported by cookie-prefix-invalid naming Chromium, a SameSite=None
 * cookie without Secure written by a script (Chromium's Audits reason), mixed content a script
 * requested (initiator: the script), a password form posting to http:// from the rendered DOM, one
 * browser process, and the profile deleted afterwards.
 *
 * Skipped (with the reason) when no Chromium binary is found; scripts/setup.sh --test installs it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { BrowserRun, collectBrowser } from '../../src/collect/browser/index.js';
import type { CookieObservation, Observation, PageObservation } from '../../src/model/observation.js';
import { runRules } from '../../src/rules/index.js';
import { makeTestCa, type TestCa } from '../helpers/tls.js';

const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].find(
  (p): p is string => !!p && existsSync(p),
);
const skip = CHROMIUM ? false : 'no Chromium (Debian package chromium; scripts/setup.sh --test installs it)';

const TOKEN = 'tok-8f3a9c2e71d04b5a9e6f';

interface Servers {
  httpsOrigin: string;
  httpOrigin: string;
  httpRequests: string[];
  close(): Promise<void>;
}

async function startServers(ca: TestCa): Promise<Servers> {
  const cert = await ca.issue(['site.test']);
  const httpRequests: string[] = [];
  let httpOrigin = '';
  const page = (): string => `<!doctype html><html><head><title>t</title></head><body>
<a href="/next">next</a> <a href="https://elsewhere.test/">away</a>
<img src="${httpOrigin}/pixel.png">
<form id="login" action="/login" method="post"><input name="user"><input type="password" name="pw"></form>
<script>
  document.cookie = "auth_token=${TOKEN}; Path=/";
  document.cookie = "__Host-js=1; Path=/";
  document.cookie = "embed=1; SameSite=None";
  fetch("${httpOrigin}/api/data").catch(() => {});
  // The form's action is changed by script: only the rendered DOM shows it.
  document.getElementById("login").action = "${httpOrigin}/login";
</script></body></html>`;
  const secure = https.createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
    if (req.url === '/') {
      res.writeHead(200, {
        'content-type': 'text/html',
        'set-cookie': ['__Host-srv=1; Path=/', 'pref=dark; Secure; Path=/'],
      });
      res.end(page());
    } else {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
    }
  });
  const plain = http.createServer((req, res) => {
    httpRequests.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('plain');
  });
  await new Promise<void>((r) => secure.listen(0, '127.0.0.1', r));
  await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r));
  httpOrigin = `http://site.test:${(plain.address() as AddressInfo).port}`;
  return {
    httpsOrigin: `https://site.test:${(secure.address() as AddressInfo).port}`,
    httpOrigin,
    httpRequests,
    async close() {
      secure.closeAllConnections();
      plain.closeAllConnections();
      await Promise.all([new Promise((r) => secure.close(r)), new Promise((r) => plain.close(r))]);
    },
  };
}

const cookies = (obs: Observation[]): CookieObservation[] =>
  obs.filter((o): o is CookieObservation => o.kind === 'cookie');

describe('check --browser collector with real Chromium', { skip, timeout: 180_000 }, () => {
  let ca: TestCa;
  let servers: Servers;
  let run: BrowserRun;
  let obs: Observation[];
  let links: string[];

  before(async () => {
    ca = await makeTestCa();
    servers = await startServers(ca);
    run = await BrowserRun.launch({
      chromium: CHROMIUM!,
      timeoutMs: 30_000,
      ignoreCertificateErrors: true,
      extraArgs: ['--host-resolver-rules=MAP site.test 127.0.0.1, MAP elsewhere.test 127.0.0.1'],
    });
    const page = await run.visit(`${servers.httpsOrigin}/`, { documentCookies: false });
    assert.deepEqual(page.errors, []);
    obs = page.observations;
    links = page.links;
  });

  after(async () => {
    await run?.close();
    await servers?.close();
    ca?.cleanup();
  });

  test('a token cookie written by a script without Secure: observed as a script cookie, cookie-missing-secure', () => {
    const c = cookies(obs).find((x) => x.name === 'auth_token');
    assert.ok(c, 'the script cookie is observed');
    assert.equal(c.setBy, 'script');
    assert.equal(c.source, 'browser');
    assert.equal(c.secure.value, false);
    assert.equal(c.blockedByBrowser, undefined, 'Chromium kept it');
    const f = runRules(obs).find((x) => x.rule === 'cookie-missing-secure' && x.cookie === 'auth_token');
    assert.ok(f, 'cookie-missing-secure for the script cookie');
    assert.match(f.message, /set by script/);
    assert.ok(!JSON.stringify(f.evidence).includes(TOKEN), 'the value is redacted');
    assert.ok(!runRules(obs).some((x) => x.rule === 'cookie-missing-httponly' && x.cookie === 'auth_token'));
  });

  test('a __Host- cookie written by a script without Secure: Chromium did not keep it, cookie-prefix-invalid', () => {
    const c = cookies(obs).find((x) => x.name === '__Host-js');
    assert.ok(c);
    assert.equal(c.setBy, 'script');
    assert.deepEqual(c.blockedByBrowser, { browser: 'chromium', reasons: [], how: 'not-stored' });
    const f = runRules(obs).filter((x) => x.cookie === '__Host-js');
    assert.deepEqual(
      f.map((x) => x.rule),
      ['cookie-prefix-invalid'],
    );
    assert.match(f[0]!.message, /Chromium blocked it, it was not in its jar/);
  });

  test("a __Host- cookie set by the server without Secure: blocked with Chromium's reason InvalidPrefix", () => {
    const c = cookies(obs).find((x) => x.name === '__Host-srv');
    assert.ok(c, 'blocked cookies of the page itself are reported');
    assert.equal(c.setBy, 'server');
    assert.deepEqual(c.blockedByBrowser, {
      browser: 'chromium',
      reasons: ['InvalidPrefix'],
      how: 'protocol',
    });
    const f = runRules(obs).filter((x) => x.cookie === '__Host-srv');
    assert.deepEqual(
      f.map((x) => x.rule),
      ['cookie-prefix-invalid'],
    );
    assert.match(f[0]!.message, /Chromium blocked it, its reason: InvalidPrefix/);
    // Kept cookies of the page's own responses: left to the live collector here (documentCookies: false).
    assert.ok(!cookies(obs).some((x) => x.name === 'pref'));
  });

  test("SameSite=None without Secure written by a script: the reason from Chromium's Audits issue", () => {
    const c = cookies(obs).find((x) => x.name === 'embed');
    assert.ok(c);
    assert.equal(c.blockedByBrowser?.how, 'protocol');
    assert.deepEqual(c.blockedByBrowser?.reasons, ['ExcludeSameSiteNoneInsecure']);
    const f = runRules(obs).filter((x) => x.cookie === 'embed');
    assert.deepEqual(
      f.map((x) => x.rule),
      ['cookie-samesite-none-insecure'],
    );
  });

  test('mixed content the page really requested, the script-initiated fetch marked with its initiator', () => {
    const page = obs.find((o): o is PageObservation => o.kind === 'page');
    assert.ok(page);
    const fetchReq = page.insecureSubresources.find((s) => s.url === `${servers.httpOrigin}/api/data`);
    assert.ok(fetchReq, JSON.stringify(page.insecureSubresources));
    assert.equal(fetchReq.active, true);
    assert.match(fetchReq.initiator ?? '', /^script https:\/\/site\.test:\d+\/:\d+$/);
    const img = page.insecureSubresources.find((s) => s.url === `${servers.httpOrigin}/pixel.png`);
    assert.ok(img);
    assert.equal(img.active, false);
    assert.match(img.initiator ?? '', /^parser/);
    const f = runRules(obs).find((x) => x.rule === 'mixed-content');
    assert.ok(f);
    assert.equal(f.severity, 'high');
    assert.match(f.evidence ?? '', /requested by script/);
    // Chromium blocked the active request: nothing reached the plain-HTTP server for it.
    assert.ok(!servers.httpRequests.includes('/api/data'));
  });

  test('a password form whose action a script made http:// is read from the rendered DOM: high', () => {
    const page = obs.find((o): o is PageObservation => o.kind === 'page');
    assert.deepEqual(page?.insecureForms, [
      { action: `${servers.httpOrigin}/login`, method: 'post', hasPassword: true },
    ]);
    const f = runRules(obs).find((x) => x.rule === 'form-posts-over-http');
    assert.equal(f?.severity, 'high');
  });

  test('links of the rendered page, for a crawl', () => {
    assert.ok(links.includes(`${servers.httpsOrigin}/next`));
    assert.ok(links.includes('https://elsewhere.test/'));
  });

  test('one browser process, with a profile that close() deletes', async () => {
    const dir = run.userDataDir;
    assert.ok(existsSync(dir));
    const again = await run.visit(`${servers.httpsOrigin}/`);
    assert.deepEqual(again.errors, []);
    // By default (a crawl through the browser) every cookie of the page's responses is observed.
    const pref = cookies(again.observations).find((c) => c.name === 'pref');
    assert.equal(pref?.setBy, 'server');
    assert.equal(pref?.blockedByBrowser, undefined);
    const { execFileSync } = await import('node:child_process');
    const ps = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.includes(`--user-data-dir=${dir}`) && !l.includes('--type='));
    assert.equal(ps.length, 1, ps.join('\n'));
    await run.close();
    assert.equal(existsSync(dir), false);
  });
});

test(
  'collectBrowser: pages in parallel in one browser, a page that fails is an error of the report',
  { skip, timeout: 120_000 },
  async () => {
    const ca = await makeTestCa();
    const servers = await startServers(ca);
    try {
      const r = await collectBrowser(
        [`${servers.httpsOrigin}/`, `${servers.httpsOrigin}/a`, 'https://site.test:1/'],
        {
          chromium: CHROMIUM!,
          timeoutMs: 20_000,
          concurrency: 3,
          ignoreCertificateErrors: true,
          extraArgs: ['--host-resolver-rules=MAP site.test 127.0.0.1'],
        },
      );
      assert.ok(cookies(r.observations).some((c) => c.name === 'auth_token' && c.setBy === 'script'));
      assert.equal(r.errors.length, 1, JSON.stringify(r.errors));
      assert.match(r.errors[0]!.message, /^browser: .*ERR_/);
      assert.equal(r.errors[0]!.url, 'https://site.test:1/');
    } finally {
      await servers.close();
      ca.cleanup();
    }
  },
);
