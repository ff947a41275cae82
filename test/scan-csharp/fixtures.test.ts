/**
 * The whole path on the ASP.NET fixture projects, with worker threads (the extractors run there, so
 * the C# grammar and the XML parser must load in a worker): collectCode() then runRules(). Each
 * project asserts every finding; its decoys (SMTP EnableSsl, a certificate callback, appsettings
 * "Smtp:Secure", appSettings RequireSSL, smtp enableSsl, Response.Cookies.Delete, an Expires in the
 * past) give none.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { collectCode } from '../../src/collect/code/index.js';
import { runRules } from '../../src/rules/index.js';
import { FIXTURES, row } from './helpers.js';

async function scan(app: string) {
  const r = await collectCode([join(FIXTURES, app)], { workers: 2 });
  assert.deepEqual(r.errors, []);
  return { ...r, rows: runRules(r.observations).map(row).sort() };
}

test('shop (ASP.NET Core 6, behind nginx in docker compose)', async () => {
  const { rows, observations } = await scan('shop');
  assert.deepEqual(rows, [
    'cookie-missing-httponly medium cart_session src/Shop/Controllers/CartController.cs:9',
    'cookie-missing-secure high cart_session src/Shop/Controllers/CartController.cs:9',
    'cookie-missing-secure info .AspNetCore.Session src/Shop.Tests/SessionTests.cs:4',
    'cookie-secure-env-dependent medium .AspNetCore.Session src/Shop/Program.cs:10',
    'session-trust-proxy-missing medium shop_auth src/Shop/Program.cs:14',
  ]);
  const hsts = observations.find((o) => o.kind === 'setting' && o.key === 'hsts-max-age');
  assert.ok(hsts && hsts.kind === 'setting');
  assert.equal(hsts.value, 365 * 86400);
  assert.equal(hsts.location?.line, 20, 'AddHsts MaxAge decides the max-age');
});

test('legacy (classic ASP.NET 4.7.2 with a Release transform)', async () => {
  const { rows } = await scan('legacy');
  assert.deepEqual(rows, [
    'cookie-missing-secure high .ASPXAUTH Web.config:9',
    'cookie-secure-env-dependent medium ASP.NET_SessionId Web.Release.config:5',
  ]);
});
