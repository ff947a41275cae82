/**
 * What a module exports that another module may pass to a cookie or session API: option objects
 * (`export const sessionConfig = {...}`, `module.exports = { cookie: {...} }`) flattened to their
 * cookie-related keys, and scalar values that are environment conditions or constants
 * (`export const isProd = process.env.NODE_ENV === 'production'`). The resolver substitutes them for
 * values the importing file could not resolve (SettingValue `unknown` with a `ref`).
 *
 * Only keys named like cookie options are kept, so that secrets never become facts.
 */
import type { SgNode } from '@ast-grep/napi';
import type { CodeLocation } from '../../../model/observation.js';
import type { CodeFact, EnvTest, SettingValue } from '../types.js';
import {
  args,
  asObject,
  ENVALID_PRODUCTION,
  keyName,
  memberChain,
  stringValue,
  unwrap,
  type JsFile,
  type Val,
} from './context.js';

/** The `data` of an `other` fact with key `js-export`. */
export interface JsExportData {
  /** Export name ('default' for `export default` / `module.exports`). */
  name: string;
  /** A scalar export (environment condition, constant). */
  value?: SettingValue;
  /** An object export: dotted path -> value, for keys named like cookie options; `x.*`: open object. */
  values?: Record<string, { value: SettingValue; location: CodeLocation; evidence: string }>;
}

export const EXPORT_KEY = 'js-export';

const COOKIE_KEYS = new Set([
  'name',
  'key',
  'cookieName',
  'sessionName',
  'secure',
  'httpOnly',
  'sameSite',
  'domain',
  'path',
  'maxAge',
  'expires',
  'proxy',
  'useSecureCookies',
  'partitioned',
  'prefix',
  'ttl',
  'secureProxy',
]);
const MAX_DEPTH = 5;

function flatten(ctx: JsFile, v: Val, site: SgNode): JsExportData['values'] {
  const out: NonNullable<JsExportData['values']> = {};
  const walk = (val: Val, prefix: string, at: SgNode, depth: number) => {
    const obj = asObject(val, at);
    if (!obj) {
      if (prefix)
        out[`${prefix}.*`] = { value: ctx.toSetting(val), location: ctx.loc(at), evidence: ctx.evidence(at) };
      return;
    }
    for (const [key, p] of obj.props) {
      const path = prefix ? `${prefix}.${key}` : key;
      const sub = p.val.t === 'obj' || p.val.t === 'cond' ? asObject(p.val, p.site) : null;
      const envCondition = p.val.t === 'env' || (p.val.t === 'cond' && !sub);
      if ((COOKIE_KEYS.has(key) || envCondition) && !sub) {
        out[path] = {
          value: ctx.toSetting(p.val, { key: path, autoAware: true }),
          location: ctx.loc(p.site),
          evidence: ctx.evidence(p.site),
        };
      } else if (sub && depth < MAX_DEPTH) walk(sub, path, p.site, depth + 1);
      else if (p.val.t === 'unknown')
        out[`${path}.*`] = {
          value: ctx.toSetting(p.val),
          location: ctx.loc(p.site),
          evidence: ctx.evidence(p.site),
        };
    }
    if (obj.open) {
      out[prefix ? `${prefix}.*` : '*'] = {
        value: { kind: 'unknown', expression: obj.node.text().split('\n')[0], reason: obj.open },
        location: ctx.loc(obj.node ?? site),
        evidence: ctx.evidence(obj.node ?? site),
      };
    }
  };
  walk(v, '', site, 0);
  return out;
}

