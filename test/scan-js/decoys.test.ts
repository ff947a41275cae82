import test from 'node:test';
import assert from 'node:assert/strict';
import { code, observe, projectOf, runTable } from './harness.js';

/** Code that mentions secure / cookies / sessions but configures no cookie: no observation at all. */
runTable('decoys', {
  valid: [
    {
      name: 'nodemailer createTransport({ secure: false })',
      code: code`
        const nodemailer = require('nodemailer');
        const transporter = nodemailer.createTransport({ host: 'smtp.example.com', port: 587, secure: false });
      `,
      cookies: [],
    },
    {
      name: 'database clients with ssl / secure / tls off',
      code: code`
        const { Pool } = require('pg');
        const pool = new Pool({ ssl: false, secure: false });
        await mongoose.connect(uri, { tls: false });
        const redis = createClient({ socket: { tls: false } });
      `,
      cookies: [],
    },
    {
      name: 'http.createServer and an object with secure: false passed nowhere',
      code: code`
        const http = require('http');
        const options = { secure: false, httpOnly: false, sameSite: 'none' };
        http.createServer(app).listen(80);
      `,
      cookies: [],
    },
    {
      name: 'an options object named like cookie settings but used by no cookie API',
      code: code`
        const cookieOptions = { secure: false, httpOnly: false };
        module.exports = { cookieOptions };
        logger.info('session', { secure: false });
      `,
      cookies: [],
    },
    {
      name: 'a local function called session()',
      code: code`
        function session(opts) { return opts; }
        app.use(session({ cookie: { secure: false } }));
      `,
      cookies: [],
    },
    {
      name: 'a method named cookie on a non-response receiver inside a class',
      code: code`
        class Jar { cookie(name, value, opts) {} }
        const jar = new Jar();
        jar.cookie('sid', 'x', { secure: false });
      `,
      cookies: [],
    },
    {
      name: 'a map or cache with a set method',
      code: code`
        const cookies = new Map();
        cookies.set('sid', { secure: false });
        cache.cookies.set('sid', 'x', { secure: false });
      `,
      cookies: [],
    },
    {
      name: 'test assertions that quote Set-Cookie values',
      code: code`
        expect(res.headers['set-cookie']).toContain('sid=1; HttpOnly');
        assert.equal(response.get('Set-Cookie'), 'a=b');
      `,
      cookies: [],
    },
    {
      name: 'a markdown-like template literal documenting a config',
      code: code`
        const help = \`
          app.use(session({ cookie: { secure: false } }))
          res.cookie('sid', id)
        \`;
      `,
      cookies: [],
    },
  ],
  invalid: [],
});

test('a file that only reads cookies produces no fact', () => {
  const project = projectOf({
    'src/read.js': code`
      const cookie = require('cookie');
      const parsed = cookie.parse(req.headers.cookie || '');
      const sid = req.cookies.sid;
      console.log(document.cookie);
    `,
  });
  assert.deepEqual(project.files[0].facts, []);
});

test('broken and deeply nested code yields no exception and no false observation', () => {
  const deep = 'const x = ' + '['.repeat(3000) + ']'.repeat(3000) + ';\n';
  const chain = 'const s = ' + Array.from({ length: 3000 }, (_, i) => `'p${i}'`).join(' + ') + ';\n';
  const obs = observe({
    'broken.js': "app.use(session({ cookie: { secure: false } }\nres.cookie('a', ",
    'deep.js': deep + chain + "res.setHeader('Set-Cookie', s);",
    'nested.js': 'if (a) '.repeat(500) + "res.cookie('x', 'y');",
  });
  assert.ok(Array.isArray(obs));
});

test('cookies configured in test and fixture folders are marked inTestCode (reported at info)', () => {
  const obs = observe({
    'test/login.test.js': code`
      app.get('/', (req, res) => res.cookie('sid', 'x'));
    `,
    'src/app.js': code`
      const session = require('express-session');
      app.use(session({ secret: 's', cookie: { secure: true } }));
    `,
    'test/fixtures/app.js': code`
      const session = require('express-session');
      app.use(session({ secret: 's', cookie: { secure: true } }));
    `,
  });
  const byFile = (f: string) => obs.filter((o) => 'location' in o && o.location?.file === f);
  assert.ok(byFile('test/login.test.js').every((o) => 'inTestCode' in o && o.inTestCode === true));
  assert.ok(byFile('test/fixtures/app.js').length >= 1);
  assert.ok(byFile('test/fixtures/app.js').every((o) => 'inTestCode' in o && o.inTestCode === true));
  assert.ok(byFile('src/app.js').every((o) => !('inTestCode' in o) || o.inTestCode !== true));
  const api = obs.filter((o) => o.kind === 'cookie').map((o) => (o.kind === 'cookie' ? o.api : ''));
  assert.deepEqual([...new Set(api)].sort(), ['express-session', 'res.cookie']);
});
