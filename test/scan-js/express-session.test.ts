import { code, runTable } from './harness.js';

const fd = 'framework-default';

runTable('express-session', {
  valid: [
    {
      code: code`
        const session = require('express-session');
        app.set('trust proxy', 1);
        app.use(session({ secret: 's', cookie: { secure: true, sameSite: 'lax' } }));
      `,
      cookies: [
        {
          name: 'connect.sid',
          secure: { value: true, provenance: 'explicit', line: 3, column: 42 },
          httpOnly: { value: true, provenance: fd },
        },
      ],
    },
    {
      name: "secure: 'auto' follows the request: fine",
      code: code`
        import session from 'express-session';
        app.use(session({ secret: 's', cookie: { secure: 'auto' } }));
      `,
      cookies: [{ name: 'connect.sid', secure: { value: 'auto', provenance: 'explicit' } }],
    },
    {
      name: 'proxy: true instead of trust proxy',
      code: code`
        import expressSession from 'express-session';
        app.use(expressSession({ name: 'sid', proxy: true, secret: 's', cookie: { secure: true, httpOnly: true } }));
      `,
      cookies: [{ name: 'sid', secure: true, httpOnly: { value: true, provenance: 'explicit' } }],
    },
    {
      name: 'TLS in the app itself: no proxy needed',
      code: code`
        const https = require('node:https');
        const session = require('express-session');
        app.use(session({ secret: 's', cookie: { secure: true } }));
        https.createServer({ key, cert }, app).listen(443);
      `,
    },
    {
      name: "sameSite: 'none' with secure: true",
      code: code`
        const session = require('express-session');
        app.enable('trust proxy');
        app.use(session({ secret: 's', cookie: { sameSite: 'none', secure: true } }));
      `,
    },
    {
      name: 'an unresolvable options object is never insecure',
      code: code`
        const session = require('express-session');
        const { sessionOptions } = require('./config');
        app.use(session(sessionOptions));
      `,
      cookies: [{ name: 'connect.sid', secure: { value: 'unknown', provenance: 'unknown' } }],
    },
    {
      name: 'a spread of an unknown object may set secure',
      code: code`
        const session = require('express-session');
        app.use(session({ ...loadConfig(), secret: 's' }));
      `,
      cookies: [{ name: 'connect.sid', secure: { value: 'unknown', provenance: 'unknown' } }],
    },
    {
      name: 'commented-out code and strings that quote a setting',
      code: code`
        const session = require('express-session');
        // app.use(session({ cookie: { secure: false } }))
        /* app.use(session({ secret: 's' })) */
        const doc = "app.use(session({ cookie: { secure: false } }))";
      `,
      cookies: [],
    },
    {
      name: 'session() of another library is not express-session',
      code: code`
        import session from './my-session';
        app.use(session({ cookie: { secure: false } }));
      `,
      cookies: [],
    },
    {
      name: 'TypeScript: as const / satisfies / typed options',
      file: 'src/app.ts',
      code: code`
        import session, { type SessionOptions } from 'express-session';
        const opts: SessionOptions = { secret: 's', cookie: { secure: true, httpOnly: true } } satisfies SessionOptions;
        app.set('trust proxy', 'loopback');
        app.use(session(opts as SessionOptions));
      `,
    },
  ],
  invalid: [
    {
      name: 'no cookie options: the framework default (no Secure) located where sessions are enabled',
      code: code`
        const express = require('express');
        const session = require('express-session');
        const app = express();
        app.use(session({ secret: 'keyboard cat', resave: false, saveUninitialized: true }));
      `,
      cookies: [
        {
          name: 'connect.sid',
          framework: 'express-session',
          line: 4,
          column: 1,
          secure: { value: false, provenance: fd, line: 4, column: 1 },
          httpOnly: { value: true, provenance: fd },
          sameSite: { value: 'unset', provenance: fd },
          path: { value: '/', provenance: fd },
          lifetime: { kind: 'session' },
          category: 'session',
        },
      ],
    },
    {
      name: 'explicit secure: false and httpOnly: false',
      code: code`
        import session from 'express-session';
        app.use(
          session({
            name: 'app.sid',
            secret: 's',
            cookie: {
              secure: false,
              httpOnly: false,
              maxAge: 1000 * 60 * 60 * 24,
            },
          }),
        );
      `,
      cookies: [
        {
          name: 'app.sid',
          line: 2,
          secure: { value: false, provenance: 'explicit', line: 7, column: 7 },
          httpOnly: { value: false, provenance: 'explicit', line: 8, column: 7 },
          lifetime: { kind: 'persistent', seconds: 86400 },
          category: 'session',
        },
      ],
    },
    {
      name: 'the README pattern: secure set only in an app.get(env) === production block (with trust proxy there)',
      code: code`
        var app = express()
        var session = require('express-session')
        var sess = {
          secret: 'keyboard cat',
          cookie: {}
        }

        if (app.get('env') === 'production') {
          app.set('trust proxy', 1) // trust first proxy
          sess.cookie.secure = true // serve secure cookies
        }

        app.use(session(sess))
      `,
      cookies: [
        {
          name: 'connect.sid',
          line: 13,
          secure: {
            provenance: 'env-dependent',
            condition: "app.get('env') === 'production'",
            perEnvironment: { production: true, development: false },
            line: 10,
            column: 3,
          },
        },
      ],
    },
    {
      name: 'secure: process.env.NODE_ENV === "production"',
      code: code`
        const session = require('express-session');
        app.set('trust proxy', 1);
        app.use(session({ secret: 's', cookie: { secure: process.env.NODE_ENV === 'production' } }));
      `,
      cookies: [
        {
          name: 'connect.sid',
          secure: {
            condition: "process.env.NODE_ENV === 'production'",
            perEnvironment: { production: true, development: false },
            line: 3,
            column: 42,
          },
        },
      ],
    },
    {
      name: 'constant propagation: const isProd = ...; secure: isProd; !isDev',
      code: code`
        const session = require('express-session');
        const isProd = process.env.NODE_ENV === 'production';
        const isDev = !isProd;
        app.set('trust proxy', 1);
        app.use(session({ secret: 's', cookie: { secure: !isDev, sameSite: isProd ? 'none' : 'lax' } }));
      `,
      cookies: [
        {
          name: 'connect.sid',
          secure: { perEnvironment: { production: true, development: false } },
          sameSite: { perEnvironment: { production: 'none', development: 'lax' } },
        },
      ],
    },
    {
      name: 'spread of a base object then an override',
      code: code`
        const session = require('express-session');
        const base = { secret: 's', cookie: { secure: true, httpOnly: true } };
        app.set('trust proxy', true);
        app.use(session({ ...base, cookie: { ...base.cookie, httpOnly: false } }));
      `,
      cookies: [
        {
          name: 'connect.sid',
          secure: { value: true, line: 2 },
          httpOnly: { value: false, provenance: 'explicit', line: 4 },
        },
      ],
    },
    {
      name: 'Object.assign and a later mutation',
      code: code`
        const session = require('express-session');
        const options = Object.assign({}, { secret: 's' }, { cookie: { secure: true } });
        options.cookie.secure = false;
        app.use(session(options));
      `,
      cookies: [
        { name: 'connect.sid', secure: { value: false, provenance: 'explicit', line: 3, column: 1 } },
      ],
    },
    {
      name: 'secure: true without trust proxy: the cookie is silently never set behind a TLS proxy',
      code: code`
        const session = require('express-session');
        app.use(session({ secret: 's', cookie: { secure: true } }));
      `,
      cookies: [{ name: 'connect.sid', secure: { value: true, provenance: 'explicit' } }],
      proxyTrust: [{ cookie: 'connect.sid', framework: 'express-session', line: 2, column: 42 }],
    },
    {
      name: 'proxy: false overrides trust proxy',
      code: code`
        const session = require('express-session');
        app.set('trust proxy', 1);
        app.use(session({ secret: 's', proxy: false, cookie: { secure: true } }));
      `,
      cookies: [{ name: 'connect.sid', secure: true }],
      proxyTrust: [{ cookie: 'connect.sid' }],
    },
    {
      name: 'sameSite none without Secure, and an invalid sameSite',
      code: code`
        const session = require('express-session');
        app.use(session({ secret: 's', cookie: { sameSite: 'None' } }));
        app.use(session({ name: 'b', secret: 's', cookie: { sameSite: 'relaxed', secure: 'auto' } }));
      `,
      cookies: [
        {
          name: 'connect.sid',
          sameSite: { value: 'none', provenance: 'explicit' },
          secure: { value: false, provenance: fd },
        },
        { name: 'b', sameSite: { value: 'invalid', provenance: 'explicit' } },
      ],
    },
    {
      name: 'options from .env: secure: process.env.COOKIE_SECURE === "true", resolved per environment',
      code: {
        'server.js': code`
          const session = require('express-session');
          app.set('trust proxy', 1);
          app.use(session({ secret: 's', cookie: { secure: process.env.COOKIE_SECURE === 'true' } }));
        `,
        '.env': 'COOKIE_SECURE=false\n',
        '.env.production': 'COOKIE_SECURE=true\n',
        '.env.staging': 'COOKIE_SECURE=false\n',
      },
      cookies: [
        {
          name: 'connect.sid',
          secure: {
            value: true,
            condition: "process.env.COOKIE_SECURE === 'true'",
            perEnvironment: { production: true, staging: false },
            resolvedFrom: ['.env.production', '.env.staging'],
          },
        },
      ],
    },
    {
      name: 'secure from an env variable read raw: the string "false" is truthy',
      code: {
        'server.js': code`
          const session = require('express-session');
          app.set('trust proxy', 1);
          app.use(session({ secret: 's', cookie: { secure: process.env.COOKIE_SECURE } }));
        `,
        '.env.production': 'COOKIE_SECURE=false\n',
        '.env.development': 'OTHER=1\n',
      },
      cookies: [
        {
          name: 'connect.sid',
          secure: { condition: 'process.env.COOKIE_SECURE', perEnvironment: { production: true } },
        },
      ],
    },
    {
      name: 'a whole session configuration guarded by NODE_ENV',
      code: code`
        const session = require('express-session');
        if (process.env.NODE_ENV !== 'production') {
          app.use(session({ secret: 's', cookie: { secure: false } }));
        }
      `,
      cookies: [
        {
          name: 'connect.sid',
          secure: { provenance: 'env-dependent', perEnvironment: { development: false } },
        },
      ],
    },
    {
      name: 'switch on NODE_ENV mutating the options',
      code: code`
        const session = require('express-session');
        const sess = { secret: 's', cookie: { secure: false } };
        switch (process.env.NODE_ENV) {
          case 'production':
            sess.cookie.secure = true;
            break;
        }
        app.set('trust proxy', 1);
        app.use(session(sess));
      `,
      cookies: [
        {
          name: 'connect.sid',
          secure: { perEnvironment: { production: true, development: false }, line: 5 },
        },
      ],
    },
    {
      name: "inline require('express-session')(...) and a name from key",
      code: code`
        app.use(require('express-session')({ key: 'my.sid', secret: 's' }));
      `,
      cookies: [{ name: 'my.sid', secure: { value: false, provenance: fd, line: 1, column: 1 } }],
    },
  ],
});
