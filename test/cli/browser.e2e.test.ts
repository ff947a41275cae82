/**
 * `cookieguard check --browser` end to end: the real command line, a loopback HTTPS site (test CA
 * given with --ca) and real Chromium. A page whose script writes a token cookie without Secure and
 * fetches over plain HTTP gives browser findings besides the live ones; a missing Chromium is one
 * line naming the Debian package, exit 2, before any request.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { oneErrorLine, runCli } from './run.js';
import { LOOPBACK_NAMES, makeTestCa, type TestCa } from '../helpers/tls.js';

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is absent (Debian package chromium)`;
const TOKEN = 'tok-0b7e4d1c9a2f6e8d3c5b';
/** A session id only in the URL of a script's plain-HTTP fetch (nothing else names it). */
const FETCH_SID = 'fetchsid7a3c9e1b5d2f';

let ca: TestCa;
let secure: https.Server;
let plain: http.Server;
let httpsOrigin = '';
let httpOrigin = '';
const plainRequests: string[] = [];
/** Another origin, which no crawled page may take the browser to. */
let elsewhere: http.Server;
let elsewhereOrigin = '';
const elsewhereRequests: string[] = [];
const PASSWORD = 'pw-9c1e5a7d3f2b8e4c';
const CSRF = 'csrf-5d8e2a9c7b1f';
let sessionCounter = 1;
const loggedIn = new Set<string>();
const loginPosts: { user: string | null; csrf: string | null; ok: boolean; sid: string | null }[] = [];
const accountSids: string[] = [];

before(async () => {
  ca = await makeTestCa();
  const cert = await ca.issue(LOOPBACK_NAMES);
  plain = http.createServer((req, res) => {
    plainRequests.push(req.url ?? '');
    res.writeHead(301, { location: `${httpsOrigin}${req.url ?? '/'}` });
    res.end();
  });
  await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r));
  httpOrigin = `http://127.0.0.1:${(plain.address() as AddressInfo).port}`;
  elsewhere = http.createServer((req, res) => {
    elsewhereRequests.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>elsewhere</title>');
  });
  await new Promise<void>((r) => elsewhere.listen(0, '127.0.0.1', r));
  elsewhereOrigin = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}`;
  secure = https.createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
    if (req.url === '/') {
      res.writeHead(200, {
        'content-type': 'text/html',
        'set-cookie': 'sid=s3rv3r; Secure; HttpOnly; Path=/',
        'strict-transport-security': 'max-age=31536000',
      });
      res.end(`<!doctype html><title>app</title><script>
document.cookie = "auth_token=${TOKEN}; Path=/";
fetch("${httpOrigin}/api/track").catch(() => {});
</script>`);
    } else if (req.url === '/leaky') {
      res.writeHead(200, { 'content-type': 'text/html', 'strict-transport-security': 'max-age=31536000' });
      res.end(`<!doctype html><title>leaky</title><script>
