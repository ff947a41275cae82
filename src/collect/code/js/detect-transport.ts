/**
 * Whether the app can see that a request arrived over HTTPS: Express `app.set('trust proxy', ...)` /
 * `app.enable('trust proxy')`, Koa `app.proxy = true` / `new Koa({ proxy: true })`, Fastify
 * `fastify({ trustProxy })`, and TLS terminated in the app itself (`https.createServer`, Fastify `https`).
 * All as `setting` facts (framework 'express' | 'koa' | 'fastify' | 'node'), each with the app it applies to
 * when the file creates that app (`detail.app`): one app's trust never covers another app's cookies.
 * The apps a file creates (`express()`, `new Koa()`, `fastify()`) are `js-app` facts.
 */
import type { SgNode } from '@ast-grep/napi';
import type { CodeFact } from '../types.js';
import { args, keyName, memberChain, stringValue, unwrap, type JsFile, type Val } from './context.js';
import { flattenOptions } from './facts.js';

export const APP_KEY = 'js-app';
const APP_MODULES = ['express', 'koa', 'fastify'];

/** What a transport or session fact carries about the app it applies to. */
export interface AppDetail {
  /** `line:column` of the `express()` / `new Koa()` / `fastify()` call that created the app, in the same file. */
  app?: string;
}

function appCreation(ctx: JsFile, node: SgNode): SgNode | null {
  const o = ctx.origin(node);
  if (!o || (o.kind !== 'call' && o.kind !== 'new') || !o.of || o.of.kind !== 'module') return null;
  if (!APP_MODULES.includes(o.of.ref.module)) return null;
  const p = o.of.ref.path;
  if (p.length > 1 || (p.length === 1 && !['default', 'fastify', 'Fastify', 'Koa'].includes(p[0])))
    return null;
  return o.node;
}

/** The app (created in this file) that `node` (`app`, `this.app`, `server`) refers to, as `line:column`. */
export function appOf(ctx: JsFile, node: SgNode | null | undefined): string | undefined {
  if (!node) return undefined;
  const created = appCreation(ctx, unwrap(node));
  if (!created) return undefined;
  const l = ctx.loc(created);
  return `${l.line}:${l.column}`;
}

/** The receiver of a method call (`app` in `app.use(...)`), or null. */
export function receiverOf(call: SgNode): SgNode | null {
  const fn = call.field('function');
  return fn && fn.kind() === 'member_expression' ? fn.field('object') : null;
}

function setting(
  ctx: JsFile,
  framework: string,
  key: string,
  val: Val,
  site: SgNode,
  app?: string,
): CodeFact {
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
  const detail: AppDetail = app ? { app } : {};
  return {
    type: 'setting',
    framework,
    key,
    value,
    location: ctx.loc(site),
    evidence: ctx.evidence(site),
    ...(app ? { detail } : {}),
  };
}

export function detectTransport(ctx: JsFile): CodeFact[] {
  const out: CodeFact[] = [];
  /** The `express()` / `new Koa()` / `fastify()` calls of this file. */
  const apps: SgNode[] = [];

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
    out.push(setting(ctx, 'express', 'trust proxy', val, call, appOf(ctx, receiverOf(call))));
  }

  // Koa: new Koa({ proxy: true }); app.proxy = true
  const koaFile = ctx.importsAny(['koa']);
  if (koaFile) {
    for (const call of ctx.callsTo(['koa'], [[], ['Koa'], ['default']], true)) {
      apps.push(call);
      const opts = args(call)[0];
      if (!opts) continue;
      for (const f of flattenOptions(ctx.evaluate(opts), ['proxy'], call))
        out.push(setting(ctx, 'koa', 'proxy', f.val, f.site, appOf(ctx, call)));
    }
    for (const assign of ctx.candidates('assignment_expression')) {
      const chain = memberChain(assign.field('left') as SgNode);
      if (!chain || chain.path[chain.path.length - 1] !== 'proxy') continue;
      out.push(
        setting(
          ctx,
          'koa',
          'proxy',
          ctx.evaluate(assign.field('right') as SgNode),
          assign,
          appOf(ctx, chain.root),
        ),
      );
    }
  }

  // Fastify: fastify({ trustProxy, https, http2 }) (fastify docs: Server options)
  if (ctx.importsAny(['fastify'])) {
    for (const call of ctx.callsTo(['fastify'], [[], ['fastify'], ['default'], ['Fastify']])) {
      apps.push(call);
      const opts = args(call)[0];
      if (!opts) continue;
      for (const f of flattenOptions(ctx.evaluate(opts), ['trustProxy', 'https'], call)) {
        if (f.key === 'https') {
          const tls = f.val.t === 'obj' || (f.val.t === 'lit' && f.val.v !== null && f.val.v !== false);
          if (tls)
            out.push(
              setting(
                ctx,
                'node',
                'https-server',
                { t: 'lit', v: true, node: f.site },
                f.site,
                appOf(ctx, call),
              ),
            );
        } else out.push(setting(ctx, 'fastify', 'trustProxy', f.val, f.site, appOf(ctx, call)));
      }
    }
  }

  // TLS in the app itself: https.createServer(...), http2.createSecureServer(...)
  const tlsModules = ['https', 'node:https', 'http2', 'node:http2', 'spdy'];
  if (ctx.importsAny(tlsModules)) {
    for (const call of ctx.callsTo(tlsModules, [['createServer'], ['createSecureServer']])) {
      // https.createServer(options, app): TLS for that app; a request listener that is no app of this file: the package's
      const app = args(call)
        .map((a) => appOf(ctx, a))
        .find((x) => x !== undefined);
      out.push(setting(ctx, 'node', 'https-server', { t: 'lit', v: true, node: call }, call, app));
    }
  }
  // the apps this file creates: a cookie of another app is never covered by their trust
  if (ctx.importsAny(['express'])) {
    const locals = ctx.localNamesFor(['express']);
    const usual = locals.every((l) => l === 'express');
    const calls = usual ? ctx.candidates('call_expression') : ctx.callsTo(['express'], [[], ['default']]);
    for (const call of calls) {
      const ref = ctx.moduleRef(call.field('function') as SgNode);
      if (ref && ref.module === 'express' && ref.path.length === 0) apps.push(call);
    }
  }
  for (const call of apps) {
    const ref = ctx.moduleRef((call.field('function') ?? call.field('constructor')) as SgNode);
    out.push({
      type: 'other',
      framework: ref?.module ?? 'express',
      key: APP_KEY,
      data: { app: `${ctx.loc(call).line}:${ctx.loc(call).column}` },
      location: ctx.loc(call),
      evidence: ctx.evidence(call),
    });
  }
  return out;
}
