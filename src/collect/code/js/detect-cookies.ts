/**
 * Cookies set directly by code: Express `res.cookie`, Fastify `reply.setCookie`, Koa `ctx.cookies.set`,
 * Next.js `cookies().set` / `response.cookies.set`, Hono `setCookie`, `cookie.serialize`, raw Set-Cookie
 * header strings; and by browser-side code: `document.cookie = ...`, js-cookie, jquery.cookie,
 * universal-cookie / react-cookie, ngx-cookie-service.
 */
import type { SgNode } from '@ast-grep/napi';
import type { CodeFact } from '../types.js';
import {
  args,
  asObject,
  keyName,
  memberChain,
  stringValue,
  unwrap,
  type JsFile,
  type Val,
  type Origin,
} from './context.js';
import { cookieSetFact, cookieStringFact, flattenOptions, type FlatOption } from './facts.js';

const ATTRS = ['secure', 'httpOnly', 'sameSite', 'domain', 'path', 'maxAge', 'expires', 'partitioned'];
const KOA_MODULES = ['koa', '@koa/router', 'koa-router', 'koa-session', 'egg', '@midwayjs/koa'];
const RESPONSE_NAMES = /^(res|response|resp|reply|rep)$/;
const FASTIFY_REPLY = /^(reply|rep)$/;

/** Which server framework a file belongs to, for raw Set-Cookie strings (fix advice only). */
function fileFramework(ctx: JsFile): string {
  if (ctx.importsAny(['hono'])) return 'hono';
  if (ctx.importsAny(['next'])) return 'next';
  if (ctx.importsAny(['fastify', '@fastify/cookie'])) return 'fastify';
  if (ctx.importsAny(KOA_MODULES)) return 'koa';
  return 'express';
}

/** Is `receiver` an HTTP response object (a handler parameter, `res`, `ctx.res` ...), not any object? */
function isResponse(ctx: JsFile, receiver: SgNode): boolean {
  const n = unwrap(receiver);
  if (n.kind() === 'member_expression') {
    const p = keyName(n.field('property'));
    return p !== null && RESPONSE_NAMES.test(p);
  }
  if (n.kind() !== 'identifier') return false;
  const name = n.text();
  const o = ctx.origin(n);
  if (o && o.kind === 'param') return RESPONSE_NAMES.test(name) || isResponseParam(o);
  const b = ctx.resolveName(name, n);
  if (!b) return RESPONSE_NAMES.test(name) && !ctx.imports.has(name);
  if (b.kind === 'decl' && b.value) {
    // const res = ctx.res / const reply = this.reply
    const v = unwrap(b.value);
    if (v.kind() === 'member_expression') {
      const p = keyName(v.field('property'));
      return p !== null && RESPONSE_NAMES.test(p);
    }
  }
  return false;
}

function isResponseParam(o: Extract<Origin, { kind: 'param' }>): boolean {
  if (o.type && /\b(Response|ServerResponse|Reply|FastifyReply)\b/.test(o.type)) return true;
  // (req, res[, next]) handler passed to a call: app.get('/', (req, res) => ...), router.use(function (q, s) {...})
  if (o.index !== 1) return false;
  const parent = o.fn.parent();
  return parent?.kind() === 'arguments';
}

function objectArg(ctx: JsFile, a: SgNode | undefined): Val | null {
  return a ? ctx.evaluate(a) : null;
}

