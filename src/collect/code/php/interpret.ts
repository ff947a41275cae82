/**
 * Turning a PHP value into an attribute value, per environment: literals with PHP's conversion rules,
 * `getenv()` / `env()` / `$_ENV` resolved from .env files, `APP_ENV === 'production' ? ...` evaluated
 * per environment, `$_SERVER['HTTPS']` tests as "follows the request", constants looked up.
 */
import type { Attr, CodeLocation } from '../../../model/observation.js';
import {
  attrFromEnvironments,
  explicit,
  isProductionName,
  REDACTED,
  unknownAttr,
  type EnvFile,
  type EnvResolution,
} from './resolve-common.js';
import {
  clientTestWhenAbsent,
  filterBool,
  foldLogic,
  laravelEnv,
  mergeArrays,
  negate,
  phpTruthy,
  type CallRef,
  type Cond,
  type Literal,
  type PhpValue,
} from './values.js';

export type RequestSource = 'server' | 'forwarded' | 'framework' | 'mixed';

export type Interp<T> =
  /** `why`: how a value that is not written as such was decided (the case a condition was judged by). */
  | { kind: 'value'; value: T; why?: string }
  | { kind: 'auto'; source: RequestSource }
  | { kind: 'per-env'; condition: string; res: EnvResolution<T | 'auto'> }
  | { kind: 'unknown'; reason: string };

export interface InterpretContext {
  /** .env files that apply (most specific last), or none. */
  envFiles: EnvFile[];
  /** PHP constants defined in the project: name → values (several definitions: ambiguous). */
  constants: Map<string, PhpValue[]>;
  /** Request-scheme helpers of the project (is_ssl(), Request::isHttps() ...). */
  functions?: SchemeFunctions;
  /**
   * Values of the enclosing function's parameters, by index: the arguments of a call, or the defaults
   * ("what runs unless a call passes something else"). Undefined: the parameter is not known.
   */
  bindings?: readonly (PhpValue | undefined)[];
  /** Lower-cased class of the enclosing method (for self:: / $this-> calls). */
  selfClass?: string | null;
  /**
   * The environment files do not cover every deployment (no `.env` that applies everywhere): a variable
   * some files set and others do not is also evaluated unset (`<VAR> unset`), the deployments that
   * configure it elsewhere or not at all.
   */
  unsetEnvironment?: boolean;
  /** Only bind parameters (a wrapper's values at one of its calls): calls and constants stay as they are. */
  bindOnly?: boolean;
  depth?: number;
}

/** The project's request-scheme helper functions, looked up by name (and class for methods). */
export class SchemeFunctions {
  private readonly functions = new Map<string, RequestSource>();
  private readonly methods = new Map<string, RequestSource>();
  private readonly methodsByName = new Map<string, Set<RequestSource>>();

  add(name: string, cls: string | null, source: RequestSource): void {
    if (cls === null) {
      this.functions.set(
        name,
        this.functions.has(name) && this.functions.get(name) !== source ? 'mixed' : source,
      );
      return;
    }
    this.methods.set(`${cls}::${name}`, source);
    const set = this.methodsByName.get(name) ?? new Set();
    set.add(source);
    this.methodsByName.set(name, set);
  }

  /** Functions and methods that return the Referer the client sent (`wp_get_referer()`), by name. */
  private readonly refererFunctions = new Set<string>();
  private readonly refererMethods = new Map<string, Set<string | null>>();

  addReferer(name: string, cls: string | null): void {
    if (cls === null) this.refererFunctions.add(name);
    else {
      const set = this.refererMethods.get(name) ?? new Set();
      set.add(cls);
      this.refererMethods.set(name, set);
    }
  }

  /** Does the call reach a function of the project that returns the client's Referer (false without one)? */
  isReferer(call: CallRef, selfClass: string | null | undefined): boolean {
    if (call.cls === null) return this.refererFunctions.has(call.name);
    const set = this.refererMethods.get(call.name);
    if (!set) return false;
    const cls = call.cls === 'self' || call.cls === 'static' || call.cls === '$this' ? selfClass : call.cls;
    // Another object ('?'): the methods of that name are all referer helpers.
    return call.cls === '?' || (!!cls && set.has(cls));
  }

  private readonly configGetters: { name: string; cls: string | null; prefix: string; suffix: string }[] = [];
  private readonly configArrays: { file: string; entries: Record<string, PhpValue> }[] = [];

