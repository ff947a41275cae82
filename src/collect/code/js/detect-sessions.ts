/**
 * Session middleware configurations: express-session, cookie-session, koa-session, @fastify/session,
 * @fastify/secure-session, iron-session, NextAuth / Auth.js. Each produces a `session-enabled` fact and
 * `setting` facts for the cookie options it sets (see facts.ts); defaults are applied by the resolver.
 */
import type { SgNode } from '@ast-grep/napi';
import type { CodeFact } from '../types.js';
import { args, keyName, unwrap, type JsFile, type Val } from './context.js';
import { sessionFacts } from './facts.js';
import { appOf, receiverOf } from './detect-transport.js';

const COOKIE_ATTRS = [
  'secure',
  'httpOnly',
  'sameSite',
  'domain',
  'path',
  'maxAge',
  'expires',
  'partitioned',
] as const;
const under = (prefix: string) => COOKIE_ATTRS.map((a) => `${prefix}.${a}`);

export const EXPRESS_SESSION_KEYS = ['name', 'key', 'proxy', ...under('cookie')];
export const COOKIE_SESSION_KEYS = ['name', 'secureProxy', ...COOKIE_ATTRS];
export const KOA_SESSION_KEYS = ['key', ...COOKIE_ATTRS];
export const FASTIFY_SESSION_KEYS = ['cookieName', 'cookiePrefix', ...under('cookie')];
export const SECURE_SESSION_KEYS = [
  'cookieName',
  'sessionName',
  ...under('cookie'),
  ...under('cookieOptions'),
];
export const IRON_SESSION_KEYS = ['cookieName', 'ttl', ...under('cookieOptions')];
export const NEXT_AUTH_KEYS = [
  'useSecureCookies',
  'session.maxAge',
  'session.strategy',
  'cookies.sessionToken.name',
  ...under('cookies.sessionToken.options'),
];

/** `app.use(session(...))` -> the `app.use(...)` call; otherwise the call itself. */
export function enablingNode(call: SgNode): SgNode {
  const argList = call.parent();
  const outer = argList?.parent();
  if (argList?.kind() === 'arguments' && outer?.kind() === 'call_expression') {
    const fn = outer.field('function');
    if (
      fn &&
      fn.kind() === 'member_expression' &&
      /^(use|register)$/.test(keyName(fn.field('property')) ?? '')
    )
      return outer;
  }
  return call;
}

function evalArg(ctx: JsFile, call: SgNode, i: number): Val {
  const a = args(call)[i];
  return a ? ctx.evaluate(a) : { t: 'absent' };
}

