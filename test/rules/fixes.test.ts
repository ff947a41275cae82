import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FRAMEWORKS } from '../../src/model/frameworks.js';
import {
  attributeFix,
  cookieAttributeFix,
  cookieKind,
  frameworksWithAdvice,
  siteFix,
} from '../../src/rules/fixes.js';
import { cookie, frameworkDefault } from './helpers.js';

const GENERIC_SECURE = attributeFix('secure', undefined, 'cookie');

test('every framework id has its own advice', () => {
  const known = new Set(frameworksWithAdvice());
  for (const fw of FRAMEWORKS) {
    assert.ok(known.has(fw), `${fw} has no advice`);
    const session = attributeFix('secure', fw, 'session');
    const own = attributeFix('secure', fw, 'cookie');
    assert.ok(session !== GENERIC_SECURE || own !== GENERIC_SECURE, `${fw} falls back to generic advice`);
  }
});

const expected: [string, 'session' | 'csrf' | 'remember' | 'cookie', string][] = [
  ['php', 'session', 'session.cookie_secure = 1'],
  ['php', 'cookie', "'secure' => true"],
  ['laravel', 'session', 'SESSION_SECURE_COOKIE=true'],
  ['symfony', 'session', 'framework.session.cookie_secure: auto'],
  ['symfony', 'session', 'trusted_proxies'],
  ['flask', 'session', "SESSION_COOKIE_SECURE'] = True"],
  ['flask-login', 'remember', 'REMEMBER_COOKIE_SECURE'],
  ['django', 'session', 'SESSION_COOKIE_SECURE = True'],
  ['django', 'csrf', 'CSRF_COOKIE_SECURE = True'],
  ['starlette', 'session', 'https_only=True'],
  ['express-session', 'session', 'cookie: { secure: true }'],
  ['express-session', 'session', "app.set('trust proxy', 1)"],
  ['express', 'cookie', "res.cookie('NAME', value, { secure: true"],
  ['cookie-session', 'session', 'cookieSession({ ... })'],
  ['koa', 'cookie', 'app.proxy = true'],
  ['koa-session', 'session', 'app.proxy = true'],
  ['fastify', 'session', 'trustProxy: true'],
  ['fastify', 'cookie', 'reply.setCookie'],
  ['next', 'cookie', 'cookies()).set'],
  ['next-auth', 'session', 'useSecureCookies: true'],
  ['iron-session', 'session', 'cookieOptions'],
  ['hono', 'cookie', 'setCookie(c,'],
  ['browser-js', 'cookie', '; Secure'],
  ['rails', 'session', 'config.force_ssl = true'],
  ['rails', 'remember', 'rememberable_options'],
  ['spring', 'session', 'server.servlet.session.cookie.secure=true'],
  ['aspnet', 'session', 'CookieSecurePolicy.Always'],
  ['aspnet', 'cookie', 'new CookieOptions { Secure = true'],
  ['go', 'cookie', 'Secure: true'],
];

for (const [fw, kind, text] of expected) {
  test(`secure fix for ${fw} (${kind}) mentions ${text}`, () => {
    assert.ok(attributeFix('secure', fw, kind).includes(text), attributeFix('secure', fw, kind));
  });
}

test('HttpOnly advice: browser-js says scripts cannot set it; Django CSRF says nothing to change', () => {
  assert.match(attributeFix('httponly', 'browser-js', 'cookie'), /Scripts cannot set HttpOnly/);
  assert.match(attributeFix('httponly', 'django', 'csrf'), /by design/);
  assert.match(attributeFix('httponly', 'php', 'session'), /session\.cookie_httponly = 1/);
});

test('unknown framework: generic advice', () => {
  assert.equal(attributeFix('secure', 'cobol', 'session'), GENERIC_SECURE);
  assert.match(GENERIC_SECURE, /Secure; HttpOnly; SameSite=Lax/);
});

test('site-level advice per framework', () => {
  assert.match(siteFix('hsts', 'django'), /SECURE_HSTS_SECONDS = 31536000/);
  assert.match(siteFix('httpsRedirect', 'django'), /SECURE_SSL_REDIRECT = True/);
  assert.match(siteFix('trustProxy', 'express'), /trust proxy/);
  assert.match(siteFix('trustProxy', 'flask-login'), /ProxyFix/);
  assert.match(siteFix('sessionIdInUrl', 'php'), /session\.use_only_cookies = 1/);
  assert.match(siteFix('hsts', null), /Strict-Transport-Security: max-age=31536000/);
  assert.match(siteFix('hsts', 'express-session'), /helmet/);
});

test('cookieKind: CSRF, remember-me, script, the API that set it, or the framework session', () => {
  assert.equal(cookieKind(cookie({ name: 'csrftoken', category: 'csrf', framework: 'django' })), 'csrf');
  assert.equal(cookieKind(cookie({ name: 'remember_token', framework: 'flask-login' })), 'remember');
  assert.equal(cookieKind(cookie({ name: 'x', framework: 'browser-js', setBy: 'script' })), 'cookie');
  assert.equal(cookieKind(cookie({ name: 'sid', framework: 'express' })), 'cookie');
  assert.equal(cookieKind(cookie({ name: 'connect.sid', framework: 'express-session' })), 'session');
  assert.equal(cookieKind(cookie({ name: 'PHPSESSID', framework: 'php', classFramework: 'php' })), 'session');
  assert.equal(cookieKind(cookie({ name: 'auth', framework: 'php' })), 'cookie');
  assert.equal(
    cookieKind(cookie({ name: 'x', framework: 'django', secure: frameworkDefault(false, 'django') })),
    'session',
  );
});

test('code samples name the cookie', () => {
  const express = cookie({ name: 'theme', framework: 'express' });
  assert.match(cookieAttributeFix('secure', express), /res\.cookie\('theme', value/);
  const prefixed = cookie({ name: '__Secure-auth', framework: 'cobol' });
  assert.match(cookieAttributeFix('secure', prefixed), /Set-Cookie: __Secure-auth=…/);
  assert.match(cookieAttributeFix('name', prefixed), /__Host-auth/);
  const odd = cookie({ name: "we'ird", framework: 'express' });
  assert.match(cookieAttributeFix('secure', odd), /'NAME'/);
});

test('a PHP cookie set with setcookie() gets setcookie() advice, not php.ini session settings', () => {
  const c = { ...cookie({ name: 'remember_token', framework: 'php' }), api: 'setcookie' };
  const advice = cookieAttributeFix('secure', c);
  assert.match(advice, /setcookie\('remember_token'/);
  assert.doesNotMatch(advice, /session\.cookie_secure/);
});
