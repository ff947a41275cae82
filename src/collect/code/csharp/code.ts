/**
 * ASP.NET Core C# code (Program.cs, Startup.cs, controllers): what configures cookies and transport,
 * parsed with ast-grep's C# grammar (@ast-grep/lang-csharp).
 *
 * - Options registrations and configurations: `AddSession(o => ...)`, `AddAuthentication().AddCookie(
 *   [scheme,] o => ...)`, `ConfigureApplicationCookie`, `ConfigureExternalCookie`, `AddIdentity` /
 *   `AddDefaultIdentity` (the Identity.Application cookie), `AddAntiforgery`, `AddHsts`,
 *   `Configure<T>(...)` / `PostConfigure<T>` / `ConfigureAll<T>` for SessionOptions,
 *   CookieAuthenticationOptions, AntiforgeryOptions, CookiePolicyOptions, HstsOptions,
 *   ForwardedHeadersOptions, with a lambda (statement or expression body) or a configuration section
 *   (`Configuration.GetSection("Session")`, `Bind("Auth", o)`).
 * - Middleware: `UseHsts`, `UseHttpsRedirection`, `UseForwardedHeaders([new ForwardedHeadersOptions
 *   {...}])`, `UseCookiePolicy([new CookiePolicyOptions {...}])`, and the app's entry
 *   (`WebApplication.CreateBuilder`, `Configure(IApplicationBuilder app ...)`).
 * - `Response.Cookies.Append(name, value[, options])` with `new CookieOptions { ... }` or a local
 *   variable holding one (its later `opts.Secure = ...` writes before the call included).
 *
 * Statements under `if (env.IsDevelopment())` / `!app.Environment.IsProduction()` / `IsEnvironment("X")`
 * carry that condition (`guard`); `env.IsDevelopment() ? a : b` values are kept as a condition.
 */
import type { SgNode } from '@ast-grep/napi';
import type { CodeFact, Extractor, SourceFile } from '../types.js';
import type { CodeLocation } from '../../../model/observation.js';
import { parseAs } from '../common/grammar.js';
import { evidenceOf, locationOf, redactedEvidence } from '../common/location.js';
import {
  otherFact,
  type AppendFact,
  type CsSetting,
  type CsVal,
  type EnvCond,
  type MiddlewareFact,
  type OptionsFact,
  type OptionsKind,
} from './facts.js';

/** Enum types whose members the resolver understands. */
const ENUMS = new Set(['CookieSecurePolicy', 'SameSiteMode', 'HttpOnlyPolicy', 'ForwardedHeaders']);

/** Options types (`Configure<T>`) → kind. */
const OPTIONS_TYPES: Record<string, OptionsKind> = {
  SessionOptions: 'session',
  CookieAuthenticationOptions: 'auth',
  AntiforgeryOptions: 'antiforgery',
  CookiePolicyOptions: 'policy',
  HstsOptions: 'hsts',
  ForwardedHeadersOptions: 'forwarded',
};

/** Constants of the framework that name schemes (CookieAuthenticationDefaults, IdentityConstants). */
const KNOWN_STRINGS: Record<string, string> = {
  'CookieAuthenticationDefaults.AuthenticationScheme': 'Cookies',
  'IdentityConstants.ApplicationScheme': 'Identity.Application',
  'IdentityConstants.ExternalScheme': 'Identity.External',
  'IdentityConstants.TwoFactorUserIdScheme': 'Identity.TwoFactorUserId',
  'IdentityConstants.TwoFactorRememberMeScheme': 'Identity.TwoFactorRememberMe',
};

const TIMESPAN_UNITS: Record<string, number> = {
  FromDays: 86400,
  FromHours: 3600,
  FromMinutes: 60,
  FromSeconds: 1,
  FromMilliseconds: 0.001,
};

function unknown(n: SgNode, reason: string): CsVal {
  return { k: 'unknown', text: evidenceOf(n), reason };
}

