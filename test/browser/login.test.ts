/**
 * BrowserRun.login against real Chromium and a loopback HTTPS login form with a hidden CSRF token:
 * the fields are typed, the form is submitted with its token, the redirect followed; the outcome
 * has the jar before and after (the session id renewed), the responses with their Set-Cookie, and
 * never the credentials. A wrong password (the form comes back) and a form posting to http:// are
 * failures with one-line reasons.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { BrowserRun } from '../../src/collect/browser/index.js';
import { LOOPBACK_NAMES, makeTestCa, type TestCa } from '../helpers/tls.js';

const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].find(
  (p): p is string => !!p && existsSync(p),
);
const skip = CHROMIUM ? false : 'no Chromium (Debian package chromium; scripts/setup.sh --test installs it)';
const PASSWORD = 'pw-Secret-91c3';

let ca: TestCa;
let server: https.Server;
let origin = '';
let run: BrowserRun;
const posts: string[] = [];

const gets: string[] = [];

const form = (action: string, method = 'post'): string =>
  `<!doctype html><title>login</title><form method="${method}" action="${action}">` +
  `<input type="hidden" name="csrf" value="tok123"><input name="user"><input type="password" name="password">` +
  `<button type="submit" name="go" value="1">Log in</button></form>`;

before(async () => {
  if (skip) return;
  ca = await makeTestCa();
  const cert = await ca.issue(LOOPBACK_NAMES);
  server = https.createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
    if (req.method === 'GET') gets.push(req.url ?? '');
    if (req.method === 'GET' && req.url === '/login') {
      res.writeHead(200, {
        'content-type': 'text/html',
        'set-cookie': 'sid=anon-1; Secure; HttpOnly; Path=/',
      });
      res.end(form('/login'));
    } else if (req.method === 'GET' && req.url === '/get-login') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(form('/login', 'get'));
    } else if (req.method === 'GET' && req.url === '/insecure') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(form('http://127.0.0.1:9/login'));
    } else if (req.method === 'POST' && req.url === '/login') {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        posts.push(body);
        const p = new URLSearchParams(body);
        if (p.get('csrf') === 'tok123' && p.get('password') === PASSWORD) {
          res.writeHead(302, { location: '/home', 'set-cookie': 'sid=auth-2; Secure; HttpOnly; Path=/' });
          res.end();
        } else {
          res.writeHead(200, { 'content-type': 'text/html' });
          res.end(form('/login'));
        }
      });
    } else {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<p>welcome</p>');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  run = await BrowserRun.launch({ chromium: CHROMIUM!, timeoutMs: 30_000, ignoreCertificateErrors: true });
});

after(async () => {
  await run?.close();
  server?.closeAllConnections();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  ca?.cleanup();
});

test(
  'login in the browser: fields typed, CSRF token kept, session renewed, credentials nowhere',
  { skip, timeout: 120_000 },
  async () => {
    const o = await run.login(`${origin}/login`, { user: 'alice', password: PASSWORD });
    assert.equal(o.failure, undefined);
    assert.equal(o.ok, true);
    assert.equal(o.finalUrl, `${origin}/home`);
    assert.equal(o.method, 'post');
    assert.deepEqual(o.submittedFields, ['csrf', 'user', 'password', 'go']);
    const post = new URLSearchParams(posts.at(-1));
    assert.equal(post.get('csrf'), 'tok123');
    assert.equal(post.get('user'), 'alice');
    assert.deepEqual(
      o.before.filter((c) => c.name === 'sid').map((c) => c.value),
      ['anon-1'],
    );
    assert.deepEqual(
      o.after.filter((c) => c.name === 'sid').map((c) => c.value),
      ['auth-2'],
    );
    const submit = o.responses.filter((r) => r.phase === 'submit');
    assert.equal(submit[0]?.method, 'POST');
    assert.equal(submit[0]?.status, 302);
    assert.deepEqual(submit[0]?.setCookies, ['sid=auth-2; Secure; HttpOnly; Path=/']);
    assert.ok(!JSON.stringify(o).includes(PASSWORD), 'the password is not in the outcome');
  },
);

test('a wrong password: the form comes back, a failure', { skip, timeout: 120_000 }, async () => {
  const o = await run.login(`${origin}/login`, { user: 'alice', password: 'wrong' });
  assert.equal(o.ok, false);
  assert.match(o.failure ?? '', /the login form came back/);
});

test('a login form posting to http:// is not submitted', { skip, timeout: 120_000 }, async () => {
  const before = posts.length;
  const o = await run.login(`${origin}/insecure`, { user: 'alice', password: PASSWORD });
  assert.equal(o.ok, false);
  assert.equal(o.insecureForm?.hasPassword, true);
  assert.match(o.failure ?? '', /plain HTTP/);
  assert.equal(posts.length, before);
});

test(
  'a GET login form is not submitted: the credentials would go into the URL',
  { skip, timeout: 120_000 },
  async () => {
    const before = gets.length;
    const o = await run.login(`${origin}/get-login`, { user: 'alice', password: PASSWORD });
    assert.equal(o.ok, false);
    assert.equal(o.method, 'get');
    assert.equal(o.insecureForm, undefined);
    assert.match(o.failure ?? '', /submits with method GET: the credentials would go into the URL/);
    assert.ok(!gets.slice(before).some((u) => u.includes('password=')), gets.slice(before).join(' '));
    assert.ok(!JSON.stringify(o).includes(PASSWORD), 'the password is not in the outcome');
  },
);
