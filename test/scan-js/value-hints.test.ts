import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runRules } from '../../src/rules/index.js';
import { code, cookiesOf, observe } from './harness.js';

function categoryOf(src: string, name: string): string {
  const c = cookiesOf(observe(src, 'server.js')).find((o) => o.name === name);
  assert.ok(c, `no cookie ${name}`);
  return c.classification.category;
}

test('a value named like a credential makes an unrecognised cookie a session cookie', () => {
  const src = code`
    const express = require('express');
    const app = express();
    app.post('/a', (req, res) => {
      res.cookie('a1', data.accessToken);
      res.cookie('a2', jwt.sign({ sub: 1 }, key));
      res.cookie('a3', user.getSessionToken());
      res.cookie('a4', encodeURIComponent(sessionId));
      res.cookie('p1', authorLocale);
      res.cookie('p2', csrfToken);
      res.cookie('p3', sidebarState);
      res.cookie('p4', 'token');
    });
  `;
  for (const n of ['a1', 'a2', 'a3', 'a4']) assert.equal(categoryOf(src, n), 'session', n);
  for (const n of ['p1', 'p2', 'p3']) assert.equal(categoryOf(src, n), 'unknown', n);
  // a constant is a flag whatever it says
  assert.equal(categoryOf(src, 'p4'), 'preference');
});

test('OAuth round-trip cookies are CSRF cookies; an OAuth token is not', () => {
  const src = code`
    const express = require('express');
    const app = express();
    app.get('/login', (req, res) => {
      res.cookie(provider + '_oauth_state', state, { maxAge: 600000 });
      res.cookie('oidc_nonce', nonce, { maxAge: 600000 });
      res.cookie('oauth_token', t);
    });
  `;
  assert.equal(categoryOf(src, '<provider>_oauth_state'), 'csrf');
  assert.equal(categoryOf(src, 'oidc_nonce'), 'csrf');
  assert.equal(categoryOf(src, 'oauth_token'), 'session');
});

test("a name known as another framework's cookie, set by Express: Express's defaults and fix, and the reason says so", () => {
  const obs = observe(
    code`
      const express = require('express');
      const app = express();
      app.post('/login', (req, res) => {
        res.cookie('JSESSIONID', req.session.id, { maxAge: 30 * 86400000 });
      });
    `,
    'server.js',
  );
  const f = runRules(obs).find((x) => x.rule === 'cookie-missing-secure' && x.cookie === 'JSESSIONID');
  assert.ok(f);
  assert.equal(f.framework, 'express');
  assert.match(f.fix ?? '', /res\.cookie\('JSESSIONID'/);
  assert.doesNotMatch(f.fix ?? '', /server\.servlet/);
  assert.match(f.classification ?? '', /here express code sets it/);
});