/** The last identifier of a (qualified) name: `Microsoft.AspNetCore.Http.SameSiteMode` → `SameSiteMode`. */
function lastName(n: SgNode): string {
  if (n.kind() === 'member_access_expression') return n.field('name')?.text() ?? n.text();
  if (n.kind() === 'qualified_name')
    return (
      n
        .children()
        .filter((c) => c.isNamed())
        .pop()
        ?.text() ?? n.text()
    );
  if (n.kind() === 'generic_name') return n.children()[0]?.text() ?? n.text();
  return n.text();
}

/** `a.b.C` as written, without whitespace. */
function dotted(n: SgNode): string {
  return n.text().replace(/\s+/g, '');
}

function stringContent(n: SgNode): string | null {
  const k = n.kind();
  if (k === 'verbatim_string_literal') return n.text().slice(2, -1).replace(/""/g, '"');
  if (k !== 'string_literal' && k !== 'raw_string_literal') return null;
  let out = '';
  for (const c of n.children()) {
    const ck = c.kind();
    if (ck === 'string_literal_content' || ck === 'raw_string_content') out += c.text();
    else if (ck === 'escape_sequence') {
      try {
        out += JSON.parse(`"${c.text().replace(/^\\'$/, "'")}"`) as string;
      } catch {
        out += c.text();
      }
    }
  }
  return out;
}

/** The value an expression has, as far as it can be told from the expression alone. */
export function valueOf(n: SgNode): CsVal {
  switch (n.kind()) {
    case 'boolean_literal':
      return { k: 'bool', v: n.text() === 'true' };
    case 'null_literal':
      return { k: 'null' };
    case 'integer_literal':
    case 'real_literal': {
      const v = Number(
        n
          .text()
          .replace(/[_a-zA-Z]+$/, '')
          .replace(/_/g, ''),
      );
      return Number.isFinite(v) ? { k: 'num', v } : unknown(n, 'a number the scanner cannot read');
    }
    case 'string_literal':
    case 'verbatim_string_literal':
    case 'raw_string_literal': {
      const s = stringContent(n);
      return s === null ? unknown(n, 'a string the scanner cannot read') : { k: 'str', v: s };
    }
    case 'parenthesized_expression': {
      const inner = n.children().find((c) => c.isNamed());
      return inner ? valueOf(inner) : unknown(n, 'an empty expression');
    }
    case 'prefix_unary_expression': {
      const op = n.children()[0]?.text();
      const inner = n.children().find((c) => c.isNamed());
      if (!inner) break;
      const v = valueOf(inner);
      if (op === '-' && v.k === 'num') return { k: 'num', v: -v.v };
      if (op === '!' && v.k === 'bool') return { k: 'bool', v: !v.v };
      break;
    }
    case 'member_access_expression': {
      // Secure = Request.IsHttps: follows the request's scheme.
      if (n.field('name')?.text() === 'IsHttps' && /(^|\.)Request$/.test(dotted(n.field('expression') ?? n)))
        return { k: 'https', text: evidenceOf(n) };
      const known = KNOWN_STRINGS[dotted(n)];
      if (known !== undefined) return { k: 'str', v: known };
      const obj = n.field('expression');
      const name = n.field('name')?.text();
      if (obj && name) {
        const type = lastName(obj);
        if (ENUMS.has(type)) return { k: 'enum', type, v: [name] };
        if (
          (type === 'DateTimeOffset' || type === 'DateTime') &&
          (name === 'MinValue' || name === 'UnixEpoch')
        )
          return { k: 'time', past: true };
        if ((type === 'DateTimeOffset' || type === 'DateTime') && name === 'MaxValue')
          return { k: 'time', past: false };
      }
      break;
    }
    case 'binary_expression': {
      const op =
        n.field('operator')?.text() ??
        n
          .children()
          .find((c) => !c.isNamed())
          ?.text();
      const l = n.field('left');
      const r = n.field('right');
      if (op === '|' && l && r) {
        const a = valueOf(l);
        const b = valueOf(r);
        if (a.k === 'enum' && b.k === 'enum' && a.type === b.type)
          return { k: 'enum', type: a.type, v: [...a.v, ...b.v] };
      }
      break;
    }
    case 'conditional_expression': {
      const c = n.field('condition');
      const t = n.field('consequence');
      const e = n.field('alternative');
      if (c && t && e)
        return { k: 'cond', cond: envCond(c), then: valueOf(t), else: valueOf(e), text: evidenceOf(n) };
      break;
    }
    case 'invocation_expression': {
      const fn = n.field('function');
      const args = argumentsOf(n);
      if (fn?.kind() === 'member_access_expression') {
        const method = fn.field('name')?.text() ?? '';
        const recv = fn.field('expression');
        // TimeSpan.FromDays(365)
        if (recv && lastName(recv) === 'TimeSpan' && method in TIMESPAN_UNITS && args.length === 1) {
          const v = valueOf(args[0]!);
          if (v.k === 'num') return { k: 'num', v: v.v * TIMESPAN_UNITS[method]! };
        }
        // DateTimeOffset.UtcNow.AddDays(-1), DateTime.Now.AddYears(1)
        if (
          recv &&
          /^(DateTime|DateTimeOffset)\.(UtcNow|Now|Today)$/.test(dotted(recv)) &&
          /^Add[A-Z]/.test(method)
        ) {
          const v = args[0] ? valueOf(args[0]) : null;
          if (v?.k === 'num') return { k: 'time', past: v.v < 0 };
        }
      }
      break;
    }
    default:
      break;
  }
  return unknown(n, 'computed at run time');
}