export function detectSessions(ctx: JsFile, consumed: Set<number>): CodeFact[] {
  const out: CodeFact[] = [];

  // express-session: session(options) (expressjs/session index.js)
  if (ctx.importsAny(['express-session'])) {
    for (const call of ctx.callsTo(['express-session'], [[]])) {
      const enable = enablingNode(call);
      out.push(
        ...sessionFacts(ctx, {
          framework: 'express-session',
          enable,
          app: enable === call ? undefined : appOf(ctx, receiverOf(enable)),
          options: evalArg(ctx, call, 0),
          allowed: EXPRESS_SESSION_KEYS,
          nameKeys: ['name', 'key'],
          autoAware: true,
          guard: ctx.guardOf(enable, null, true),
        }),
      );
    }
  }

  // cookie-session: cookieSession(options), flat options (expressjs/cookie-session index.js)
  if (ctx.importsAny(['cookie-session'])) {
    for (const call of ctx.callsTo(['cookie-session'], [[]])) {
      const enable = enablingNode(call);
      out.push(
        ...sessionFacts(ctx, {
          framework: 'cookie-session',
          enable,
          app: enable === call ? undefined : appOf(ctx, receiverOf(enable)),
          options: evalArg(ctx, call, 0),
          allowed: COOKIE_SESSION_KEYS,
          nameKeys: ['name'],
          guard: ctx.guardOf(enable, null, true),
        }),
      );
    }
  }

  // koa-session: session(opts, app) or session(app, opts) (koajs/session src/index.ts)
  if (ctx.importsAny(['koa-session'])) {
    for (const call of ctx.callsTo(['koa-session'], [[], ['createSession']])) {
      const a = args(call);
      let options: Val = { t: 'absent' };
      const app = a.map((arg) => appOf(ctx, arg)).find((x) => x !== undefined);
      for (const arg of a) {
        const v = ctx.evaluate(arg);
        if (v.t === 'obj' && !isKoaApp(ctx, arg)) {
          options = v;
          break;
        }
        if (v.t === 'unknown' && unwrap(arg).kind() !== 'identifier') options = v;
      }
      const enable = enablingNode(call);
      out.push(
        ...sessionFacts(ctx, {
          framework: 'koa-session',
          enable,
          app,
          options,
          allowed: KOA_SESSION_KEYS,
          nameKeys: ['key'],
          guard: ctx.guardOf(enable, null, true),
        }),
      );
    }
  }

  // @fastify/session, @fastify/secure-session: fastify.register(plugin, options)
  const fastifySessionMods = ['@fastify/session', 'fastify-session'];
  const secureSessionMods = ['@fastify/secure-session', 'fastify-secure-session'];
  if (ctx.importsAny([...fastifySessionMods, ...secureSessionMods])) {
    for (const call of ctx.methodCalls(['register'])) {
      const a = args(call);
      if (a.length === 0) continue;
      const ref = ctx.moduleRef(a[0]);
      if (!ref) continue;
      const options = a[1] ? ctx.evaluate(a[1]) : ({ t: 'absent' } as Val);
      if (fastifySessionMods.includes(ref.module)) {
        out.push(
          ...sessionFacts(ctx, {
            framework: 'fastify',
            api: '@fastify/session',
            enable: call,
            app: appOf(ctx, receiverOf(call)),
            options,
            allowed: FASTIFY_SESSION_KEYS,
            nameKeys: ['cookieName'],
            autoAware: true,
            guard: ctx.guardOf(call, null, true),
            defaultName: 'sessionId',
          }),
        );
      } else if (secureSessionMods.includes(ref.module)) {
        const list = options.t === 'arr' ? options.items : [options];
        for (const [index, item] of list.entries()) {
          out.push(
            ...sessionFacts(ctx, {
              framework: 'fastify',
              api: '@fastify/secure-session',
              enable: call,
              app: appOf(ctx, receiverOf(call)),
              options: item,
              allowed: SECURE_SESSION_KEYS,
              nameKeys: ['cookieName', 'sessionName'],
              autoAware: true,
              guard: ctx.guardOf(call, null, true),
              defaultName: 'session',
              index,
            }),
          );
        }
      }
    }
  }

  // iron-session: getIronSession(req, res, options) / getIronSession(cookies(), options) (v8);
  // withIronSessionApiRoute / withIronSessionSsr (iron-session/next, v6-7); ironSession(options) (iron-session/express)
  const ironMods = ['iron-session', 'iron-session/next', 'iron-session/express', 'iron-session/edge'];
  if (ctx.importsAny(['iron-session'])) {
    for (const call of ctx.callsTo(ironMods, [
      ['getIronSession'],
      ['withIronSessionApiRoute'],
      ['withIronSessionSsr'],
      ['ironSession'],
    ])) {
      const a = args(call);
      const last = a[a.length - 1];
      if (!last) continue;
      const target = optionsDeclaration(ctx, last);
      const v = ctx.evaluate(last);
      if (v.t === 'unknown' && v.ref) continue; // options imported: judged where they are declared
      if (target) {
        if (consumed.has(target.id())) continue;
        consumed.add(target.id());
      }
      out.push(
        ...sessionFacts(ctx, {
          framework: 'iron-session',
          enable: call,
          options: v,
          allowed: IRON_SESSION_KEYS,
          nameKeys: ['cookieName'],
          guard: ctx.guardOf(call, null, true),
        }),
      );
    }
    for (const { node, value } of annotatedObjects(
      ctx,
      ['SessionOptions', 'IronSessionOptions', 'IronSessionConfig'],
      ironMods,
    )) {
      if (consumed.has(node.id())) continue;
      consumed.add(node.id());
      out.push(
        ...sessionFacts(ctx, {
          framework: 'iron-session',
          enable: node,
          options: ctx.evaluate(value),
          allowed: IRON_SESSION_KEYS,
          nameKeys: ['cookieName'],
          guard: ctx.guardOf(node, null, true),
        }),
      );
    }
  }

  // NextAuth / Auth.js: NextAuth(options), ExpressAuth(options), Auth(request, options)
  const authMods = ['next-auth', '@auth/core', '@auth/express', '@auth/nextjs'];
  if (ctx.importsAny(['next-auth', '@auth'])) {
    const authjs = ctx.importsAny(['@auth']) || usesNextAuthV5(ctx);
    const defaultName = authjs ? 'authjs.session-token' : 'next-auth.session-token';
    for (const call of ctx.callsTo(authMods, [[], ['NextAuth'], ['ExpressAuth'], ['Auth']])) {
      const a = args(call);
      const ref = ctx.moduleRef(call.field('function') as SgNode);
      const optNode = ref && ref.path[0] === 'Auth' ? a[1] : a[0];
      if (!optNode) continue;
      const kind = unwrap(optNode).kind();
      if (kind === 'arrow_function' || kind === 'function_expression') continue; // lazy initialisation
      const v = ctx.evaluate(optNode);
      if (v.t === 'unknown' && v.ref) continue;
      const target = optionsDeclaration(ctx, optNode);
      if (target) {
        if (consumed.has(target.id())) continue;
        consumed.add(target.id());
      }
      out.push(
        ...sessionFacts(ctx, {
          framework: 'next-auth',
          enable: call,
          options: v,
          allowed: NEXT_AUTH_KEYS,
          nameKeys: ['cookies.sessionToken.name'],
          guard: ctx.guardOf(call, null, true),
          defaultName,
        }),
      );
    }
    for (const { node, value } of annotatedObjects(
      ctx,
      ['NextAuthOptions', 'AuthOptions', 'NextAuthConfig', 'AuthConfig'],
      authMods,
    )) {
      if (consumed.has(node.id())) continue;
      consumed.add(node.id());
      out.push(
        ...sessionFacts(ctx, {
          framework: 'next-auth',
          enable: node,
          options: ctx.evaluate(value),
          allowed: NEXT_AUTH_KEYS,
          nameKeys: ['cookies.sessionToken.name'],
          guard: ctx.guardOf(node, null, true),
          defaultName,
        }),
      );
    }
  }
  return out;
}

