/**
 * The defaults the resolver applies are checked against the real libraries installed here (express 5,
 * express-session 1.19, cookie-session 2.1, koa 3 + koa-session 7, fastify 5 + @fastify/session 11 +
 * @fastify/cookie 11): each fixture app is scanned statically, then started on 127.0.0.1 and asked for a
 * page twice, as a TLS-terminating proxy would forward it (plain HTTP, then with X-Forwarded-Proto:
 * https). What the static observation claims must be what the app sends:
 * - Secure false / 'auto': the cookie comes without Secure over plain HTTP; 'auto' adds Secure when the
 *   proxy says https if and only if the app trusts it;
 * - Secure true: sent with Secure when the request is (trusted as) HTTPS; with a proxy-trust observation,
 *   never sent at all, even when the proxy says https;
 * - HttpOnly, SameSite and Path as observed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseSetCookie, type ParsedSetCookie } from '../../src/cookies/setcookie.js';
import { cookiesOf, observe, proxyTrustOf, settingsOf } from './harness.js';

const dir = new URL('../../../test/fixtures/scan-js/truth/', import.meta.url);

interface Live {
  status: number;
  cookies: ParsedSetCookie[];
}

async function get(port: number, forwardedHttps: boolean): Promise<Live> {
  const res = await fetch(`http://127.0.0.1:${port}/`, {
    headers: forwardedHttps ? { 'X-Forwarded-Proto': 'https', 'X-Forwarded-For': '203.0.113.7' } : {},
    redirect: 'manual',
    signal: AbortSignal.timeout(10_000),
  });
  await res.arrayBuffer();
  const cookies = res.headers.getSetCookie().map((raw) => parseSetCookie(raw, `http://127.0.0.1:${port}/`));
  return { status: res.status, cookies: cookies.filter((c) => !c.name.endsWith('.sig')) };
}

const FIXTURES = [
  'express-session-default.js',
  'express-session-secure-no-trust.js',
  'express-session-secure-trust.js',
  'cookie-session-default.js',
  'cookie-session-secure-no-trust.js',
  'koa-session-default.js',
  'koa-session-secure-no-proxy.js',
  'koa-ctx-cookies.js',
  'express-res-cookie.js',
  'fastify-session-default.js',
  'fastify-session-trust.js',
  'fastify-set-cookie.js',
];

for (const name of FIXTURES) {
  test(`static observation matches the running app: ${name}`, async () => {
    const url = new URL(name, dir);
    const text = readFileSync(url, 'utf8');
    const obs = observe({ [name]: text });
    const cookies = cookiesOf(obs).filter((c) => !c.deletion);
    const untrusted = new Set(proxyTrustOf(obs).map((p) => p.cookie));
    const trustsProxy = settingsOf(obs).some(
      (s) => s.key === 'trust-proxy' && Boolean(s.value) && s.value !== 'unknown',
    );
    assert.ok(cookies.length > 0, 'the scanner sees the cookie');

    const mod = (await import(fileURLToPath(url))) as { start(): Promise<Server> };
    const server = await mod.start();
    try {
      const port = (server.address() as AddressInfo).port;
      const plain = await get(port, false);
      const forwarded = await get(port, true);
      for (const c of cookies) {
        const inPlain = plain.cookies.find((x) => x.name === c.name);
        const inForwarded = forwarded.cookies.find((x) => x.name === c.name);
        const label = `${name}: ${c.name} (static secure ${String(c.secure.value)})`;
        if (untrusted.has(c.name)) {
          assert.equal(inPlain, undefined, `${label}: never set over HTTP`);
          assert.equal(inForwarded, undefined, `${label}: never set even when the proxy says https`);
          continue;
        }
        let live: ParsedSetCookie | undefined;
        if (c.secure.value === true) {
          live = inForwarded ?? inPlain;
          assert.ok(live, `${label}: set when the request is (trusted as) HTTPS`);
          assert.equal(live.attributes.secure, true, `${label}: Secure`);
        } else if (c.secure.value === 'auto') {
          assert.ok(inPlain, `${label}: set over HTTP`);
          assert.equal(inPlain.attributes.secure, false, `${label}: no Secure over HTTP`);
          assert.ok(inForwarded, `${label}: set behind a proxy`);
          // 'auto' follows the request: Secure behind a proxy only when the app trusts it
          assert.equal(
            inForwarded.attributes.secure,
            trustsProxy,
            `${label}: Secure behind a proxy saying https iff trusted`,
          );
          live = inPlain;
        } else {
          assert.equal(c.secure.value, false);
          assert.ok(inPlain, `${label}: set over HTTP`);
          assert.equal(inPlain.attributes.secure, false, `${label}: no Secure`);
          live = inPlain;
        }
        assert.equal(live.attributes.httpOnly, c.httpOnly.value, `${label}: HttpOnly`);
        assert.equal(live.attributes.sameSite, c.sameSite.value, `${label}: SameSite`);
        assert.equal(live.attributes.path, c.path?.value, `${label}: Path`);
      }
      // every cookie the app sends was seen by the scanner
      const names = new Set(cookies.map((c) => c.name));
      for (const live of [...plain.cookies, ...forwarded.cookies])
        assert.ok(names.has(live.name), `${name}: unexpected live cookie ${live.name}`);
    } finally {
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
}