/** The expressions of a call's arguments (named arguments included as their expression). */
function argumentsOf(call: SgNode): SgNode[] {
  const list = call.field('arguments') ?? call.children().find((c) => c.kind() === 'argument_list');
  if (!list) return [];
  return list
    .children()
    .filter((c) => c.kind() === 'argument')
    .map((a) => {
      const named = a.children().filter((c) => c.isNamed());
      return named[named.length - 1]!;
    })
    .filter((x) => x !== undefined);
}

/** A condition on the hosting environment, or `unknown`. */
function envCond(n: SgNode): EnvCond {
  const k = n.kind();
  if (k === 'parenthesized_expression') {
    const inner = n.children().find((c) => c.isNamed());
    if (inner) return envCond(inner);
  }
  if (k === 'prefix_unary_expression' && n.children()[0]?.text() === '!') {
    const inner = n.children().find((c) => c.isNamed());
    if (inner) return { op: 'not', c: envCond(inner) };
  }
  if (k === 'binary_expression') {
    const op =
      n.field('operator')?.text() ??
      n
        .children()
        .find((c) => !c.isNamed())
        ?.text();
    const l = n.field('left');
    const r = n.field('right');
    if (l && r && (op === '&&' || op === '||'))
      return { op: op === '&&' ? 'and' : 'or', a: envCond(l), b: envCond(r) };
    if (l && r && (op === '==' || op === '!=')) {
      // Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") == "Development"
      const isEnvRead = (x: SgNode) =>
        /GetEnvironmentVariable\(\s*"(ASPNETCORE|DOTNET)_ENVIRONMENT"\s*\)$/.test(x.text());
      const lit = isEnvRead(l) ? valueOf(r) : isEnvRead(r) ? valueOf(l) : null;
      if (lit?.k === 'str') {
        const c: EnvCond = { op: 'is', env: lit.v };
        return op === '==' ? c : { op: 'not', c };
      }
    }
  }
  if (k === 'invocation_expression') {
    const fn = n.field('function');
    if (fn?.kind() === 'member_access_expression') {
      const m = fn.field('name')?.text();
      if (m === 'IsDevelopment') return { op: 'is', env: 'Development' };
      if (m === 'IsProduction') return { op: 'is', env: 'Production' };
      if (m === 'IsStaging') return { op: 'is', env: 'Staging' };
      if (m === 'IsEnvironment') {
        const a = argumentsOf(n)[0];
        const v = a ? valueOf(a) : null;
        if (v?.k === 'str') return { op: 'is', env: v.v };
      }
    }
  }
  return { op: 'unknown', text: evidenceOf(n) };
}

