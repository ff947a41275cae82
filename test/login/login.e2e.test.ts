/**
 * `check --login` end to end against a hand-made loopback site (HTTPS with a CA made in the test,
 * and a plain-HTTP server beside it) that records every request with its body: what the login sends
 * (the page's CSRF field, Origin, Referer), that the session then goes to the checked URLs over HTTPS
 * and never over plain HTTP, that credentials never go to an http:// action, and that the password
 * appears in no report format, on no stream, with or without --show-values.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeServer, listen } from '../helpers/servers.js';
import { LOOPBACK_NAMES, makeTestCa, type TestCa } from '../helpers/tls.js';
import { oneErrorLine, runCli } from '../cli/run.js';
import type { JsonReport } from './apps.js';

const PASSWORD = 'Pw-LEAKCHECK-e2e-9f8e7d6c5b';
const CSRF = 'csrf-token-0123456789';
const PRE_SID = 'pre-login-sid-abcdef123456';
const POST_SID = 'post-login-sid-fedcba654321';

interface Seen {
  scheme: string;
  method: string;
  path: string;
  cookie: string;
  origin: string;
  referer: string;
  body: string;
}

const page = (action: string, method = 'post'): string => `<!doctype html><title>Sign in</title>
<form action="/search"><input name="q"></form>
<form method="${method}" action="${action}">
  <input type="hidden" name="csrf" value="${CSRF}">
  <input name="user"><input type="password" name="pass">
  <button name="go" value="in">Sign in</button>
</form>`;

describe('check --login (loopback site)', () => {
  let ca: TestCa;
  let secure: https.Server;
  let plain: http.Server;
  let httpsOrigin = '';
  let httpOrigin = '';
  let tmp = '';
  /** Renew the session id at login (false: keep it, session fixation). */
  let renew = false;
  const seen: Seen[] = [];

  const app =
    (scheme: string) =>
    (req: http.IncomingMessage, res: http.ServerResponse): void => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (d: string) => (body += d));
      req.on('end', () => {
        const path = (req.url ?? '/').split('?')[0]!;
        const cookie = req.headers.cookie ?? '';
        seen.push({
          scheme,
          method: req.method ?? '',
          path,
          cookie,
          origin: String(req.headers.origin ?? ''),
          referer: String(req.headers.referer ?? ''),
          body,
        });
        const html = (status: number, text: string, headers: Record<string, string | string[]> = {}) => {
          res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers });
          res.end(text);
        };
        if (scheme === 'http') return html(200, 'plain');
        if (path === '/login' && req.method === 'GET')
          return html(200, page('/login'), { 'set-cookie': `sid=${PRE_SID}; Path=/; Secure; HttpOnly` });
        if (path === '/insecure-login') return html(200, page(`${httpOrigin}/login`));
        if (path === '/get-login') return html(200, page('/login', 'get'));
        if (path === '/forbidden-login') return html(200, page('/forbidden'));
        if (path === '/forbidden') return html(403, 'no');
        // A login whose POST is redirected (303) to a page over plain HTTP.
        if (path === '/downgrade-login') return html(200, page('/downgrade'));
        if (path === '/downgrade' && req.method === 'POST')
          return html(303, '', { location: `${httpOrigin}/landing` });
        if (path === '/login' && req.method === 'POST') {
          const form = new URLSearchParams(body);
          if (form.get('csrf') !== CSRF || !cookie.includes(`sid=${PRE_SID}`)) return html(403, 'csrf');
          if (form.get('user') !== 'alice' || form.get('pass') !== PASSWORD) return html(200, page('/login'));
          return html(303, '', {
            location: '/account',
            // Set by the login response without Secure: judged, with the login as its delivery.
            'set-cookie': [
              `sid=${renew ? POST_SID : PRE_SID}; Path=/; Secure; HttpOnly`,
              'remember_token=rt-0a1b2c3d4e5f6a7b8c9d; Path=/; HttpOnly',
            ],
          });
        }
        if (path === '/account') {
          const sid = renew ? POST_SID : PRE_SID;
          return cookie.includes(`sid=${sid}`)
            ? html(200, '<p>welcome</p><a href="/settings">settings</a>')
            : html(302, '', { location: '/login' });
        }
        if (path === '/settings') return html(200, 'settings');
        return html(404, 'not found');
      });
    };

  before(async () => {
    ca = await makeTestCa();
    const cert = await ca.issue(LOOPBACK_NAMES);
    secure = https.createServer({ cert: cert.chainPem, key: cert.keyPem }, app('https'));
    plain = http.createServer(app('http'));
    httpsOrigin = `https://127.0.0.1:${await listen(secure)}`;
    httpOrigin = `http://127.0.0.1:${await listen(plain)}`;
    tmp = mkdtempSync(join(tmpdir(), 'cookieguard-login-e2e-'));
  });
  after(async () => {
    await Promise.all([closeServer(secure), closeServer(plain)]);
    ca.cleanup();
    rmSync(tmp, { recursive: true, force: true });
  });

  const args = (loginPath = '/login', ...extra: string[]): string[] => [
    'check',
    `${httpsOrigin}/account`,
    '--login',
    `${httpsOrigin}${loginPath}`,
    '--login-field',
    'user=alice',
    '--login-field',
    'pass=${ENV:CG_LOGIN_PW}',
    '--ca',
    ca.caFile,
    '--http',
    httpOrigin,
    '--fail-on',
    'none',
    ...extra,
  ];
  const env = { CG_LOGIN_PW: PASSWORD };

  test('submits the form with its CSRF field, Origin and Referer, then checks the URL with the session over HTTPS only', async () => {
    seen.length = 0;
    renew = false;
    const r = await runCli([...args(), '--format', 'json'], { env });
    assert.equal(r.code, 0, r.stderr);
    const post = seen.find((s) => s.method === 'POST');
    assert.ok(post, 'no POST');
    assert.equal(post.scheme, 'https');
    const form = new URLSearchParams(post.body);
    assert.deepEqual([...form.keys()], ['csrf', 'user', 'pass', 'go']);
    assert.equal(form.get('pass'), PASSWORD);
    assert.equal(post.origin, httpsOrigin);
    assert.equal(post.referer, `${httpsOrigin}/login`);
    // The checked URL got the session over HTTPS (and answered 200: logged in).
    const checked = seen.filter((s) => s.path === '/account' && s.scheme === 'https');
    assert.ok(checked.length >= 2, JSON.stringify(checked)); // the login's redirect, then the check
    assert.ok(checked.every((s) => s.cookie.includes(`sid=${PRE_SID}`)));
    // Nothing of the session, and no credential, over plain HTTP.
    const overHttp = seen.filter((s) => s.scheme === 'http');
    assert.ok(overHttp.length > 0, 'the plain-HTTP twin was not checked');
    for (const s of overHttp) {
      assert.equal(s.cookie, '');
      assert.equal(s.method, 'GET');
    }
    const report = JSON.parse(r.stdout) as JsonReport;
    const fixation = report.findings.filter((f) => f.rule === 'session-not-renewed-on-login');
    assert.equal(fixation.length, 1);
    assert.equal(fixation[0]!.cookie, 'sid');
    assert.equal(fixation[0]!.url, `${httpsOrigin}/login`);
    assert.equal(
      fixation[0]!.evidence?.split('\n')[0],
      `POST ${httpsOrigin}/login (form fields: csrf, user, pass, go; values not shown)`,
    );
    // The cookie the login response set without Secure is judged, delivered by the login POST.
    const remember = report.findings.find(
      (f) => f.rule === 'cookie-missing-secure' && f.cookie === 'remember_token',
    );
    assert.ok(remember, JSON.stringify(report.findings.map((f) => [f.rule, f.cookie])));
    assert.equal(remember.url, `${httpsOrigin}/login`);
  });

  test('a login that renews the session id gives no session-not-renewed-on-login', async () => {
    renew = true;
    try {
      const r = await runCli([...args(), '--format', 'json'], { env });
      assert.equal(r.code, 0, r.stderr);
      const report = JSON.parse(r.stdout) as JsonReport;
      assert.equal(report.findings.filter((f) => f.rule === 'session-not-renewed-on-login').length, 0);
    } finally {
      renew = false;
    }
  });

  test('without URLs, the page the login landed on is checked', async () => {
    seen.length = 0;
    const a = args().filter((x) => x !== `${httpsOrigin}/account`);
    const r = await runCli([...a, '--format', 'json'], { env });
    assert.equal(r.code, 0, r.stderr);
    const checked = seen.filter((s) => s.path === '/account' && s.scheme === 'https');
    assert.ok(checked.length >= 2);
  });

  test('with --crawl, the pages the checked URL leads to are fetched with the session too', async () => {
    seen.length = 0;
    renew = false;
    const r = await runCli([...args(), '--crawl', '--max-pages', '5', '--format', 'json'], { env });
    assert.equal(r.code, 0, r.stderr);
    const settings = seen.filter((s) => s.path === '/settings' && s.scheme === 'https');
    assert.ok(settings.length > 0, 'the crawl did not reach /settings');
    assert.ok(
      settings.every((s) => s.cookie.includes(`sid=${PRE_SID}`)),
      JSON.stringify(settings),
    );
    assert.ok(seen.filter((s) => s.scheme === 'http').every((s) => s.cookie === ''));
    assert.ok(!seen.some((s) => s.method === 'POST' && s.path !== '/login'));
  });

  test('the password appears in no report format, on no stream, even with --show-values', async () => {
    const variants = [
      ['--format', 'text', '--explain'],
      ['--format', 'json'],
      ['--format', 'sarif'],
      ['--format', 'junit'],
      ['--format', 'html'],
      ['--format', 'markdown'],
      ['--format', 'json', '--show-values'],
      ['--format', 'text', '--explain', '--show-values'],
    ];
    for (const v of variants) {
      const r = await runCli([...args(), ...v], { env });
      assert.equal(r.code, 0, `${v.join(' ')}: ${r.stderr}`);
      assert.ok(r.stdout.length > 100, v.join(' '));
      assert.ok(!r.stdout.includes(PASSWORD) && !r.stderr.includes(PASSWORD), `leaked with ${v.join(' ')}`);
    }
    // And in the failures: a refused http:// form, a wrong password.
    for (const a of [args('/insecure-login'), args('/forbidden-login'), args('/get-login')]) {
      const r = await runCli([...a, '--format', 'json', '--show-values'], { env });
      assert.ok(!r.stdout.includes(PASSWORD) && !r.stderr.includes(PASSWORD));
    }
  });

  test('a form that posts to http:// is refused (exit 2) and reported as form-posts-over-http', async () => {
    seen.length = 0;
    const r = await runCli([...args('/insecure-login'), '--format', 'json'], { env });
    assert.equal(r.code, 2);
    const line = oneErrorLine(r.stderr);
    assert.ok(line, r.stderr);
    assert.match(line, /submits to http:\/\/127\.0\.0\.1:\d+\/login: credentials are sent only over HTTPS/);
    assert.ok(!seen.some((s) => s.method === 'POST'), 'the form was submitted');
    assert.ok(!seen.some((s) => s.scheme === 'http'), 'something went to the http:// action');
    const report = JSON.parse(r.stdout) as JsonReport;
    const f = report.findings.find((x) => x.rule === 'form-posts-over-http');
    assert.ok(f);
    assert.equal(f.severity, 'high');
    assert.equal(f.url, `${httpsOrigin}/insecure-login`);
  });

  test('a GET login form is refused: the credentials would go into the URL', async () => {
    seen.length = 0;
    const r = await runCli(args('/get-login'), { env });
    assert.equal(r.code, 2);
    assert.match(oneErrorLine(r.stderr) ?? '', /submits with method GET/);
    assert.ok(!seen.some((s) => s.path === '/login'));
  });

  test('a login POST redirected to http://: the GET that follows carries no Referer (a downgrade)', async () => {
    seen.length = 0;
    const r = await runCli(args('/downgrade-login'), { env });
    const landing = seen.filter((s) => s.scheme === 'http' && s.path === '/landing');
    assert.equal(landing.length, 1, `${r.stderr}\n${JSON.stringify(seen)}`);
    assert.equal(landing[0]!.method, 'GET');
    assert.equal(landing[0]!.referer, '', 'the https:// login page was sent as Referer to http://');
    assert.equal(landing[0]!.body, '');
  });

  test('a 4xx answer to the login, a wrong password and a page without the fields are one error line, exit 2', async () => {
    const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
      [
        args('/forbidden-login'),
        env,
        /login failed: https:\/\/127\.0\.0\.1:\d+\/forbidden answered HTTP 403/,
      ],
      [args(), { CG_LOGIN_PW: 'not-the-password-x' }, /login failed: the login form came back/],
      [
        [...args(), '--login-field', 'otp=123456'],
        env,
        /no form on https:\/\/127\.0\.0\.1:\d+\/login holds the fields user, pass, otp \(its form fields: q, csrf, user, pass\)/,
      ],
    ];
    for (const [a, e, rx] of cases) {
      const r = await runCli(a, { env: e });
      assert.equal(r.code, 2, r.stderr);
      const line = oneErrorLine(r.stderr);
      assert.ok(line, r.stderr);
      assert.match(line, rx);
      assert.ok(!line.includes('not-the-password-x'));
    }
  });

  test('bad --login arguments are one error line, exit 2, and never echo a value', async () => {
    const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
      [['check', `${httpsOrigin}/`, '--login-field', 'user=alice'], {}, /--login-field needs --login URL/],
      [['check', '--login', `${httpsOrigin}/login`], {}, /--login needs the form's fields/],
      [
        ['check', '--login', `${httpsOrigin}/login`, '--login-field', 'secret-no-equals-sign'],
        {},
        /--login-field must look like 'NAME=VALUE'/,
      ],
      [
        ['check', '--login', `${httpsOrigin}/login`, '--login-field', 'pass=${ENV:CG_UNSET_PW_X}'],
        {},
        /environment variable CG_UNSET_PW_X is not set \(referenced in --login-field pass\)/,
      ],
      [
        ['check', '--login', 'ftp://x/login', '--login-field', 'a=b'],
        {},
        /not an http:\/\/ or https:\/\/ URL/,
      ],
    ];
    for (const [a, e, rx] of cases) {
      const r = await runCli(a, { env: e });
      assert.equal(r.code, 2, `${a.join(' ')}: ${r.stderr}`);
      const line = oneErrorLine(r.stderr);
      assert.ok(line, r.stderr);
      assert.match(line, rx);
      assert.ok(!line.includes('secret-no-equals-sign'));
    }
  });

  test('the config file takes the login (check.login) with ${ENV:NAME} values', async () => {
    renew = false;
    const config = join(tmp, 'cookieguard.config.json');
    writeFileSync(
      config,
      JSON.stringify({
        check: {
          login: { url: `${httpsOrigin}/login`, fields: { user: 'alice', pass: '${ENV:CG_LOGIN_PW}' } },
          ca: [ca.caFile],
          http: httpOrigin,
        },
      }),
    );
    const r = await runCli(
      ['check', `${httpsOrigin}/account`, '--config', config, '--format', 'json', '--fail-on', 'none'],
      { env },
    );
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as JsonReport;
    assert.equal(report.findings.filter((f) => f.rule === 'session-not-renewed-on-login').length, 1);
    writeFileSync(config, JSON.stringify({ check: { login: { url: `${httpsOrigin}/login`, fields: [] } } }));
    const bad = await runCli(['check', `${httpsOrigin}/account`, '--config', config]);
    assert.equal(bad.code, 2);
    assert.match(oneErrorLine(bad.stderr) ?? '', /check\.login\.fields must be an object/);
  });
});