  get size(): number {
    return this.functions.size + this.methods.size + this.configGetters.length;
  }

  /** `Config::get($key)` returning `$config[$key]` of a file whose path ends with `<prefix>*<suffix>`. */
  addConfigGetter(g: { name: string; cls: string | null; prefix: string; suffix: string }): void {
    this.configGetters.push(g);
  }

  addConfigArray(file: string, entries: Record<string, PhpValue>): void {
    this.configArrays.push({ file, entries });
  }

  /**
   * The value a configuration getter returns for a literal key: the entry of the configuration files it
   * may load (`config.development.php` ...) when they agree on it; unknown when they differ.
   */
  configValue(
    call: CallRef,
    args: readonly Literal[] | undefined,
    selfClass: string | null | undefined,
  ): PhpValue | null {
    const key = args?.[0];
    if (typeof key !== 'string') return null;
    const cls = call.cls === 'self' || call.cls === 'static' || call.cls === '$this' ? selfClass : call.cls;
    const g = this.configGetters.find((x) => x.name === call.name && (x.cls ?? null) === (cls ?? null));
    if (!g) return null;
    const files = this.configArrays.filter((c) => {
      const i = c.file.lastIndexOf(g.prefix);
      if (i < 0 || !c.file.endsWith(g.suffix) || (i > 0 && c.file[i - 1] !== '/')) return false;
      const middle = c.file.slice(i + g.prefix.length, c.file.length - g.suffix.length);
      return middle.length > 0 && !middle.includes('/');
    });
    const values = files.flatMap((f) => (f.entries[key] ? [{ file: f.file, v: f.entries[key]! }] : []));
    if (values.length === 0) return null;
    if (new Set(values.map((x) => JSON.stringify(x.v))).size === 1) return values[0]!.v;
    // One value in the production configuration file, another in every other one: per environment.
    const stage = (file: string): string => {
      const i = file.lastIndexOf(g.prefix);
      return file.slice(i + g.prefix.length, file.length - g.suffix.length);
    };
    const prod = values.filter((x) => isProductionName(stage(x.file)));
    const rest = values.filter((x) => !prod.includes(x));
    const same = (xs: { v: PhpValue }[]): boolean => new Set(xs.map((x) => JSON.stringify(x.v))).size === 1;
    const expression = `${call.name}('${key}')`;
    if (prod.length > 0 && rest.length > 0 && same(prod) && same(rest)) {
      const variable = `${g.prefix}<stage>${g.suffix}`;
      return {
        kind: 'conditional',
        cond: {
          kind: 'env',
          variable,
          test: 'eq',
          literal: stage(prod[0]!.file),
          expression: `${prod[0]!.file} is the configuration in use`,
        },
        whenTrue: prod[0]!.v,
        whenFalse: rest[0]!.v,
        expression,
      };
    }
    return {
      kind: 'unknown',
      expression,
      reason: `${key} differs between ${values.map((x) => x.file).join(', ')}`,
    };
  }

  /**
   * The helper a call reaches: a function by name; a method by class and name (`self`, `static` and
   * `$this` are the enclosing class); otherwise (another object, a parent or child class, a trait) the
   * method of that name when every declaration of it agrees.
   */
  lookup(call: CallRef, selfClass: string | null | undefined): RequestSource | null {
    if (call.cls === null) return this.functions.get(call.name) ?? null;
    const cls = call.cls === 'self' || call.cls === 'static' || call.cls === '$this' ? selfClass : call.cls;
    if (cls) {
      const exact = this.methods.get(`${cls}::${call.name}`);
      if (exact) return exact;
    }
    const all = this.methodsByName.get(call.name);
    return all && all.size === 1 ? [...all][0]! : null;
  }
}

/**
 * Replaces what only the project can tell: parameters by their bindings, calls of request-scheme helpers
 * by "follows the request", conditions on them folded again (`'' === $secure ? is_ssl() : $secure`
 * with the default `''` is `is_ssl()`).
 */
