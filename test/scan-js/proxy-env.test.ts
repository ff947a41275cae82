import { test } from 'node:test';
import assert from 'node:assert/strict';
import { code, projectOf, runTable } from './harness.js';
import { Environments, environmentOfFile, valueIn } from '../../src/collect/code/js/environments.js';

runTable('proxy trust behind an evident proxy', {
  valid: [
    {
      name: 'cookie-session following the request, no proxy in the repository: nothing to say',
      code: code`
        const cookieSession = require('cookie-session');
        app.use(cookieSession({ keys: ['k'] }));
      `,
      cookies: [{ name: 'session', secure: 'auto' }],
    },
    {
      name: 'a Procfile, and trust proxy set: fine',
      code: {
        'app.js': code`
          const cookieSession = require('cookie-session');
          app.set('trust proxy', 1);
          app.use(cookieSession({ keys: ['k'] }));
        `,
        Procfile: 'web: node app.js\n',
      },
    },
    {
      name: 'a preference cookie following the request behind a proxy is not worth a finding',
      code: {
        'app.js': code`
          app.get('/', (req, res) => res.cookie('theme', 'dark', { secure: req.secure, httpOnly: true }));
        `,
        Procfile: 'web: node app.js\n',
      },
    },
  ],
  invalid: [
    {
      name: 'cookie-session following the request behind a Heroku router without trust proxy',
      code: {
        'app.js': code`
          const cookieSession = require('cookie-session');
          app.use(cookieSession({ name: 'sess', keys: ['k'] }));
        `,
        Procfile: 'web: node app.js\n',
      },
      cookies: [{ name: 'sess', secure: { value: 'auto', provenance: 'framework-default' } }],
      proxyTrust: [{ cookie: 'sess', situation: 'auto-without-trust', framework: 'cookie-session', line: 2 }],
    },
    {
      name: "express-session secure: 'auto' behind nginx without trust proxy",
      code: {
        'server.js': code`
          const session = require('express-session');
          app.use(session({ secret: 's', cookie: { secure: 'auto' } }));
        `,
        'deploy/nginx.conf': 'server { listen 443 ssl; location / { proxy_pass http://127.0.0.1:3000; } }\n',
      },
      cookies: [{ name: 'connect.sid', secure: 'auto' }],
      proxyTrust: [{ cookie: 'connect.sid', situation: 'auto-without-trust', line: 2, column: 42 }],
    },
  ],
});

runTable('NextAuth site URL per environment', {
  valid: [
    {
      name: 'https in production, http on localhost: the default does the right thing',
      file: 'auth.ts',
      code: {
        'auth.ts': code`
          import NextAuth from 'next-auth';
          export default NextAuth({ providers: [] });
        `,
        '.env.production': 'NEXTAUTH_URL=https://app.example.com\n',
        '.env.development': 'NEXTAUTH_URL=http://localhost:3000\n',
      },
      cookies: [
        { name: 'next-auth.session-token', secure: { value: 'auto', provenance: 'framework-default' } },
      ],
    },
  ],
  invalid: [
    {
      name: 'an http:// NEXTAUTH_URL in production turns Secure off there',
      code: {
        'pages/api/auth/[...nextauth].js': code`
          import NextAuth from 'next-auth';
          export default NextAuth({ providers: [] });
        `,
        '.env.production': 'NEXTAUTH_URL=http://intranet.example.com\n',
      },
      cookies: [
        {
          name: 'next-auth.session-token',
          secure: {
            value: false,
            provenance: 'env-dependent',
            perEnvironment: { production: false },
            resolvedFrom: ['.env.production'],
          },
        },
      ],
    },
  ],
});

test('environment names from .env file names', () => {
  assert.equal(environmentOfFile('.env'), null);
  assert.equal(environmentOfFile('app/.env.local'), null);
  assert.equal(environmentOfFile('.env.production'), 'production');
  assert.equal(environmentOfFile('.env.production.local'), 'production');
  assert.equal(environmentOfFile('.env.example'), undefined);
  assert.equal(environmentOfFile('.env.template'), undefined);
  assert.equal(environmentOfFile('config/prod.env', 'prod'), 'prod');
});

test('.env layering: the environment file wins, templates configure nothing, NODE_ENV defaults to the name', () => {
  const project = projectOf({
    '.env': 'COOKIE_SECURE=false\nLOG=info\n',
    '.env.production': 'COOKIE_SECURE=true\n',
    '.env.staging': 'LOG=debug\n',
    '.env.example': 'COOKIE_SECURE=maybe\n',
  });
  const envs = new Environments(project);
  const byName = Object.fromEntries(envs.forVariables(['COOKIE_SECURE']).map((e) => [e.name, e]));
  assert.deepEqual(Object.keys(byName).sort(), ['production', 'staging']);
  assert.equal(byName.production.vars.COOKIE_SECURE, 'true');
  assert.deepEqual(byName.production.files, ['.env.production']);
  assert.equal(byName.staging.vars.COOKIE_SECURE, 'false');
  assert.deepEqual(byName.staging.files, ['.env']);
  assert.equal(byName.staging.vars.NODE_ENV, 'staging');
  // NODE_ENV tests always see production and development
  const node = envs
    .forVariables(['NODE_ENV'])
    .map((e) => e.name)
    .sort();
  assert.deepEqual(node, ['development', 'production', 'staging']);
});

test('a redacted value is never evaluated', () => {
  const v = {
    kind: 'conditional',
    condition: "process.env.X === 'on'",
    whenTrue: true,
    whenFalse: false,
    expression: '',
    test: { op: 'eq', variable: 'X', value: 'on' },
  } as const;
  assert.equal(valueIn(v, { X: '<redacted>' }), undefined);
  assert.equal(valueIn(v, { X: 'on' }), true);
  assert.equal(valueIn(v, {}), false);
  assert.equal(valueIn({ kind: 'env', variable: 'X', expression: 'process.env.X' }, {}), null);
  assert.equal(valueIn({ kind: 'env', variable: 'X', default: 'lax', expression: '' }, {}), 'lax');
});
