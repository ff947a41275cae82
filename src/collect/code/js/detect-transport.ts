/**
 * Whether the app can see that a request arrived over HTTPS: Express `app.set('trust proxy', ...)` /
 * `app.enable('trust proxy')`, Koa `app.proxy = true` / `new Koa({ proxy: true })`, Fastify
 * `fastify({ trustProxy })`, and TLS terminated in the app itself (`https.createServer`, Fastify `https`).
 * All as `setting` facts (framework 'express' | 'koa' | 'fastify' | 'node').
 */
import type { SgNode } from '@ast-grep/napi';
import type { CodeFact } from '../types.js';
import { args, keyName, memberChain, stringValue, type JsFile, type Val } from './context.js';
import { flattenOptions } from './facts.js';

function setting(ctx: JsFile, framework: string, key: string, val: Val, site: SgNode): CodeFact {
  const guard = ctx.guardOf(site);
  let value = ctx.toSetting(val);
  // a setting made only under an environment condition is conditional on it
  if (guard && value.kind === 'literal') {
    value = guard.test
      ? {
          kind: 'conditional',
          condition: guard.condition,
          whenTrue: value.value,
          whenFalse: null,
          expression: site.text().split('\n')[0],
          test: guard.test,
        }
      : {
          kind: 'unknown',
          expression: site.text().split('\n')[0],
          reason: `set only when ${guard.condition}`,
        };
  }
  return { type: 'setting', framework, key, value, location: ctx.loc(site), evidence: ctx.evidence(site) };
}

export function detectTransport(ctx: JsFile): CodeFact[] {
  const out: CodeFact[] = [];

  // Express: app.set('trust proxy', value) / app.enable('trust proxy') / app.disable('trust proxy')
  for (const call of ctx.methodCalls(['set', 'enable', 'disable'], { firstArg: /^['"`]trust proxy['"`]$/ })) {
    const a = args(call);
    if (a.length === 0 || stringValue(a[0]) !== 'trust proxy') continue;
    const method = keyName((call.field('function') as SgNode).field('property'));
    const val: Val =
      method === 'set'
        ? a[1]
          ? ctx.evaluate(a[1])
          : { t: 'absent' }
        : { t: 'lit', v: method === 'enable', node: call };
    out.push(setting(ctx, 'express', 'trust proxy', val, call));
  }

  // Koa: new Koa({ proxy: true }); app.proxy = true
  const koaFile = ctx.importsAny(['koa']);
  if (koaFile) {
    for (const call of ctx.callsTo(['koa'], [[], ['Koa'], ['default']], true)) {
      const opts = args(call)[0];
      if (!opts) continue;
      for (const f of flattenOptions(ctx.evaluate(opts), ['proxy'], call))
        out.push(setting(ctx, 'koa', 'proxy', f.val, f.site));
    }
    for (const assign of ctx.candidates('assignment_expression')) {
      const chain = memberChain(assign.field('left') as SgNode);
      if (!chain || chain.path[chain.path.length - 1] !== 'proxy') continue;
      out.push(setting(ctx, 'koa', 'proxy', ctx.evaluate(assign.field('right') as SgNode), assign));
    }
  }

  // Fastify: fastify({ trustProxy, https, http2 }) (fastify docs: Server options)
  if (ctx.importsAny(['fastify'])) {
    for (const call of ctx.callsTo(['fastify'], [[], ['fastify'], ['default'], ['Fastify']])) {
      const opts = args(call)[0];
      if (!opts) continue;
      for (const f of flattenOptions(ctx.evaluate(opts), ['trustProxy', 'https'], call)) {
        if (f.key === 'https') {
          const tls = f.val.t === 'obj' || (f.val.t === 'lit' && f.val.v !== null && f.val.v !== false);
          if (tls)
            out.push(setting(ctx, 'node', 'https-server', { t: 'lit', v: true, node: f.site }, f.site));
        } else out.push(setting(ctx, 'fastify', 'trustProxy', f.val, f.site));
      }
    }
  }

  // TLS in the app itself: https.createServer(...), http2.createSecureServer(...)
  const tlsModules = ['https', 'node:https', 'http2', 'node:http2', 'spdy'];
  if (ctx.importsAny(tlsModules)) {
    for (const call of ctx.callsTo(tlsModules, [['createServer'], ['createSecureServer']])) {
      out.push(setting(ctx, 'node', 'https-server', { t: 'lit', v: true, node: call }, call));
    }
  }
  return out;
}