export function resolveDeferred(v: PhpValue, ctx: InterpretContext, depth = 0): PhpValue {
  if (depth > 32) return v;
  switch (v.kind) {
    case 'param': {
      const b = ctx.bindings?.[v.index];
      if (b) return b;
      return {
        kind: 'unknown',
        expression: v.expression,
        reason: `parameter ${v.name} (its value comes from the callers)`,
      };
    }
    case 'merge':
      return mergeArrays(v.parts.map((p) => resolveDeferred(p, ctx, depth + 1)));
    case 'call': {
      // Binding parameters only: calls stay for the caller's context to resolve.
      if (ctx.bindOnly) return v;
      const configured = ctx.functions?.configValue(v.call, v.args, ctx.selfClass);
      if (configured) return resolveDeferred(configured, ctx, depth + 1);
      const source = ctx.functions?.lookup(v.call, ctx.selfClass) ?? v.fallback;
      if (source) return { kind: 'request', source, expression: v.expression };
      // A referer helper returns false when the request has no Referer.
      if (ctx.functions?.isReferer(v.call, ctx.selfClass))
        return { kind: 'client', header: 'Referer', absent: false, expression: v.expression };
      return { kind: 'unknown', expression: v.expression, reason: `result of ${v.call.name}()` };
    }
    case 'conditional': {
      const c = resolveCond(v.cond, ctx, depth + 1);
      const t = resolveDeferred(v.whenTrue, ctx, depth + 1);
      const f = resolveDeferred(v.whenFalse, ctx, depth + 1);
      if (c.kind === 'const') return c.value ? t : f;
      if (c.kind === 'request' && t.kind === 'literal' && f.kind === 'literal') {
        const tt = phpTruthy(t.value);
        const ft = phpTruthy(f.value);
        if (tt !== ft && (c.negated ? ft : tt))
          return { kind: 'request', source: c.source, expression: v.expression };
      }
      // `$x ? $x : false`-style: both sides follow the request, or one side follows it and the other is
      // the same request test.
      if (t.kind === 'request' && f.kind === 'request' && t.source === f.source) return t;
      return { ...v, cond: c, whenTrue: t, whenFalse: f };
    }
    case 'array':
      return {
        ...v,
        entries: v.entries.map((e) => ({ ...e, value: resolveDeferred(e.value, ctx, depth + 1) })),
      };
    case 'env':
      return v.default ? { ...v, default: resolveDeferred(v.default, ctx, depth + 1) } : v;
    case 'arith':
      return {
        ...v,
        left: resolveDeferred(v.left, ctx, depth + 1),
        right: resolveDeferred(v.right, ctx, depth + 1),
      };
    case 'relative-time-expr':
      return { ...v, delta: resolveDeferred(v.delta, ctx, depth + 1) };
    default:
      return v;
  }
}

/** A condition with parameters and helper calls resolved (see resolveDeferred). */
export function resolveCond(c: Cond, ctx: InterpretContext, depth = 0): Cond {
  if (depth > 32) return c;
  switch (c.kind) {
    case 'param': {
      const b = ctx.bindings?.[c.index];
      if (!b) return { kind: 'unknown', expression: c.expression };
      const v = resolveDeferred(b, ctx, depth + 1);
      return paramTest(c, v);
    }
    case 'call': {
      if (ctx.bindOnly) return c;
      if (ctx.functions?.isReferer(c.call, ctx.selfClass)) {
        // Without a Referer the helper returns false (and parse_url() of that, null): the test on that.
        const holds = c.test
          ? clientTestWhenAbsent(c.test.urlPart ? null : false, c.test.op, c.test.literal, c.test.strict)
          : false;
        return {
          kind: 'client',
          header: 'Referer',
          whenAbsent: c.negated ? !holds : holds,
          expression: c.expression,
        };
      }
      // A scheme helper's result compared with something: not modelled.
      if (c.test) return { kind: 'unknown', expression: c.expression };
      const source = ctx.functions?.lookup(c.call, ctx.selfClass) ?? c.fallback;
      if (!source) return { kind: 'unknown', expression: c.expression };
      return { kind: 'request', source, negated: c.negated, expression: c.expression };
    }
    case 'and':
    case 'or':
      return foldLogic(
        c.kind === 'and',
        resolveCond(c.a, ctx, depth + 1),
        resolveCond(c.b, ctx, depth + 1),
        c.expression,
      );
    default:
      return c;
  }
}