/** Build configuration of a preprocessor condition: `DEBUG` holds in the Debug build only. */
const DEBUG_BUILD = 'Debug build';

function preprocCond(n: SgNode): EnvCond {
  const t = n.text().replace(/\s+/g, '');
  if (t === 'DEBUG') return { op: 'is', env: DEBUG_BUILD };
  if (t === '!DEBUG' || t === 'RELEASE') return { op: 'not', c: { op: 'is', env: DEBUG_BUILD } };
  if (t === '!RELEASE') return { op: 'is', env: DEBUG_BUILD };
  return { op: 'unknown', text: `#if ${n.text()}` };
}

/** The conditions of the `if` statements (and `?:` arms) a node sits in, innermost last. */
function guardOf(n: SgNode, stopAt?: SgNode): EnvCond | undefined {
  const conds: EnvCond[] = [];
  let child = n;
  for (let p = n.parent(); p; child = p, p = p.parent()) {
    if (stopAt && p.id() === stopAt.id()) break;
    if (p.kind() === 'if_statement') {
      const c = p.field('condition');
      if (!c || c.id() === child.id()) continue;
      const cons = p.field('consequence');
      const cond = envCond(c);
      if (cons && cons.id() === child.id()) conds.push(cond);
      else conds.push({ op: 'not', c: cond });
    }
    if (p.kind() === 'preproc_if') {
      // `#if DEBUG ... #else ... #endif`: the Debug build configuration, taken as an environment of its own.
      const c = p.children().find((x) => x.isNamed());
      if (!c || c.id() === child.id()) continue;
      const cond = preprocCond(c);
      if (child.kind() === 'preproc_else') conds.push({ op: 'not', c: cond });
      else if (child.kind() === 'preproc_elif')
        conds.push({ op: 'unknown', text: evidenceOf(child.text().split('\n')[0] ?? '') });
      else conds.push(cond);
    }
    if (p.kind() === 'method_declaration' || p.kind() === 'local_function_statement') {
      // A method body: conditions outside it do not guard it.
      break;
    }
  }
  if (conds.length === 0) return undefined;
  return conds.reduce((a, b) => ({ op: 'and', a: b, b: a }));
}

/** `o.Cookie.SecurePolicy` with `o` the lambda's parameter → 'Cookie.SecurePolicy'. */
function pathFrom(left: SgNode, param: string): string | null {
  const parts: string[] = [];
  let x: SgNode | null = left;
  while (x && x.kind() === 'member_access_expression') {
    parts.unshift(x.field('name')?.text() ?? '');
    x = x.field('expression');
  }
  if (!x || x.kind() !== 'identifier' || x.text() !== param) return null;
  return parts.join('.');
}

/** Assignments `param.Path = value` in a lambda's body or a block (nested lambdas left out), in `file`. */
function assignmentsIn(file: string, body: SgNode, param: string, until?: number): CsSetting[] {
  const out: CsSetting[] = [];
  const visit = (n: SgNode) => {
    if (until !== undefined && n.range().start.index >= until) return;
    if (n.kind() === 'lambda_expression' || n.kind() === 'anonymous_method_expression') return;
    if (n.kind() === 'assignment_expression') {
      const l = n.field('left');
      const r = n.field('right');
      const op = n
        .children()
        .find((c) => !c.isNamed())
        ?.text();
      if (l && r && (op === '=' || op === undefined)) {
        const path = pathFrom(l, param);
        if (
          path &&
          (r.kind() === 'object_creation_expression' || r.kind() === 'implicit_object_creation_expression')
        ) {
          // o.Cookie = new CookieBuilder { SecurePolicy = ... }: the options' cookie builder is replaced (what
          // was set on it before is lost, a plain CookieBuilder's defaults apply), then the initialiser's
          // properties below the path.
          const guard = guardOf(n, body);
          out.push({
            prop: path,
            val: { k: 'enum', type: 'CookieBuilder', v: ['new'] },
            location: locationOf(n, file),
            evidence: evidenceOf(n),
            ...(guard ? { guard } : {}),
          });
          for (const st of initializerSettings(file, r, path + '.'))
            out.push({ ...st, ...(guard ? { guard } : {}) });
        } else if (path) {
          const guard = guardOf(n, body);
          out.push({
            prop: path,
            val: valueOf(r),
            location: locationOf(n, file),
            evidence: evidenceOf(n),
            ...(guard ? { guard } : {}),
          });
        }
      }
    }
    for (const c of n.children()) visit(c);
  };
  visit(body);
  return out;
}

