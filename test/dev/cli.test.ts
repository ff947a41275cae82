/**
 * `cookieguard dev` as a user runs it: spawned from bin/cookieguard.js, with ephemeral ports
 * (--port 0), a temporary CA directory and a real Express + express-session app.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { httpsRequest, runCli, startDev, startUpstream, tempDir } from './helpers.js';
import { startExpressApp } from './apps.js';

/** Exactly one line `cookieguard: ...`, no stack trace. */
function assertOneLine(stderr: string, re: RegExp): void {
  assert.match(stderr, /^cookieguard: [^\n]+\n$/, `one line: ${JSON.stringify(stderr)}`);
  assert.match(stderr, re);
  assert.ok(!/\n\s+at /.test(stderr), 'no stack trace');
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

test(
  'dev ca prints the CA certificate path, creating the CA (key 0600) once',
  { timeout: 60_000 },
  async () => {
    const t = tempDir('cli-ca');
    try {
      const dir = join(t.dir, 'ca');
      const a = await runCli(['dev', 'ca', '--ca-dir', dir]);
      assert.equal(a.code, 0, a.stderr);
      assert.equal(a.stdout, `${join(dir, 'ca.pem')}\n`);
      assert.match(a.stderr, /created a new local CA/);
      assert.match(readFileSync(join(dir, 'ca.pem'), 'utf8'), /^-----BEGIN CERTIFICATE-----/);
      assert.equal(statSync(join(dir, 'ca-key.pem')).mode & 0o777, 0o600);
      const b = await runCli(['dev', '--ca-dir', dir, 'ca']);
      assert.equal(b.code, 0);
      assert.equal(b.stdout, a.stdout);
      assert.equal(b.stderr, '');
      const c = await runCli(['dev', 'ca'], { XDG_DATA_HOME: join(t.dir, 'xdg') });
      assert.equal(c.stdout, `${join(t.dir, 'xdg', 'cookieguard', 'ca.pem')}\n`);
    } finally {
      t.cleanup();
    }
  },
);

test('bad input: one line, exit 2, no stack trace', { timeout: 120_000 }, async () => {
  const t = tempDir('cli-bad');
  const app = await startUpstream((_q, r) => r.end('ok'));
  const busy = net.createServer();
  busy.listen(0, '127.0.0.1');
  await once(busy, 'listening');
  const busyPort = (busy.address() as AddressInfo).port;
  const closedPort = await freePort();
  try {
    const ca = ['--ca-dir', join(t.dir, 'ca')];
    writeFileSync(join(t.dir, 'file'), 'x');
    const cases: [string[], RegExp][] = [
      [['dev', ...ca], /--target URL is required/],
      [['dev', '--target', 'https://localhost:3000', ...ca], /plain-HTTP address.*adds the HTTPS/],
      [['dev', '--target', 'ftp://localhost', ...ca], /must be an http:\/\/ URL/],
      [['dev', '--target', 'http://localhost:3000/app', ...ca], /origin without a path/],
      [['dev', '--target', 'http://[bad', ...ca], /is not a URL/],
      [['dev', '--target', String(app.port), '--port', 'abc', ...ca], /--port must be a port number/],
      [['dev', '--target', String(app.port), '--port', '70000', ...ca], /--port must be a port number/],
      [
        ['dev', '--target', String(app.port), '--http-port', '9', '--port', '9', ...ca],
        /--http-port must differ/,
      ],
      [['dev', '--target', String(app.port), '--host', 'example.com', ...ca], /only certify local names/],
      [
        ['dev', '--target', String(app.port), '--bind', 'not-an-ip', ...ca],
        /--bind "not-an-ip" is not an IP address/,
      ],
      [
        ['dev', '--target', `127.0.0.1:${closedPort}`, '--port', '0', ...ca],
        new RegExp(`cannot reach the app at http://127\\.0\\.0\\.1:${closedPort}: connection refused`),
      ],
      [
        ['dev', '--target', String(app.port), '--port', String(busyPort), ...ca],
        new RegExp(`port ${busyPort} is in use on 127\\.0\\.0\\.1`),
      ],
      [
        ['dev', '--target', String(app.port), '--port', '0', '--ca-dir', join(t.dir, 'file', 'ca')],
        /cannot create the CA directory .*--ca-dir/,
      ],
      [['dev', 'ca', '--ca-dir', join(t.dir, 'file')], /is a file, not a directory/],
      [['dev', 'bogus', ...ca], /unknown subcommand or argument "bogus"/],
      [['dev', '--nope', ...ca], /unknown option '--nope'/],
    ];
    for (const [args, re] of cases) {
      const r = await runCli(args, { HOME: t.dir });
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assertOneLine(r.stderr, re);
      assert.equal(r.stdout, '', args.join(' '));
    }
  } finally {
    busy.close();
    await app.close();
    t.cleanup();
  }
});

test(
  '--port 0 prints the port; the certificate verifies for localhost and 127.0.0.1 against the printed CA; SIGINT and SIGTERM stop it cleanly',
  { timeout: 120_000 },
  async () => {
    const t = tempDir('cli-run');
    const app = await startUpstream((q, r) => r.end(`app saw ${q.headers['x-forwarded-proto']}`));
    try {
      const caDir = join(t.dir, 'ca');
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        const dev = await startDev([
          '--target',
          app.origin,
          '--port',
          '0',
          '--http-port',
          '0',
          '--ca-dir',
          caDir,
        ]);
        try {
          assert.ok(dev.port > 0);
          assert.ok(dev.httpPort !== undefined && dev.httpPort > 0);
          const printed = (await runCli(['dev', 'ca', '--ca-dir', caDir])).stdout.trim();
          assert.ok(dev.stderr().includes(`CA: ${printed}`), 'the start-up notes name the CA file');
          const ca = readFileSync(printed, 'utf8');
          for (const [host, servername] of [
            ['127.0.0.1', 'localhost'],
            ['127.0.0.1', undefined],
            ['::1', 'localhost'],
          ] as const) {
            const r = await httpsRequest({ host, port: dev.port, ca, ...(servername ? { servername } : {}) });
            assert.equal(r.body.toString(), 'app saw https');
          }
          assert.match(dev.stderr(), /export NODE_EXTRA_CA_CERTS=/);
        } finally {
          const code = await dev.stop(signal);
          assert.equal(code, 0, dev.stderr());
          assert.match(dev.stderr(), new RegExp(`cookieguard: dev: stopped \\(${signal}\\)\\n$`));
        }
      }
    } finally {
      await app.close();
      t.cleanup();
    }
  },
);

