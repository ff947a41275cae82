import { code, runTable } from './harness.js';

const fd = 'framework-default';

runTable('cookie-session', {
  valid: [
    {
      name: 'a correct flat config: no finding (other scanners flag it because the options are flat)',
      code: code`
        const cookieSession = require('cookie-session');
        app.use(
          cookieSession({
            name: 'session',
            keys: [process.env.KEY1, process.env.KEY2],
            maxAge: 24 * 60 * 60 * 1000,
          }),
        );
      `,
      cookies: [
        {
          name: 'session',
          framework: 'cookie-session',
          secure: { value: 'auto', provenance: fd, line: 2 },
          httpOnly: { value: true, provenance: fd },
          lifetime: { kind: 'persistent', seconds: 86400 },
          category: 'session',
        },
      ],
    },
    {
      name: 'explicit flat secure / httpOnly / sameSite with trust proxy',
      code: code`
        import cookieSession from 'cookie-session';
        app.set('trust proxy', 1);
        app.use(cookieSession({ name: 'sess', keys: ['k'], secure: true, httpOnly: true, sameSite: 'strict' }));
      `,
      cookies: [
        {
          name: 'sess',
          secure: { value: true, provenance: 'explicit', line: 3, column: 52 },
          sameSite: 'strict',
        },
      ],
    },
    {
      name: 'a nested cookie: {} object is not read as flat options',
      code: code`
        import cookieSession from 'cookie-session';
        app.use(cookieSession({ keys: ['k'], cookie: { secure: false } }));
      `,
      cookies: [{ name: 'session', secure: { value: 'auto', provenance: fd } }],
    },
  ],
  invalid: [
    {
      name: 'secure: false explicitly',
      code: code`
        const cookieSession = require('cookie-session');
        app.use(cookieSession({ keys: ['k'], secure: false, httpOnly: false }));
      `,
      cookies: [
        {
          name: 'session',
          secure: { value: false, provenance: 'explicit', line: 2, column: 38 },
          httpOnly: { value: false, provenance: 'explicit', line: 2, column: 53 },
        },
      ],
    },
    {
      name: 'secure: true without trust proxy: the cookies module throws over what it sees as HTTP',
      code: code`
        const cookieSession = require('cookie-session');
        app.use(cookieSession({ keys: ['k'], secure: true }));
      `,
      cookies: [{ name: 'session', secure: true }],
      proxyTrust: [{ cookie: 'session', framework: 'cookie-session', line: 2, column: 38 }],
    },
    {
      name: 'env-dependent flat secure',
      code: code`
        const cookieSession = require('cookie-session');
        app.set('trust proxy', 1);
        app.use(cookieSession({ keys: ['k'], secure: process.env.NODE_ENV === 'production' }));
      `,
      cookies: [{ name: 'session', secure: { perEnvironment: { production: true, development: false } } }],
    },
  ],
});
