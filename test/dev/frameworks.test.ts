/**
 * The cookie log in front of real Flask, Django and PHP apps (the README's recipes): what each one
 * gets wrong behind a TLS-terminating proxy, and that the snippet the log prints fixes it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { httpsRequest, startDev, tempDir } from './helpers.js';
import type { DevRun } from './helpers.js';
import { hasPhp, hasPython, startDjangoApp, startFlaskApp, startPhpApp } from './apps.js';
import type { App } from './apps.js';

const noFlask = !hasPython('flask') && 'python3-flask is not installed (scripts/setup.sh --test installs it)';
const noDjango =
  !hasPython('django') && 'python3-django is not installed (scripts/setup.sh --test installs it)';
const noPhp = !hasPhp() && 'php-cli is not installed (scripts/setup.sh --test installs it)';

async function through(
  app: App,
  caDir: string,
  fn: (dev: DevRun, get: (path: string) => ReturnType<typeof httpsRequest>) => Promise<void>,
): Promise<void> {
  const dev = await startDev(['--target', app.origin, '--port', '0', '--ca-dir', caDir]).catch(
    async (e: unknown) => {
      await app.stop();
      throw e;
    },
  );
  try {
    const ca = readFileSync(join(caDir, 'ca.pem'), 'utf8');
    await fn(dev, (path) =>
      httpsRequest({ host: '127.0.0.1', servername: 'localhost', port: dev.port, ca, path }),
    );
  } finally {
    const stopped = await dev.stop();
    await app.stop();
    assert.equal(stopped, 0, dev.stderr());
  }
}

test(
  'Flask: Secure comes from SESSION_COOKIE_SECURE (not proxy trust); external URLs need ProxyFix',
  { skip: noFlask, timeout: 180_000 },
  async () => {
    const t = tempDir('flask');
    try {
      await through(await startFlaskApp(), join(t.dir, 'ca'), async (dev, get) => {
        const login = await get('/login');
        assert.equal(login.status, 200);
        assert.match(
          login.body.toString(),
          /logged in: http:\/\/127\.0\.0\.1:\d+\/login/,
          'Flask builds http:// URLs behind the proxy',
        );
        await dev.waitStdout(/fix: Set `app\.config\['SESSION_COOKIE_SECURE'\] = True`\n/);
        const out = dev.stdout();
        assert.match(out, /session \(session, flask from Server: Werkzeug\/[\d.]+ Python\/[\d.]+\)/);
        assert.match(out, /✗ high cookie-missing-secure: The session cookie session/);
        assert.ok(!out.includes('session-trust-proxy-missing'), 'not blamed on proxy trust');
        assert.match(
          out,
          /note: flask sets Secure from its configuration, not from the request; .*ProxyFix\(app\.wsgi_app, x_proto=1\)/,
        );

        const go = await get('/go');
        assert.equal(go.status, 302);
        await dev.waitStdout(
          /! proxy-trust \(flask from Server: Werkzeug[^\n]*\): The app redirected to http:\/\/127\.0\.0\.1:\d+\/login \(plain HTTP\)/,
        );
        assert.match(
          dev.stdout(),
          /fix: Wrap the app: `app\.wsgi_app = ProxyFix\(app\.wsgi_app, x_proto=1\)`/,
        );
      });

      await through(
        await startFlaskApp({ SECURE: '1', PROXY_FIX: '1' }),
        join(t.dir, 'ca'),
        async (dev, get) => {
          const login = await get('/login');
          assert.match(login.body.toString(), /logged in: https:\/\/127\.0\.0\.1:\d+\/login/);
          await dev.waitStdout(/session \(session\) ok: Secure; HttpOnly; Path=\/\n/);
          const go = await get('/go');
          assert.match(String(go.headers.location), /^https:\/\//);
          assert.ok(!dev.stdout().includes('proxy-trust'), dev.stdout());
        },
      );
    } finally {
      t.cleanup();
    }
  },
);

test(
  'Django: SECURE_SSL_REDIRECT without SECURE_PROXY_SSL_HEADER loops; with it the app sees HTTPS',
  { skip: noDjango, timeout: 180_000 },
  async () => {
    const t = tempDir('django');
    try {
      await through(await startDjangoApp({ SSL_REDIRECT: '1' }), join(t.dir, 'ca'), async (dev, get) => {
        const r = await get('/login');
        assert.equal(r.status, 301);
        assert.equal(
          r.headers.location,
          `https://127.0.0.1:${dev.port}/login`,
          'redirected to the very URL requested',
        );
        await dev.waitStdout(
          /! proxy-trust \(django from Server: WSGIServer\/0\.2 CPython\/[\d.]+\): The app redirected \/login to the same HTTPS URL/,
        );
        assert.match(
          dev.stdout(),
          /fix: Set `SECURE_PROXY_SSL_HEADER = \('HTTP_X_FORWARDED_PROTO', 'https'\)`/,
        );
      });

      await through(
        await startDjangoApp({ SSL_REDIRECT: '1', PROXY_HEADER: '1' }),
        join(t.dir, 'ca'),
        async (dev, get) => {
          const r = await get('/login');
          assert.equal(r.status, 200);
          assert.equal(r.body.toString(), 'logged in, secure=True');
          await dev.waitStdout(
            /fix: Set `SESSION_COOKIE_SECURE = True` in the settings module used in production\n/,
          );
          assert.match(dev.stdout(), /✗ high cookie-missing-secure: The session cookie sessionid/);
        },
      );

      await through(
        await startDjangoApp({ SSL_REDIRECT: '1', PROXY_HEADER: '1', SECURE: '1' }),
        join(t.dir, 'ca'),
        async (dev, get) => {
          assert.equal((await get('/login')).status, 200);
          // Secure now; only Django's 14-day default lifetime is left to say
          await dev.waitStdout(/· low session-cookie-persistent: The session cookie sessionid[^\n]*\n/);
          assert.match(dev.stdout(), /sessionid=<redacted>; [^\n]*; Secure\n/);
          assert.ok(!dev.stdout().includes('cookie-missing-secure'));
        },
      );
    } finally {
      t.cleanup();
    }
  },
);

test(
  "PHP: PHPSESSID without Secure gets the $_SERVER['HTTPS'] snippet, and the snippet makes it Secure",
  { skip: noPhp, timeout: 180_000 },
  async () => {
    const t = tempDir('php');
    try {
      await through(await startPhpApp(), join(t.dir, 'ca'), async (dev, get) => {
        const plain = await get('/index.php');
        assert.equal(plain.body.toString(), 'logged in, https=no');
        await dev.waitStdout(
          /here: Behind `cookieguard dev` \(php -S\), before session_start\(\): [^\n]*\$_SERVER\['HTTPS'\] = 'on'; \}`\n/,
        );
        const out = dev.stdout();
        assert.match(out, /PHPSESSID \(session, php from cookie name PHPSESSID\)/);
        assert.match(out, /✗ high session-trust-proxy-missing/);
        assert.match(
          out,
          /if Secure is switched off in the configuration instead: Set `session\.cookie_secure = 1`/,
        );

        const fixed = await get('/index.php?trust=1');
        assert.equal(fixed.body.toString(), 'logged in, https=yes');
        assert.match(String(fixed.headers['set-cookie']), /; secure; HttpOnly; SameSite=Lax/);
        await dev.waitStdout(/PHPSESSID \(session\) ok: Secure; HttpOnly; SameSite=Lax; Path=\/\n/);
      });
    } finally {
      t.cleanup();
    }
  },
);