/** A test on a parameter, given the parameter's value. */
function paramTest(c: Extract<Cond, { kind: 'param' }>, v: PhpValue): Cond {
  const unknown: Cond = { kind: 'unknown', expression: c.expression };
  // Bound to a parameter of the caller: the same test on that one (decided at the caller's calls).
  if (v.kind === 'param') return { ...c, index: v.index, name: v.name };
  if (c.test === 'array' || c.test === 'not-array') {
    if (v.kind === 'array') return { kind: 'const', value: c.test === 'array' };
    if (
      v.kind === 'literal' ||
      v.kind === 'relative-time' ||
      v.kind === 'relative-time-expr' ||
      v.kind === 'arith' ||
      v.kind === 'request' ||
      v.kind === 'template'
    )
      return { kind: 'const', value: c.test === 'not-array' };
    return unknown;
  }
  if (v.kind === 'literal') {
    switch (c.test) {
      case 'eq':
        return { kind: 'const', value: v.value === (c.literal ?? null) };
      case 'ne':
        return { kind: 'const', value: v.value !== (c.literal ?? null) };
      case 'truthy':
        return { kind: 'const', value: phpTruthy(v.value) };
      case 'falsy':
        return { kind: 'const', value: !phpTruthy(v.value) };
    }
  }
  if (v.kind === 'array' && !v.open && (c.test === 'truthy' || c.test === 'falsy'))
    return { kind: 'const', value: v.entries.length > 0 === (c.test === 'truthy') };
  if (v.kind === 'client')
    return {
      kind: 'client',
      header: v.header,
      whenAbsent: clientTestWhenAbsent(v.absent, c.test, c.literal ?? null, true),
      expression: c.expression,
    };
  if (v.kind === 'request' && (c.test === 'truthy' || c.test === 'falsy'))
    return { kind: 'request', source: v.source, negated: c.test === 'falsy', expression: c.expression };
  if (v.kind === 'conditional' && (c.test === 'truthy' || c.test === 'falsy')) {
    const t = v.whenTrue.kind === 'literal' ? phpTruthy(v.whenTrue.value) : null;
    const f = v.whenFalse.kind === 'literal' ? phpTruthy(v.whenFalse.value) : null;
    if (t !== null && f !== null && t !== f) {
      const inner = t ? v.cond : negate(v.cond, c.expression);
      return c.test === 'truthy' ? inner : negate(inner, c.expression);
    }
  }
  return unknown;
}

/** `sem` turns a PHP literal into the attribute's value (null: PHP would use its default). */
export type Semantics<T> = (v: Literal) => T | null;

export function interpret<T>(
  v: PhpValue,
  sem: Semantics<T>,
  ctx: InterpretContext,
  onNull: () => Interp<T>,
): Interp<T> {
  const depth = ctx.depth ?? 0;
  if (depth > 8) return { kind: 'unknown', reason: 'value defined through too many indirections' };
  if (v.kind === 'param' || v.kind === 'call' || v.kind === 'conditional' || v.kind === 'merge')
    v = resolveDeferred(v, ctx);
  switch (v.kind) {
    case 'literal': {
      const x = sem(v.value);
      return x === null ? onNull() : { kind: 'value', value: x };
    }
    case 'request':
      return { kind: 'auto', source: v.source };
    case 'client': {
      // What the client sends is the client's choice: judged by a request without the header.
      const x = sem(v.absent);
      const why = `${v.expression} is the ${v.header} header the client sends; without one`;
      return x === null ? onNull() : { kind: 'value', value: x, why };
    }
    case 'constant': {
      const defs = ctx.constants.get(v.name) ?? [];
      if (defs.length === 0)
        return { kind: 'unknown', reason: `constant ${v.name} is not defined in the scanned files` };
      const distinct = new Set(defs.map((d) => JSON.stringify(d)));
      if (distinct.size > 1)
        return {
          kind: 'unknown',
          reason: `constant ${v.name} is defined several times with different values`,
        };
      return interpret(defs[0]!, sem, { ...ctx, depth: depth + 1 }, onNull);
    }
    case 'arith': {
      const n = numberOf(v, ctx);
      if (n === null) return { kind: 'unknown', reason: `${v.expression}: not a fixed number` };
      const x = sem(n);
      return x === null ? onNull() : { kind: 'value', value: x };
    }
    case 'env':
      return interpretEnv(v, sem, ctx, onNull);
    case 'conditional':
      return interpretConditional(v, sem, ctx, onNull);
    default:
      return {
        kind: 'unknown',
        reason: `${'expression' in v ? v.expression : 'array'}: ${v.kind === 'unknown' ? v.reason : 'not a fixed value'}`,
      };
  }
}

