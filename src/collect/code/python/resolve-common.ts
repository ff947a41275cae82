/**
 * Shared resolver machinery: turning the value of a setting (a tree of alternatives: per settings
 * module, per config class, per `if` branch, each an expression) into an attribute with provenance:
 * explicit, framework default, env-dependent (condition + value per environment, from `.env*`
 * files) or unknown.
 */
import type {
  Attr,
  CodeLocation,
  CookieLifetime,
  Provenance,
  SameSiteValue,
} from '../../../model/observation.js';
import { persistentLifetime, sameSiteKeyword } from '../common/cookie.js';
import type { ProjectFacts } from '../types.js';
import {
  envVarsOf,
  evaluate,
  walkExpr,
  newEvalContext,
  refsOf,
  truthy,
  type EvalContext,
  type Outcome,
  type PyExpr,
  type PyVal,
} from './expr.js';

/** The last part of a dotted name: `app.settings.Prod` -> `Prod`. */
export function lastPart(dotted: string): string {
  return dotted.slice(dotted.lastIndexOf('.') + 1);
}

/** An environment a `.env*` file describes. */
export interface EnvFile {
  name: string;
  file: string;
  vars: Record<string, string>;
}

/**
 * `.env*` files outside test folders, as the engine's common extractor reports them. Templates
 * (`.env.example` ...) document variables and configure nothing: they are left out.
 */
export function envFiles(project: ProjectFacts): EnvFile[] {
  const out: EnvFile[] = [];
  for (const f of project.files) {
    if (f.inTestCode) continue;
    for (const x of f.facts) {
      if (x.type !== 'env-file' || x.template) continue;
      out.push({ name: x.environment, file: f.file, vars: x.variables });
    }
  }
  return out;
}

/** Where a value was decided. */
export interface Origin {
  location: CodeLocation;
  evidence: string;
  snippet?: string;
  /** True when no code set it: the framework default applies. */
  isDefault?: boolean;
}

/**
 * The value of a setting: an expression (with where it was set), a choice between alternatives
 * (settings modules, config classes), or something the scanner cannot see (a config file outside
 * the tree, `**kwargs`).
 */
export type ValueTree =
  | { kind: 'expr'; expr: PyExpr; origin: Origin }
  | {
      kind: 'switch';
      label: string;
      cases: { name: string; vt: ValueTree; resolvedFrom?: string[] }[];
      origin?: Origin;
    }
  | { kind: 'opaque'; reason: string; origin: Origin };

/** Resolves names an expression leaves open (defined in another module). */
export type NameResolver = (id: string, ctx: EvalContext) => Outcome | undefined;

export type Resolution =
  | { kind: 'constant'; value: PyVal; origin: Origin }
  | { kind: 'unknown'; reason: string; origin: Origin }
  | {
      kind: 'env';
      condition: string;
      perEnvironment: Record<string, PyVal | 'unknown'>;
      resolvedFrom: string[];
      /** The value in production when one environment is production, or when all agree. */
      value: PyVal | 'unknown';
      origin: Origin;
      /** The `.env*` file each environment came from. */
      files?: Record<string, string>;
    };

const PRODUCTION = /^(?:[\w.]+=)?(prod|production|live|prd)$/i;
const MAX_OPEN_TESTS = 3;

/** Variables that name the deployment environment (`APP_ENV`, `FLASK_ENV`, `ENVIRONMENT`, `STAGE` ...). */
const ENV_NAME_VARIABLE = /^(?:[A-Z0-9]+_)*(?:ENV|ENVIRONMENT|STAGE|DEPLOY_ENV|RUN_MODE|MODE)$/;

/**
 * Environments named in the code itself: `os.environ.get('APP_ENV') == 'production'` says what
 * happens where APP_ENV is `production`, whether or not a `.env` file sets it. Only for variables
 * that name the deployment environment, compared with a literal: a dedicated flag
 * (`SESSION_COOKIE_SECURE == 'true'`) is opt-in, and its deployed value is not known.
 */
