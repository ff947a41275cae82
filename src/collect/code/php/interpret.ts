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
import { laravelEnv, filterBool, phpTruthy, type Cond, type Literal, type PhpValue } from './values.js';

export type RequestSource = 'server' | 'forwarded' | 'framework' | 'mixed';

export type Interp<T> =
  | { kind: 'value'; value: T }
  | { kind: 'auto'; source: RequestSource }
  | { kind: 'per-env'; condition: string; res: EnvResolution<T | 'auto'> }
  | { kind: 'unknown'; reason: string };

export interface InterpretContext {
  /** .env files that apply (most specific last), or none. */
  envFiles: EnvFile[];
  /** PHP constants defined in the project: name → values (several definitions: ambiguous). */
  constants: Map<string, PhpValue[]>;
  /** Laravel's env() converts "true"/"false"/"null"/"empty"; getenv() returns raw strings. */
  depth?: number;
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
  switch (v.kind) {
    case 'literal': {
      const x = sem(v.value);
      return x === null ? onNull() : { kind: 'value', value: x };
    }
    case 'request':
      return { kind: 'auto', source: v.source };
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
  if (!perEnv.some((e) => e.value === (c.test === 'eq' || c.test === 'truthy' ? f.value : t.value))) {
    perEnv.push({
      label: c.test === 'eq' || c.test === 'ne' ? 'other environments' : `${c.variable} unset`,
      value: c.test === 'eq' || c.test === 'truthy' ? f.value : t.value,
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
      return explicit<T | 'auto'>(x.value, where.location, where.evidence);
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
