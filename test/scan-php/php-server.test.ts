/**
 * Real PHP as the oracle for project-level reasoning: serve the plain-php fixture with PHP's built-in
 * web server (`php -S 127.0.0.1:PORT -c docker/php.ini`), read the Set-Cookie headers it sends, and
 * compare them with what the scanner resolved from the same files. Loopback only, bounded in time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { request } from 'undici';
import { freePort } from '../helpers/servers.js';
import { collectCode } from '../../src/collect/code/index.js';
import { parseSetCookie } from '../../src/cookies/setcookie.js';
import { PHP_AVAILABLE } from './php.js';

const APP = join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures', 'scan-php', 'plain-php');

async function startPhp(docroot: string, ini: string): Promise<{ origin: string; proc: ChildProcess }> {
  const port = await freePort();
  const proc = spawn('php', ['-n', '-c', ini, '-S', `127.0.0.1:${port}`, '-t', docroot], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      await request(origin + '/', { headersTimeout: 1000, bodyTimeout: 1000 }).then((r) => r.body.dump());
      return { origin, proc };
    } catch {
      if (Date.now() > deadline || proc.exitCode !== null) {
        proc.kill();
        throw new Error('php -S did not start');
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

function setCookies(headers: Record<string, string | string[] | undefined>): string[] {
  const v = headers['set-cookie'];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

test(
  'php -S serving the plain-php fixture sends the cookies the scanner predicts',
  { skip: !PHP_AVAILABLE && 'php-cli not installed', timeout: 60_000 },
  async () => {
    const { observations } = await collectCode([APP], { workers: 0 });
    const predicted = (name: string, file: string) => {
      const o = observations.find((x) => x.kind === 'cookie' && x.name === name && x.location?.file === file);
      assert.ok(o && o.kind === 'cookie', `no observation for ${name} in ${file}`);
      return o;
    };
    const { origin, proc } = await startPhp(join(APP, 'public'), join(APP, 'docker', 'php.ini'));
    try {
      const res = await request(origin + '/index.php', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'remember=1',
        headersTimeout: 10_000,
        bodyTimeout: 10_000,
      });
      await res.body.dump();
      const sent = setCookies(res.headers).map((h) => parseSetCookie(h, origin + '/index.php'));
      const byName = new Map(sent.map((c) => [c.name, c]));

      // Session cookie: php.ini says cookie_secure Off, src/bootstrap.php's ini_set() says 1 and wins.
      const sess = byName.get('GUESTBOOKSID');
      assert.ok(sess, `GUESTBOOKSID not sent: ${[...byName.keys()].join(', ')}`);
      const p = predicted('GUESTBOOKSID', 'public/index.php');
      assert.equal(sess.attributes.secure, p.secure.value);
      assert.equal(sess.attributes.httpOnly, p.httpOnly.value);
      // php.ini's unquoted `None` is empty: PHP sends no SameSite at all.
      assert.equal(sess.attributes.sameSite, p.sameSite.value);
      assert.equal(p.sameSite.value, 'unset');

      const remember = byName.get('remember_token');
      assert.ok(remember, 'remember_token not sent');
      const r = predicted('remember_token', 'public/index.php');
      assert.equal(remember.attributes.secure, r.secure.value);
      assert.equal(remember.attributes.httpOnly, r.httpOnly.value);
      assert.equal(remember.attributes.path, '/');
      assert.deepEqual(r.lifetime, { kind: 'persistent', seconds: 60 * 60 * 24 * 30 });
      assert.equal(remember.attributes.maxAge, 60 * 60 * 24 * 30);

      // logout.php deletes remember_token: the scanner does not report deletions.
      const out = await request(origin + '/logout.php', { headersTimeout: 10_000, bodyTimeout: 10_000 });
      await out.body.dump();
      const deleted = setCookies(out.headers)
        .map((h) => parseSetCookie(h, origin + '/logout.php'))
        .find((c) => c.name === 'remember_token');
      assert.ok(deleted?.deletion, 'logout deletes remember_token');
      assert.ok(
        !observations.some(
          (o) =>
            o.kind === 'cookie' && o.name === 'remember_token' && o.location?.file === 'public/logout.php',
        ),
      );
    } finally {
      proc.kill();
    }
  },
);

test(
  'php -S: session_start() options win over ini_set(), which wins over php.ini',
  { skip: !PHP_AVAILABLE && 'php-cli not installed', timeout: 60_000 },
  async () => {
    const { mkdtempSync, writeFileSync, mkdirSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'cg-php-order-'));
    try {
      mkdirSync(join(dir, 'public'));
      writeFileSync(
        join(dir, 'php.ini'),
        'session.cookie_secure = 1\nsession.cookie_httponly = 0\nsession.cookie_samesite = "Strict"\n',
      );
      writeFileSync(
        join(dir, 'public', 'index.php'),
        "<?php\nini_set('session.cookie_secure', '0');\nini_set('session.cookie_httponly', 'On');\nsession_start(['cookie_samesite' => 'Lax']);\nini_set('session.cookie_samesite', 'None');\necho 'ok';\n",
      );
      const { observations } = await collectCode([dir], { workers: 0 });
      const p = observations.find((o) => o.kind === 'cookie');
      assert.ok(p && p.kind === 'cookie');
      const { origin, proc } = await startPhp(join(dir, 'public'), join(dir, 'php.ini'));
      try {
        const res = await request(origin + '/index.php', { headersTimeout: 10_000, bodyTimeout: 10_000 });
        await res.body.dump();
        const [c] = setCookies(res.headers).map((h) => parseSetCookie(h, origin + '/'));
        assert.ok(c);
        assert.equal(c.attributes.secure, p.secure.value);
        assert.equal(c.attributes.httpOnly, p.httpOnly.value);
        assert.equal(c.attributes.sameSite, p.sameSite.value);
        assert.deepEqual([p.secure.value, p.httpOnly.value, p.sameSite.value], [false, true, 'lax']);
      } finally {
        proc.kill();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
