import assert from 'node:assert/strict';
import { test } from 'node:test';
import { code, cookiesOf, observe } from './harness.js';

const server = code`
  const express = require('express');
  const session = require('express-session');
  const app = express();
  app.use(session({ secret: 's', cookie: { secure: process.env.BASE_URL.startsWith('https') } }));
`;

function perEnvironment(files: Record<string, string>): Record<string, unknown> {
  const c = cookiesOf(observe({ 'server.js': server, ...files }))[0];
  assert.ok(c);
  assert.equal(c.secure.provenance.kind, 'env-dependent');
  return (c.secure.provenance as { perEnvironment: Record<string, unknown> }).perEnvironment;
}

test('a URL-scheme switch with an http:// URL in .env: not Secure there, Secure where the URL is https', () => {
  assert.deepEqual(perEnvironment({ '.env': 'BASE_URL=http://localhost:8080\n' }), {
    default: false,
    'BASE_URL=https://…': true,
  });
});

test('a URL-scheme switch whose every environment already has an https:// URL: no environment is added', () => {
  assert.deepEqual(perEnvironment({ '.env': 'BASE_URL=https://notes.example\n' }), { default: true });
});

test('a production file that gives the URL decides production: no environment is added', () => {
  assert.deepEqual(
    perEnvironment({
      '.env.production': 'BASE_URL=http://intranet.local\n',
      '.env.development': 'BASE_URL=http://localhost:8080\n',
    }),
    { development: false, production: false },
  );
});