/** `new T { A = x, B = y }` in `file` → settings A, B (nested `Cookie = { ... }` initialisers flattened). */
function initializerSettings(file: string, creation: SgNode, prefix = ''): CsSetting[] {
  const init = creation.children().find((c) => c.kind() === 'initializer_expression');
  return init ? fromInitializer(file, init, prefix) : [];
}

function fromInitializer(file: string, init: SgNode, prefix: string): CsSetting[] {
  const out: CsSetting[] = [];
  for (const a of init.children()) {
    if (a.kind() !== 'assignment_expression') continue;
    const l = a.field('left');
    const r = a.field('right');
    if (!l || !r) continue;
    const prop = prefix + l.text().replace(/\s+/g, '');
    if (r.kind() === 'initializer_expression') out.push(...fromInitializer(file, r, prop + '.'));
    else if (r.kind() === 'object_creation_expression' || r.kind() === 'implicit_object_creation_expression')
      out.push(...initializerSettings(file, r, prop + '.'));
    else out.push({ prop, val: valueOf(r), location: locationOf(a, file), evidence: evidenceOf(a) });
  }
  return out;
}

/** The section a configuration argument binds: `Configuration.GetSection("Session")`, `config["X"]` → 'Session'. */
function sectionOf(n: SgNode): string | null {
  if (n.kind() === 'invocation_expression') {
    const fn = n.field('function');
    if (fn?.kind() === 'member_access_expression' && fn.field('name')?.text() === 'GetSection') {
      const a = argumentsOf(n)[0];
      const v = a ? valueOf(a) : null;
      if (v?.k === 'str') {
        const outer = fn.field('expression');
        const parent = outer ? sectionOf(outer) : null;
        return parent ? `${parent}:${v.v}` : v.v;
      }
    }
  }
  return null;
}

interface Options {
  settings: CsSetting[];
  opaque?: string;
  section?: string;
}

/** What an options argument says: a lambda's assignments, a bound configuration section, or something opaque. */
function optionsFrom(file: string, arg: SgNode): Options {
  if (arg.kind() === 'lambda_expression' || arg.kind() === 'anonymous_method_expression') {
    const params = arg
      .children()
      .filter(
        (c) => c.kind() === 'implicit_parameter' || c.kind() === 'parameter_list' || c.kind() === 'parameter',
      );
    let param: string | null = null;
    for (const p of params) {
      if (p.kind() === 'implicit_parameter') param = p.text();
      else {
        const ids = p.findAll({ rule: { kind: 'parameter' } });
        const first = ids[0] ?? (p.kind() === 'parameter' ? p : null);
        const id =
          first?.field('name') ??
          first
            ?.children()
            .filter((c) => c.kind() === 'identifier')
            .pop();
        if (id) param = id.text();
      }
      if (param) break;
    }
    const body =
      arg.field('body') ??
      arg
        .children()
        .filter((c) => c.isNamed())
        .pop();
    if (!param || !body) return { settings: [], opaque: evidenceOf(arg) };
    const settings = assignmentsIn(file, body, param);
    // Bind("Section", o) / GetSection("Section").Bind(o) inside the lambda.
    let section: string | undefined;
    for (const call of body.findAll({ rule: { kind: 'invocation_expression' } })) {
      const fn = call.field('function');
      if (fn?.kind() !== 'member_access_expression' || fn.field('name')?.text() !== 'Bind') continue;
      const args = argumentsOf(call);
      const a0 = args[0] ? valueOf(args[0]) : null;
      if (args.length === 2 && a0?.k === 'str' && args[1]!.text() === param) section = a0.v;
      else if (args.length === 1 && args[0]!.text() === param)
        section = sectionOf(fn.field('expression')!) ?? undefined;
    }
    return { settings, ...(section ? { section } : {}) };
  }
  if (arg.kind() === 'object_creation_expression' || arg.kind() === 'implicit_object_creation_expression')
    return { settings: initializerSettings(file, arg) };
  const section = sectionOf(arg);
  if (section) return { settings: [], section };
  return { settings: [], opaque: evidenceOf(arg) };
}