test('--quiet: only the listening line on stderr', { timeout: 60_000 }, async () => {
  const t = tempDir('cli-quiet');
  const app = await startUpstream((_q, r) => r.end('x'));
  try {
    const dev = await startDev([
      '--target',
      app.origin,
      '--port',
      '0',
      '--ca-dir',
      join(t.dir, 'ca'),
      '--quiet',
    ]);
    const code = await dev.stop();
    assert.equal(code, 0);
    assert.match(
      dev.stderr(),
      /^cookieguard: dev: https:\/\/localhost:\d+ → http:\/\/127\.0\.0\.1:\d+ \(listening on [^\n]+\)\n$/,
    );
  } finally {
    await app.close();
    t.cleanup();
  }
});

test(
  'the cookie log: express-session with secure "auto" and no trust proxy gets the trust-proxy advice; with trust proxy it is Secure',
  { timeout: 120_000 },
  async () => {
    const t = tempDir('cli-express');
    const caDir = join(t.dir, 'ca');
    for (const trust of [false, true]) {
      const app = await startExpressApp(trust ? { TRUST_PROXY: '1' } : {});
      const dev = await startDev(['--target', app.origin, '--port', '0', '--ca-dir', caDir]).catch(
        async (e: unknown) => {
          await app.stop();
          throw e;
        },
      );
      try {
        const ca = readFileSync(join(caDir, 'ca.pem'), 'utf8');
        const r = await httpsRequest({
          host: '127.0.0.1',
          servername: 'localhost',
          port: dev.port,
          ca,
          path: '/login',
        });
        assert.equal(r.status, 200);
        assert.match(r.body.toString(), trust ? /over https/ : /over http</);
        const setCookie = String(r.headers['set-cookie']?.[0] ?? '');
        const value = /^connect\.sid=([^;]+)/.exec(setCookie)?.[1];
        assert.ok(value, 'the app set its session cookie');
        if (!trust) {
          assert.ok(!/;\s*secure/i.test(setCookie), 'no Secure: the app believed the request was plain HTTP');
          const log = await dev.waitStdout(/if Secure is switched off[^\n]*\n/);
          assert.ok(log);
          const out = dev.stdout();
          assert.match(out, /GET \/login → 200/);
          assert.match(
            out,
            /✗ high session-trust-proxy-missing: https:\/\/127\.0\.0\.1:\d+\/login is served over HTTPS but sets connect\.sid without Secure/,
          );
          assert.match(out, /express-session from cookie name connect\.sid/);
          assert.match(out, /fix: Call `app\.set\('trust proxy', 1\)`/);
          assert.match(out, /Trust exactly the proxies in front of the app: trusting every client/);
          assert.match(out, /connect\.sid=<redacted>; Path=\/; HttpOnly; SameSite=Lax/);
        } else {
          assert.match(setCookie, /;\s*Secure/i);
          await dev.waitStdout(/connect\.sid \(session\) ok: Secure; HttpOnly; SameSite=Lax; Path=\/\n/);
          assert.ok(!dev.stdout().includes('session-trust-proxy-missing'));
        }
        assert.ok(
          !dev.stdout().includes(decodeURIComponent(value!)) && !dev.stdout().includes(value!),
          'the cookie value is never printed',
        );
      } finally {
        const stopped = await dev.stop();
        await app.stop();
        assert.equal(stopped, 0, dev.stderr());
      }
    }
    t.cleanup();
  },
);