function isKoaApp(ctx: JsFile, node: SgNode): boolean {
  const o = ctx.origin(node);
  return !!o && o.kind === 'new' && !!o.of && o.of.kind === 'module' && o.of.ref.module === 'koa';
}

/** The variable declarator an options argument refers to (to avoid judging it twice). */
function optionsDeclaration(ctx: JsFile, node: SgNode): SgNode | null {
  const n = unwrap(node);
  if (n.kind() !== 'identifier') return null;
  const b = ctx.resolveName(n.text(), n);
  return b && b.kind === 'decl' ? b.decl : null;
}

/**
 * Objects declared with a library's options type: `const o: SessionOptions = {...}`,
 * `{...} satisfies NextAuthConfig`, `export default {...} as AuthOptions`.
 */
function annotatedObjects(
  ctx: JsFile,
  typeNames: readonly string[],
  modules: readonly string[],
): { node: SgNode; value: SgNode }[] {
  const locals = [...ctx.imports]
    .filter(([, b]) => modules.includes(b.module) && typeNames.includes(b.name))
    .map(([l]) => l);
  if (locals.length === 0 || !ctx.ts) return [];
  const re = `^:?\\s*(?:${locals.join('|')})$`;
  const out: { node: SgNode; value: SgNode }[] = [];
  for (const decl of ctx.root.findAll({
    rule: { kind: 'variable_declarator', has: { field: 'type', regex: re } },
  })) {
    const value = decl.field('value');
    if (value && unwrap(value).kind() === 'object') out.push({ node: decl, value });
  }
  for (const kind of ['satisfies_expression', 'as_expression']) {
    for (const e of ctx.root.findAll({ rule: { kind } })) {
      const kids = e.namedChildren();
      const type = kids[kids.length - 1];
      if (!type || !locals.includes(type.text())) continue;
      const value = kids[0];
      if (!value || unwrap(value).kind() !== 'object') continue;
      const parent = e.parent();
      const node = parent && parent.kind() === 'variable_declarator' ? parent : e;
      out.push({ node, value });
    }
  }
  return out;
}

/** next-auth v5 (Auth.js): `const { handlers, auth } = NextAuth(...)` or the NextAuthConfig type. */
function usesNextAuthV5(ctx: JsFile): boolean {
  for (const [, b] of ctx.imports) if (b.module === 'next-auth' && b.name === 'NextAuthConfig') return true;
  return ctx.root
    .findAll({
      rule: {
        kind: 'variable_declarator',
        has: { field: 'name', kind: 'object_pattern', regex: '\\bhandlers\\b' },
      },
    })
    .some((d) => {
      const v = d.field('value');
      return !!v && /^NextAuth\s*\(/.test(unwrap(v).text());
    });
}