/**
 * A call's arguments split into leading scheme-like arguments (AddCookie's scheme and display name)
 * and the options (the last lambda, object creation, configuration section, or a method group).
 */
function splitArgs(args: SgNode[], takesScheme: boolean): { strings: SgNode[]; options: SgNode | null } {
  const last = args[args.length - 1];
  if (!last) return { strings: [], options: null };
  const k = last.kind();
  const isOptions =
    k === 'lambda_expression' ||
    k === 'anonymous_method_expression' ||
    k === 'object_creation_expression' ||
    k === 'implicit_object_creation_expression' ||
    sectionOf(last) !== null ||
    // A method group (`AddSession(ConfigureSession)`); for AddCookie a lone member access or literal is the scheme.
    (k === 'identifier' && (!takesScheme || args.length > 1)) ||
    (!takesScheme && k !== 'string_literal');
  return isOptions ? { strings: args.slice(0, -1), options: last } : { strings: args, options: null };
}

const REGISTER_CALLS: Record<string, { kind: OptionsKind; scheme?: string }> = {
  AddSession: { kind: 'session' },
  AddCookie: { kind: 'auth', scheme: 'Cookies' },
  AddAntiforgery: { kind: 'antiforgery' },
  AddHsts: { kind: 'hsts' },
  ConfigureApplicationCookie: { kind: 'auth', scheme: 'Identity.Application' },
  ConfigureExternalCookie: { kind: 'auth', scheme: 'Identity.External' },
  AddIdentity: { kind: 'auth', scheme: 'Identity.Application' },
  AddDefaultIdentity: { kind: 'auth', scheme: 'Identity.Application' },
};

const MIDDLEWARE = new Set(['UseHsts', 'UseHttpsRedirection', 'UseForwardedHeaders', 'UseCookiePolicy']);

const CONFIGURE_CALLS = new Set(['Configure', 'PostConfigure', 'ConfigureAll', 'PostConfigureAll']);

/** Whether `extract` reads calls of this method (most calls in a file are none of these). */
function handled(method: string): boolean {
  return (
    Object.hasOwn(REGISTER_CALLS, method) ||
    CONFIGURE_CALLS.has(method) ||
    MIDDLEWARE.has(method) ||
    method === 'CreateBuilder' ||
    method === 'Append'
  );
}

/** `Response.Cookies.Append(...)`, `x.Cookies.Append(...)` (not StringBuilder.Append). */
function cookiesAppend(fn: SgNode): boolean {
  return /(^|\.)Cookies$/.test(dotted(fn.field('expression') ?? fn));
}