function namedEnvironments(e: PyExpr): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const envName = (x: PyExpr): string | null => {
    let y = x;
    while (
      y.k === 'ref' ||
      (y.k === 'fn' && (y.fn === 'lower' || y.fn === 'upper' || y.fn === 'strip' || y.fn === 'str'))
    )
      y = y.k === 'ref' ? y.e : y.arg;
    return y.k === 'env' && ENV_NAME_VARIABLE.test(y.name) ? y.name : null;
  };
  const literals = (x: PyExpr): string[] => {
    let y = x;
    while (y.k === 'ref') y = y.e;
    if (y.k === 'lit' && typeof y.v === 'string') return [y.v];
    if (y.k === 'seq') return y.items.flatMap(literals);
    return [];
  };
  walkExpr(e, (x) => {
    if (x.k !== 'cmp' || x.op === '<' || x.op === '<=' || x.op === '>' || x.op === '>=') return;
    const v = envName(x.l) ?? envName(x.r);
    if (v === null) return;
    for (const lit of literals(envName(x.l) ? x.r : x.l)) {
      if (lit === '') continue;
      let set = out.get(v);
      if (!set) out.set(v, (set = new Set()));
      set.add(lit);
    }
  });
  return out;
}

/** Human description of an expression with the names it was inlined from. */
export function describe(expr: PyExpr): string {
  const refs = [...refsOf(expr).entries()].filter(([, r]) => r.text);
  const extra = refs.map(([, r]) => `${r.text}${r.loc ? ` (line ${r.loc.line})` : ''}`);
  return extra.length > 0 ? `${expr.t}, where ${extra.join(', ')}` : expr.t;
}

/** Variables the expression reads as a required boolean (no default: unset stops the app). */
function requiredBooleans(e: PyExpr): string[] {
  const out = new Set<string>();
  walkExpr(e, (x) => {
    if (x.k === 'env' && x.required && (x.cast === 'bool-strict' || x.cast === 'bool-environ'))
      out.add(x.name);
  });
  return [...out].sort();
}

function render(o: Outcome): PyVal | 'unknown' {
  return o.ok ? o.v : 'unknown';
}

/** Evaluates one expression in every environment it can depend on. */
export function resolveExpr(
  expr: PyExpr,
  origin: Origin,
  envs: EnvFile[],
  names?: NameResolver,
  map: (v: PyVal) => PyVal = (v) => v,
): Resolution {
  const mk = (
    env: Record<string, string>,
    assume?: Map<string, boolean>,
  ): { ctx: EvalContext; out: Outcome } => {
    const ctx = newEvalContext(env);
    ctx.name = names ? (id) => names(id, ctx) : undefined;
    if (assume) ctx.assume = assume;
    const out = evaluate(expr, ctx);
    return { ctx, out: out.ok ? { ok: true, v: map(out.v) } : out };
  };
  const base = mk({});
  const vars = new Set([...envVarsOf(expr), ...base.ctx.varsRead]);
  const open = [...base.ctx.openTests];
  if (vars.size === 0 && open.length === 0) {
    if (base.out.ok) return { kind: 'constant', value: base.out.v, origin };
    return { kind: 'unknown', reason: base.out.reason, origin };
  }
  const perEnvironment: Record<string, PyVal | 'unknown'> = {};
  const resolvedFrom: string[] = [];
  const files: Record<string, string> = {};
  if (open.length > 0 && open.length <= MAX_OPEN_TESTS) {
    // Conditions the scanner cannot decide (`if app.debug:`): report the value on each side.
    const n = open.length;
    for (let mask = 0; mask < 1 << n; mask++) {
      const assume = new Map<string, boolean>();
      const label = open.map((t, i) => {
        const b = ((mask >> i) & 1) === 1;
        assume.set(t, b);
        return b ? `when ${t}` : t.startsWith('not ') ? `when ${t.slice(4)}` : `when not (${t})`;
      });
      perEnvironment[label.join(' and ')] = render(mk({}, assume).out);
    }
  } else if (open.length > MAX_OPEN_TESTS) {
    return { kind: 'unknown', reason: `depends on ${open.length} conditions`, origin };
  } else {
    for (const e of envs) {
      if (![...vars].some((v) => v in e.vars)) continue;
      const r = mk(e.vars);
      perEnvironment[e.name] = render(r.out);
      files[e.name] = e.file;
      resolvedFrom.push(e.file);
    }
    // Environments the code names (APP_ENV == 'production') that no .env file describes.
    for (const [variable, values] of namedEnvironments(expr)) {
      if (envs.some((e) => variable in e.vars)) continue;
      for (const value of [...values].sort())
        perEnvironment[`${variable}=${value}`] = render(mk({ [variable]: value }).out);
    }
    // A required boolean variable no file sets (a pydantic `PRODUCTION: bool` field,
    // `env.bool('X')` without default): the app runs with either value, so both are environments.
    for (const variable of requiredBooleans(expr)) {
      if (envs.some((e) => variable in e.vars)) continue;
      for (const value of ['true', 'false'])
        perEnvironment[`${variable}=${value}`] = render(mk({ [variable]: value }).out);
    }
    // The value when none of the variables is set (the code's default), unless that is an error
    // (a required variable): then the app does not start without it.
    if (base.out.ok || !base.out.error) perEnvironment['variables unset'] = render(base.out);
  }
  const values = Object.entries(perEnvironment);
  const prod = values.find(([k]) => PRODUCTION.test(k));
  let value: PyVal | 'unknown' = 'unknown';
  if (prod) value = prod[1];
  else if (values.length > 0 && values.every(([, v]) => sameVal(v, values[0]![1]))) value = values[0]![1];
  const vlist = [...vars].sort();
  const condition = describe(expr) + (vlist.length > 0 ? ` (environment: ${vlist.join(', ')})` : '');
  return { kind: 'env', condition, perEnvironment, resolvedFrom, value, origin, files };
}