export function detectServerCookies(ctx: JsFile): CodeFact[] {
  const out: CodeFact[] = [];
  const fastifyFile = ctx.importsAny(['fastify', '@fastify/cookie']);

  // Express res.cookie(name, value, options) (express lib/response.js); @fastify/cookie's reply.cookie alias
  for (const call of ctx.methodCalls(['cookie'])) {
    const fn = call.field('function') as SgNode;
    const receiver = fn.field('object') as SgNode;
    const a = args(call);
    if (a.length < 2 || !isResponse(ctx, receiver)) continue;
    const recvName = unwrap(receiver).text();
    const framework =
      FASTIFY_REPLY.test(recvName) || (fastifyFile && !ctx.importsAny(['express'])) ? 'fastify' : 'express';
    out.push(
      cookieSetFact(ctx, {
        framework,
        api: framework === 'fastify' ? 'reply.setCookie' : 'res.cookie',
        call,
        nameNode: a[0],
        valueNode: a[1],
        options: objectArg(ctx, a[2]),
        allowed: ATTRS,
        setBy: 'server',
        autoAware: framework === 'fastify',
      }),
    );
  }

  // Fastify reply.setCookie(name, value, options) (@fastify/cookie plugin.js)
  for (const call of ctx.methodCalls(['setCookie'])) {
    const fn = call.field('function') as SgNode;
    const a = args(call);
    if (a.length < 2 || !isResponse(ctx, fn.field('object') as SgNode)) continue;
    out.push(
      cookieSetFact(ctx, {
        framework: 'fastify',
        api: 'reply.setCookie',
        call,
        nameNode: a[0],
        valueNode: a[1],
        options: objectArg(ctx, a[2]),
        allowed: ATTRS,
        setBy: 'server',
        autoAware: true,
      }),
    );
  }

  // X.cookies.set(...) (Koa ctx.cookies, Next response.cookies) and cookies().set(...) (next/headers)
  const storeCalls = ctx.methodCalls(['set'], { receiver: /\.cookies$/ });
  if (ctx.importsAny(['next/headers'])) {
    const seen = new Set(storeCalls.map((c) => c.id()));
    for (const c of ctx.methodCalls(['set'], { full: true })) if (!seen.has(c.id())) storeCalls.push(c);
  }
  for (const call of storeCalls) {
    const fn = call.field('function') as SgNode;
    const receiver = unwrap(fn.field('object') as SgNode);
    const framework = cookieStoreFramework(ctx, receiver);
    if (framework !== 'koa' && framework !== 'next') continue;
    const a = args(call);
    if (a.length === 0) continue;
    if (framework === 'next' && a.length === 1) {
      // cookies().set({ name, value, ...options })
      const obj = ctx.evaluate(a[0]);
      if (obj.t !== 'obj') continue;
      const nameProp = obj.props.get('name');
      const valueProp = obj.props.get('value');
      out.push(
        cookieSetFact(ctx, {
          framework,
          api: 'cookies().set',
          call,
          nameNode: nameProp ? nameValueNode(nameProp.site) : null,
          valueNode: valueProp ? nameValueNode(valueProp.site) : null,
          options: obj,
          allowed: ATTRS,
          setBy: 'server',
        }),
      );
      continue;
    }
    let valueNode: SgNode | null = a[1] ?? null;
    if (valueNode && framework === 'koa') {
      const v = ctx.evaluate(valueNode);
      if (v.t === 'lit' && (v.v === null || v.v === '')) valueNode = null; // set(name, null) deletes
    }
    out.push(
      cookieSetFact(ctx, {
        framework,
        api: framework === 'koa' ? 'ctx.cookies.set' : 'cookies().set',
        call,
        nameNode: a[0],
        valueNode,
        options: objectArg(ctx, a[2]),
        allowed: ATTRS,
        setBy: 'server',
      }),
    );
  }

  // Hono setCookie(c, name, value, opt) / setSignedCookie(c, name, value, secret, opt) (hono src/helper/cookie)
  if (ctx.importsAny(['hono'])) {
    for (const call of ctx.callsTo(['hono/cookie'], [['setCookie'], ['setSignedCookie']])) {
      const a = args(call);
      const ref = ctx.moduleRef(call.field('function') as SgNode);
      const optIndex = ref?.path[0] === 'setSignedCookie' ? 4 : 3;
      if (a.length < 3) continue;
      out.push(
        cookieSetFact(ctx, {
          framework: 'hono',
          api: 'setCookie',
          call,
          nameNode: a[1],
          valueNode: a[2],
          options: objectArg(ctx, a[optIndex]),
          allowed: [...ATTRS, 'prefix'],
          setBy: 'server',
        }),
      );
    }
  }

  // cookie.serialize(name, value, options) (jshttp/cookie)
  if (ctx.importsAny(['cookie'])) {
    for (const call of ctx.callsTo(['cookie'], [['serialize']])) {
      const a = args(call);
      if (a.length < 2) continue;
      const script = isDocumentCookieValue(call);
      out.push(
        cookieSetFact(ctx, {
          framework: script ? 'browser-js' : fileFramework(ctx),
          api: 'cookie.serialize',
          call,
          nameNode: a[0],
          valueNode: a[1],
          options: objectArg(ctx, a[2]),
          allowed: ATTRS,
          setBy: script ? 'script' : 'server',
        }),
      );
    }
  }

  // raw Set-Cookie headers: res.setHeader('Set-Cookie', ...), headers.append('set-cookie', ...), c.header(...)
  for (const call of ctx.methodCalls(['setHeader', 'appendHeader', 'append', 'set', 'header'], {
    firstArg: /^['"`]set-cookie['"`]$/i,
  })) {
    const a = args(call);
    if (a.length < 2 || (stringValue(a[0]) ?? '').toLowerCase() !== 'set-cookie') continue;
    out.push(...headerValueFacts(ctx, fileFramework(ctx), call, a[1]));
  }
  // { 'Set-Cookie': ... } in writeHead / new Response / NextResponse headers
  for (const pair of ctx.candidates('pair')) {
    const key = keyName(pair.field('key'));
    const value = pair.field('value');
    if (!key || key.toLowerCase() !== 'set-cookie' || !value) continue;
    out.push(...headerValueFacts(ctx, fileFramework(ctx), pair, value));
  }
  return out;
}

function nameValueNode(site: SgNode): SgNode | null {
  if (site.kind() === 'pair') return site.field('value');
  return site; // shorthand property: the identifier itself
}

/** Which framework a cookie store receiver belongs to: `ctx.cookies` (Koa), `cookies()` / `res.cookies` (Next). */
function cookieStoreFramework(ctx: JsFile, receiver: SgNode): 'koa' | 'next' | 'browser-js' | null {
  const o = ctx.origin(receiver);
  if (
    o &&
    o.kind === 'call' &&
    o.of &&
    o.of.kind === 'module' &&
    o.of.ref.module === 'next/headers' &&
    o.of.ref.path[0] === 'cookies'
  )
    return 'next';
  if (
    o &&
    o.kind === 'new' &&
    o.of &&
    o.of.kind === 'module' &&
    ['universal-cookie', 'react-cookie'].includes(o.of.ref.module)
  )
    return 'browser-js';
  if (receiver.kind() !== 'member_expression' || keyName(receiver.field('property')) !== 'cookies')
    return null;
  const owner = unwrap(receiver.field('object') as SgNode);
  const oo = ctx.origin(owner);
  if (
    oo &&
    (oo.kind === 'call' || oo.kind === 'new') &&
    oo.of &&
    oo.of.kind === 'module' &&
    oo.of.ref.module === 'next/server'
  )
    return 'next';
  if (oo && oo.kind === 'param' && oo.type && /NextResponse/.test(oo.type)) return 'next';
  const koa = ctx.importsAny(KOA_MODULES);
  const next = ctx.importsAny(['next']);
  const ownerName =
    owner.kind() === 'member_expression'
      ? (keyName(owner.field('property')) ?? '')
      : owner.kind() === 'this'
        ? 'this'
        : owner.text();
  // ctx.cookies is Koa's (also in middleware files that never import koa); this.cookies only in Koa 1 / Egg
  if (/^(ctx|context)$/.test(ownerName) && (koa || !next)) return 'koa';
  if (ownerName === 'this' && koa) return 'koa';
  if (oo && oo.kind === 'param' && koa) return 'koa';
  if (next && /^(res|response)$/.test(ownerName)) return 'next';
  return null;
}

function isDocumentCookieValue(node: SgNode): boolean {
  const parent = node.parent();
  if (!parent || parent.kind() !== 'assignment_expression') return false;
  const left = parent.field('left');
  return !!left && isDocumentCookie(left);
}

function isDocumentCookie(node: SgNode): boolean {
  const chain = memberChain(node);
  if (!chain) return false;
  const full = [chain.root.text(), ...chain.path];
  const i = full.lastIndexOf('document');
  return (
    i >= 0 &&
    i === full.length - 2 &&
    full[full.length - 1] === 'cookie' &&
    (i === 0 || /^(window|globalThis|self)$/.test(full[0]))
  );
}

function headerValueFacts(ctx: JsFile, framework: string, at: SgNode, value: SgNode): CodeFact[] {
  const v = unwrap(value);
  const items = v.kind() === 'array' ? v.namedChildren().filter((c) => c.kind() !== 'comment') : [v];
  const out: CodeFact[] = [];
  for (const item of items) {
    const i = unwrap(item);
    if (i.kind() === 'call_expression' || i.kind() === 'spread_element') continue; // serialize(...) is judged on its own
    if (i.kind() === 'identifier') {
      const val = ctx.evaluate(i);
      if (val.t !== 'lit') continue;
    }
    const f = cookieStringFact(ctx, framework, 'Set-Cookie header', at, i, 'server');
    if (f) out.push(f);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// browser-side code

/**
 * @nuxtjs/auth and @nuxtjs/auth-next, configured in nuxt.config: the module keeps the logged-in
 * user's token in cookies named `<prefix>_token.<strategy>` (and the refresh token beside it), written
 * by its storage with `auth.cookie.options` (nuxt-community/auth-module src/core/storage.ts
 * setCookie: cookie.serialize with the options given; defaults { prefix: 'auth.', options: { path:
 * '/' } }: no Secure). `cookie: false` keeps tokens out of cookies.
 */
function nuxtAuthCookies(ctx: JsFile): CodeFact[] {
  if (!/(^|\/)nuxt\.config\.[cm]?[jt]s$/.test(ctx.file) || !ctx.mentions('strategies')) return [];
  const out: CodeFact[] = [];
  const pairs = ctx.root.findAll({
    rule: { kind: 'pair', has: { field: 'key', regex: '^["\']?auth["\']?$' } },
  });
  for (const pair of pairs) {
    if (keyName(pair.field('key')) !== 'auth') continue;
    const value = pair.field('value');
    if (!value) continue;
    const auth = asObject(ctx.evaluate(value));
    if (!auth || !auth.props.has('strategies')) continue;
    const cookie = auth.props.get('cookie');
    if (cookie && cookie.val.t === 'lit' && cookie.val.v === false) continue;
    const cookieObj = cookie ? asObject(cookie.val) : null;
    const prefixVal = cookieObj?.props.get('prefix')?.val;
    const prefix =
      prefixVal && prefixVal.t === 'lit' && typeof prefixVal.v === 'string' ? prefixVal.v : 'auth.';
    const options = cookieObj?.props.get('options')?.val ?? null;
    out.push(
      cookieSetFact(ctx, {
        framework: 'nuxt-auth',
        api: 'nuxt-auth',
        call: cookie?.site ?? pair,
        nameNode: null,
        name: `${prefix}_token.<strategy>`,
        valueNode: null,
        valueByLibrary: true,
        options,
        allowed: ATTRS,
        setBy: 'script',
      }),
    );
  }
  return out;
}

/** A browser library's `set(name, value, options)` call: a cookie written by script (null without a value). */
function scriptWrite(ctx: JsFile, api: string, call: SgNode): CodeFact | null {
  const a = args(call);
  if (a.length < 2) return null;
  return cookieSetFact(ctx, {
    framework: 'browser-js',
    api,
    call,
    nameNode: a[0],
    valueNode: a[1],
    options: objectArg(ctx, a[2]),
    allowed: ATTRS,
    setBy: 'script',
  });
}

export function detectBrowserCookies(ctx: JsFile): CodeFact[] {
  const out: CodeFact[] = [...nuxtAuthCookies(ctx)];

  // document.cookie = '...'
  for (const assign of ctx.candidates('assignment_expression', 'augmented_assignment_expression')) {
    const left = assign.field('left');
    const right = assign.field('right');
    if (!left || !right || !isDocumentCookie(left)) continue;
    const r = unwrap(right);
    if (r.kind() === 'call_expression' && ctx.moduleRef(r.field('function') as SgNode)?.module === 'cookie')
      continue;
    const f = cookieStringFact(ctx, 'browser-js', 'document.cookie', assign, right, 'script');
    if (f) out.push(f);
  }

  // js-cookie: Cookies.set(name, value, attributes) (attributes: expires in days, path, domain, secure, sameSite)
  const jsCookieCalls = ctx.importsAny(['js-cookie']) ? ctx.callsTo(['js-cookie'], [['set']]) : [];
  const jqueryCalls: SgNode[] = [];
  // the global from a <script> tag, and jquery.cookie's $.cookie(name, value, options)
  for (const call of ctx.methodCalls(['set', 'cookie'], { receiver: /^(?:Cookies|\$|jQuery)$/ })) {
    const fn = call.field('function') as SgNode;
    const obj = unwrap(fn.field('object') as SgNode);
    const method = keyName(fn.field('property'));
    if (obj.kind() !== 'identifier') continue;
    const name = obj.text();
    const isGlobal = ctx.resolveName(name, obj) === null;
    if (!isGlobal) continue;
    if (method === 'set' && name === 'Cookies') jsCookieCalls.push(call);
    else if (method === 'cookie' && /^(\$|jQuery)$/.test(name)) jqueryCalls.push(call);
  }
  for (const [api, calls] of [
    ['js-cookie', jsCookieCalls],
    ['jquery.cookie', jqueryCalls],
  ] as const)
    for (const call of calls) {
      const f = scriptWrite(ctx, api, call);
      if (f) out.push(f);
    }

  // universal-cookie: new Cookies().set(name, value, options) (also via react-cookie's Cookies)
  const universal = ctx.importsAny(['universal-cookie', 'react-cookie'])
    ? ctx.methodCalls(['set'], { full: true })
    : [];
  for (const call of universal) {
    const fn = call.field('function') as SgNode;
    const receiver = unwrap(fn.field('object') as SgNode);
    if (cookieStoreFramework(ctx, receiver) !== 'browser-js') continue;
    const f = scriptWrite(ctx, 'universal-cookie', call);
    if (f) out.push(f);
  }

  // react-cookie: const [cookies, setCookie] = useCookies([...]); setCookie(name, value, options)
  if (ctx.importsAny(['react-cookie'])) {
    for (const call of ctx.root.findAll({
      rule: { kind: 'call_expression', has: { field: 'function', kind: 'identifier' } },
    })) {
      const fn = call.field('function') as SgNode;
      const b = ctx.resolveName(fn.text(), fn);
      if (!b || b.kind !== 'decl' || b.arrayIndex !== 1 || !b.value) continue;
      const o = ctx.origin(b.value);
      if (
        !o ||
        o.kind !== 'call' ||
        !o.of ||
        o.of.kind !== 'module' ||
        o.of.ref.module !== 'react-cookie' ||
        o.of.ref.path[0] !== 'useCookies'
      )
        continue;
      const f = scriptWrite(ctx, 'universal-cookie', call);
      if (f) out.push(f);
    }
  }

  // ngx-cookie-service: this.cookieService.set(name, value, options | expires, path, domain, secure, sameSite)
  if (ctx.importsAny(['ngx-cookie-service', 'ngx-cookie-service-ssr'])) {
    const serviceTypes = [...ctx.imports]
      .filter(([, b]) => b.module.startsWith('ngx-cookie-service') && /CookieService$/.test(b.name))
      .map(([l]) => l);
    const services = ngxServiceProperties(ctx, serviceTypes);
    for (const call of ctx.methodCalls(['set'], { full: true })) {
      const fn = call.field('function') as SgNode;
      const chain = memberChain(fn.field('object') as SgNode);
      if (!chain) continue;
      const prop =
        chain.root.kind() === 'this' && chain.path.length === 1
          ? chain.path[0]
          : chain.path.length === 0
            ? chain.root.text()
            : null;
      if (!prop || !services.has(prop)) continue;
      const a = args(call);
      if (a.length < 2) continue;
      const third = a[2] ? ctx.evaluate(a[2]) : null;
      if (third && third.t === 'obj') {
        out.push(
          cookieSetFact(ctx, {
            framework: 'browser-js',
            api: 'ngx-cookie-service',
            call,
            nameNode: a[0],
            valueNode: a[1],
            options: third,
            allowed: ATTRS,
            setBy: 'script',
          }),
        );
        continue;
      }
      const positional = ['expires', 'path', 'domain', 'secure', 'sameSite'];
      const extra: FlatOption[] = [];
      positional.forEach((key, i) => {
        const node = a[2 + i];
        if (node) extra.push({ key, val: ctx.evaluate(node), site: node });
      });
      out.push(
        cookieSetFact(ctx, {
          framework: 'browser-js',
          api: 'ngx-cookie-service',
          call,
          nameNode: a[0],
          valueNode: a[1],
          options: null,
          allowed: ATTRS,
          setBy: 'script',
          extra,
        }),
      );
    }
  }
  // ngx-cookie / ngy-cookie: this.cookieService.put(key, value, { expires, secure, sameSite, ... }), putObject
  const ngxCookieMods = ['ngx-cookie', 'ngy-cookie', '@ngx-cookie/core'];
  if (ctx.importsAny(ngxCookieMods)) {
    const serviceTypes = [...ctx.imports]
      .filter(([, b]) => ngxCookieMods.includes(b.module) && /CookieService$/.test(b.name))
      .map(([l]) => l);
    const services = ngxServiceProperties(ctx, serviceTypes);
    // CookieModule.forRoot({ secure: true }) / withOptions(...): the defaults of every put() of the app
    for (const call of ctx.methodCalls(['forRoot', 'withOptions', 'forChild'], { full: true })) {
      const mod = ctx.moduleRef((call.field('function') as SgNode).field('object') as SgNode);
      const opts = args(call)[0];
      if (!mod || !ngxCookieMods.includes(mod.module) || !opts) continue;
      for (const f of flattenOptions(ctx.evaluate(opts), ['secure', 'sameSite', 'domain', 'path'], call))
        out.push({
          type: 'setting',
          framework: 'ngx-cookie',
          key: f.key,
          value: ctx.toSetting(f.val, { key: f.key }),
          location: ctx.loc(f.site),
          evidence: ctx.evidence(f.site),
          via: 'CookieModule.forRoot',
        });
    }
    for (const call of ctx.methodCalls(['put', 'putObject'], { full: true })) {
      const fn = call.field('function') as SgNode;
      if (!isServiceReceiver(fn.field('object') as SgNode, services)) continue;
      const f = scriptWrite(ctx, 'ngx-cookie', call);
      if (f) out.push(f);
    }
  }
  return out;
}

/** `this.cookies`, `cookies`, `config.cookieService`: a receiver held under one of the service names. */
function isServiceReceiver(receiver: SgNode, services: Set<string>): boolean {
  const chain = memberChain(receiver);
  if (!chain) return false;
  const last = chain.path.length > 0 ? chain.path[chain.path.length - 1] : chain.root.text();
  return services.has(last);
}

/**
 * Names under which code holds a CookieService: constructor parameters, fields, `inject(CookieService)`, and
 * properties of parameter types (`config: { cookieService: CookieService }`).
 */
function ngxServiceProperties(ctx: JsFile, types: string[]): Set<string> {
  const names = new Set<string>();
  if (types.length === 0 || !ctx.ts) return names;
  const typeRe = new RegExp(`^:?\\s*(?:${types.join('|')})$`);
  for (const p of ctx.root.findAll({
    rule: { any: [{ kind: 'required_parameter' }, { kind: 'optional_parameter' }] },
  })) {
    const t = p.field('type');
    const pat = p.field('pattern');
    if (t && pat && typeRe.test(t.text())) names.add(pat.text());
  }
  for (const f of ctx.root.findAll({ rule: { kind: 'public_field_definition' } })) {
    const name = f.field('name');
    if (!name) continue;
    const t = f.field('type');
    const v = f.field('value');
    if (t && typeRe.test(t.text())) names.add(name.text());
    if (v) {
      const u = unwrap(v);
      const callee = u.kind() === 'call_expression' ? u.field('function') : null;
      const a = u.kind() === 'call_expression' ? args(u) : [];
      if (callee && callee.text() === 'inject' && a[0] && types.includes(a[0].text())) names.add(name.text());
    }
  }
  for (const sig of ctx.root.findAll({ rule: { kind: 'property_signature' } })) {
    const name = sig.field('name');
    const t = sig.field('type');
    if (name && t && typeRe.test(t.text())) names.add(name.text());
  }
  // const cookieService = inject(CookieService) in functional code
  for (const d of ctx.root.findAll({
    rule: { kind: 'variable_declarator', has: { field: 'value', regex: '^inject\\s*\\(' } },
  })) {
    const v = unwrap(d.field('value') as SgNode);
    const a = args(v);
    const name = d.field('name');
    if (name && name.kind() === 'identifier' && a[0] && types.includes(a[0].text())) names.add(name.text());
  }
  return names;
}