function extract(file: SourceFile): CodeFact[] {
  let root: SgNode;
  try {
    root = parseAs('csharp', file.text).root();
  } catch {
    return [];
  }
  const facts: CodeFact[] = [];
  const push = (
    key: 'aspnet-options' | 'aspnet-middleware' | 'aspnet-append',
    data: OptionsFact | MiddlewareFact | AppendFact,
    n: SgNode,
    evidence = evidenceOf(n),
  ) => facts.push(otherFact(key, data, locationOf(n, file.file), evidence));

  for (const call of root.findAll({ rule: { kind: 'invocation_expression' } })) {
    const fn = call.field('function');
    if (!fn || fn.kind() !== 'member_access_expression') continue;
    const nameNode = fn.field('name');
    if (!nameNode) continue;
    const method =
      nameNode.kind() === 'generic_name' ? (nameNode.children()[0]?.text() ?? '') : nameNode.text();
    if (!handled(method) || (method === 'Append' && !cookiesAppend(fn))) continue;
    const typeArg =
      nameNode.kind() === 'generic_name'
        ? nameNode
            .children()
            .find((c) => c.kind() === 'type_argument_list')
            ?.children()
            .filter((c) => c.isNamed())
        : undefined;
    const args = argumentsOf(call);
    // Location, evidence and guard of the call: computed once, for a call that gives a fact.
    let site: { location: CodeLocation; evidence: string; guard?: EnvCond } | undefined;
    const base = () => {
      if (site) return site;
      const guard = guardOf(call);
      site = {
        location: locationOf(call, file.file),
        evidence: evidenceOf(call),
        ...(guard ? { guard } : {}),
      };
      return site;
    };

    // --- options registrations --------------------------------------------------------------
    const reg = Object.hasOwn(REGISTER_CALLS, method) ? REGISTER_CALLS[method] : undefined;
    if (reg) {
      const { strings, options } = splitArgs(args, method === 'AddCookie');
      let scheme: string | null | undefined = reg.scheme;
      if (method === 'AddCookie' && strings[0]) {
        const v = valueOf(strings[0]);
        scheme = v.k === 'str' ? v.v : v.k === 'unknown' ? `<${v.text}>` : null;
      }
      const o = options ? optionsFrom(file.file, options) : { settings: [] };
      const registers = method !== 'ConfigureApplicationCookie' && method !== 'ConfigureExternalCookie';
      const data: OptionsFact = {
        kind: reg.kind,
        call: method,
        registers,
        ...base(),
        ...o,
        ...(reg.kind === 'auth' ? { scheme } : {}),
      };
      push('aspnet-options', data, call);
      continue;
    }
    if (CONFIGURE_CALLS.has(method) && typeArg?.length === 1) {
      const kind = OPTIONS_TYPES[lastName(typeArg[0]!)];
      if (!kind) continue;
      const { strings, options } = splitArgs(args, kind === 'auth');
      let scheme: string | null | undefined;
      if (kind === 'auth') {
        if (method.endsWith('All')) scheme = '*';
        else if (strings[0]) {
          const v = valueOf(strings[0]);
          scheme = v.k === 'str' ? v.v : v.k === 'unknown' ? `<${v.text}>` : null;
        } else scheme = ''; // Options.DefaultName: configures no scheme's options
      }
      const o = options ? optionsFrom(file.file, options) : { settings: [] };
      const data: OptionsFact = {
        kind,
        call: `${method}<${typeArg[0]!.text()}>`,
        registers: false,
        ...base(),
        ...o,
        ...(kind === 'auth' ? { scheme } : {}),
      };
      push('aspnet-options', data, call);
      continue;
    }

    // --- middleware ---------------------------------------------------------------------------
    if (MIDDLEWARE.has(method)) {
      push('aspnet-middleware', { name: method as MiddlewareFact['name'], ...base() }, call);
      // Options given inline: new ForwardedHeadersOptions { ... } / new CookiePolicyOptions { ... }.
      const inline = args.find(
        (a) =>
          a.kind() === 'object_creation_expression' || a.kind() === 'implicit_object_creation_expression',
      );
      if (inline && (method === 'UseForwardedHeaders' || method === 'UseCookiePolicy')) {
        const data: OptionsFact = {
          kind: method === 'UseForwardedHeaders' ? 'forwarded' : 'policy',
          call: method,
          registers: false,
          ...base(),
          settings: initializerSettings(file.file, inline),
        };
        push('aspnet-options', data, call);
      }
      continue;
    }
    if (method === 'CreateBuilder' && fn.field('expression')?.text() === 'WebApplication') {
      push('aspnet-middleware', { name: 'app', ...base() }, call);
      continue;
    }

    // --- Response.Cookies.Append ------------------------------------------------------------
    if (method === 'Append' && args.length >= 2) {
      const nameV = valueOf(args[0]!);
      const valueV = valueOf(args[1]!);
      // The cookie's value is left out of the evidence (an empty string, a deletion, is shown).
      const evidence = redactedEvidence(call, valueV.k === 'str' && valueV.v === '' ? [] : [args[1]]);
      const data: AppendFact = {
        name: nameV.k === 'str' ? nameV.v : null,
        nameText: evidenceOf(args[0]!),
        settings: [],
        ...base(),
        evidence,
      };
      if (valueV.k === 'str' && valueV.v !== '') data.constantValue = 'string';
      else if (valueV.k === 'num') data.constantValue = 'number';
      else if (valueV.k === 'bool') data.constantValue = 'boolean';
      const opt = args[2];
      if (opt) {
        if (
          opt.kind() === 'object_creation_expression' ||
          opt.kind() === 'implicit_object_creation_expression'
        ) {
          data.settings = initializerSettings(file.file, opt);
        } else if (opt.kind() === 'identifier') {
          const local = localOptions(file.file, call, opt.text());
          if (local) data.settings = local;
          else data.opaque = evidenceOf(opt);
        } else data.opaque = evidenceOf(opt);
      }
      push('aspnet-append', data, call, evidence);
    }
  }
  // `const string Name = "literal";` (fields and locals): cookie names and schemes are often constants.
  for (const d of root.findAll({ rule: { kind: 'variable_declarator' } })) {
    const decl = d.parent()?.parent();
    if (!decl || !decl.children().some((c) => c.kind() === 'modifier' && c.text() === 'const')) continue;
    const id = d.field('name') ?? d.children().find((c) => c.kind() === 'identifier');
    const init = d
      .children()
      .filter((c) => c.isNamed())
      .pop();
    const v = init && init !== id ? valueOf(init) : null;
    if (id && v?.k === 'str')
      facts.push(
        otherFact(
          'aspnet-constant',
          { name: id.text(), value: v.v },
          locationOf(d, file.file),
          evidenceOf(d),
        ),
      );
  }
  // Startup.Configure(IApplicationBuilder app, ...): the app's entry.
  for (const m of root.findAll({ rule: { kind: 'method_declaration' } })) {
    const params = m.field('parameters') ?? m.children().find((c) => c.kind() === 'parameter_list');
    if (params && /\bIApplicationBuilder\b/.test(params.text()) && m.field('name')?.text() === 'Configure')
      push(
        'aspnet-middleware',
        {
          name: 'app',
          location: locationOf(m, file.file),
          evidence: evidenceOf(m.text().split('\n')[0] ?? ''),
        },
        m,
      );
  }
  return facts;
}