test(
  'express-session with secure: true and no trust proxy never sends the cookie behind the proxy (what the README warns about)',
  { timeout: 120_000 },
  async () => {
    const t = tempDir('cli-express-true');
    const app = await startExpressApp({ SECURE: 'true' });
    const dev = await startDev(['--target', app.origin, '--port', '0', '--ca-dir', join(t.dir, 'ca')]).catch(
      async (e: unknown) => {
        await app.stop();
        throw e;
      },
    );
    try {
      const ca = readFileSync(join(t.dir, 'ca', 'ca.pem'), 'utf8');
      const r = await httpsRequest({
        host: '127.0.0.1',
        servername: 'localhost',
        port: dev.port,
        ca,
        path: '/login',
      });
      assert.equal(r.status, 200);
      assert.equal(r.headers['set-cookie'], undefined, 'no session cookie at all');
    } finally {
      const stopped = await dev.stop();
      await app.stop();
      t.cleanup();
      assert.equal(stopped, 0, dev.stderr());
    }
  },
);

test(
  'the app down at a request: 502 page and a line on stderr, the proxy keeps running, and says when the app is back',
  { timeout: 120_000 },
  async () => {
    const t = tempDir('cli-down');
    const app = await startUpstream((_q, r) => r.end('up'));
    const port = app.port;
    try {
      const dev = await startDev(['--target', app.origin, '--port', '0', '--ca-dir', join(t.dir, 'ca')]);
      try {
        const ca = readFileSync(join(t.dir, 'ca', 'ca.pem'), 'utf8');
        await app.close();
        const r = await httpsRequest({
          host: '127.0.0.1',
          servername: 'localhost',
          port: dev.port,
          ca,
          path: '/x',
        });
        assert.equal(r.status, 502);
        const back = await startUpstream((_q, res) => res.end('back'), { port });
        try {
          const ok = await httpsRequest({ host: '127.0.0.1', servername: 'localhost', port: dev.port, ca });
          assert.equal(ok.body.toString(), 'back');
        } finally {
          await back.close();
        }
        assert.match(
          dev.stderr(),
          /the app at http:\/\/127\.0\.0\.1:\d+ is not accepting connections \(connection refused\): it is stopped, or restarting \(GET \/x\): answering 502 until it is back/,
        );
        assert.match(dev.stderr(), /is answering again/);
      } finally {
        assert.equal(await dev.stop(), 0, dev.stderr());
      }
    } finally {
      t.cleanup();
    }
  },
);