/**
 * The number a value amounts to, with the project's constants (`365 * DAY_IN_SECONDS`, a constant
 * defined as such), or null when it is not a fixed number.
 */
export function numberOf(v: PhpValue, ctx: InterpretContext, depth = 0): number | null {
  if (depth > 16) return null;
  switch (v.kind) {
    case 'literal':
      if (typeof v.value === 'number') return v.value;
      if (typeof v.value === 'string' && /^\s*[+-]?\d+(\.\d+)?\s*$/.test(v.value)) return Number(v.value);
      return null;
    case 'constant': {
      const defs = ctx.constants.get(v.name) ?? [];
      const distinct = new Set(defs.map((d) => JSON.stringify(d)));
      return defs.length > 0 && distinct.size === 1 ? numberOf(defs[0]!, ctx, depth + 1) : null;
    }
    case 'arith': {
      const l = numberOf(v.left, ctx, depth + 1);
      const r = l === null ? null : numberOf(v.right, ctx, depth + 1);
      if (l === null || r === null) return null;
      return v.op === '+' ? l + r : v.op === '-' ? l - r : l * r;
    }
    default:
      return null;
  }
}

/** Seconds from now of a timestamp written relative to now (`time() - 3600`, `time() - YEAR_IN_SECONDS`), or null. */
export function relativeSeconds(v: PhpValue, ctx: InterpretContext): number | null {
  if (v.kind === 'relative-time') return v.seconds;
  if (v.kind === 'relative-time-expr') return numberOf(v.delta, ctx);
  return null;
}

function envLiteral(v: Extract<PhpValue, { kind: 'env' }>, raw: string): Literal {
  if (v.cast === 'bool')
    return v.via === 'env'
      ? phpTruthy(laravelEnv(raw))
      : v.expression.includes('filter_var')
        ? filterBool(raw)
        : phpTruthy(raw);
  return v.via === 'env' ? laravelEnv(raw) : raw;
}

function interpretEnv<T>(
  v: Extract<PhpValue, { kind: 'env' }>,
  sem: Semantics<T>,
  ctx: InterpretContext,
  onNull: () => Interp<T>,
): Interp<T> {
  const perEnv: EnvResolution<T | 'auto'>['perEnv'] = [];
  const fallback = (): Interp<T> => {
    if (v.default) return interpret(v.default, sem, { ...ctx, depth: (ctx.depth ?? 0) + 1 }, onNull);
    // getenv() of an unset variable is false; $_ENV / $_SERVER give null (plus a warning); env() null.
    return v.via === 'getenv' ? interpret({ kind: 'literal', value: false }, sem, ctx, onNull) : onNull();
  };
  for (const f of ctx.envFiles) {
    const raw = f.variables[v.variable];
    if (raw === undefined) {
      perEnv.push({ label: labelOf(f), ...single(fallback()), file: f.file, fromDefault: true });
    } else if (raw === REDACTED) {
      perEnv.push({ label: labelOf(f), value: 'unknown', file: f.file, fromDefault: false });
    } else {
      const x = interpret({ kind: 'literal', value: envLiteral(v, raw) }, sem, ctx, onNull);
      perEnv.push({ label: labelOf(f), ...single(x), file: f.file, fromDefault: false });
    }
  }
  if (perEnv.every((e) => e.fromDefault)) {
    const d = fallback();
    if (d.kind === 'unknown') return d;
    if (!v.default && v.via !== 'env') {
      return { kind: 'unknown', reason: `${v.expression} reads ${v.variable}, which no .env file sets` };
    }
    return d;
  }
  if (ctx.unsetEnvironment && !perEnv.some((e) => e.fromDefault))
    perEnv.push({ label: `${v.variable} unset`, ...single(fallback()), fromDefault: true });
  return { kind: 'per-env', condition: `${v.variable} (${v.expression})`, res: { perEnv } };
}

