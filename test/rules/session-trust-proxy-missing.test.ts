import rule from '../../src/rules/session-trust-proxy-missing.js';
import { cookie, loc, proxyTrust, runRuleCases } from './helpers.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runRules } from '../../src/rules/index.js';

runRuleCases(rule, {
  valid: [
    { name: 'no proxy-trust observation', observations: [cookie({ name: 'connect.sid', secure: true })] },
  ],
  invalid: [
    {
      name: 'code: express-session secure without trust proxy, nothing in the repository shows a proxy: low',
      observations: [
        proxyTrust('secure-without-trust', {
          location: loc('src/app.js', 12, 9),
          evidence: 'cookie: { secure: true }',
          snippet: 'app.use(session({ cookie: { secure: true } }))',
        }),
      ],
      findings: [
        {
          severity: 'low',
          cookie: 'connect.sid',
          location: { file: 'src/app.js', line: 12 },
          message: ['if deployed behind a TLS-terminating proxy', 'never set'],
          browser: 'terminates TLS',
          fix: "app.set('trust proxy', 1)",
        },
      ],
    },
    {
      name: 'code: the same with a proxy in the repository (a Procfile): medium, naming the evidence',
      observations: [
        proxyTrust('secure-without-trust', {
          location: loc('src/app.js', 12, 9),
          proxyEvidence: 'Procfile: web process behind the Heroku router',
        }),
      ],
      findings: [
        {
          severity: 'medium',
          message: [
            'behind the TLS-terminating proxy (Procfile: web process behind the Heroku router)',
            'never set',
          ],
        },
      ],
    },
    {
      name: 'live: cookie only with X-Forwarded-Proto',
      observations: [
        proxyTrust('cookie-only-with-forwarded-proto', {
          url: 'https://a.test/login',
          framework: 'koa',
          cookie: 'koa.sess',
        }),
      ],
      findings: [
        {
          severity: 'medium',
          url: 'https://a.test/login',
          message: 'X-Forwarded-Proto: https',
          fix: 'app.proxy = true',
        },
      ],
    },
    {
      name: 'live: insecure despite HTTPS is high',
      observations: [
        proxyTrust('insecure-despite-https', {
          url: 'https://a.test/',
          framework: 'django',
          cookie: 'sessionid',
        }),
      ],
      findings: [{ severity: 'high', message: 'without Secure', fix: 'SECURE_PROXY_SSL_HEADER' }],
    },
    {
      name: 'Laravel, Symfony, Rails, Flask, ASP.NET, Spring, Fastify, Starlette advice',
      observations: [
        proxyTrust('secure-without-trust', {
          framework: 'laravel',
          cookie: 'laravel_session',
          location: loc('a', 1),
          proxyEvidence: 'fortrabbit.yml',
        }),
        proxyTrust('secure-without-trust', {
          framework: 'symfony',
          cookie: 'PHPSESSID',
          location: loc('b', 1),
        }),
        proxyTrust('secure-without-trust', {
          framework: 'rails',
          cookie: '_app_session',
          location: loc('c', 1),
        }),
        proxyTrust('secure-without-trust', { framework: 'flask', cookie: 'session', location: loc('d', 1) }),
        proxyTrust('secure-without-trust', {
          framework: 'aspnet',
          cookie: '.AspNetCore.Session',
          location: loc('e', 1),
        }),
        proxyTrust('secure-without-trust', {
          framework: 'spring',
          cookie: 'JSESSIONID',
          location: loc('f', 1),
        }),
        proxyTrust('secure-without-trust', {
          framework: 'fastify',
          cookie: 'sessionId',
          location: loc('g', 1),
        }),
        proxyTrust('secure-without-trust', {
          framework: 'starlette',
          cookie: 'session',
          location: loc('h', 1),
          inTestCode: true,
        }),
      ],
      findings: [
        { severity: 'medium', fix: 'trustProxies(at:' },
        { severity: 'low', fix: 'trusted_proxies' },
        { severity: 'low', fix: 'config.assume_ssl = true' },
        { severity: 'low', fix: 'ProxyFix(app.wsgi_app, x_proto=1)' },
        { severity: 'low', fix: 'ForwardedHeaders.XForwardedProto' },
        { severity: 'low', fix: 'server.forward-headers-strategy=native' },
        { severity: 'low', fix: 'trustProxy: true' },
        { severity: 'info', fix: '--proxy-headers' },
      ],
    },
  ],
});

test('session-trust-proxy-missing: a collector-given consequence replaces "the cookie is never set"', () => {
  const obs = {
    kind: 'proxy-trust' as const,
    source: 'code' as const,
    framework: 'django',
    cookie: 'sessionid',
    situation: 'secure-without-trust',
    consequence: 'SECURE_SSL_REDIRECT redirects HTTPS requests forever',
    location: { file: 'proj/settings.py', line: 4, column: 1 },
  };
  const [f] = runRules([obs]);
  assert.equal(f?.rule, 'session-trust-proxy-missing');
  assert.match(f!.message, /SECURE_SSL_REDIRECT redirects HTTPS requests forever/);
  assert.doesNotMatch(f!.message, /never set/);
  assert.match(f!.browser ?? '', /SECURE_SSL_REDIRECT/);
});

test('session-trust-proxy-missing: a request-following Secure behind an untrusted proxy is set without Secure', () => {
  const [f] = runRules([
    {
      kind: 'proxy-trust' as const,
      source: 'code' as const,
      framework: 'express-session',
      cookie: 'connect.sid',
      situation: 'auto-without-trust',
      proxyEvidence: 'nginx/site.conf proxy_pass',
      location: { file: 'app.js', line: 9, column: 3 },
    },
  ]);
  assert.equal(f?.rule, 'session-trust-proxy-missing');
  assert.match(f!.message, /without Secure/);
  assert.match(f!.message, /nginx\/site\.conf/);
  assert.match(f!.browser ?? '', /without Secure/);
  assert.match(f!.fix ?? '', /trust proxy/);
});
