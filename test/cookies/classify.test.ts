import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  classifyCookie,
  frameworkForCookieName,
  frameworksForCookieName,
} from '../../src/cookies/classify.js';
import { FRAMEWORKS } from '../../src/model/frameworks.js';

type Row = [
  name: string,
  category: string,
  extra?: { framework?: string; vendor?: string; confidence?: string },
];

function table(title: string, rows: Row[]): void {
  describe(title, () => {
    for (const [name, category, extra] of rows) {
      test(`${name} → ${category}`, () => {
        const c = classifyCookie(name);
        assert.equal(c.category, category, c.reason);
        assert.ok(c.reason.length > 10, 'a readable reason');
        if (extra?.framework !== undefined) assert.equal(c.framework, extra.framework);
        if (extra?.vendor !== undefined) assert.equal(c.vendor, extra.vendor);
        if (extra?.confidence !== undefined) assert.equal(c.confidence, extra.confidence);
      });
    }
  });
}

table('session and authentication cookies by name', [
  ['PHPSESSID', 'session', { framework: 'php', confidence: 'high' }],
  ['phpsessid', 'session', { framework: 'php' }],
  ['JSESSIONID', 'session', { framework: 'spring' }],
  ['ASP.NET_SessionId', 'session', { framework: 'aspnet' }],
  ['ASPSESSIONIDQQGGQGPG', 'session'],
  ['.AspNetCore.Session', 'session', { framework: 'aspnet' }],
  ['.AspNetCore.Cookies', 'session', { framework: 'aspnet' }],
  ['.AspNetCore.Identity.Application', 'session', { framework: 'aspnet' }],
  ['connect.sid', 'session', { framework: 'express-session' }],
  ['wp-resetpass-0123456789abcdef', 'session', { confidence: 'high' }],
  ['password_reset', 'session'],
  ['pwreset_key', 'session'],
  ['recover_key', 'session'],
  ['express:sess', 'session', { framework: 'cookie-session' }],
  ['koa.sess', 'session', { framework: 'koa-session' }],
  ['sessionId', 'session', { framework: 'fastify' }],
  ['session', 'session', { confidence: 'high' }],
  ['SESSION', 'session', { framework: 'spring' }],
  ['sessionid', 'session', { framework: 'django' }],
  ['laravel_session', 'session', { framework: 'laravel' }],
  ['myshop_session', 'session', { framework: 'laravel' }],
  ['_myapp_session', 'session', { framework: 'rails' }],
  ['_session_id', 'session', { framework: 'rails' }],
  ['ci_session', 'session'],
  ['CFID', 'session'],
  ['CFTOKEN', 'session'],
  ['remember_token', 'session'],
  ['remember_web_59ba36addc2b2f9401580f014c7f58ea4e30989d', 'session', { framework: 'laravel' }],
  ['remember_me', 'session'],
  ['next-auth.session-token', 'session', { framework: 'next-auth' }],
  ['__Secure-next-auth.session-token', 'session', { framework: 'next-auth' }],
  ['authjs.session-token', 'session', { framework: 'next-auth' }],
  ['__Secure-authjs.session-token', 'session', { framework: 'next-auth' }],
  ['next-auth.callback-url', 'session', { framework: 'next-auth' }],
  ['sid', 'session'],
  ['SID', 'session'],
  ['sessid', 'session'],
  ['zenid', 'session'],
  ['__Host-sid', 'session'],
  ['wordpress_logged_in_0123abcd', 'session'],
]);

table('session-like names (medium confidence)', [
  ['auth_token', 'session', { confidence: 'medium' }],
  ['access_token', 'session', { confidence: 'medium' }],
  ['refreshToken', 'session', { confidence: 'medium' }],
  ['jwt', 'session', { confidence: 'medium' }],
  ['user_jwt', 'session', { confidence: 'medium' }],
  ['login', 'session', { confidence: 'medium' }],
  ['myapp.sid', 'session', { confidence: 'medium' }],
  ['AppSession', 'session', { confidence: 'medium' }],
  ['oauth_state', 'session', { confidence: 'medium' }],
]);

