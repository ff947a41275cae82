import { code, runTable } from './harness.js';

const fd = 'framework-default';

runTable('Koa', {
  valid: [
    {
      name: 'koa-session defaults follow the request: no finding',
      code: code`
        const Koa = require('koa');
        const session = require('koa-session');
        const app = new Koa();
        app.use(session(app));
      `,
      cookies: [
        {
          name: 'koa.sess',
          framework: 'koa-session',
          secure: { value: 'auto', provenance: fd, line: 4 },
          httpOnly: { value: true, provenance: fd },
        },
      ],
    },
    {
      name: 'koa-session secure: true with app.proxy = true',
      code: code`
        import Koa from 'koa';
        import session from 'koa-session';
        const app = new Koa();
        app.proxy = true;
        app.use(session({ key: 'app.sess', secure: true, sameSite: 'lax' }, app));
      `,
      cookies: [{ name: 'app.sess', secure: { value: true, provenance: 'explicit', line: 5 } }],
    },
    {
      name: 'new Koa({ proxy: true }) and ctx.cookies.set with secure: true',
      code: code`
        import Koa from 'koa';
        const app = new Koa({ proxy: true });
        app.use(async (ctx) => {
          ctx.cookies.set('sid', id, { secure: true, sameSite: 'strict' });
        });
      `,
      cookies: [{ name: 'sid', framework: 'koa', httpOnly: { value: true, provenance: fd }, secure: true }],
    },
    {
      name: 'ctx.cookies.set(name, null) deletes',
      code: code`
        import Router from '@koa/router';
        router.post('/logout', (ctx) => { ctx.cookies.set('sid', null); });
      `,
      cookies: [{ name: 'sid', deletion: true }],
    },
  ],
  invalid: [
    {
      name: 'koa-session secure: true behind a proxy without app.proxy: the cookies module throws',
      code: code`
        const Koa = require('koa');
        const session = require('koa-session');
        const app = new Koa();
        app.keys = ['secret'];
        const CONFIG = {
          key: 'koa.sess',
          maxAge: 86400000,
          httpOnly: true,
          secure: true,
        };
        app.use(session(CONFIG, app));
        app.listen(3000);
      `,
      cookies: [
        { name: 'koa.sess', line: 11, secure: { value: true, provenance: 'explicit', line: 9, column: 3 } },
      ],
      proxyTrust: [{ cookie: 'koa.sess', framework: 'koa-session', line: 9, column: 3 }],
    },
    {
      name: 'koa-session httpOnly: false (legacy signature session(app, opts))',
      code: code`
        const session = require('koa-session');
        app.use(session(app, { httpOnly: false, maxAge: 'session' }));
      `,
      cookies: [
        {
          name: 'koa.sess',
          httpOnly: { value: false, provenance: 'explicit' },
          lifetime: { kind: 'session' },
        },
      ],
    },
    {
      name: 'ctx.cookies.set secure: false, and this.cookies in a generator middleware',
      code: code`
        const Koa = require('koa');
        app.use(async (ctx, next) => {
          ctx.cookies.set('session_id', id, { secure: false, httpOnly: true });
        });
        app.use(function* () { this.cookies.set('token', t, { httpOnly: false }); });
      `,
      cookies: [
        { name: 'session_id', secure: { value: false, provenance: 'explicit', line: 3 } },
        {
          name: 'token',
          secure: { value: 'auto', provenance: fd },
          httpOnly: { value: false, provenance: 'explicit' },
        },
      ],
    },
  ],
});

runTable('Fastify', {
  valid: [
    {
      name: '@fastify/session defaults (Secure) with trustProxy',
      code: code`
        import Fastify from 'fastify';
        import fastifyCookie from '@fastify/cookie';
        import fastifySession from '@fastify/session';
        const app = Fastify({ trustProxy: true });
        app.register(fastifyCookie);
        app.register(fastifySession, { secret: process.env.SESSION_SECRET });
      `,
      cookies: [
        {
          name: 'sessionId',
          framework: 'fastify',
          secure: { value: true, provenance: fd, line: 6, column: 1 },
          httpOnly: { value: true, provenance: fd },
        },
      ],
    },
    {
      name: "secure: 'auto' is allowed",
      code: code`
        const fastify = require('fastify')({ logger: true });
        fastify.register(require('@fastify/session'), { secret: s, cookieName: 'sid', cookie: { secure: 'auto' } });
      `,
      cookies: [{ name: 'sid', secure: { value: 'auto', provenance: 'explicit' } }],
    },
    {
      name: 'TLS in the server itself',
      code: code`
        import Fastify from 'fastify';
        import fastifySession from '@fastify/session';
        const app = Fastify({ https: { key, cert } });
        app.register(fastifySession, { secret: s });
      `,
    },
    {
      name: 'reply.setCookie with secure options',
      code: code`
        import Fastify from 'fastify';
        app.get('/', async (request, reply) => {
          reply.setCookie('sid', id, { secure: true, httpOnly: true, path: '/' });
        });
      `,
      cookies: [{ name: 'sid', sameSite: { value: 'lax', provenance: fd } }],
    },
  ],
  invalid: [
    {
      name: '@fastify/session without trustProxy: the Secure-by-default cookie is never set behind a proxy',
      code: code`
        import Fastify from 'fastify';
        import fastifySession from '@fastify/session';
        const app = Fastify({ logger: true });
        app.register(fastifySession, { secret: s, cookie: { maxAge: 1800000 } });
      `,
      cookies: [
        {
          name: 'sessionId',
          secure: { value: true, provenance: fd },
          lifetime: { kind: 'persistent', seconds: 1800 },
        },
      ],
      proxyTrust: [{ cookie: 'sessionId', framework: 'fastify', line: 4, column: 1 }],
    },
    {
      name: '@fastify/session cookie.secure: false',
      code: code`
        import Fastify from 'fastify';
        import fastifySession from '@fastify/session';
        const app = Fastify();
        app.register(fastifySession, { secret: s, cookie: { secure: false } });
      `,
      cookies: [{ name: 'sessionId', secure: { value: false, provenance: 'explicit', line: 4, column: 53 } }],
    },
    {
      name: '@fastify/secure-session defaults: no Secure',
      code: code`
        import Fastify from 'fastify';
        import secureSession from '@fastify/secure-session';
        const app = Fastify();
        app.register(secureSession, { key: k, cookie: { path: '/' } });
      `,
      cookies: [
        {
          name: 'session',
          secure: { value: false, provenance: fd },
          httpOnly: { value: true, provenance: fd },
          sameSite: 'lax',
        },
      ],
    },
    {
      name: '@fastify/secure-session with several sessions',
      code: code`
        import Fastify from 'fastify';
        const app = Fastify();
        app.register(require('@fastify/secure-session'), [
          { sessionName: 'mySession', key: k1, cookie: { secure: true } },
          { sessionName: 'other', cookieName: 'other-cookie', key: k2 },
        ]);
      `,
      cookies: [
        { name: 'mySession', secure: true },
        { name: 'other-cookie', secure: false },
      ],
    },
    {
      name: 'reply.setCookie and reply.cookie without Secure',
      code: code`
        import Fastify from 'fastify';
        fastify.get('/', (request, reply) => {
          reply.setCookie('token', t, { httpOnly: true });
          reply.cookie('pref', 'x', { sameSite: 'none' });
        });
      `,
      cookies: [
        { name: 'token', framework: 'fastify', secure: { value: false, provenance: fd } },
        { name: 'pref', framework: 'fastify', sameSite: { value: 'none', provenance: 'explicit' } },
      ],
    },
  ],
});
