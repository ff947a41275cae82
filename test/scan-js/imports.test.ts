import { code, runTable } from './harness.js';

/** Options and conditions imported from other modules of the project. */
runTable('imported options', {
  valid: [
    {
      name: 'options imported from a package stay unknown',
      code: {
        'app.js': code`
          import session from 'express-session';
          import { defaults } from 'some-config-package';
          app.use(session(defaults));
        `,
      },
      cookies: [{ name: 'connect.sid', secure: { value: 'unknown', provenance: 'unknown' } }],
    },
    {
      name: 'a correct imported config (CommonJS, alias @/)',
      code: {
        'src/server.js': code`
          const session = require('express-session');
          const { sessionConfig } = require('@/config/session');
          app.set('trust proxy', 1);
          app.use(session(sessionConfig));
        `,
        'src/config/session.js': code`
          module.exports.sessionConfig = { name: 'app.sid', secret: process.env.SECRET, cookie: { secure: true, sameSite: 'lax' } };
        `,
      },
      cookies: [{ name: 'app.sid', secure: { value: true, provenance: 'explicit', line: 1 } }],
    },
  ],
  invalid: [
    {
      name: 'express-session options exported by another module (named export, .js specifier for a .ts file)',
      code: {
        'src/app.ts': code`
          import session from 'express-session';
          import { sessionOptions } from './config/session.js';
          app.use(session(sessionOptions));
        `,
        'src/config/session.ts': code`
          import type { SessionOptions } from 'express-session';
          export const sessionOptions: SessionOptions = {
            secret: process.env.SESSION_SECRET!,
            cookie: { secure: false, httpOnly: true },
          };
        `,
      },
      cookies: [
        {
          name: 'connect.sid',
          line: 3,
          secure: { value: false, provenance: 'explicit', line: 4, column: 13 },
          httpOnly: { value: true, provenance: 'explicit' },
        },
      ],
    },
    {
      name: 'module.exports object, a member of it passed on, and an env condition defined in the config file',
      code: {
        'server.js': code`
          const session = require('express-session');
          const config = require('./config');
          app.set('trust proxy', 1);
          app.use(session(config.session));
        `,
        'config/index.js': code`
          const isProd = process.env.NODE_ENV === 'production';
          module.exports = {
            port: 3000,
            session: { secret: process.env.SECRET, cookie: { secure: isProd, maxAge: 86400000 } },
          };
        `,
      },
      cookies: [
        {
          name: 'connect.sid',
          secure: { perEnvironment: { production: true, development: false }, line: 4 },
          lifetime: { kind: 'persistent', seconds: 86400 },
        },
      ],
    },
    {
      name: 'an imported environment constant: secure: isProd from ./env',
      code: {
        'src/index.ts': code`
          import cookieSession from 'cookie-session';
          import { isProd, COOKIE_NAME } from './env';
          app.set('trust proxy', 1);
          app.use(cookieSession({ name: COOKIE_NAME, keys: ['k'], secure: isProd }));
        `,
        'src/env.ts': code`
          export const isProd = process.env.NODE_ENV === 'production';
          export const COOKIE_NAME = 'sess';
        `,
      },
      cookies: [
        {
          name: '<COOKIE_NAME>',
          secure: { perEnvironment: { production: true, development: false }, line: 4 },
        },
      ],
    },
    {
      name: 'a spread of an imported base config, then explicit keys win',
      code: {
        'app.js': code`
          import session from 'express-session';
          import base from './session-base';
          app.use(session({ ...base, name: 'sid', cookie: { ...base.cookie, sameSite: 'none' } }));
        `,
        'session-base.js': code`
          export default { name: 'base.sid', cookie: { secure: true, httpOnly: true } };
        `,
      },
      cookies: [{ name: 'sid', secure: { value: true, line: 1 }, sameSite: { value: 'none', line: 3 } }],
      proxyTrust: [{ cookie: 'sid', line: 1 }],
    },
  ],
});
