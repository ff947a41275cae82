import { code, runTable } from './harness.js';

const fd = 'framework-default';

runTable('res.cookie / Set-Cookie / cookie.serialize', {
  valid: [
    {
      code: code`
        app.post('/login', (req, res) => {
          res.cookie('sid', id, { secure: true, httpOnly: true, sameSite: 'lax', maxAge: 3600 * 1000 });
        });
      `,
      cookies: [
        {
          name: 'sid',
          secure: { value: true, provenance: 'explicit' },
          lifetime: { kind: 'persistent', seconds: 3600 },
        },
      ],
    },
    {
      name: 'secure follows the request: secure: req.secure',
      code: code`
        app.get('/', (req, res) => res.cookie('sid', id, { httpOnly: true, secure: req.secure }));
      `,
      cookies: [{ name: 'sid', secure: { value: 'auto', provenance: 'explicit' } }],
    },
    {
      name: 'a CSRF cookie without HttpOnly (scripts read it by design)',
      code: code`
        app.use((req, res, next) => {
          res.cookie('XSRF-TOKEN', req.csrfToken(), { secure: true, sameSite: 'strict' });
          res.cookie('_csrf', token, { secure: true });
          next();
        });
      `,
      cookies: [
        { name: 'XSRF-TOKEN', category: 'csrf', httpOnly: { value: false, provenance: fd } },
        { name: '_csrf', category: 'csrf' },
      ],
    },
    {
      name: 'res.cookie on a non-response object is not a cookie',
      code: code`
        const cart = new Cart();
        cart.cookie('sid', 'x', { secure: false });
        const res = await fetch(url);
        res.cookie('sid', 'x', { secure: false });
        function f(a, b) { b.cookie('sid', 'x'); }
      `,
      cookies: [],
    },
    {
      name: 'deleting a cookie is never judged',
      code: code`
        app.post('/logout', (req, res) => {
          res.cookie('sid', '', { maxAge: 0 });
          res.cookie('token', '', { expires: new Date(0) });
        });
      `,
      cookies: [
        { name: 'sid', deletion: true },
        { name: 'token', deletion: true },
      ],
    },
    {
      name: 'raw Set-Cookie header with every attribute',
      code: code`
        const http = require('http');
        http.createServer((req, res) => {
          res.setHeader('Set-Cookie', 'sid=abc; Path=/; Secure; HttpOnly; SameSite=Lax');
          res.end();
        });
      `,
      cookies: [
        {
          name: 'sid',
          secure: { value: true, provenance: 'explicit', line: 3, column: 31 },
          httpOnly: true,
          sameSite: 'lax',
          path: '/',
        },
      ],
    },
    {
      name: 'a header that merely mentions Set-Cookie in a string',
      code: code`
        const doc = "res.setHeader('Set-Cookie', 'sid=abc')";
        const h = res.getHeader('Set-Cookie');
      `,
      cookies: [],
    },
    {
      name: 'cookie.serialize with secure options',
      code: code`
        import { serialize } from 'cookie';
        res.setHeader('Set-Cookie', serialize('sid', id, { httpOnly: true, secure: true, sameSite: 'strict', path: '/' }));
      `,
      cookies: [{ name: 'sid', secure: true, httpOnly: true }],
    },
  ],
  invalid: [
    {
      name: 'res.cookie defaults: no Secure, no HttpOnly',
      code: code`
        const express = require('express');
        const app = express();
        app.post('/login', function (request, response) {
          response.cookie('session_token', token);
        });
      `,
      cookies: [
        {
          name: 'session_token',
          framework: 'express',
          line: 4,
          column: 3,
          secure: { value: false, provenance: fd, line: 4, column: 3 },
          httpOnly: { value: false, provenance: fd, line: 4, column: 3 },
          path: { value: '/', provenance: fd },
          category: 'session',
        },
      ],
    },
    {
      name: 'the response is the second parameter of any route handler',
      code: code`
        router.get('/', async (q, s) => {
          s.cookie('auth', jwt, { httpOnly: true, secure: false, sameSite: 'none' });
        });
      `,
      cookies: [
        {
          name: 'auth',
          secure: { value: false, provenance: 'explicit', line: 2, column: 43 },
          sameSite: 'none',
        },
      ],
    },
    {
      name: 'TypeScript: a Response-typed parameter',
      file: 'src/controller.ts',
      code: code`
        import type { Response } from 'express';
        export function login(out: Response, token: string) {
          out.cookie('token', token, { domain: '.example.com' });
        }
      `,
      cookies: [
        { name: 'token', domain: { value: '.example.com', provenance: 'explicit', line: 3 }, secure: false },
      ],
    },
    {
      name: 'raw header strings: single, template, array, writeHead headers',
      code: code`
        http.createServer((req, res) => {
          res.setHeader('Set-Cookie', 'sid=' + id + '; HttpOnly');
          res.setHeader('set-cookie', [\`theme=\${t}; Path=/\`, 'lang=en; Secure; SameSite=None']);
          res.writeHead(200, { 'Set-Cookie': 'a=1; SameSite=Strict; Secure', 'Content-Type': 'text/html' });
        });
      `,
      cookies: [
        {
          name: 'sid',
          line: 2,
          secure: { value: false, provenance: 'explicit' },
          httpOnly: { value: true, provenance: 'explicit' },
        },
        { name: 'theme', line: 3, secure: false, path: '/' },
        { name: 'lang', line: 3, secure: true, sameSite: 'none' },
        { name: 'a', line: 4, secure: true, sameSite: 'strict', httpOnly: false },
      ],
    },
    {
      name: 'attributes appended from a variable are unknown, not insecure',
      code: code`
        res.setHeader('Set-Cookie', 'sid=' + id + '; ' + flags);
      `,
      cookies: [
        { name: 'sid', secure: { value: 'unknown', provenance: 'unknown' }, httpOnly: { value: 'unknown' } },
      ],
    },
    {
      name: 'headers.append / new Response headers (fetch API)',
      code: code`
        const headers = new Headers();
        headers.append('Set-Cookie', 'sid=1; HttpOnly; Secure; SameSite=none');
        return new Response('ok', { headers: { 'set-cookie': 'pref=1' } });
      `,
      cookies: [
        { name: 'sid', secure: true, sameSite: 'none' },
        { name: 'pref', secure: false },
      ],
    },
    {
      name: 'cookie.serialize (namespace import and require) without options',
      code: code`
        const cookie = require('cookie');
        res.setHeader('Set-Cookie', cookie.serialize('sessionId', id, { httpOnly: true, maxAge: 60 * 60 * 24 * 7 }));
      `,
      cookies: [
        {
          name: 'sessionId',
          secure: { value: false, provenance: fd },
          httpOnly: { value: true, provenance: 'explicit' },
          lifetime: { kind: 'persistent', seconds: 604800 },
        },
      ],
    },
    {
      name: 'a prefixed cookie without Secure',
      code: code`
        app.get('/', (req, res) => res.cookie('__Host-sid', id, { httpOnly: true, path: '/' }));
      `,
      cookies: [{ name: '__Host-sid', prefix: '__Host-', secure: false }],
    },
    {
      name: 'env-dependent Secure on res.cookie, resolved from .env files',
      code: {
        'src/server.js': code`
          app.get('/', (req, res) => res.cookie('sid', id, { httpOnly: true, secure: process.env.HTTPS === '1' }));
        `,
        '.env.production': 'HTTPS=1\n',
        '.env.development': 'HTTPS=0\n',
      },
      cookies: [
        {
          name: 'sid',
          secure: {
            perEnvironment: { production: true, development: false },
            condition: "process.env.HTTPS === '1'",
          },
        },
      ],
    },
  ],
});
