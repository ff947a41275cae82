import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CookieLog, judgeResponse } from '../../src/dev/cookie-log.js';
import type { ProxiedResponse } from '../../src/dev/cookie-log.js';
import { frameworkForCookie, frameworkFromHeaders } from '../../src/dev/framework.js';

const ORIGIN = 'https://localhost:8443';
const SECRET = 's%3AtopSecretValue.abc';

function response(
  setCookies: string[],
  extra: string[] = [],
  over: Partial<ProxiedResponse> = {},
): ProxiedResponse {
  const headers: string[] = [...extra];
  for (const c of setCookies) headers.push('Set-Cookie', c);
  return {
    method: 'GET',
    origin: ORIGIN,
    path: '/login?next=/x',
    status: 200,
    headers,
    forwardedProto: true,
    ...over,
  };
}

function rules(r: ProxiedResponse): string[] {
  return judgeResponse(r)
    .cookies.flatMap((c) => c.findings.map((f) => `${c.name}:${f.rule}:${f.severity}`))
    .sort();
}

test('cookies the rules find nothing wrong with (valid cases)', () => {
  const valid: [string, ProxiedResponse][] = [
    [
      'Secure HttpOnly session cookie',
      response(
        [`connect.sid=${SECRET}; Path=/; HttpOnly; Secure; SameSite=Lax`],
        ['X-Powered-By', 'Express'],
      ),
    ],
    ['Secure preference cookie', response(['theme=dark; Path=/; Secure; SameSite=Lax'])],
    ['a deletion is not judged', response(['connect.sid=; Path=/; Max-Age=0'])],
    [
      'Django CSRF cookie readable by scripts, Secure',
      response(['csrftoken=abc; Path=/; Secure; SameSite=Lax'], ['Server', 'WSGIServer/0.2 CPython/3.11.2']),
    ],
    ['no Set-Cookie at all', response([])],
  ];
  for (const [label, r] of valid) assert.deepEqual(rules(r), [], label);
});

test('cookies judged like check (invalid cases), with the trust-proxy finding where the framework follows the request', () => {
  const invalid: [string, ProxiedResponse, string[]][] = [
    [
      'express-session without Secure over HTTPS: the app does not trust the proxy',
      response([`connect.sid=${SECRET}; Path=/; HttpOnly`], ['X-Powered-By', 'Express']),
      ['connect.sid:session-trust-proxy-missing:high'],
    ],
    [
      'cookie-session (Express + `session`) the same',
      response(['session=eyJ1IjoxfQ==; path=/; httponly'], ['X-Powered-By', 'Express']),
      ['session:session-trust-proxy-missing:high'],
    ],
    [
      'Koa session the same',
      response(['koa.sess=abc; path=/; httponly']),
      ['koa.sess:session-trust-proxy-missing:high'],
    ],
    [
      'PHP: its secure flag may come from $_SERVER[HTTPS] in code: trust-proxy',
      response(['PHPSESSID=abc123; path=/'], ['X-Powered-By', 'PHP/8.2.7']),
      ['PHPSESSID:cookie-missing-httponly:medium', 'PHPSESSID:session-trust-proxy-missing:high'],
    ],
    [
      'Flask decides Secure from SESSION_COOKIE_SECURE only: cookie-missing-secure, not trust-proxy',
      response(['session=eyJ4IjoxfQ.Z.abc; HttpOnly; Path=/'], ['Server', 'Werkzeug/2.2.2 Python/3.11.2']),
      ['session:cookie-missing-secure:high'],
    ],
    [
      'Django SESSION_COOKIE_SECURE off: cookie-missing-secure',
      response(
        ['sessionid=abc; HttpOnly; Path=/; SameSite=Lax'],
        ['Server', 'WSGIServer/0.2 CPython/3.11.2'],
      ),
      ['sessionid:cookie-missing-secure:high'],
    ],
    [
      'a preference cookie without Secure is low, and no trust-proxy',
      response(['theme=dark; Path=/']),
      ['theme:cookie-missing-secure:low'],
    ],
    [
      'SameSite=None without Secure is rejected: only the rejection',
      response(['ad=1; SameSite=None; Path=/']),
      ['ad:cookie-samesite-none-insecure:low'],
    ],
    [
      '__Host- with a Domain is rejected',
      response(['__Host-sid=1; Secure; Path=/; Domain=localhost']),
      ['__Host-sid:cookie-prefix-invalid:medium'],
    ],
    [
      'session cookie readable by scripts',
      response(['connect.sid=x; Path=/; Secure; SameSite=Lax']),
      ['connect.sid:cookie-missing-httponly:medium'],
    ],
  ];
  for (const [label, r, want] of invalid) assert.deepEqual(rules(r), want.sort(), label);
});

