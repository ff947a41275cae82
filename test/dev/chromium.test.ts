/**
 * A real headless Chromium (Debian's /usr/bin/chromium) with a fresh profile and a fresh NSS
 * database: `cookieguard dev trust --nss-db HOME/.pki/nssdb --no-system` makes the database trust the
 * CA (Chromium on Linux reads $HOME/.pki/nssdb; HOME is a temporary directory here, so the machine's
 * stores are never touched). Chromium then loads an Express + express-session app through the
 * proxy WITHOUT a certificate error (no --ignore-certificate-errors), stores the Secure session
 * cookie (read back over the DevTools protocol), and keeps a WebSocket open through the proxy.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, startDev, tempDir } from './helpers.js';
import { startExpressApp } from './apps.js';

const CHROMIUM = '/usr/bin/chromium';
const skip = !existsSync(CHROMIUM)
  ? `${CHROMIUM} is absent (Debian package chromium; scripts/setup.sh --test installs it)`
  : spawnSync('certutil', ['-H']).error !== undefined
    ? 'certutil is absent (Debian package libnss3-tools; scripts/setup.sh --test installs it)'
    : false;

test(
  'Chromium trusts the proxy through its NSS database: no certificate error, the Secure session cookie is stored, WebSockets work',
  { skip, timeout: 240_000 },
  async () => {
    const t = tempDir('chromium');
    const home = join(t.dir, 'home');
    const nssdb = join(home, '.pki', 'nssdb');
    const caDir = join(t.dir, 'ca');
    mkdirSync(nssdb, { recursive: true });
    execFileSync('certutil', ['-N', '-d', `sql:${nssdb}`, '--empty-password'], { timeout: 30_000 });
    const trusted = await runCli(['dev', 'trust', '--ca-dir', caDir, '--nss-db', nssdb, '--no-system'], {
      HOME: home,
    });
    assert.equal(trusted.code, 0, trusted.stderr + trusted.stdout);

    const app = await startExpressApp({ TRUST_PROXY: 'loopback', SECURE: 'true' });
    const dev = await startDev([
      '--target',
      app.origin,
      '--port',
      '0',
      '--ca-dir',
      caDir,
      '--host',
      'app.localhost',
    ]).catch(async (e: unknown) => {
      await app.stop();
      throw e;
    });
    const { chromium } = await import('playwright-core');
    let context: Awaited<ReturnType<typeof chromium.launchPersistentContext>> | undefined;
    try {
      context = await chromium.launchPersistentContext(join(t.dir, 'profile'), {
        executablePath: CHROMIUM,
        headless: true,
        timeout: 60_000,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
        env: { ...process.env, HOME: home },
      });
      const page = context.pages()[0] ?? (await context.newPage());
      const base = `https://localhost:${dev.port}`;

      const login = await page.goto(`${base}/login`, { timeout: 30_000 });
      assert.ok(login, 'a response');
      assert.equal(login.status(), 200);
      assert.match((await page.textContent('body')) ?? '', /logged in over https/);
      const security = await login.securityDetails();
      assert.match(security?.issuer ?? '', /cookieguard local CA/);

      const cdp = await context.newCDPSession(page);
      const { cookies } = (await cdp.send('Network.getAllCookies')) as {
        cookies: { name: string; domain: string; secure: boolean; httpOnly: boolean; sameSite?: string }[];
      };
      const sid = cookies.find((c) => c.name === 'connect.sid');
      assert.ok(sid, `connect.sid stored: ${JSON.stringify(cookies.map((c) => c.name))}`);
      assert.equal(sid.domain, 'localhost');
      assert.equal(sid.secure, true);
      assert.equal(sid.httpOnly, true);
      assert.equal(sid.sameSite, 'Lax');

      // the session works on the next request: the browser sent the cookie back over HTTPS
      await page.goto(`${base}/whoami`, { timeout: 30_000 });
      assert.deepEqual(JSON.parse((await page.textContent('body')) ?? '{}'), {
        user: 'alice',
        protocol: 'https',
      });

      // 127.0.0.1 and a --host name are in the certificate too
      assert.equal((await page.goto(`https://127.0.0.1:${dev.port}/`, { timeout: 30_000 }))?.status(), 200);
      assert.equal(
        (await page.goto(`https://app.localhost:${dev.port}/`, { timeout: 30_000 }))?.status(),
        200,
      );

      // a WebSocket (hot reload) through the proxy, from the page
      await page.goto(`${base}/ws-page`, { timeout: 30_000 });
      const echoed = await page.evaluate(
        (url) =>
          new Promise<string>((resolve, reject) => {
            const ws = new WebSocket(url);
            const timer = setTimeout(() => reject(new Error('no WebSocket answer')), 10_000);
            ws.onopen = () => ws.send('hot reload ping');
            ws.onmessage = (e) => {
              clearTimeout(timer);
              resolve(String(e.data));
              ws.close();
            };
            ws.onerror = () => reject(new Error('WebSocket error'));
          }),
        `wss://localhost:${dev.port}/ws`,
      );
      assert.equal(echoed, 'HOT RELOAD PING');

      // plain http:// on the proxy's port lands on HTTPS
      const redirected = await page.goto(`http://localhost:${dev.port}/whoami`, { timeout: 30_000 });
      assert.equal(redirected?.url(), `${base}/whoami`);

      // and the log judged the cookie: Secure, HttpOnly, SameSite=Lax
      await dev.waitStdout(/connect\.sid \(session\) ok: Secure; HttpOnly; SameSite=Lax; Path=\/\n/);
      assert.ok(readFileSync(join(caDir, 'ca.pem'), 'utf8').includes('BEGIN CERTIFICATE'));

      // Chromium refuses the *.localhost wildcard (a wildcard directly under a TLD-like name): why
      // the start-up notes say to name subdomains with --host
      await assert.rejects(
        page.goto(`https://other.localhost:${dev.port}/`, { timeout: 30_000 }),
        /ERR_CERT_COMMON_NAME_INVALID/,
      );
    } finally {
      await context?.close().catch(() => undefined);
      const stopped = await dev.stop();
      await app.stop();
      t.cleanup();
      assert.equal(stopped, 0, dev.stderr());
    }
  },
);
