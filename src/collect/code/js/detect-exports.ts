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
import type { CodeFact, SettingValue } from '../types.js';
import { asObject, keyName, memberChain, unwrap, type JsFile, type Val } from './context.js';

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
      if (COOKIE_KEYS.has(key) && !sub) {
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

function exportFact(ctx: JsFile, name: string, valueNode: SgNode, site: SgNode): CodeFact | null {
  if (!RELEVANT.test(relevantText(ctx, valueNode))) return null;
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
