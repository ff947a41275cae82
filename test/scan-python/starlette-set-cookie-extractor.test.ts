/** Starlette SessionMiddleware and set_cookie extractors, ESLint style, with decoys. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { envVarsOf, evaluate, newEvalContext } from '../../src/collect/code/python/expr.js';
import type { KwArg, SetCookieData, StarletteSessionData } from '../../src/collect/code/python/facts.js';
import { setCookieExtractor } from '../../src/collect/code/python/set-cookie-extractor.js';
import { starletteExtractor } from '../../src/collect/code/python/starlette-extractor.js';
import { dataOf, extract } from './helpers.js';

function kw(args: Record<string, KwArg>): string {
  return Object.entries(args)
    .map(([k, a]) => {
      const v = evaluate(a.expr, newEvalContext());
      return `${k}=${v.ok && envVarsOf(a.expr).size === 0 ? JSON.stringify(v.v) : `<${a.expr.t}>`}`;
    })
    .join(' ');
}

const mw = (code: string) =>
  dataOf<StarletteSessionData>(extract(starletteExtractor, code), 'starlette-session').map(
    (d) => `${d.via}@${d.location.line}:${d.location.column} ${kw(d.kwargs)}${d.splat ? ' **' : ''}`,
  );

const S = 'from starlette.middleware.sessions import SessionMiddleware\n';

const mwFound: { name: string; code: string; want: string[] }[] = [
  {
    name: 'FastAPI add_middleware',
    code:
      'from fastapi import FastAPI\n' +
      S +
      "app = FastAPI()\napp.add_middleware(SessionMiddleware, secret_key='k', https_only=False)",
    want: ['add_middleware@4:1 secret_key=<<redacted>> https_only=false'],
  },
  {
    name: 'Middleware() in a list',
    code:
      'from starlette.middleware import Middleware\n' +
      S +
      "mw = [Middleware(SessionMiddleware, secret_key=k, same_site='none')]",
    want: ['Middleware@3:7 secret_key=<<redacted>> same_site="none"'],
  },
  {
    name: 'positional secret and session_cookie',
    code: S + "app.add_middleware(SessionMiddleware, 'k', 'sid')",
    want: ['add_middleware@2:1 secret_key=<<redacted>> session_cookie="sid"'],
  },
  {
    name: '**options',
    code: S + 'app.add_middleware(SessionMiddleware, **opts)',
    want: ['add_middleware@2:1  **'],
  },
];

const mwNone: { name: string; code: string }[] = [
  {
    name: 'a different SessionMiddleware (starsessions)',
    code: 'from starsessions import SessionMiddleware\napp.add_middleware(SessionMiddleware, https_only=False)',
  },
  {
    name: 'other middleware',
    code: 'from starlette.middleware.cors import CORSMiddleware\napp.add_middleware(CORSMiddleware, allow_origins=["*"])',
  },
  { name: 'a comment', code: S + '# app.add_middleware(SessionMiddleware, https_only=False)' },
  {
    name: 'a Django MIDDLEWARE string',
    code: "MIDDLEWARE = ['django.contrib.sessions.middleware.SessionMiddleware']",
  },
];

for (const c of mwFound)
  test(`starlette extractor finds: ${c.name}`, () => assert.deepEqual(mw(c.code), c.want));
for (const c of mwNone)
  test(`starlette extractor ignores: ${c.name}`, () => assert.deepEqual(mw(c.code), []));

test('the secret key never reaches the facts', () => {
  const facts = extract(
    starletteExtractor,
    S + "app.add_middleware(SessionMiddleware, secret_key='hunter2-secret')",
  );
  assert.ok(!JSON.stringify(facts).includes('hunter2'));
});

const sc = (code: string) =>
  dataOf<SetCookieData>(extract(setCookieExtractor, code), 'set-cookie').map(
    (d) =>
      `${d.framework ?? '?'}@${d.location.line}:${d.location.column} ${kw(d.args)}${d.splat ? ' **' : ''}`,
  );

const scFound: { name: string; code: string; want: string[] }[] = [
  {
    name: 'Flask keywords',
    code: "from flask import make_response\nr = make_response('x')\nr.set_cookie('sid', token, secure=True, httponly=True, samesite='Lax')",
    want: ['flask@3:1 key="sid" value=<<redacted>> secure=true httponly=true samesite="Lax"'],
  },
  {
    name: 'positional secure/httponly (werkzeug order)',
    code: "from django.http import HttpResponse\nr.set_cookie('sid', v, 3600, None, '/', None, True, True, 'Strict')",
    want: [
      'django@2:1 key="sid" value=<<redacted>> max_age=3600 expires=null path="/" domain=null secure=true httponly=true samesite="Strict"',
    ],
  },
  {
    name: 'Starlette response',
    code: "from starlette.responses import Response\nresponse.set_cookie(key='t', value='v')",
    want: ['starlette@2:1 key="t" value="<redacted>"'],
  },
  {
    name: 'Django set_signed_cookie',
    code: "from django.http import HttpResponse\nr.set_signed_cookie('u', v, salt='s', secure=False)",
    want: ['django@2:1 key="u" value=<<redacted>> salt="s" secure=false'],
  },
  { name: 'unknown framework', code: "resp.set_cookie('x', y)", want: ['?@1:1 key="x" value=<<redacted>>'] },
];

const scNone: { name: string; code: string }[] = [
  {
    name: 'a test client',
    code: "client.set_cookie('localhost', 'sid', 'x')\nself.client.set_cookie('sid', 'x')",
  },
  { name: 'a comment', code: "# r.set_cookie('sid', v, secure=False)" },
  { name: 'a requests cookie jar', code: "s.cookies.set('sid', 'x', secure=False)" },
  {
    name: 'unrelated secure=False',
    code: "smtp = make_transport(host='mail', secure=False)\nrequests.get(u, verify=False)",
  },
];

for (const c of scFound)
  test(`set_cookie extractor finds: ${c.name}`, () => assert.deepEqual(sc(c.code), c.want));
for (const c of scNone)
  test(`set_cookie extractor ignores: ${c.name}`, () => assert.deepEqual(sc(c.code), []));

test('literal cookie values are redacted in facts and evidence', () => {
  const facts = extract(setCookieExtractor, "r.set_cookie('sid', 'abc123secret', secure=True)");
  assert.ok(!JSON.stringify(facts).includes('abc123secret'));
  assert.match(dataOf<SetCookieData>(facts, 'set-cookie')[0]!.evidence, /<redacted>/);
});