table('names that must NOT be taken for sessions', [
  ['author', 'unknown'],
  ['authorName', 'unknown'],
  ['possession', 'unknown'], // "sess" inside a word
  ['_hjSession_123', 'analytics', { vendor: 'Hotjar' }],
  ['_hjSessionUser_123', 'analytics', { vendor: 'Hotjar' }],
  ['_pk_ses.1.abc', 'analytics', { vendor: 'Matomo' }],
  ['incap_ses_123_456', 'infrastructure', { vendor: 'Imperva' }],
  ['__stripe_sid', 'infrastructure', { vendor: 'Stripe' }],
  ['intercom-session-abc123', 'analytics', { vendor: 'Intercom' }],
  ['XSRF-TOKEN', 'csrf'],
  ['csrftoken', 'csrf', { framework: 'django' }],
  ['theme', 'preference'],
]);

table('CSRF cookies (read by scripts by design)', [
  ['csrftoken', 'csrf', { framework: 'django' }],
  ['XSRF-TOKEN', 'csrf'],
  ['_csrf', 'csrf'],
  ['csrf_token', 'csrf'],
  ['__Host-csrf', 'csrf'],
  ['__Host-csrf-token', 'csrf'],
  ['next-auth.csrf-token', 'csrf', { framework: 'next-auth' }],
  ['__Host-next-auth.csrf-token', 'csrf', { framework: 'next-auth' }],
  ['__Host-authjs.csrf-token', 'csrf', { framework: 'next-auth' }],
  ['.AspNetCore.Antiforgery.9fXoN5jHCXs', 'csrf', { framework: 'aspnet' }],
  ['__RequestVerificationToken', 'csrf', { framework: 'aspnet' }],
  ['_xsrf', 'csrf'],
]);

table('analytics (vendor-controlled)', [
  ['_ga', 'analytics', { vendor: 'Google Analytics' }],
  ['_gid', 'analytics', { vendor: 'Google Analytics' }],
  ['_ga_ABC123XYZ', 'analytics', { vendor: 'Google Analytics' }],
  ['_gat', 'analytics', { vendor: 'Google Analytics' }],
  ['_gat_UA-1234-1', 'analytics', { vendor: 'Google Analytics' }],
  ['__utma', 'analytics', { vendor: 'Google Analytics' }],
  ['_fbp', 'analytics', { vendor: 'Meta' }],
  ['_hjid', 'analytics', { vendor: 'Hotjar' }],
  ['ajs_anonymous_id', 'analytics', { vendor: 'Segment' }],
  ['mp_abc123_mixpanel', 'analytics', { vendor: 'Mixpanel' }],
  ['_clck', 'analytics', { vendor: 'Microsoft Clarity' }],
  ['_uetsid', 'analytics', { vendor: 'Microsoft Advertising' }],
  ['_gcl_au', 'analytics', { vendor: 'Google Ads' }],
]);

table('infrastructure (vendor-controlled)', [
  ['AWSALB', 'infrastructure', { vendor: 'AWS Elastic Load Balancing' }],
  ['AWSALBCORS', 'infrastructure', { vendor: 'AWS Elastic Load Balancing' }],
  ['AWSALBTG', 'infrastructure', { vendor: 'AWS Elastic Load Balancing' }],
  ['AWSELB', 'infrastructure', { vendor: 'AWS Elastic Load Balancing' }],
  ['__cf_bm', 'infrastructure', { vendor: 'Cloudflare' }],
  ['cf_clearance', 'infrastructure', { vendor: 'Cloudflare' }],
  ['__cflb', 'infrastructure', { vendor: 'Cloudflare' }],
  ['_cfuvid', 'infrastructure', { vendor: 'Cloudflare' }],
  ['BIGipServerpool_web', 'infrastructure', { vendor: 'F5 BIG-IP' }],
  ['ARRAffinity', 'infrastructure', { vendor: 'Microsoft Azure' }],
  ['ARRAffinitySameSite', 'infrastructure', { vendor: 'Microsoft Azure' }],
  ['incap_ses_1234_5678', 'infrastructure', { vendor: 'Imperva' }],
  ['visid_incap_1234', 'infrastructure', { vendor: 'Imperva' }],
  ['SERVERID', 'infrastructure'],
  ['route', 'infrastructure'],
  ['_abck', 'infrastructure', { vendor: 'Akamai' }],
]);