function sameVal(a: PyVal | 'unknown', b: PyVal | 'unknown'): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Resolves a value tree: alternatives become environments named after their case. */
export function resolveTree(
  vt: ValueTree,
  envs: EnvFile[],
  names?: NameResolver,
  map?: (v: PyVal) => PyVal,
): Resolution {
  if (vt.kind === 'opaque') return { kind: 'unknown', reason: vt.reason, origin: vt.origin };
  if (vt.kind === 'expr') return resolveExpr(vt.expr, vt.origin, envs, names, map);
  const parts = vt.cases.map((c) => ({ c, r: resolveTree(c.vt, envs, names, map) }));
  const first = parts[0];
  if (!first)
    return {
      kind: 'unknown',
      reason: 'no alternative',
      origin: vt.origin ?? { location: { file: '', line: 1, column: 1 }, evidence: '' },
    };
  // All alternatives give the same constant: no dependence on the environment.
  const firstR = first.r;
  if (
    firstR.kind === 'constant' &&
    parts.every((p) => p.r.kind === 'constant' && sameVal(p.r.value, firstR.value))
  ) {
    const prod = parts.find((p) => PRODUCTION.test(p.c.name)) ?? first;
    return prod.r;
  }
  const perEnvironment: Record<string, PyVal | 'unknown'> = {};
  const resolvedFrom: string[] = [];
  const conditions: string[] = [];
  for (const { c, r } of parts) {
    if (c.resolvedFrom) resolvedFrom.push(...c.resolvedFrom);
    if (r.kind === 'constant') perEnvironment[c.name] = r.value;
    else if (r.kind === 'unknown') perEnvironment[c.name] = 'unknown';
    else {
      for (const [k, v] of Object.entries(r.perEnvironment)) {
        const file = r.files?.[k];
        const sub = k === 'variables unset' ? 'variables unset' : file ? (file.split('/').pop() ?? file) : k;
        perEnvironment[`${c.name}, ${sub}`] = v;
      }
      resolvedFrom.push(...r.resolvedFrom);
      conditions.push(`${c.name}: ${r.condition}`);
    }
  }
  const prod = parts.find((p) => PRODUCTION.test(p.c.name));
  let value: PyVal | 'unknown' = 'unknown';
  if (prod)
    value = prod.r.kind === 'constant' ? prod.r.value : prod.r.kind === 'env' ? prod.r.value : 'unknown';
  const origin = (prod ?? first).r.origin;
  const condition = vt.label + (conditions.length > 0 ? `; ${conditions.join('; ')}` : '');
  return { kind: 'env', condition, perEnvironment, resolvedFrom: [...new Set(resolvedFrom)], value, origin };
}