test('without X-Forwarded-Proto sent, a missing Secure is not blamed on proxy trust', () => {
  assert.deepEqual(
    rules(
      response([`connect.sid=${SECRET}; Path=/; HttpOnly`], ['X-Powered-By', 'Express'], {
        forwardedProto: false,
      }),
    ),
    ['connect.sid:cookie-missing-secure:high'],
  );
});

test('the trust-proxy advice names the framework setting, the dev variant, the warning and the config alternative', () => {
  const j = judgeResponse(response([`connect.sid=${SECRET}; Path=/; HttpOnly`], ['X-Powered-By', 'Express']));
  const c = j.cookies[0]!;
  assert.equal(c.framework?.framework, 'express-session');
  assert.match(c.trust?.fix ?? '', /app\.set\('trust proxy', 1\)/);
  assert.match(c.trust?.devSnippet ?? '', /'loopback'/);
  assert.match(c.trust?.warning ?? '', /lets anyone send X-Forwarded-Proto: https/);
  assert.match(c.trust?.ifConfig ?? '', /cookie: \{ secure: true \}/);

  const snippets: [string[], string[], RegExp][] = [
    [['koa.sess=a; path=/; httponly'], [], /app\.proxy = true/],
    [['sessionId=a; Path=/; HttpOnly'], [], /trustProxy: true/],
    [['PHPSESSID=a; path=/; HttpOnly'], ['X-Powered-By', 'PHP/8.2'], /\$_SERVER\['HTTPS'\]/],
    [['laravel_session=a; path=/; httponly'], [], /trustProxies/],
    [['JSESSIONID=a; Path=/; HttpOnly'], [], /forward-headers-strategy/],
  ];
  for (const [cookies, headers, re] of snippets) {
    const jc = judgeResponse(response(cookies, headers)).cookies[0]!;
    assert.match(`${jc.trust?.fix} ${jc.trust?.devSnippet ?? ''}`, re, cookies[0]);
  }
});

test('redirects show an app that does not see HTTPS: to http:// on the same host, or to the same URL', () => {
  const toHttp = judgeResponse(
    response([], ['Location', 'http://localhost:8443/login', 'X-Powered-By', 'Express'], {
      status: 302,
      path: '/',
    }),
  );
  assert.equal(toHttp.notes[0]?.kind, 'redirect-to-http');
  assert.match(toHttp.notes[0]!.advice.fix, /trust proxy/);

  const loop = judgeResponse(
    response([], ['Location', 'https://localhost:8443/admin/', 'Server', 'WSGIServer/0.2 CPython/3.11.2'], {
      status: 301,
      path: '/admin/',
    }),
  );
  assert.equal(loop.notes[0]?.kind, 'redirect-to-self');
  assert.match(loop.notes[0]!.advice.fix, /SECURE_PROXY_SSL_HEADER/);

  const fine: ProxiedResponse[] = [
    response([], ['Location', '/login'], { status: 302, path: '/' }),
    response([], ['Location', 'https://localhost:8443/login'], { status: 302, path: '/' }),
    response([], ['Location', 'http://other.example/'], { status: 302, path: '/' }),
    response([], ['Location', 'http://localhost:8443/login'], {
      status: 302,
      path: '/',
      forwardedProto: false,
    }),
    response([], ['Location', 'http://localhost:8443/login'], { status: 200, path: '/' }),
  ];
  for (const r of fine) assert.deepEqual(judgeResponse(r).notes, [], JSON.stringify(r.headers));
});