table('preference and consent', [
  ['lang', 'preference'],
  ['locale', 'preference'],
  ['theme', 'preference'],
  ['currency', 'preference'],
  ['django_language', 'preference', { framework: 'django' }],
  ['NEXT_LOCALE', 'preference', { framework: 'next' }],
  ['.AspNetCore.Culture', 'preference', { framework: 'aspnet' }],
  ['CookieConsent', 'preference'],
  ['cookieconsent_status', 'preference'],
  ['OptanonConsent', 'preference', { vendor: 'OneTrust' }],
  ['ui_language', 'preference', { confidence: 'medium' }],
  ['sidebarStatus', 'preference'],
  ['preferred_theme', 'preference'],
  ['lang_token', 'session'],
  ['theme_session', 'session'],
]);

table('unknown', [
  ['foo', 'unknown'],
  ['constructor', 'unknown'],
  ['__proto__', 'unknown'],
  ['toString', 'unknown'],
  ['', 'unknown'],
]);

describe('value shapes', () => {
  const cases: [string, string, string][] = [
    // [value, category, confidence]
    [
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0In0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
      'session',
      'medium',
    ],
    ['eyJhbGciOiJub25lIn0.eyJzdWIiOiIxMjM0In0.', 'session', 'medium'], // unsigned JWT: empty signature
    [
      's%3AvTrZCIqZ4uTv3gA2fX8Gmm3H7WcK4DVb.0m4y1jZ8%2FlXfFkN2QXyYkLr7r0f6x3mDq9pQk1m2n3o',
      'session',
      'medium',
    ],
    ['s:vTrZCIqZ4uTv3gA2fX8Gmm3H7WcK4DVb.0m4y1jZ8lXfFkN2QXyYkLr7r0f6x3mDq9pQk1m2n3o', 'session', 'medium'],
    ['a8f5f167f44f4964e6c998dee827110c', 'session', 'low'],
    ['Q2hhbmdlTWUhQ2hhbmdlTWUh0xZ9kLmPqR7sTuVw', 'session', 'low'],
    ['en-US', 'unknown', 'low'],
    ['1700000000000', 'unknown', 'low'],
    ['true', 'unknown', 'low'],
    ['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1', 'unknown', 'low'], // long but not random
    ['eyJ.not.jwt', 'unknown', 'low'],
    ['eyJhbGciOiJIUzI1NiJ9..sig', 'session', 'low'], // empty payload: not a JWS, only random-looking
    ['hello world this is text', 'unknown', 'low'],
  ];
  for (const [value, category, confidence] of cases) {
    test(`${value.slice(0, 30)} → ${category}`, () => {
      const c = classifyCookie('x', value);
      assert.equal(c.category, category, c.reason);
      assert.equal(c.confidence, confidence);
    });
  }
  test('a JWT with an empty payload is not called a JWT', () => {
    assert.doesNotMatch(classifyCookie('x', 'eyJhbGciOiJIUzI1NiJ9..sig').reason, /JWT/);
  });
  test('a known name wins over the value shape', () => {
    assert.equal(
      classifyCookie('_ga', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abcdefghijklmnop').category,
      'analytics',
    );
    assert.equal(classifyCookie('csrftoken', 'a8f5f167f44f4964e6c998dee827110c').category, 'csrf');
  });
  test('the reason never contains the value', () => {
    const v = 'a8f5f167f44f4964e6c998dee827110c';
    assert.ok(!classifyCookie('x', v).reason.includes(v));
  });
});

describe('hints', () => {
  test('framework hint is carried', () => {
    const c = classifyCookie('session', undefined, { framework: 'flask' });
    assert.equal(c.framework, 'flask');
    assert.match(c.reason, /Flask, Starlette\/FastAPI and cookie-session/);
  });
  test('script-set session cookie says it cannot be HttpOnly', () => {
    assert.match(classifyCookie('sid', 'x', { setBy: 'script' }).reason, /never be HttpOnly/);
  });
  test('a hinted framework with an unknown name stays unknown but keeps the framework', () => {
    const c = classifyCookie('foo', undefined, { framework: 'django' });
    assert.equal(c.category, 'unknown');
    assert.equal(c.framework, 'django');
  });
});

describe('frameworkForCookieName', () => {
  const rows: [string, string | undefined][] = [
    ['PHPSESSID', 'php'],
    ['connect.sid', 'express-session'],
    ['sessionid', 'django'],
    ['csrftoken', 'django'],
    ['django_language', 'django'],
    ['laravel_session', 'laravel'],
    ['app_session', 'laravel'],
    ['_app_session', 'rails'],
    ['koa.sess', 'koa-session'],
    ['koa.sess.sig', 'koa-session'],
    ['sessionId', 'fastify'],
    ['next-auth.session-token', 'next-auth'],
    ['__Secure-next-auth.session-token', 'next-auth'],
    ['JSESSIONID', 'spring'],
    ['SESSION', 'spring'],
    ['ASP.NET_SessionId', 'aspnet'],
    ['.AspNetCore.Cookies', 'aspnet'],
    ['remember_token', undefined], // Flask-Login's default, and a common hand-made name (Express, PHP)
    ['session', undefined], // ambiguous: Flask, Starlette, cookie-session
    ['XSRF-TOKEN', undefined], // Laravel and Angular
    ['_ga', undefined],
    ['foo', undefined],
    ['constructor', undefined],
  ];
  for (const [name, fw] of rows) {
    test(`${name} → ${fw}`, () => assert.equal(frameworkForCookieName(name), fw));
  }
  test('every returned framework is a known framework id', () => {
    const known = new Set<string>(FRAMEWORKS);
    for (const [name] of rows) {
      const fw = frameworkForCookieName(name);
      if (fw !== undefined) assert.ok(known.has(fw), fw);
    }
    for (const fw of frameworksForCookieName('session')) assert.ok(known.has(fw), fw);
  });
  test('frameworksForCookieName lists the candidates of an ambiguous name', () => {
    assert.deepEqual(frameworksForCookieName('session'), ['flask', 'starlette', 'cookie-session']);
    assert.deepEqual(frameworksForCookieName('PHPSESSID'), ['php']);
    assert.deepEqual(frameworksForCookieName('foo'), []);
  });
});

describe('names that only say "login": the value decides', () => {
  const cases: [name: string, value: string | undefined, category: string][] = [
    // Plainly data: not a credential.
    ['last_login', '2026-11-26T10:00:00Z', 'unknown'],
    ['last_login', '1732615200', 'unknown'],
    ['last_login_at', '2026-11-26', 'unknown'],
    ['login_redirect', '%2Faccount', 'unknown'],
    ['login_return_url', 'https://shop.example/cart', 'unknown'],
    ['loggedin', '1', 'unknown'],
    ['logged_in', 'true', 'unknown'],
    // Could be a secret, or the name says more than "login": still a session cookie.
    ['login', 'abc123def456ghi789jkl', 'session'],
    ['login', '5f2b9c1e8a7d4', 'session'],
    ['login_token', '1', 'session'],
    ['last_login', undefined, 'session'],
    ['wordpress_logged_in_0123abcd', '1', 'session'],
  ];
  for (const [name, value, category] of cases) {
    test(`${name}=${value ?? '(no value)'} → ${category}`, () => {
      const c = classifyCookie(name, value, { setBy: 'server' });
      assert.equal(c.category, category, c.reason);
      if (category === 'unknown') assert.match(c.reason, /mentions login, but its value is a/);
    });
  }
});
