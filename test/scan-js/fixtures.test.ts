/**
 * Realistic JavaScript / TypeScript projects scanned end to end: collectCode (discovery, prefilter,
 * extractors, resolvers) then runRules. Each test asserts the whole set of cookie / proxy-trust
 * observations and the whole list of findings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { collectCode } from '../../src/collect/code/index.js';
import { runRules } from '../../src/rules/index.js';
import type { Observation } from '../../src/model/observation.js';

const root = (name: string) =>
  fileURLToPath(new URL(`../../../test/fixtures/scan-js/${name}`, import.meta.url));

/** `name file:line secure(provenance)` for cookies, `proxy-trust cookie situation file:line` for the others. */
function summary(obs: readonly Observation[]): string[] {
  const out: string[] = [];
  for (const o of obs) {
    if (o.kind === 'cookie') {
      const p = o.secure.provenance;
      const per =
        p.kind === 'env-dependent'
          ? ` ${Object.keys(p.perEnvironment)
              .sort()
              .map((k) => `${k}:${String(p.perEnvironment[k])}`)
              .join(',')}`
          : '';
      out.push(
        `${o.name} ${o.location?.file}:${o.location?.line} secure=${String(o.secure.value)}(${p.kind}${per})${o.deletion ? ' deletion' : ''}`,
      );
    } else if (o.kind === 'proxy-trust') {
      out.push(`proxy-trust ${o.cookie} ${o.situation} ${o.location?.file}:${o.location?.line}`);
    }
  }
  return out.sort();
}

async function scan(name: string) {
  const r = await collectCode([root(name)], { workers: 0 });
  assert.deepEqual(r.errors, []);
  const findings = runRules(r.observations)
    .map(
      (f) =>
        `${f.rule} ${f.severity} ${f.cookie} ${f.location?.file}:${f.location?.line}:${f.location?.column}`,
    )
    .sort();
  return { observations: r.observations, summary: summary(r.observations), findings };
}

test('express app with the express-session README env-guarded block and .env files', async () => {
  const r = await scan('express-env-guard');
  assert.deepEqual(r.summary, [
    'XSRF-TOKEN app.js:27 secure=true(explicit)',
    'cart app.js:22 secure=false(framework-default)',
    'connect.sid app.js:19 secure=true(env-dependent development:false,production:true)',
    'remember_me routes/auth.js:17 secure=false(framework-default) deletion',
    'remember_me routes/auth.js:8 secure=true(env-dependent development:false,production:true)',
  ]);
  const connect = r.observations.find((o) => o.kind === 'cookie' && o.name === 'connect.sid');
  assert.ok(connect && connect.kind === 'cookie' && connect.secure.provenance.kind === 'env-dependent');
  assert.equal(connect.secure.provenance.condition, "app.get('env') === 'production'");
  assert.deepEqual(connect.secure.provenance.resolvedFrom?.sort(), ['.env', '.env.production']);
  assert.deepEqual(r.findings, [
    'cookie-missing-secure medium cart app.js:22:3',
    'cookie-secure-env-dependent medium connect.sid app.js:16:3',
    'cookie-secure-env-dependent medium remember_me routes/auth.js:11:5',
  ]);
});

test('a correct cookie-session app (flat options) has no finding', async () => {
  const r = await scan('cookie-session-correct');
  assert.deepEqual(r.summary, ['session app.js:11 secure=auto(framework-default)']);
  assert.deepEqual(r.findings, []);
});

test('Fastify app: @fastify/session Secure by default without trustProxy (no proxy in the repository: low)', async () => {
  const r = await scan('fastify-app');
  assert.deepEqual(r.summary, [
    'locale src/server.ts:16 secure=false(framework-default)',
    'proxy-trust sid secure-without-trust src/server.ts:8',
    'sid src/server.ts:8 secure=true(framework-default)',
  ]);
  assert.deepEqual(r.findings, [
    'cookie-missing-secure low locale src/server.ts:16:3',
    'session-cookie-persistent low sid src/server.ts:11:30',
    'session-trust-proxy-missing low sid src/server.ts:8:1',
  ]);
});

test('Next.js app: route handler, middleware, NextAuth options in lib/, client-side document.cookie', async () => {
  const r = await scan('next-app');
  assert.deepEqual(r.summary, [
    'ab_bucket middleware.ts:6 secure=true(env-dependent development:false,production:true)',
    'next-auth.session-token lib/auth.ts:4 secure=auto(framework-default)',
    'session app/api/login/route.ts:7 secure=false(framework-default)',
    'theme components/ThemeToggle.tsx:6 secure=false(explicit)',
  ]);
  assert.deepEqual(r.findings, [
    'cookie-missing-secure high session app/api/login/route.ts:7:3',
    'cookie-missing-secure low theme components/ThemeToggle.tsx:6:23',
    'cookie-secure-env-dependent low ab_bucket middleware.ts:7:7',
    'session-cookie-persistent low next-auth.session-token lib/auth.ts:6:14',
    'session-cookie-persistent low session app/api/login/route.ts:11:5',
  ]);
});

test('Koa app behind nginx without app.proxy', async () => {
  const r = await scan('koa-behind-proxy');
  assert.deepEqual(r.summary, [
    'proxy-trust remember secure-without-trust server.js:20',
    'proxy-trust shop.sess auto-without-trust server.js:15',
    'remember server.js:20 secure=true(explicit)',
    'shop.sess server.js:15 secure=auto(framework-default)',
  ]);
  const auto = r.observations.find((o) => o.kind === 'proxy-trust' && o.situation === 'auto-without-trust');
  assert.ok(auto && auto.kind === 'proxy-trust');
  assert.match(auto.proxyEvidence ?? '', /nginx proxy_pass in nginx\/shop\.conf/);
  assert.deepEqual(r.findings, [
    'session-cookie-persistent low shop.sess server.js:10:3',
    'session-trust-proxy-missing medium remember server.js:20:58',
    'session-trust-proxy-missing medium shop.sess server.js:15:1',
  ]);
});

test('worker threads and a single thread give the same observations', async () => {
  const one = await collectCode([root('express-env-guard'), root('next-app')], { workers: 0 });
  const many = await collectCode([root('express-env-guard'), root('next-app')], { workers: 2 });
  assert.equal(many.stats.workers, 2);
  assert.deepEqual(many.observations, one.observations);
});