test('framework detection from headers and cookie names (case table)', () => {
  const headerCases: [Record<string, string>, string | undefined][] = [
    [{ poweredBy: 'Express' }, 'express'],
    [{ poweredBy: 'PHP/8.2.7' }, 'php'],
    [{ poweredBy: 'Next.js' }, 'next'],
    [{ poweredBy: 'ASP.NET' }, 'aspnet'],
    [{ server: 'Werkzeug/2.2.2 Python/3.11.2' }, 'flask'],
    [{ server: 'WSGIServer/0.2 CPython/3.11.2' }, 'django'],
    [{ server: 'uvicorn' }, 'starlette'],
    [{ server: 'Kestrel' }, 'aspnet'],
    [{ server: 'nginx/1.22' }, undefined],
    [{}, undefined],
  ];
  for (const [h, want] of headerCases)
    assert.equal(frameworkFromHeaders(h)?.framework, want, JSON.stringify(h));

  const cookieCases: [string, Record<string, string>, string | undefined][] = [
    ['connect.sid', { poweredBy: 'Express' }, 'express-session'],
    ['session', { poweredBy: 'Express' }, 'cookie-session'],
    ['session', { server: 'Werkzeug/2.2.2 Python/3.11.2' }, 'flask'],
    ['session', { server: 'uvicorn' }, 'starlette'],
    ['session', {}, undefined],
    ['sid', { poweredBy: 'Express' }, 'express'],
    ['PHPSESSID', {}, 'php'],
    ['sessionid', {}, 'django'],
  ];
  for (const [name, h, want] of cookieCases)
    assert.equal(frameworkForCookie(name, h)?.framework, want, `${name} ${JSON.stringify(h)}`);
});

test('the log: rule ids, browser, fix; values never printed; repeats are one line; control characters escaped', () => {
  let out = '';
  const log = new CookieLog({ write: (s) => (out += s), now: () => new Date(2026, 0, 2, 3, 4, 5) });
  const r = response(
    [`connect.sid=${SECRET}; Path=/; HttpOnly`, 'theme=dark; Path=/; Secure'],
    ['X-Powered-By', 'Express'],
  );
  log.record(r);
  assert.match(out, /^03:04:05 GET \/login\?… → 200\n/);
  assert.match(
    out,
    /✗ high session-trust-proxy-missing: https:\/\/localhost:8443\/login is served over HTTPS but sets connect\.sid without Secure/,
  );
  assert.match(out, /browser: The browser talks HTTPS to the proxy/);
  assert.match(out, /fix: Call `app\.set\('trust proxy', 1\)`/);
  assert.match(out, /if Secure is switched off in the configuration instead:/);
  assert.match(out, /theme \(preference\) ok: Secure; Path=\//);
  assert.match(out, /connect\.sid=<redacted>; Path=\/; HttpOnly/);
  assert.ok(!out.includes('topSecretValue'), 'the value is never printed');
  assert.ok(!out.includes('next=/x'), 'the query is not printed');

  out = '';
  log.record(r);
  assert.equal(
    out,
    '03:04:05 GET /login?… → 200\n  connect.sid same as before: session-trust-proxy-missing high\n',
  );

  out = '';
  log.record(response(['x\u001b[31m=1; Path=/'], [], { path: '/p\u001b[2J' }));
  assert.ok(!out.includes('\u001b'), 'no escape sequence reaches the terminal');

  out = '';
  const quiet = new CookieLog({ write: (s) => (out += s), quiet: true });
  quiet.record(response(['theme=dark; Path=/; Secure']));
  assert.equal(out, '', 'quiet: nothing for a cookie without findings');
});

test('colour only when asked', () => {
  let plain = '';
  let coloured = '';
  const r = response([`connect.sid=${SECRET}; Path=/; HttpOnly`], ['X-Powered-By', 'Express']);
  new CookieLog({ write: (s) => (plain += s) }).record(r);
  new CookieLog({ write: (s) => (coloured += s), color: true }).record(r);
  assert.ok(!plain.includes('\u001b['));
  assert.ok(coloured.includes('\u001b[31m'));
});