fetch("${httpOrigin}/api?PHPSESSID=${FETCH_SID}").catch(() => {});
</script>`);
    } else if (req.url === '/start') {
      // --browser --crawl: the cookie is written by a script on the page the start links to
      res.writeHead(200, { 'content-type': 'text/html', 'strict-transport-security': 'max-age=31536000' });
      res.end('<!doctype html><title>start</title><a href="/deep">deeper</a> <a href="/hop">hop</a>');
    } else if (req.url === '/hop') {
      // A crawled page whose script takes the browser to another origin: the crawl's scope stops it.
      res.writeHead(200, { 'content-type': 'text/html', 'strict-transport-security': 'max-age=31536000' });
      res.end(
        `<!doctype html><title>hop</title><script>location.href = "${elsewhereOrigin}/landed";</script>`,
      );
    } else if (req.url === '/deep') {
      res.writeHead(200, { 'content-type': 'text/html', 'strict-transport-security': 'max-age=31536000' });
      res.end(
        '<!doctype html><title>deep</title><script>document.cookie = "deep_token=d33p; Path=/";</script>',
      );
    } else if (req.url === '/login' && req.method === 'GET') {
      // --browser --login: a session before the login, a hidden CSRF token the form must send back.
      res.writeHead(200, {
        'content-type': 'text/html',
        'set-cookie': `app_session=anon-${sessionCounter++}-0123456789; Secure; HttpOnly; Path=/`,
        'strict-transport-security': 'max-age=31536000',
      });
      res.end(
        '<!doctype html><title>log in</title><form method="post" action="/login">' +
          `<input type="hidden" name="csrf" value="${CSRF}"><input name="user"><input type="password" name="password">` +
          '<button>Log in</button></form>',
      );
    } else if (req.url === '/login' && req.method === 'POST') {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => {
        const form = new URLSearchParams(body);
        const post = {
          user: form.get('user'),
          csrf: form.get('csrf'),
          ok: form.get('password') === PASSWORD,
          sid: null as string | null,
        };
        loginPosts.push(post);
        if (form.get('password') !== PASSWORD || form.get('csrf') !== CSRF) {
          res.writeHead(403, { 'content-type': 'text/html' });
          res.end('<form method="post" action="/login"><input type="password" name="password"></form>');
          return;
        }
        const sid = `user-${sessionCounter++}-9876543210`;
        loggedIn.add(sid);
        post.sid = sid;
        res.writeHead(302, {
          location: '/account',
          'set-cookie': `app_session=${sid}; Secure; HttpOnly; Path=/`,
          'strict-transport-security': 'max-age=31536000',
        });
        res.end();
      });
    } else if (req.url === '/account') {
      // Only a logged-in session sees the page whose script writes a cookie without Secure.
      const sid = /app_session=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
      if (sid !== undefined) accountSids.push(sid);
      res.writeHead(200, { 'content-type': 'text/html', 'strict-transport-security': 'max-age=31536000' });
      res.end(
        sid !== undefined && loggedIn.has(sid)
          ? '<!doctype html><title>account</title><script>document.cookie = "acct_token=acc0unt-t0ken; Path=/";</script>'
          : '<!doctype html><title>account</title><p>please log in</p>',
      );
    } else {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
    }
  });
  await new Promise<void>((r) => secure.listen(0, '127.0.0.1', r));
  httpsOrigin = `https://127.0.0.1:${(secure.address() as AddressInfo).port}`;
});

after(async () => {
  secure?.closeAllConnections();
  plain?.closeAllConnections();
  elsewhere?.closeAllConnections();
  await Promise.all([
    new Promise((r) => secure?.close(r)),
    new Promise((r) => plain?.close(r)),
    new Promise((r) => elsewhere?.close(r)),
  ]);
  ca?.cleanup();
});

interface J {
  findings: {
    rule: string;
    source: string;
    cookie: string | null;
    message: string;
    evidence: string | null;
  }[];
  errors: { message: string }[];
}

test(
  'check --browser: a script cookie and script-initiated plain-HTTP requests are reported',
  { skip, timeout: 180_000 },
  async () => {
    const r = await runCli(
      [
        'check',
        `${httpsOrigin}/`,
        '--http',
        httpOrigin,
        '--ca',
        ca.caFile,
        '--browser',
        '--format',
        'json',
        '--quiet',
      ],
      { timeoutMs: 150_000 },
    );
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout) as J;
    assert.deepEqual(report.errors, []);
    const script = report.findings.find(
      (f) => f.rule === 'cookie-missing-secure' && f.cookie === 'auth_token',
    );
    assert.ok(script, JSON.stringify(report.findings, null, 1));
    assert.equal(script.source, 'browser');
    assert.match(script.message, /set by script/);
    const mixed = report.findings.find((f) => f.rule === 'mixed-content');
    assert.ok(mixed);
    assert.equal(mixed.source, 'browser');
    assert.match(mixed.evidence ?? '', new RegExp(`${httpOrigin}/api/track \\(requested by script `));
    assert.ok(!r.stdout.includes(TOKEN), 'the script cookie value is redacted');
    // The live collector still judges the page's own Set-Cookie; the browser does not repeat it.
    assert.ok(!report.findings.some((f) => f.cookie === 'sid' && f.source === 'browser'));
  },
);

test(
  'check --browser: a session id in the URL of a plain-HTTP request stays out of the report',
  { skip, timeout: 180_000 },
  async () => {
    const r = await runCli(
      [
        'check',
        `${httpsOrigin}/leaky`,
        '--http',
        httpOrigin,
        '--ca',
        ca.caFile,
        '--browser',
        '--format',
        'json',
        '--quiet',
      ],
      { timeoutMs: 150_000 },
    );
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout) as J;
    const mixed = report.findings.find((f) => f.rule === 'mixed-content');
    assert.ok(mixed, JSON.stringify(report.findings, null, 1));
    assert.match(
      mixed.evidence ?? '',
      new RegExp(`${httpOrigin}/api\\?PHPSESSID=<redacted> \\(requested by script `),
    );
    assert.ok(!r.stdout.includes(FETCH_SID), 'the session id of the request URL leaked into the report');
  },
);