function single<T>(x: Interp<T>): { value: T | 'auto' | 'unknown' } {
  if (x.kind === 'value') return { value: x.value };
  if (x.kind === 'auto') return { value: 'auto' };
  if (x.kind === 'per-env') {
    const vals = x.res.perEnv.map((e) => e.value);
    return { value: vals.every((y) => y === vals[0]) && vals.length ? vals[0]! : 'unknown' };
  }
  return { value: 'unknown' };
}

function testCond(c: Extract<Cond, { kind: 'env' }>, raw: string | undefined): boolean {
  switch (c.test) {
    case 'eq':
      return raw !== undefined && raw === String(c.literal);
    case 'ne':
      return raw === undefined || raw !== String(c.literal);
    case 'truthy':
      return raw !== undefined && phpTruthy(raw);
    case 'falsy':
      return raw === undefined || !phpTruthy(raw);
    case 'prefix':
      return raw !== undefined && raw.startsWith(String(c.literal ?? ''));
    case 'not-prefix':
      return raw === undefined || !raw.startsWith(String(c.literal ?? ''));
  }
}

function interpretConditional<T>(
  v: Extract<PhpValue, { kind: 'conditional' }>,
  sem: Semantics<T>,
  ctx: InterpretContext,
  onNull: () => Interp<T>,
): Interp<T> {
  const c = v.cond;
  const sub = { ...ctx, depth: (ctx.depth ?? 0) + 1 };
  if (c.kind === 'client') {
    // The branch a request without the header takes: every client can send such a request, and with the
    // header the value is whatever the client chose.
    const x = interpret(c.whenAbsent ? v.whenTrue : v.whenFalse, sem, sub, onNull);
    if (x.kind !== 'value') return x;
    return {
      ...x,
      why: `${c.expression} depends on the ${c.header} header the client sends, and a request without one gets this value${x.why ? `; ${x.why}` : ''}`,
    };
  }
  const t = single(interpret(v.whenTrue, sem, sub, onNull));
  const f = single(interpret(v.whenFalse, sem, sub, onNull));
  if (c.kind === 'request') {
    // `isHttps ? true : false` was already folded to a request value by the evaluator.
    return {
      kind: 'unknown',
      reason: `${v.expression} depends on the request in a way the scanner does not model`,
    };
  }
  if (c.kind !== 'env')
    return {
      kind: 'unknown',
      reason: `${v.expression} depends on ${c.kind === 'const' ? 'a constant' : c.expression}`,
    };
  if (t.value === f.value)
    return t.value === 'unknown'
      ? { kind: 'unknown', reason: v.expression }
      : t.value === 'auto'
        ? { kind: 'auto', source: 'server' }
        : { kind: 'value', value: t.value as T };
  const perEnv: EnvResolution<T | 'auto'>['perEnv'] = [];
  for (const file of ctx.envFiles) {
    const raw = file.variables[c.variable];
    if (raw === undefined) continue;
    const holds = testCond(c, raw);
    perEnv.push({
      label: labelOf(file),
      value: holds ? t.value : f.value,
      file: file.file,
      fromDefault: false,
    });
  }
  if (c.test === 'eq' && c.literal !== undefined && !perEnv.some((e) => e.label === String(c.literal))) {
    perEnv.push({ label: String(c.literal), value: t.value, fromDefault: false });
  }
  if (c.test === 'ne' && c.literal !== undefined && !perEnv.some((e) => e.label === String(c.literal))) {
    perEnv.push({ label: String(c.literal), value: f.value, fromDefault: false });
  }
  // The environments no file names: another value (eq / ne) or the variable unset.
  const holdsWhenOther = !(c.test === 'eq' || c.test === 'truthy' || c.test === 'prefix');
  if (!perEnv.some((e) => e.value === (holdsWhenOther ? t.value : f.value))) {
    perEnv.push({
      label: c.test === 'eq' || c.test === 'ne' ? 'other environments' : `${c.variable} unset`,
      value: holdsWhenOther ? t.value : f.value,
      fromDefault: false,
    });
  }
  return { kind: 'per-env', condition: c.expression, res: { perEnv } };
}

/** Name of an environment for a .env file: `.env.production` → production; `.env` → its APP_ENV, else 'default'. */
export function labelOf(f: EnvFile): string {
  if (f.base === '.env') {
    const appEnv = f.variables['APP_ENV'];
    return appEnv ? `${appEnv} (.env)` : '.env';
  }
  return f.suffix;
}