/** Framework-default provenance, with the version the default was verified in. */
export interface DefaultInfo {
  framework: string;
  version?: string;
  note?: string;
}

/** An Attr from a resolution; `convert` maps the Python value to the attribute's value. */
export function toAttr<T>(r: Resolution, convert: (v: PyVal) => T, dflt: DefaultInfo): Attr<T> {
  const origin = r.origin;
  const base = { location: origin.location, evidence: origin.evidence };
  if (r.kind === 'unknown') {
    return { value: 'unknown', provenance: { kind: 'unknown', reason: r.reason }, ...base };
  }
  if (r.kind === 'constant') {
    const provenance: Provenance = origin.isDefault
      ? {
          kind: 'framework-default',
          framework: dflt.framework,
          ...(dflt.version ? { version: dflt.version } : {}),
          ...(dflt.note ? { note: dflt.note } : {}),
        }
      : { kind: 'explicit' };
    return { value: convert(r.value), provenance, ...base };
  }
  const perEnvironment: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r.perEnvironment))
    perEnvironment[k] = v === 'unknown' ? 'unknown' : convert(v);
  const provenance: Provenance = {
    kind: 'env-dependent',
    condition: r.condition,
    perEnvironment,
    ...(r.resolvedFrom.length > 0 ? { resolvedFrom: r.resolvedFrom } : {}),
  };
  return { value: r.value === 'unknown' ? 'unknown' : convert(r.value), provenance, ...base };
}

export const toBool = (v: PyVal): boolean => truthy(v);

/**
 * SameSite as the frameworks write it: None / False / '' leave the attribute out; Lax, Strict and
 * None (any case) are written; anything else is invalid (Werkzeug and Django raise ValueError,
 * Starlette writes it as is).
 */
export function toSameSite(v: PyVal): SameSiteValue {
  if (v === null || v === false || v === '') return 'unset';
  return typeof v === 'string' ? sameSiteKeyword(v.trim()) : 'invalid';
}

export const toStr = (v: PyVal): string => (v === null ? '' : String(v));

/** Lifetime from a resolved max-age in seconds (null = browser session). */
export function lifetimeOf(r: Resolution | null): CookieLifetime {
  if (!r || r.kind !== 'constant') return { kind: 'unknown' };
  const v = r.value;
  if (v === null) return { kind: 'session' };
  if (typeof v === 'number')
    return persistentLifetime(v, { location: r.origin.location, evidence: r.origin.evidence });
  return { kind: 'unknown' };
}

/** A constant string value, or null. */
export function constString(r: Resolution): string | null {
  return r.kind === 'constant' && typeof r.value === 'string' ? r.value : null;
}

/** The first string literal in an expression tree equal to `value` (to locate `'django.contrib.sessions'`). */
export function findLiteral(e: PyExpr, value: string, depth = 0): CodeLocation | null {
  if (depth > 80) return null;
  switch (e.k) {
    case 'lit':
      return e.v === value && e.loc ? e.loc : null;
    case 'seq':
      for (const it of e.items) {
        const l = findLiteral(it, value, depth + 1);
        if (l) return l;
      }
      return null;
    case 'ref':
    case 'not':
      return findLiteral(e.e, value, depth + 1);
    case 'arith':
    case 'bool':
    case 'cmp':
      return findLiteral(e.l, value, depth + 1) ?? findLiteral(e.r, value, depth + 1);
    case 'if':
      return findLiteral(e.then, value, depth + 1) ?? findLiteral(e.else, value, depth + 1);
    default:
      return null;
  }
}

/** A version number `x.y.z` from a dependency specifier (`==0.5.0`, `^0.6`, `0.6.2`), as [major, minor, patch]. */
export function versionOf(spec: string | null | undefined): [number, number, number] | null {
  if (!spec) return null;
  const m = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(spec);
  if (!m) return null;
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

/** The version spec of a PyPI dependency (names compared as PEP 503 normalises them). */
export function pypiVersion(project: ProjectFacts, name: string): string | null | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[-_.]+/g, '-');
  for (const f of project.files) {
    for (const x of f.facts) {
      if (x.type === 'dependency' && x.ecosystem === 'pypi' && norm(x.name) === norm(name)) return x.version;
    }
  }
  return undefined;
}