test('check --browser without Chromium: one line naming the package, exit 2', async () => {
  const r = await runCli(['check', 'https://127.0.0.1:9/', '--browser'], { env: { PATH: '/nonexistent' } });
  assert.equal(r.code, 2);
  const line = oneErrorLine(r.stderr);
  assert.ok(line, r.stderr);
  assert.match(line, /install the Debian package chromium/);
});

test('check --chromium PATH that is not a program, and --chromium without --browser: one line, exit 2', async () => {
  const bad = await runCli([
    'check',
    'https://127.0.0.1:9/',
    '--browser',
    '--chromium',
    '/nonexistent/chrome',
  ]);
  assert.equal(bad.code, 2);
  assert.match(oneErrorLine(bad.stderr) ?? '', /--chromium \/nonexistent\/chrome: not an executable file/);
  const alone = await runCli(['check', 'https://127.0.0.1:9/', '--chromium', CHROMIUM]);
  assert.equal(alone.code, 2);
  assert.match(oneErrorLine(alone.stderr) ?? '', /--chromium PATH is used with --browser/);
});

test(
  'check --browser --crawl: the browser loads the pages the crawl reached, and sees their script cookies',
  { skip, timeout: 240_000 },
  async () => {
    const args = ['check', `${httpsOrigin}/start`, '--http', httpOrigin, '--ca', ca.caFile, '--browser'];
    const run = async (extra: string[]) => {
      const r = await runCli([...args, ...extra, '--format', 'json', '--quiet', '--fail-on', 'none'], {
        timeoutMs: 200_000,
      });
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse(r.stdout) as J;
    };
    const deep = (j: J) => j.findings.filter((f) => f.cookie === 'deep_token' && f.source === 'browser');
    assert.deepEqual(deep(await run([])), [], 'without --crawl the browser loads /start only');
    const crawled = deep(await run(['--crawl']));
    assert.ok(
      crawled.some((f) => f.rule === 'cookie-missing-secure'),
      JSON.stringify(crawled),
    );
    // /hop was crawled and loaded in the browser (its script ran), and its navigation to another
    // origin was stopped: that origin got no request.
    assert.deepEqual(elsewhereRequests, [], 'a crawled page never takes the browser to another origin');
  },
);

test(
  'check --browser --login: the browser logs in itself (hidden CSRF field kept) and sees the logged-in page',
  { skip, timeout: 240_000 },
  async () => {
    const before = loginPosts.length;
    const r = await runCli(
      [
        'check',
        `${httpsOrigin}/account`,
        '--http',
        httpOrigin,
        '--ca',
        ca.caFile,
        '--browser',
        '--login',
        `${httpsOrigin}/login`,
        '--login-field',
        'user=alice',
        '--login-field',
        'password=${ENV:APP_PASSWORD}',
        '--format',
        'json',
        '--quiet',
        '--fail-on',
        'none',
      ],
      { timeoutMs: 200_000, env: { APP_PASSWORD: PASSWORD } },
    );
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as J;
    assert.deepEqual(report.errors, []);
    const posts = loginPosts.slice(before);
    // Two logins, each with its own session: the HTTP one (whose renewal is judged) and the browser's
    // (fields typed, form submitted); each session then loads /account.
    assert.equal(posts.length, 2, JSON.stringify(posts));
    const issued = posts.map((p) => p.sid);
    assert.ok(
      issued.every((sid) => sid !== null && accountSids.includes(sid)),
      `each login's session loaded /account: ${JSON.stringify({ issued, accountSids })}`,
    );
    assert.ok(
      posts.every((p) => p.ok && p.csrf === CSRF && p.user === 'alice'),
      JSON.stringify(posts),
    );
    const acct = report.findings.filter((f) => f.cookie === 'acct_token' && f.source === 'browser');
    assert.ok(
      acct.some((f) => f.rule === 'cookie-missing-secure'),
      `the browser saw the logged-in page: ${JSON.stringify(report.findings, null, 1)}`,
    );
    // The session is renewed at the login: no session-not-renewed-on-login.
    assert.ok(!report.findings.some((f) => f.rule === 'session-not-renewed-on-login'));
    for (const out of [r.stdout, r.stderr]) {
      assert.ok(!out.includes(PASSWORD), 'the password is in no output');
      assert.ok(!out.includes('acc0unt-t0ken'), 'the script cookie value is redacted');
    }
  },
);