/** An Interp as an Attr (for boolean-like attributes where 'auto' is allowed). */
export function attrOf<T>(
  x: Interp<T>,
  where: { location?: CodeLocation; evidence?: string },
  whenUnset: () => Attr<T | 'auto'>,
  collapse?: (entries: { label: string; value: T | 'auto' | 'unknown' }[]) => T | 'auto' | null,
): Attr<T | 'auto'> {
  switch (x.kind) {
    case 'value':
      return explicit<T | 'auto'>(
        x.value,
        where.location,
        x.why && where.evidence ? `${where.evidence} (${x.why})` : where.evidence,
      );
    case 'auto':
      return explicit<T | 'auto'>('auto', where.location, where.evidence);
    case 'per-env':
      return attrFromEnvironments<T | 'auto'>(x.res, {
        condition: x.condition,
        location: where.location ?? { file: '', line: 1, column: 1 },
        evidence: where.evidence ?? x.condition,
        whenUnset,
        ...(collapse ? { collapse } : {}),
      });
    default:
      return unknownAttr<T | 'auto'>(x.reason, where.location, where.evidence);
  }
}

export function productionValue<T>(x: Interp<T>): T | 'auto' | 'unknown' {
  if (x.kind === 'value') return x.value;
  if (x.kind === 'auto') return 'auto';
  if (x.kind === 'per-env') return x.res.perEnv.find((e) => isProductionName(e.label))?.value ?? 'unknown';
  return 'unknown';
}

/** Marker for "the framework receives null here" (an unset env() without default): the framework's default applies. */
export const NULL_MARK = '\u0000null';

/**
 * An attribute whose code value may be null (then the framework default applies, possibly per
 * environment): `sem` maps a non-null literal; `dflt` is the framework's value for null.
 */
export function attrWithDefault<T>(
  v: PhpValue,
  sem: (l: Exclude<Literal, null>) => T,
  ctx: InterpretContext,
  where: { location: CodeLocation; evidence: string },
  dflt: { value: T | 'auto' | 'unknown'; attr: () => Attr<T | 'auto'> },
  collapse?: (entries: { label: string; value: T | 'auto' | 'unknown' }[]) => T | 'auto' | null,
): { attr: Attr<T | 'auto'>; request?: RequestSource; usesDefault: boolean } {
  type M = T | typeof NULL_MARK;
  const x = interpret<M>(
    v,
    (l) => (l === null ? NULL_MARK : sem(l)),
    ctx,
    () => ({ kind: 'value', value: NULL_MARK }),
  );
  if (x.kind === 'value') {
    if (x.value === NULL_MARK) return { attr: dflt.attr(), usesDefault: true };
    return { attr: explicit<T | 'auto'>(x.value as T, where.location, where.evidence), usesDefault: false };
  }
  if (x.kind === 'auto')
    return {
      attr: explicit<T | 'auto'>('auto', where.location, where.evidence),
      request: x.source,
      usesDefault: false,
    };
  if (x.kind === 'unknown')
    return { attr: unknownAttr<T | 'auto'>(x.reason, where.location, where.evidence), usesDefault: false };
  let usesDefault = false;
  const perEnv = x.res.perEnv.map((e) => {
    if (e.value === NULL_MARK) {
      usesDefault = true;
      return { ...e, value: dflt.value };
    }
    return e as { label: string; value: T | 'auto' | 'unknown'; file?: string; fromDefault: boolean };
  });
  const attr = attrFromEnvironments<T | 'auto'>(
    { perEnv },
    {
      condition: x.condition,
      location: where.location,
      evidence: where.evidence,
      whenUnset: dflt.attr,
      ...(collapse ? { collapse } : {}),
    },
  );
  return { attr, usesDefault };
}

/**
 * Secure that is true in some environments and follows the request ('auto') in others is never off:
 * report the production value (or 'auto', the weaker, when no environment is production) rather than
 * an environment-dependent value.
 */
export function secureCollapse<T>(
  entries: { label: string; value: T | 'auto' | 'unknown' }[],
): T | 'auto' | null {
  if (entries.length === 0) return null;
  if (!entries.every((e) => e.value === true || e.value === 'auto')) return null;
  const prod = entries.find((e) => isProductionName(e.label));
  if (prod) return prod.value as T | 'auto';
  return entries.some((e) => e.value === 'auto') ? 'auto' : (true as T);
}