/**
 * A local `var o = new CookieOptions { ... }` declared in the block around `call`, with its
 * `o.X = ...` writes before the call.
 */
function localOptions(file: string, call: SgNode, name: string): CsSetting[] | null {
  let scope: SgNode | null = call.parent();
  while (scope && scope.kind() !== 'block' && scope.kind() !== 'compilation_unit') scope = scope.parent();
  for (; scope; scope = scope.parent()) {
    if (scope.kind() !== 'block' && scope.kind() !== 'compilation_unit') continue;
    for (const d of scope.findAll({ rule: { kind: 'variable_declarator' } })) {
      const id = d.field('name') ?? d.children().find((c) => c.kind() === 'identifier');
      if (id?.text() !== name) continue;
      const init = d
        .children()
        .find(
          (c) =>
            c.kind() === 'object_creation_expression' || c.kind() === 'implicit_object_creation_expression',
        );
      if (!init) return null;
      if (
        init.kind() === 'object_creation_expression' &&
        lastName(init.field('type') ?? init.children()[0]!) !== 'CookieOptions'
      )
        return null;
      const settings = initializerSettings(file, init);
      const until = call.range().start.index;
      settings.push(
        ...assignmentsIn(file, scope, name, until).filter((s) => s.location.line >= locationOf(d, file).line),
      );
      return settings;
    }
  }
  return null;
}

export const csharpExtractor: Extractor = {
  name: 'aspnet-csharp',
  files: ['**/*.cs'],
  keywords: [
    'Cookie',
    'AddSession',
    'Antiforgery',
    'Hsts',
    'HttpsRedirection',
    'ForwardedHeaders',
    'AddIdentity',
    'AddDefaultIdentity',
    'WebApplication',
    'IApplicationBuilder',
  ],
  extract,
};