/** Words without which a value cannot matter to a cookie (a cheap test before evaluating big exports). */
export const RELEVANT =
  /\b(?:secure|samesite|httponly|maxage|expires|domain|cookies?|cookieName|cookieOptions|session|sessionToken|proxy|useSecureCookies|key|name)['"]?\s*:|node_env|process\.env|import\.meta\.env/i;

/** The accessors envalid adds to a cleaned environment (envalid 8 src/middleware.ts accessorMiddleware). */
function envalidAccessors(ctx: JsFile, site: SgNode): NonNullable<JsExportData['values']> {
  const at = { location: ctx.loc(site), evidence: ctx.evidence(site) };
  const cond = (name: string, condition: string, test: EnvTest) => ({
    value: {
      kind: 'conditional' as const,
      condition,
      variable: 'NODE_ENV',
      whenTrue: true,
      whenFalse: false,
      expression: `env.${name}`,
      test,
    },
    ...at,
  });
  const prod = (name: string) =>
    cond(name, `envalid's ${name} (NODE_ENV unset or 'production')`, ENVALID_PRODUCTION);
  const eq = (name: string, value: string) =>
    cond(name, `envalid's ${name} (NODE_ENV === '${value}')`, { op: 'eq', variable: 'NODE_ENV', value });
  return {
    isProduction: prod('isProduction'),
    isProd: prod('isProd'),
    isDevelopment: eq('isDevelopment', 'development'),
    isDev: eq('isDev', 'development'),
    isTest: eq('isTest', 'test'),
  };
}

function isEnvalidEnv(ctx: JsFile, node: SgNode): boolean {
  const o = ctx.origin(node);
  return (
    !!o &&
    o.kind === 'call' &&
    !!o.of &&
    o.of.kind === 'module' &&
    o.of.ref.module === 'envalid' &&
    ['cleanEnv', 'customCleanEnv'].includes(o.of.ref.path[0] ?? '')
  );
}

function exportFact(ctx: JsFile, name: string, valueNode: SgNode, site: SgNode): CodeFact | null {
  if (!RELEVANT.test(relevantText(ctx, valueNode))) return null;
  if (isEnvalidEnv(ctx, valueNode))
    return {
      type: 'other',
      framework: 'javascript',
      key: EXPORT_KEY,
      data: { name, values: envalidAccessors(ctx, site) } satisfies JsExportData,
      location: ctx.loc(site),
      evidence: ctx.evidence(site),
    };
  const v = ctx.evaluate(valueNode);
  let data: JsExportData | null = null;
  if (v.t === 'obj') {
    const values = flatten(ctx, v, site);
    if (values && Object.keys(values).some((k) => !k.endsWith('*'))) data = { name, values };
  } else if (v.t === 'cond' || v.t === 'env' || (v.t === 'lit' && typeof v.v === 'boolean')) {
    data = { name, value: ctx.toSetting(v) };
  }
  if (!data) return null;
  return {
    type: 'other',
    framework: 'javascript',
    key: EXPORT_KEY,
    data,
    location: ctx.loc(site),
    evidence: ctx.evidence(site),
  };
}

/** The text of a value, or of the declaration an exported identifier refers to. */
function relevantText(ctx: JsFile, node: SgNode): string {
  const n = unwrap(node);
  if (n.kind() !== 'identifier' && n.kind() !== 'shorthand_property_identifier') return n.text();
  if (!ctx.declaredInFile(n.text())) return '';
  const b = ctx.resolveName(n.text(), n);
  return b && b.kind === 'decl' ? b.decl.text() : '';
}

export function detectExports(ctx: JsFile): CodeFact[] {
  const out: CodeFact[] = [];
  const push = (f: CodeFact | null) => {
    if (f) out.push(f);
  };
  for (const ex of ctx.candidates('export_statement')) {
    if (ex.field('source')) continue; // re-export from another module
    const decl = ex.field('declaration');
    if (decl && (decl.kind() === 'lexical_declaration' || decl.kind() === 'variable_declaration')) {
      for (const d of decl.namedChildren()) {
        if (d.kind() !== 'variable_declarator') continue;
        const name = d.field('name');
        const value = d.field('value');
        if (name && name.kind() === 'identifier' && value) push(exportFact(ctx, name.text(), value, d));
      }
      continue;
    }
    const value = ex.field('value');
    if (value && ex.children().some((c) => c.kind() === 'default')) {
      push(exportFact(ctx, 'default', value, ex));
      continue;
    }
    const clause = ex.namedChildren().find((c) => c.kind() === 'export_clause');
    for (const spec of clause?.namedChildren() ?? []) {
      if (spec.kind() !== 'export_specifier') continue;
      const local = spec.field('name');
      const alias = spec.field('alias');
      if (!local || local.kind() !== 'identifier') continue;
      push(exportFact(ctx, (alias ?? local).text(), local, spec));
    }
  }
  // CommonJS: module.exports = v; module.exports.x = v; exports.x = v
  for (const assign of ctx.candidates('assignment_expression')) {
    const chain = memberChain(assign.field('left') as SgNode);
    const right = assign.field('right');
    if (!chain || !right) continue;
    const path = chain.root.text() === 'module' ? chain.path : ['exports', ...chain.path];
    if (chain.root.text() !== 'module' && chain.root.text() !== 'exports') continue;
    if (path[0] !== 'exports') continue;
    if (path.length === 1) {
      push(exportFact(ctx, 'default', right, assign));
      // module.exports = { a, b: {...} }: each property is also reachable as a named import
      const r = unwrap(right);
      if (r.kind() === 'object') {
        for (const p of r.namedChildren()) {
          if (p.kind() === 'pair') {
            const k = keyName(p.field('key'));
            const v = p.field('value');
            if (k && v) push(exportFact(ctx, k, v, p));
          } else if (p.kind() === 'shorthand_property_identifier') push(exportFact(ctx, p.text(), p, p));
        }
      }
    } else if (path.length === 2) push(exportFact(ctx, path[1], right, assign));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// .env files the code loads itself

export const ENV_LOAD_KEY = 'js-env-load';

/** The `data` of an `other` fact with key `js-env-load`: an env file the code loads at start. */
export interface EnvLoadData {
  /** As written: relative to the working directory (`relativeTo: 'cwd'`) or to the loading file's folder. */
  path: string;
  relativeTo: 'cwd' | 'file';
}

const DIRNAME = /^(?:__dirname|import\.meta\.dirname)$/;

/** `'.env.example'`, `path.join(__dirname, '../.env.example')`, `resolve(process.cwd(), '.env')`. */
function envPathOf(ctx: JsFile, node: SgNode): EnvLoadData | null {
  const n = unwrap(node);
  const lit = stringValue(n);
  if (lit !== null) return { path: lit, relativeTo: 'cwd' };
  if (n.kind() !== 'call_expression') return null;
  const fn = n.field('function');
  const ref = fn ? ctx.moduleRef(fn) : null;
  if (!ref || !['path', 'node:path'].includes(ref.module) || !['join', 'resolve'].includes(ref.path[0] ?? ''))
    return null;
  const a = args(n);
  if (a.length < 2) return null;
  const first = unwrap(a[0]).text();
  const relativeTo = DIRNAME.test(first) ? 'file' : /^process\.cwd\(\)$/.test(first) ? 'cwd' : null;
  if (!relativeTo) return null;
  const rest = a.slice(1).map((x) => stringValue(x));
  if (rest.some((x) => x === null)) return null;
  return { path: (rest as string[]).join('/'), relativeTo };
}

/** `process.loadEnvFile(path)` (Node 20.12+), dotenv `config({ path })` (a string or a list of paths). */
export function detectEnvLoads(ctx: JsFile): CodeFact[] {
  if (!ctx.mentions('loadenvfile', 'dotenv')) return [];
  const out: CodeFact[] = [];
  const push = (d: EnvLoadData | null, at: SgNode) => {
    if (!d) return;
    out.push({
      type: 'other',
      framework: 'javascript',
      key: ENV_LOAD_KEY,
      data: d,
      location: ctx.loc(at),
      evidence: ctx.evidence(at),
    });
  };
  const calls = ctx.root.findAll({
    rule: {
      kind: 'call_expression',
      has: { field: 'function', regex: '(?:^|\\.)(?:loadEnvFile|config|configDotenv)$' },
    },
  });
  for (const call of calls) {
    const fn = call.field('function') as SgNode;
    const a = args(call);
    if (/(?:^|\.)loadEnvFile$/.test(fn.text())) {
      if (!/^process\s*\.\s*loadEnvFile$/.test(fn.text())) continue;
      push(a[0] ? envPathOf(ctx, a[0]) : { path: '.env', relativeTo: 'cwd' }, call);
      continue;
    }
    const ref = ctx.moduleRef(fn);
    if (!ref || ref.module !== 'dotenv' || !['config', 'configDotenv'].includes(ref.path[0] ?? '')) continue;
    const opts = a[0] ? unwrap(a[0]) : null;
    if (!opts || opts.kind() !== 'object') continue;
    for (const pair of opts.namedChildren()) {
      if (pair.kind() !== 'pair' || keyName(pair.field('key')) !== 'path') continue;
      const v = unwrap(pair.field('value') as SgNode);
      const items = v.kind() === 'array' ? v.namedChildren() : [v];
      for (const item of items) push(envPathOf(ctx, item), call);
    }
  }
  return out;
}
