/**
 * One parsed JavaScript / TypeScript file and the static reasoning the extractors share: which local name
 * is bound to which module (import / require), where an identifier is declared (variable, parameter,
 * import), and a small evaluator that turns an expression into a value with provenance: literals, objects
 * (with spreads, Object.assign and later mutations such as `sess.cookie.secure = true` applied),
 * environment reads (`process.env.X`), environment conditions (`NODE_ENV === 'production'`, one level of
 * constant propagation: `const isProd = ...`), request-dependent values (`req.secure`) and unknowns.
 *
 * Everything is read from the ast-grep syntax tree; comments and string contents are never code here.
 */
import { parse, Lang, type SgNode } from '@ast-grep/napi';
import type { CodeLocation } from '../../../model/observation.js';
import type { EnvTest, FactGuard, SettingValue } from '../types.js';
import { isHttpsPrefix, negate, nodeEnvsWhereTrue, testVariables } from '../common/envtest.js';

export type Scalar = string | number | boolean | null;

export interface Prop {
  val: Val;
  /** The node that wrote the value (a `pair`, an assignment ...): its line is the evidence. */
  site: SgNode;
}

export type Val =
  | { t: 'lit'; v: Scalar; node: SgNode }
  /** `open`: keys not listed may be set (spread of an unknown object, computed key); the reason why. */
  | {
      t: 'obj';
      props: Map<string, Prop>;
      open: string | null;
      node: SgNode;
      /** The keys not listed come from this imported binding (`{ ...baseConfig, secret }`). */
      openRef?: { module: string; name: string };
    }
  | { t: 'arr'; items: Val[]; node: SgNode }
  | { t: 'env'; variable: string; dflt?: Scalar; node: SgNode }
  | { t: 'cond'; test: EnvTest; cond: string; then: Val; else: Val; node: SgNode }
  /** Follows the scheme of the request (`req.secure`, `ctx.protocol === 'https'`). */
  | { t: 'req'; node: SgNode }
  | { t: 'absent' }
  | { t: 'unknown'; reason: string; node: SgNode; ref?: { module: string; name: string } };

export interface ImportBinding {
  module: string;
  /** 'default' (also CommonJS `require`), '*' (namespace) or the exported name. */
  name: string;
}

/** Where a module member is reached from: `session` -> { module: 'express-session', path: [] }. */
export interface ModuleRef {
  module: string;
  path: string[];
}

export type Origin =
  | { kind: 'module'; ref: ModuleRef }
  | { kind: 'new'; of: Origin | null; node: SgNode }
  | { kind: 'call'; of: Origin | null; node: SgNode }
  | { kind: 'param'; fn: SgNode; index: number; name: string; type: string | null; param: SgNode };

type Binding =
  | { kind: 'decl'; decl: SgNode; value: SgNode | null; path: string[] | null; arrayIndex?: number }
  | { kind: 'param'; fn: SgNode; index: number; param: SgNode; type: string | null }
  | { kind: 'import'; binding: ImportBinding }
  | { kind: 'function'; node: SgNode };

const FUNCTION_KINDS = new Set([
  'function_declaration',
  'function_expression',
  'function',
  'arrow_function',
  'method_definition',
  'generator_function_declaration',
  'generator_function',
]);
const SCOPE_KINDS = new Set([
  'program',
  'statement_block',
  'for_statement',
  'for_in_statement',
  'class_body',
  'switch_body',
  ...FUNCTION_KINDS,
]);
const WRAPPER_KINDS = new Set([
  'parenthesized_expression',
  'as_expression',
  'satisfies_expression',
  'non_null_expression',
  'type_assertion',
  'await_expression',
]);

const MAX_DEPTH = 12;
/** Helpers that read one environment variable by name: `env('NODE_ENV')`, `getEnv('BASE_URL', 'http://...')`. */
const ENV_HELPER = /^(?:env|getEnv|getEnvVar|getEnvVariable|readEnv|requireEnv|envVar)$/;
const ENV_NAME = /^[A-Z][A-Z0-9_]*$/;
/** Option objects are small: bigger literals (generated tables, bundles) are not evaluated. */
const MAX_OBJECT_KEYS = 300;
const MAX_ARRAY_ITEMS = 50;

export function langOf(file: string): Lang | null {
  const f = file.toLowerCase();
  if (f.endsWith('.d.ts') || f.endsWith('.d.mts') || f.endsWith('.d.cts')) return null;
  if (f.endsWith('.tsx')) return Lang.Tsx;
  if (f.endsWith('.ts') || f.endsWith('.mts') || f.endsWith('.cts')) return Lang.TypeScript;
  if (f.endsWith('.js') || f.endsWith('.jsx') || f.endsWith('.mjs') || f.endsWith('.cjs'))
    return Lang.JavaScript;
  return null;
}

export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Removes parentheses, TypeScript casts, `!` and `await` around an expression. */
export function unwrap(node: SgNode): SgNode {
  let n = node;
  while (WRAPPER_KINDS.has(String(n.kind()))) {
    const kids = n.namedChildren().filter((c) => c.kind() !== 'comment');
    if (kids.length === 0) break;
    n = n.kind() === 'type_assertion' ? kids[kids.length - 1] : kids[0];
  }
  return n;
}

/** The arguments of a call or `new` (without comments). */
export function args(call: SgNode): SgNode[] {
  const a = call.field('arguments');
  if (!a) return [];
  return a.namedChildren().filter((c) => c.kind() !== 'comment');
}

/** Decodes a JavaScript string literal node (`'a'`, `"b"`) to its value. */
export function stringValue(node: SgNode): string | null {
  const n = unwrap(node);
  if (n.kind() === 'string') {
    let out = '';
    for (const c of n.children()) {
      const k = c.kind();
      if (k === 'string_fragment') out += c.text();
      else if (k === 'escape_sequence') out += decodeEscape(c.text());
    }
    return out;
  }
  if (n.kind() === 'template_string') {
    let out = '';
    for (const c of n.children()) {
      const k = c.kind();
      if (k === 'template_substitution') return null;
      if (k === 'string_fragment') out += c.text();
      else if (k === 'escape_sequence') out += decodeEscape(c.text());
    }
    return out;
  }
  return null;
}

function decodeEscape(e: string): string {
  const c = e.slice(1);
  const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', '0': '\0' };
  if (c in simple) return simple[c];
  if (c.startsWith('x')) return String.fromCharCode(parseInt(c.slice(1), 16));
  if (c.startsWith('u{')) return String.fromCodePoint(parseInt(c.slice(2, -1), 16));
  if (c.startsWith('u')) return String.fromCharCode(parseInt(c.slice(1), 16));
  return c;
}

/** The name of an object key / member property: `secure`, `'secure'`, `["secure"]`. */
export function keyName(node: SgNode | null): string | null {
  if (!node) return null;
  const k = node.kind();
  if (k === 'property_identifier' || k === 'identifier' || k === 'private_property_identifier')
    return node.text();
  if (k === 'string') return stringValue(node);
  if (k === 'number') return node.text();
  if (k === 'computed_property_name') {
    const inner = node.namedChildren()[0];
    return inner ? stringValue(inner) : null;
  }
  return null;
}

/** `a.b.c` / `a['b'].c` -> root node `a` and path ['b', 'c']; null when a computed key is not a constant. */
export function memberChain(node: SgNode): { root: SgNode; path: string[] } | null {
  const path: string[] = [];
  let n = unwrap(node);
  for (;;) {
    const k = n.kind();
    if (k === 'member_expression') {
      const p = keyName(n.field('property'));
      if (p === null) return null;
      path.unshift(p);
      n = unwrap(n.field('object') as SgNode);
    } else if (k === 'subscript_expression') {
      const idx = n.field('index');
      const p = idx ? stringValue(idx) : null;
      if (p === null) return null;
      path.unshift(p);
      n = unwrap(n.field('object') as SgNode);
    } else {
      return { root: n, path };
    }
  }
}

function contains(outer: SgNode, inner: SgNode): boolean {
  const o = outer.range();
  const i = inner.range();
  return o.start.index <= i.start.index && i.end.index <= o.end.index;
}

export function enclosingFunction(node: SgNode): SgNode | null {
  for (const a of node.ancestors()) if (FUNCTION_KINDS.has(String(a.kind()))) return a;
  return null;
}

/**
 * The nodes detectors look at, selected in one traversal of the tree (a tree walk costs about as much
 * as a third of the parse): imports / requires / exports, the method calls and assignments that set
 * cookies or trust a proxy, and `Set-Cookie` header pairs. Each group is only asked for when the file's
 * text contains one of its trigger words (a necessary condition); detectors filter the nodes in
 * JavaScript. Detectors gated by an import (next/headers, universal-cookie ...) walk the tree on their own.
 */
const CANDIDATE_GROUPS: { triggers: string[]; rules: object[] }[] = [
  {
    triggers: ['import', 'export', 'require'],
    rules: [
      { kind: 'import_statement' },
      { kind: 'export_statement' },
      { kind: 'call_expression', has: { field: 'function', kind: 'identifier', regex: '^require$' } },
    ],
  },
  {
    // express(): the apps a file creates (under another local name, detectors walk the tree themselves)
    triggers: ['express'],
    rules: [{ kind: 'call_expression', has: { field: 'function', kind: 'identifier', regex: '^express$' } }],
  },
  {
    triggers: ['.cookie', 'setcookie', '.register'],
    rules: [
      {
        kind: 'call_expression',
        has: {
          field: 'function',
          kind: 'member_expression',
          has: { field: 'property', regex: '^(?:cookie|setCookie|register)$' },
        },
      },
    ],
  },
  {
    triggers: ['set-cookie', 'trust proxy'],
    rules: [
      {
        kind: 'call_expression',
        all: [
          {
            has: {
              field: 'function',
              kind: 'member_expression',
              has: {
                field: 'property',
                regex: '^(?:setHeader|appendHeader|append|set|header|enable|disable)$',
              },
            },
          },
          {
            has: {
              field: 'arguments',
              has: { nthChild: 1, regex: '(?i)^[\'"`](?:set-cookie|trust proxy)[\'"`]$' },
            },
          },
        ],
      },
      { kind: 'pair', has: { field: 'key', regex: '(?i)^[\'"]?set-cookie[\'"]?$' } },
    ],
  },
  {
    triggers: ['cookies.set'],
    rules: [
      {
        kind: 'call_expression',
        has: {
          field: 'function',
          kind: 'member_expression',
          all: [
            { has: { field: 'property', regex: '^set$' } },
            {
              has: {
                field: 'object',
                any: [
                  { kind: 'member_expression', has: { field: 'property', regex: '^cookies$' } },
                  { kind: 'identifier', regex: '^Cookies$' },
                ],
              },
            },
          ],
        },
      },
    ],
  },
  {
    triggers: ['.cookie', '.proxy', 'exports'],
    rules: [
      {
        kind: 'assignment_expression',
        has: {
          field: 'left',
          kind: 'member_expression',
          any: [
            { has: { field: 'property', regex: '^(?:cookie|proxy)$' } },
            { has: { field: 'object', regex: '^(?:module|exports|module\\.exports)$' } },
          ],
        },
      },
      { kind: 'augmented_assignment_expression', has: { field: 'left', regex: 'cookie$' } },
    ],
  },
];

export class JsFile {
  readonly root: SgNode;
  readonly file: string;
  /** TypeScript (or TSX): type annotations, parameter properties ... exist only there. */
  readonly ts: boolean;
  private readonly lines: string[];
  private readonly importMap = new Map<string, ImportBinding>();
  private readonly moduleSet = new Set<string>();
  private importsCollected = false;
  /** The source text, lower-cased, for the cheap "does the file mention X" tests. */
  readonly lower: string;

  private readonly bindingCache = new Map<number, Binding | null>();
  private declIndex: Map<string, SgNode[]> | null = null;
  private candidateNodes: SgNode[] | null = null;
  private readonly mutationCache = new Map<number, Val>();
  private readonly evaluating = new Set<number>();
  /** Assignments `x = ...` to a plain identifier, by name (built on first use). */
  private assignIndex: Map<string, SgNode[]> | null = null;

  constructor(file: string, text: string, lang: Lang) {
    this.file = file;
    this.lines = text.split(/\r\n|\r|\n/);
    this.lower = text.toLowerCase();
    this.root = parse(lang, text).root();
    this.ts = lang === Lang.TypeScript || lang === Lang.Tsx;
  }

  /** True when the source text contains one of `words` (lower-case): a necessary condition, tested before any tree walk. */
  mentions(...words: string[]): boolean {
    return words.some((w) => this.lower.includes(w));
  }

  /** Local name -> imported binding (import declarations, `require`, TS `import x = require()`). */
  get imports(): Map<string, ImportBinding> {
    if (!this.importsCollected) this.collectImports();
    return this.importMap;
  }

  /** Modules imported / required anywhere in the file. */
  get modules(): Set<string> {
    if (!this.importsCollected) this.collectImports();
    return this.moduleSet;
  }

  // ------------------------------------------------------------------------------------------------
  // locations

  loc(node: SgNode): CodeLocation {
    const r = node.range();
    return {
      file: this.file,
      line: r.start.line + 1,
      column: r.start.column + 1,
      endLine: r.end.line + 1,
      endColumn: r.end.column + 1,
    };
  }

  /** The source line a node starts on, trimmed (at most 200 characters). */
  evidence(node: SgNode): string {
    const line = (this.lines[node.range().start.line] ?? '').trim();
    return line.length > 200 ? line.slice(0, 197) + '...' : line;
  }

  site(node: SgNode): { location: CodeLocation; evidence: string } {
    return { location: this.loc(node), evidence: this.evidence(node) };
  }

  /** The candidate nodes (CANDIDATE_RULE) of the given kinds, in source order. */
  candidates(...kinds: string[]): SgNode[] {
    if (!this.candidateNodes) {
      const rules = CANDIDATE_GROUPS.filter((g) => this.mentions(...g.triggers)).flatMap((g) => g.rules);
      this.candidateNodes = rules.length
        ? this.root.findAll({ rule: { any: rules } } as Parameters<SgNode['findAll']>[0] & object)
        : [];
    }
    return kinds.length === 0
      ? this.candidateNodes
      : this.candidateNodes.filter((n) => kinds.includes(String(n.kind())));
  }

  // ------------------------------------------------------------------------------------------------
  // imports

  private collectImports(): void {
    this.importsCollected = true;
    for (const imp of this.candidates('import_statement')) {
      const src = imp.field('source');
      const module = src ? stringValue(src) : null;
      if (module === null) continue;
      this.moduleSet.add(module);
      const clause = imp.namedChildren().find((c) => c.kind() === 'import_clause');
      if (!clause) continue;
      for (const c of clause.namedChildren()) {
        if (c.kind() === 'identifier') this.importMap.set(c.text(), { module, name: 'default' });
        else if (c.kind() === 'namespace_import') {
          const id = c.namedChildren().find((x) => x.kind() === 'identifier');
          if (id) this.importMap.set(id.text(), { module, name: '*' });
        } else if (c.kind() === 'named_imports') {
          for (const spec of c.namedChildren()) {
            if (spec.kind() !== 'import_specifier') continue;
            const name = spec.field('name');
            const alias = spec.field('alias');
            if (!name) continue;
            const imported = keyName(name) ?? name.text();
            this.importMap.set((alias ?? name).text(), { module, name: imported });
          }
        }
      }
    }
    // CommonJS: const x = require('m'); const { a, b: c } = require('m'); import x = require('m') (TS)
    for (const call of this.candidates('call_expression')) {
      const callee = call.field('function');
      if (!callee || callee.kind() !== 'identifier' || callee.text() !== 'require') continue;
      const a = args(call);
      const module = a.length === 1 ? stringValue(a[0]) : null;
      if (module === null) continue;
      this.moduleSet.add(module);
      const parent = call.parent();
      if (!parent || parent.kind() !== 'variable_declarator') continue;
      const name = parent.field('name');
      if (!name) continue;
      if (name.kind() === 'identifier') this.importMap.set(name.text(), { module, name: 'default' });
      else if (name.kind() === 'object_pattern') {
        for (const p of name.namedChildren()) {
          if (p.kind() === 'shorthand_property_identifier_pattern')
            this.importMap.set(p.text(), { module, name: p.text() });
          else if (p.kind() === 'pair_pattern') {
            const key = keyName(p.field('key'));
            const value = p.field('value');
            if (key && value && value.kind() === 'identifier')
              this.importMap.set(value.text(), { module, name: key });
          }
        }
      }
    }
    if (!this.ts || !this.lines.some((l) => l.includes('require'))) return;
    for (const imp of this.root.findAll({ rule: { kind: 'import_require_clause' } })) {
      const id = imp.namedChildren().find((c) => c.kind() === 'identifier');
      const src = imp.field('source') ?? imp.namedChildren().find((c) => c.kind() === 'string') ?? null;
      const module = src ? stringValue(src) : null;
      if (id && module !== null) {
        this.moduleSet.add(module);
        this.importMap.set(id.text(), { module, name: 'default' });
      }
    }
  }

  /** True when the file imports a module whose name is one of `names` (or starts with a `prefix/`). */
  importsAny(names: readonly string[]): boolean {
    // a module the text never names is not imported: no need to collect the imports
    if (!names.some((n) => this.lower.includes(n.toLowerCase()))) return false;
    for (const m of this.modules) {
      for (const n of names) if (m === n || m.startsWith(n + '/')) return true;
    }
    return false;
  }

  /** Local names bound to a module (any import form). */
  localNamesFor(modules: readonly string[]): string[] {
    const out: string[] = [];
    for (const [local, b] of this.imports) if (modules.includes(b.module)) out.push(local);
    return out;
  }

  // ------------------------------------------------------------------------------------------------
  // bindings

  /**
   * Declarations by name, built once per file on first use (one traversal instead of one per name: bundles
   * declare thousands of names).
   */
  private declarationsNamed(name: string): SgNode[] {
    if (!this.declIndex) {
      const index = new Map<string, SgNode[]>();
      const add = (n: string, node: SgNode) => {
        const list = index.get(n);
        if (list) list.push(node);
        else index.set(n, [node]);
      };
      const rule = {
        any: [
          { kind: 'variable_declarator' },
          { kind: 'function_declaration' },
          { kind: 'class_declaration' },
        ],
      };
      for (const d of this.root.findAll({ rule })) {
        const nameNode = d.field('name');
        if (!nameNode) continue;
        if (nameNode.kind() === 'identifier' || nameNode.kind() === 'type_identifier')
          add(nameNode.text(), d);
        else
          for (const id of nameNode.findAll({
            rule: { any: [{ kind: 'identifier' }, { kind: 'shorthand_property_identifier_pattern' }] },
          }))
            add(id.text(), d);
      }
      this.declIndex = index;
    }
    return this.declIndex.get(name) ?? [];
  }

  /** True when a variable, function or class of this name is declared somewhere in the file (cheap pre-check). */
  declaredInFile(name: string): boolean {
    return this.declarationsNamed(name).length > 0;
  }

  /** Where `name` (used at `use`) is bound: a declaration in an enclosing scope, a parameter, an import. */
  resolveName(name: string, use: SgNode): Binding | null {
    const key = use.id();
    if (this.bindingCache.has(key)) return this.bindingCache.get(key) ?? null;
    const b = this.resolveNameUncached(name, use);
    this.bindingCache.set(key, b);
    return b;
  }

  private resolveNameUncached(name: string, use: SgNode): Binding | null {
    const decls = this.declarationsNamed(name)
      .map((d) => ({ d, scope: scopeOf(d) }))
      .filter((x) => x.scope !== null && contains(x.scope, use));
    for (const anc of use.ancestors()) {
      if (FUNCTION_KINDS.has(String(anc.kind()))) {
        const p = findParam(anc, name);
        if (p) return { kind: 'param', fn: anc, index: p.index, param: p.node, type: p.type };
      }
      if (!SCOPE_KINDS.has(String(anc.kind()))) continue;
      const here = decls.filter((x) => x.scope!.id() === anc.id());
      if (here.length === 0) continue;
      // the latest declaration before the use, else the first one (hoisting)
      const before = here.filter((x) => x.d.range().start.index <= use.range().start.index);
      const pick = (before.length ? before[before.length - 1] : here[0]).d;
      if (pick.kind() === 'function_declaration' || pick.kind() === 'class_declaration')
        return { kind: 'function', node: pick };
      return declBinding(pick, name);
    }
    const imp = this.imports.get(name);
    if (imp) return { kind: 'import', binding: imp };
    return null;
  }

  // ------------------------------------------------------------------------------------------------
  // origins: what an expression refers to (a module member, the result of a call / new, a parameter)

  origin(node: SgNode, depth = 0): Origin | null {
    if (depth > MAX_DEPTH) return null;
    const n = unwrap(node);
    const k = n.kind();
    if (k === 'identifier') {
      const b = this.resolveName(n.text(), n);
      if (!b) return null;
      if (b.kind === 'import') {
        const path = b.binding.name === 'default' || b.binding.name === '*' ? [] : [b.binding.name];
        return { kind: 'module', ref: { module: b.binding.module, path } };
      }
      if (b.kind === 'param') {
        return { kind: 'param', fn: b.fn, index: b.index, name: n.text(), type: b.type, param: b.param };
      }
      if (b.kind === 'decl' && b.value) {
        if (b.arrayIndex !== undefined) return null;
        const base = this.origin(b.value, depth + 1);
        if (!b.path || b.path.length === 0) return base;
        if (base && base.kind === 'module')
          return { kind: 'module', ref: { ...base.ref, path: [...base.ref.path, ...b.path] } };
        return null;
      }
      return null;
    }
    if (k === 'member_expression' || k === 'subscript_expression') {
      const chain = memberChain(n);
      if (!chain) return null;
      const base = this.origin(chain.root, depth + 1);
      if (base && base.kind === 'module') {
        const path = [...base.ref.path, ...chain.path];
        // `import * as x` / CommonJS interop: x.default.y == y
        if (path[0] === 'default') path.shift();
        return { kind: 'module', ref: { module: base.ref.module, path } };
      }
      return null;
    }
    if (k === 'call_expression') {
      const fn = n.field('function');
      if (!fn) return null;
      if (fn.kind() === 'identifier' && fn.text() === 'require') {
        const a = args(n);
        const m = a.length === 1 ? stringValue(a[0]) : null;
        return m === null ? null : { kind: 'module', ref: { module: m, path: [] } };
      }
      if (fn.kind() === 'import') {
        const a = args(n);
        const m = a.length === 1 ? stringValue(a[0]) : null;
        return m === null ? null : { kind: 'module', ref: { module: m, path: [] } };
      }
      return { kind: 'call', of: this.origin(fn, depth + 1), node: n };
    }
    if (k === 'new_expression') {
      const c = n.field('constructor');
      return { kind: 'new', of: c ? this.origin(c, depth + 1) : null, node: n };
    }
    return null;
  }

  /** The module member an expression refers to, when it is one. */
  moduleRef(node: SgNode): ModuleRef | null {
    const o = this.origin(node);
    return o && o.kind === 'module' ? o.ref : null;
  }

  /**
   * Calls whose callee is (an alias of) a member of one of `modules`; `paths` filters the member path
   * ([] = the module itself, ['serialize'] = `cookie.serialize` / `import { serialize }`).
   */
  callsTo(modules: readonly string[], paths: readonly (readonly string[])[], alsoNew = false): SgNode[] {
    const locals = this.localNamesFor(modules);
    const alternatives = locals.map((l) => escapeRegex(l));
    const requireRe = `require\\(\\s*['"\`](?:${modules.map(escapeRegex).join('|')})['"\`]\\s*\\)`;
    const re = `^(?:(?:${[...alternatives, requireRe].join('|')})(?:$|\\s*[.?\\[(]))`;
    if (alternatives.length === 0 && !this.modules.size) return [];
    const kinds = alsoNew ? ['call_expression', 'new_expression'] : ['call_expression'];
    const out: SgNode[] = [];
    for (const kind of kinds) {
      const field = kind === 'call_expression' ? 'function' : 'constructor';
      for (const call of this.root.findAll({ rule: { kind, has: { field, regex: re } } })) {
        const callee = call.field(field as 'function');
        if (!callee) continue;
        const ref = this.moduleRef(callee);
        if (!ref || !modules.includes(ref.module)) continue;
        if (paths.some((p) => p.length === ref.path.length && p.every((x, i) => x === ref.path[i])))
          out.push(call);
      }
    }
    return out;
  }

  /**
   * Calls of a method named one of `methods`: `x.cookie(...)`, `a.b.set(...)`, whose receiver / first
   * argument source text match `receiver` / `firstArg`. Taken from the candidates (CANDIDATE_RULE covers
   * every use but `full`); `full` walks the tree for every call of the methods.
   */
  methodCalls(
    methods: readonly string[],
    opts: { receiver?: RegExp; firstArg?: RegExp; full?: boolean } = {},
  ): SgNode[] {
    const re = new RegExp(`^(?:${methods.map(escapeRegex).join('|')})$`);
    const pool = opts.full
      ? this.root.findAll({
          rule: {
            kind: 'call_expression',
            has: {
              field: 'function',
              kind: 'member_expression',
              has: { field: 'property', regex: re.source },
            },
          },
        })
      : this.candidates('call_expression');
    return pool.filter((call) => {
      const fn = call.field('function');
      if (!fn || fn.kind() !== 'member_expression') return false;
      const prop = fn.field('property');
      if (!prop || !re.test(prop.text())) return false;
      if (opts.receiver && !opts.receiver.test((fn.field('object') as SgNode).text())) return false;
      if (opts.firstArg) {
        const first = args(call)[0];
        if (!first || !opts.firstArg.test(first.text())) return false;
      }
      return true;
    });
  }

  // ------------------------------------------------------------------------------------------------
  // environment references and tests

  /** `process.env.X`, `process.env['X']`, `app.get('env')`, `const { X } = process.env` ... */
  envRef(node: SgNode, depth = 0): { variable: string; dflt?: string } | null {
    if (depth > MAX_DEPTH) return null;
    const n = unwrap(node);
    const k = n.kind();
    if (k === 'member_expression' || k === 'subscript_expression') {
      const chain = memberChain(n);
      if (!chain) return null;
      if (
        chain.root.kind() === 'identifier' &&
        chain.root.text() === 'process' &&
        chain.path.length === 2 &&
        chain.path[0] === 'env'
      )
        return { variable: chain.path[1] };
      // import.meta.env.MODE (Vite)
      if (
        chain.root.kind() === 'meta_property' &&
        chain.path.length === 2 &&
        chain.path[0] === 'env' &&
        chain.path[1] === 'MODE'
      )
        return { variable: 'NODE_ENV' };
      // Koa: app.env is `options.env || process.env.NODE_ENV || 'development'` (koa lib/application.js 3.x)
      if (
        chain.root.kind() === 'identifier' &&
        chain.path.length === 1 &&
        chain.path[0] === 'env' &&
        /^(app|ctx)$/.test(chain.root.text())
      )
        return { variable: 'NODE_ENV', dflt: 'development' };
      // env.NODE_ENV where env = process.env
      if (chain.path.length === 1 && chain.root.kind() === 'identifier') {
        const b = this.resolveName(chain.root.text(), chain.root);
        if (b && b.kind === 'decl' && b.value && !b.path && isProcessEnv(unwrap(b.value)))
          return { variable: chain.path[0] };
      }
      return null;
    }
    if (k === 'call_expression') {
      // Express: app.get('env') returns process.env.NODE_ENV || 'development' (express lib/application.js)
      const fn = n.field('function');
      const a = args(n);
      if (
        fn &&
        fn.kind() === 'member_expression' &&
        keyName(fn.field('property')) === 'get' &&
        a.length === 1 &&
        stringValue(a[0]) === 'env'
      )
        return { variable: 'NODE_ENV', dflt: 'development' };
      // env('X') / getEnv('X', 'default'): a helper that reads process.env (a local one is checked)
      if (fn && fn.kind() === 'identifier' && ENV_HELPER.test(fn.text()) && a.length >= 1 && a.length <= 2) {
        const variable = stringValue(a[0]);
        if (variable !== null && ENV_NAME.test(variable) && this.isEnvHelper(fn)) {
          const d = a[1] ? stringValue(a[1]) : null;
          return { variable, ...(d !== null ? { dflt: d } : {}) };
        }
      }
      // String(process.env.X), process.env.X.toString() / .toLowerCase()
      if (fn && fn.kind() === 'identifier' && fn.text() === 'String' && a.length === 1)
        return this.envRef(a[0], depth + 1);
      if (
        fn &&
        fn.kind() === 'member_expression' &&
        a.length === 0 &&
        /^(?:toString|toLowerCase|trim)$/.test(keyName(fn.field('property')) ?? '')
      )
        return this.envRef(fn.field('object') as SgNode, depth + 1);
      return null;
    }
    if (k === 'binary_expression') {
      const op = operator(n);
      if (op === '||' || op === '??') {
        const left = this.envRef(n.field('left') as SgNode, depth + 1);
        const right = stringValue(n.field('right') as SgNode);
        if (left && right !== null) return { variable: left.variable, dflt: right };
      }
      return null;
    }
    if (k === 'identifier') {
      if (!this.declaredInFile(n.text())) return null;
      const b = this.resolveName(n.text(), n);
      if (!b || b.kind !== 'decl' || !b.value) return null;
      if (b.path && b.path.length === 1 && isProcessEnv(unwrap(b.value))) return { variable: b.path[0] };
      if (b.path) return null;
      return this.envRef(b.value, depth + 1);
    }
    return null;
  }

  /**
   * A condition on environment variables, or null when the expression is anything else. `partial`: parts that
   * are no environment test become `unknown` leaves (`isProduction || NODE_ENV === 'staging'` with
   * isProduction a function result), and URL-scheme tests of computed URLs `unknown` leaves marked `https`;
   * request-dependent parts still make it null.
   */
  envTest(node: SgNode, depth = 0, partial = false): EnvTest | null {
    if (depth > MAX_DEPTH) return null;
    const n = unwrap(node);
    const k = n.kind();
    if (k === 'binary_expression') {
      const op = operator(n);
      const left = n.field('left') as SgNode;
      const right = n.field('right') as SgNode;
      if (op === '===' || op === '==' || op === '!==' || op === '!=') {
        const neg = op.startsWith('!');
        // new URL(process.env.SITE_URL).protocol === 'https:'
        const scheme =
          this.protocolTest(left, right, depth, partial) ?? this.protocolTest(right, left, depth, partial);
        if (scheme) return neg ? negate(scheme) : scheme;
        let ref = this.envRef(left, depth + 1);
        let lit = stringValue(right);
        if (!ref || lit === null) {
          ref = this.envRef(right, depth + 1);
          lit = stringValue(left);
        }
        if (!ref || lit === null) return partial ? this.unknownLeaf(n) : null;
        const base = {
          variable: ref.variable,
          value: lit,
          ...(ref.dflt !== undefined ? { default: ref.dflt } : {}),
        };
        return neg ? { op: 'ne', ...base } : { op: 'eq', ...base };
      }
      if (op === '&&' || op === '||') {
        const a = this.envTest(left, depth + 1, partial);
        const b = this.envTest(right, depth + 1, partial);
        if (!a || !b) return null;
        return { op: op === '&&' ? 'and' : 'or', tests: [a, b] };
      }
      return partial ? this.unknownLeaf(n) : null;
    }
    if (k === 'unary_expression' && operator(n) === '!') {
      const inner = this.envTest(n.field('argument') as SgNode, depth + 1, partial);
      return inner ? negate(inner) : null;
    }
    if (k === 'call_expression') {
      const fn = n.field('function');
      const a = args(n);
      if (fn && fn.kind() === 'identifier' && fn.text() === 'Boolean' && a.length === 1)
        return this.envTest(a[0], depth + 1, partial);
      // process.env.BASE_URL.startsWith('https'), String(siteUrl()).startsWith('https://')
      if (
        fn &&
        fn.kind() === 'member_expression' &&
        keyName(fn.field('property')) === 'startsWith' &&
        a.length >= 1
      ) {
        const prefix = stringValue(a[0]);
        const subject = fn.field('object') as SgNode;
        if (prefix !== null) {
          const ref = this.envRef(subject, depth + 1);
          if (ref)
            return {
              op: 'prefix',
              variable: ref.variable,
              value: prefix,
              ...(ref.dflt !== undefined ? { default: ref.dflt } : {}),
            };
          if (partial && isHttpsPrefix(prefix))
            return {
              op: 'unknown',
              expression: stripStringWrappers(subject).text().split('\n')[0],
              https: true,
            };
        }
      }
      // ['production', 'staging'].includes(process.env.NODE_ENV)
      if (
        fn &&
        fn.kind() === 'member_expression' &&
        keyName(fn.field('property')) === 'includes' &&
        a.length === 1
      ) {
        const arr = unwrap(fn.field('object') as SgNode);
        const ref = this.envRef(a[0], depth + 1);
        if (arr.kind() === 'array' && ref) {
          const values = arr.namedChildren().map((c) => stringValue(c));
          if (values.every((v): v is string => v !== null))
            return {
              op: 'in',
              variable: ref.variable,
              values,
              ...(ref.dflt !== undefined ? { default: ref.dflt } : {}),
            };
        }
      }
    }
    if (k === 'member_expression') {
      // envalid: const env = cleanEnv(process.env, ...); env.isProduction / env.isProd / env.isDev
      const chain = memberChain(n);
      if (chain && chain.path.length === 1) {
        const o = this.origin(chain.root);
        if (o && o.kind === 'call' && o.of && o.of.kind === 'module' && o.of.ref.module === 'envalid') {
          const p = chain.path[0];
          // envalid 8 middleware: isProduction = !NODE_ENV || NODE_ENV === 'production' (unset means production)
          if (p === 'isProduction' || p === 'isProd') return ENVALID_PRODUCTION;
          if (p === 'isDev' || p === 'isDevelopment')
            return { op: 'eq', variable: 'NODE_ENV', value: 'development' };
          if (p === 'isTest') return { op: 'eq', variable: 'NODE_ENV', value: 'test' };
        }
      }
      // Vite: import.meta.env.PROD / DEV
      if (
        chain &&
        chain.root.kind() === 'meta_property' &&
        chain.path.length === 2 &&
        chain.path[0] === 'env'
      ) {
        if (chain.path[1] === 'PROD') return { op: 'eq', variable: 'NODE_ENV', value: 'production' };
        if (chain.path[1] === 'DEV') return { op: 'ne', variable: 'NODE_ENV', value: 'production' };
      }
    }
    if (k === 'identifier' && this.declaredInFile(n.text())) {
      const b = this.resolveName(n.text(), n);
      if (b && b.kind === 'decl' && b.value && !b.path) {
        const t = this.envTest(b.value, depth + 1, partial);
        if (t) return t;
      }
    }
    const ref = this.envRef(n, depth + 1);
    if (ref)
      return {
        op: 'truthy',
        variable: ref.variable,
        ...(ref.dflt !== undefined ? { default: ref.dflt } : {}),
      };
    return partial ? this.unknownLeaf(n) : null;
  }

  /**
   * A condition with environment parts and unknown parts (see envTest's `partial`), or null when it has no
   * environment part at all or depends on the request.
   */
  envTestPartial(node: SgNode): EnvTest | null {
    const t = this.envTest(node, 0, true);
    if (!t) return null;
    const informative = (x: EnvTest): boolean =>
      x.op === 'and' || x.op === 'or'
        ? x.tests.some(informative)
        : x.op === 'not'
          ? informative(x.test)
          : x.op !== 'unknown' || x.https === true;
    return informative(t) ? t : null;
  }

  /** An unknown part of a partial condition; null for request-dependent parts (they are no environment). */
  private unknownLeaf(n: SgNode): EnvTest | null {
    if (this.isRequestSecureTest(n) || /\b(?:req|request|ctx)\s*\.\s*(?:secure|protocol)\b/.test(n.text()))
      return null;
    return { op: 'unknown', expression: n.text().split('\n')[0] };
  }

  /** `new URL(x).protocol === 'https:'` (x an environment variable, or a computed URL in partial mode). */
  private protocolTest(side: SgNode, other: SgNode, depth: number, partial: boolean): EnvTest | null {
    const lit = stringValue(other);
    if (lit === null || !isHttpsPrefix(lit.replace(/:?$/, ':'))) return null;
    const chain = memberChain(side);
    if (!chain || chain.path.length !== 1 || chain.path[0] !== 'protocol') return null;
    const root = unwrap(chain.root);
    if (root.kind() !== 'new_expression' || root.field('constructor')?.text() !== 'URL') return null;
    const url = args(root)[0];
    if (!url) return null;
    const ref = this.envRef(url, depth + 1);
    if (ref)
      return {
        op: 'prefix',
        variable: ref.variable,
        value: 'https:',
        ...(ref.dflt !== undefined ? { default: ref.dflt } : {}),
      };
    return partial ? { op: 'unknown', expression: unwrap(url).text().split('\n')[0], https: true } : null;
  }

  /** A local helper named like `env` must read the environment; an imported one is taken at its name. */
  private isEnvHelper(fn: SgNode): boolean {
    const b = this.resolveName(fn.text(), fn);
    if (!b) return false;
    if (b.kind === 'import') return true;
    const body = b.kind === 'function' ? b.node : b.kind === 'decl' ? b.value : null;
    return !!body && /\bprocess\s*\??\.\s*env\b|import\.meta\.env/.test(body.text());
  }

  /** `req.secure`, `ctx.protocol === 'https'`, `req.headers['x-forwarded-proto'] === 'https'`: follows the request. */
  isRequestSecureTest(node: SgNode): boolean {
    const n = unwrap(node);
    const k = n.kind();
    if (k === 'member_expression') {
      const chain = memberChain(n);
      if (!chain || chain.path[chain.path.length - 1] !== 'secure') return false;
      const names = [chain.root.text(), ...chain.path.slice(0, -1)];
      return names.some((x) => /^(req|request|ctx|context|c)$/.test(x));
    }
    if (k === 'binary_expression') {
      const op = operator(n);
      if (op === '&&' || op === '||') return false;
      if (op !== '===' && op !== '==') return false;
      const l = n.field('left') as SgNode;
      const r = n.field('right') as SgNode;
      const lit = stringValue(r) ?? stringValue(l);
      if (lit !== 'https' && lit !== 'https:') return false;
      const other = stringValue(r) !== null ? l : r;
      if (other.text().includes('process.env')) return false;
      const chain = memberChain(other);
      if (chain && chain.path[chain.path.length - 1] === 'protocol') return true;
      return other
        .findAll({ rule: { kind: 'string_fragment' } })
        .some((s) => s.text().toLowerCase() === 'x-forwarded-proto');
    }
    return false;
  }

  // ------------------------------------------------------------------------------------------------
  // guards: the environment conditions under which a statement runs

  /**
   * The `if` conditions (and `switch (NODE_ENV)` cases) between `node` and the enclosing function (or
   * `stop`). Null when the node runs unconditionally; a guard without `test` when a condition is not an
   * environment test.
   */
  guardOf(node: SgNode, stop?: SgNode | null, envOnly = false): FactGuard | null {
    const tests: EnvTest[] = [];
    const texts: string[] = [];
    let opaque = false;
    let child = node;
    for (const anc of node.ancestors()) {
      if (stop && anc.id() === stop.id()) break;
      if (FUNCTION_KINDS.has(String(anc.kind()))) break;
      if (anc.kind() === 'if_statement') {
        const condNode = anc.field('condition');
        const cons = anc.field('consequence');
        if (condNode && cons) {
          const inCons = contains(cons, child);
          const text = unwrap(condNode).text();
          const t = this.envTest(condNode) ?? (envOnly ? null : this.envTestPartial(condNode));
          if (t) tests.push(inCons ? t : negate(t));
          else if (envOnly) {
            child = anc;
            continue;
          } else opaque = true;
          texts.push(inCons ? text : `!(${text})`);
        }
      } else if (anc.kind() === 'switch_case' || anc.kind() === 'switch_default') {
        const sw = anc.parent()?.parent();
        const disc = sw?.field('value');
        const caseValue = anc.field('value');
        const ref = disc ? this.envRef(disc) : null;
        const lit = caseValue ? stringValue(caseValue) : null;
        if (ref && lit !== null) {
          tests.push({
            op: 'eq',
            variable: ref.variable,
            value: lit,
            ...(ref.dflt !== undefined ? { default: ref.dflt } : {}),
          });
          texts.push(`${unwrap(disc as SgNode).text()} === '${lit}'`);
        } else if (!envOnly) {
          opaque = true;
          texts.push(anc.kind() === 'switch_default' ? 'switch default' : `case ${caseValue?.text() ?? ''}`);
        }
      } else if (
        !envOnly &&
        (anc.kind() === 'ternary_expression' ||
          (anc.kind() === 'binary_expression' && /^(&&|\|\||\?\?)$/.test(operator(anc))))
      ) {
        opaque = true;
        texts.push(anc.text().split('\n')[0]);
      }
      child = anc;
    }
    if (texts.length === 0) return null;
    const condition = texts.reverse().join(' && ');
    if (opaque) return { condition };
    tests.reverse();
    return { condition, test: tests.length === 1 ? tests[0] : { op: 'and', tests } };
  }

  // ------------------------------------------------------------------------------------------------
  // evaluation

  evaluate(node: SgNode, depth = 0): Val {
    if (depth > MAX_DEPTH) return { t: 'unknown', reason: 'too deeply nested', node };
    const n = unwrap(node);
    const k = n.kind();
    switch (k) {
      case 'true':
        return { t: 'lit', v: true, node: n };
      case 'false':
        return { t: 'lit', v: false, node: n };
      case 'null':
      case 'undefined':
        return { t: 'lit', v: null, node: n };
      case 'number': {
        const v = Number(n.text().replace(/_/g, ''));
        return Number.isFinite(v)
          ? { t: 'lit', v, node: n }
          : { t: 'unknown', reason: 'not a number', node: n };
      }
      case 'string':
      case 'template_string': {
        const s = stringValue(n);
        return s === null
          ? { t: 'unknown', reason: 'a computed string', node: n }
          : { t: 'lit', v: s, node: n };
      }
      case 'object':
        if (n.namedChildren().length > MAX_OBJECT_KEYS)
          return { t: 'unknown', reason: 'a very large object', node: n };
        return this.evalObject(n, depth);
      case 'array':
        if (n.namedChildren().length > MAX_ARRAY_ITEMS)
          return { t: 'unknown', reason: 'a long array', node: n };
        return {
          t: 'arr',
          items: n
            .namedChildren()
            .filter((c) => c.kind() !== 'comment')
            .map((c) => this.evaluate(c, depth + 1)),
          node: n,
        };
      case 'identifier':
      case 'shorthand_property_identifier':
        return this.evalIdentifier(n, depth);
      case 'member_expression':
      case 'subscript_expression':
        return this.evalMember(n, depth);
      case 'binary_expression':
        return this.evalBinary(n, depth);
      case 'unary_expression':
        return this.evalUnary(n, depth);
      case 'ternary_expression':
        return this.evalTernary(n, depth);
      case 'call_expression':
        return this.evalCall(n, depth);
      case 'arrow_function':
      case 'function_expression':
      case 'function':
        return { t: 'unknown', reason: 'computed by a function', node: n };
      default:
        return { t: 'unknown', reason: `not a constant (${k})`, node: n };
    }
  }

  private evalObject(n: SgNode, depth: number): Val {
    const obj: Extract<Val, { t: 'obj' }> = { t: 'obj', props: new Map(), open: null, node: n };
    for (const c of n.namedChildren()) {
      const k = c.kind();
      if (k === 'pair') {
        const key = keyName(c.field('key'));
        const value = c.field('value');
        if (key === null || !value) {
          this.openObject(obj, `computed key ${c.field('key')?.text() ?? ''}`);
          continue;
        }
        obj.props.set(key, { val: this.evaluate(value, depth + 1), site: c });
      } else if (k === 'shorthand_property_identifier') {
        obj.props.set(c.text(), { val: this.evalIdentifier(c, depth + 1), site: c });
      } else if (k === 'spread_element') {
        const arg = c.namedChildren()[0];
        if (arg) this.mergeInto(obj, this.evaluate(arg, depth + 1), c);
      } else if (k === 'method_definition') {
        const key = keyName(c.field('name'));
        if (key) obj.props.set(key, { val: { t: 'unknown', reason: 'a method', node: c }, site: c });
      }
    }
    return obj;
  }

  /** Marks an object as possibly holding more keys; keys set so far may have been overridden. */
  private openObject(obj: Extract<Val, { t: 'obj' }>, reason: string): void {
    obj.open = reason;
    for (const [key, p] of obj.props) {
      if (p.val.t !== 'unknown')
        obj.props.set(key, {
          val: { t: 'unknown', reason: `may be overridden by ${reason}`, node: p.site },
          site: p.site,
        });
    }
  }

  /** Shallow merge (spread / Object.assign semantics) of `v` into `obj`. */
  private mergeInto(obj: Extract<Val, { t: 'obj' }>, v: Val, site: SgNode): void {
    if (v.t === 'obj') {
      for (const [key, p] of v.props) obj.props.set(key, p);
      if (v.open) obj.open = v.open;
      if (v.openRef) obj.openRef = v.openRef;
      return;
    }
    if (v.t === 'absent' || (v.t === 'lit' && v.v === null)) return;
    if (v.t === 'cond') {
      const a = asObject(v.then, site);
      const b = asObject(v.else, site);
      if (a && b) {
        const keys = new Set([...a.props.keys(), ...b.props.keys()]);
        for (const key of keys) {
          const old: Val = obj.props.get(key)?.val ?? { t: 'absent' };
          const pa = a.props.get(key);
          const pb = b.props.get(key);
          obj.props.set(key, {
            val: {
              t: 'cond',
              test: v.test,
              cond: v.cond,
              then: pa ? pa.val : old,
              else: pb ? pb.val : old,
              node: v.node,
            },
            site: pa?.site ?? pb?.site ?? site,
          });
        }
        if (a.open || b.open) obj.open = a.open ?? b.open;
        return;
      }
    }
    this.openObject(obj, `spread of ${site.text().split('\n')[0]}`);
    if (v.t === 'unknown' && v.ref && obj.props.size === 0) obj.openRef = v.ref;
  }

  private evalIdentifier(n: SgNode, depth: number): Val {
    const name = n.text();
    if (name === 'undefined') return { t: 'lit', v: null, node: n };
    if (!this.declaredInFile(name) && !this.imports.has(name))
      return { t: 'unknown', reason: `${name} is not a constant of this file`, node: n };
    const b = this.resolveName(name, n);
    if (!b) return { t: 'unknown', reason: `${name} is not defined in this file`, node: n };
    if (b.kind === 'import')
      return {
        t: 'unknown',
        reason: `imported from ${b.binding.module}`,
        node: n,
        ref: { module: b.binding.module, name: b.binding.name },
      };
    if (b.kind === 'param') return { t: 'unknown', reason: `${name} is a function parameter`, node: n };
    if (b.kind === 'function') return { t: 'unknown', reason: `${name} is a function`, node: n };
    // let / var: later assignments before this use decide the value (`let secure = false; if (isProd) secure = true`)
    const writes = b.path ? [] : this.reassignments(name, b.decl, n.range().start.index);
    if (writes.length > 0) {
      const init: Val = b.value ? this.evaluate(b.value, depth + 1) : { t: 'lit', v: null, node: b.decl };
      return this.applyReassignments(init, writes, b.decl, depth);
    }
    if (!b.value) return { t: 'unknown', reason: `${name} has no initial value`, node: n };
    // const x = require('m') / const { x } = require('m'): an import
    const imp = this.imports.get(name);
    if (imp && isRequireCall(b.value))
      return {
        t: 'unknown',
        reason: `imported from ${imp.module}`,
        node: n,
        ref: { module: imp.module, name: imp.name },
      };
    if (b.path) {
      const base = unwrap(b.value);
      if (isProcessEnv(base) && b.path.length === 1) return { t: 'env', variable: b.path[0], node: n };
      if (b.arrayIndex !== undefined)
        return { t: 'unknown', reason: `${name} is destructured from an array`, node: n };
      let v = this.evaluate(b.value, depth + 1);
      for (const p of b.path) v = getProp(v, p, n);
      return v;
    }
    const id = b.decl.id();
    const cached = this.mutationCache.get(id);
    if (cached) return cached;
    if (this.evaluating.has(id)) return { t: 'unknown', reason: `${name} refers to itself`, node: n };
    this.evaluating.add(id);
    try {
      let v = this.evaluate(b.value, depth + 1);
      if (v.t === 'obj') v = this.applyMutations(name, b.decl, v, depth);
      this.mutationCache.set(id, v);
      return v;
    } finally {
      this.evaluating.delete(id);
    }
  }

  /** Assignments `name = ...` to the `let` / `var` declared by `decl` that end before offset `at`, in source order. */
  private reassignments(name: string, decl: SgNode, at: number): SgNode[] {
    const kind = decl.parent()?.kind();
    if (
      kind !== 'variable_declaration' &&
      !(kind === 'lexical_declaration' && /^let\b/.test(decl.parent()!.text()))
    )
      return [];
    if (!this.assignIndex) {
      this.assignIndex = new Map();
      for (const a of this.root.findAll({
        rule: { kind: 'assignment_expression', has: { field: 'left', kind: 'identifier' } },
      })) {
        const left = (a.field('left') as SgNode).text();
        const list = this.assignIndex.get(left);
        if (list) list.push(a);
        else this.assignIndex.set(left, [a]);
      }
    }
    return (this.assignIndex.get(name) ?? []).filter((a) => {
      if (a.range().end.index > at) return false;
      const left = a.field('left') as SgNode;
      const b = this.resolveName(name, left);
      return !!b && b.kind === 'decl' && b.decl.id() === decl.id();
    });
  }

  /** Every assignment `name = ...` to the `let` / `var` declared by `decl`, anywhere in the file. */
  private allWrites(name: string, decl: SgNode): SgNode[] {
    return this.reassignments(name, decl, Number.MAX_SAFE_INTEGER).map((a) => a.field('right') as SgNode);
  }

  /**
   * The one attribute (expires, max-age, path, domain) that every value of a string variable adds to a cookie
   * string (`'; expires=' + date.toUTCString()`, or nothing), or null when a value may add anything else.
   */
  private attributeOnly(values: SgNode[], depth: number): string | null {
    if (values.length === 0) return null;
    let attr: string | null = null;
    const pending = [...values];
    for (let v = pending.shift(); v !== undefined; v = pending.shift()) {
      const u = unwrap(v);
      // `opts.secure ? '; secure' : ''`: each branch adds the attribute or nothing
      if (u.kind() === 'ternary_expression') {
        const t = u.field('consequence');
        const f = u.field('alternative');
        if (!t || !f || pending.length > 16) return null;
        pending.push(t, f);
        continue;
      }
      const parts = this.stringParts(u, depth + 1);
      const text = parts.map((p) => ('s' in p ? p.s : '\uE000')).join('');
      if (text === '') continue;
      const m =
        /^\s*;?\s*(expires|max-age|path|domain|samesite)=([^;]*)$/i.exec(text) ??
        /^\s*;?\s*(secure|httponly|partitioned)\s*$/i.exec(text);
      if (!m || (attr !== null && attr !== m[1].toLowerCase())) return null;
      attr = m[1].toLowerCase();
    }
    return attr;
  }

  /** The value of a variable after `writes`, each under the conditions that guard it. */
  private applyReassignments(init: Val, writes: SgNode[], decl: SgNode, depth: number): Val {
    const declFn = enclosingFunction(decl);
    let v = init;
    for (const w of writes) {
      const value = this.evaluate(w.field('right') as SgNode, depth + 1);
      let guard = this.guardOf(w, declFn);
      if ((enclosingFunction(w)?.id() ?? -1) !== (declFn?.id() ?? -1))
        guard = { condition: 'inside a function that may run later' };
      if (!guard) v = value;
      else if (guard.test)
        v = { t: 'cond', test: guard.test, cond: guard.condition, then: value, else: v, node: w };
      else v = { t: 'unknown', reason: `set only when ${guard.condition}`, node: w };
    }
    return v;
  }

  /** Applies `name.a.b = v`, `name.a = {...}`, `Object.assign(name.a, {...})` found in the file, in order. */
  private applyMutations(name: string, decl: SgNode, obj: Val, depth: number): Val {
    const rootRe = `^${escapeRegex(name)}\\s*(?:\\.|\\?\\.|\\[)`;
    const assigns = this.root.findAll({
      rule: { kind: 'assignment_expression', has: { field: 'left', regex: rootRe } },
    });
    const objectAssigns = this.root
      .findAll({
        rule: { kind: 'call_expression', has: { field: 'function', regex: '^Object\\s*\\.\\s*assign$' } },
      })
      .filter((c) => {
        const a = args(c);
        return (
          a.length >= 2 &&
          new RegExp(`^${escapeRegex(name)}(?:$|\\s*(?:\\.|\\?\\.|\\[))`).test(unwrap(a[0]).text())
        );
      });
    const muts = [...assigns, ...objectAssigns].sort((a, b) => a.range().start.index - b.range().start.index);
    if (muts.length === 0) return obj;
    const declFn = enclosingFunction(decl);
    let result = obj;
    for (const m of muts) {
      const target = m.kind() === 'assignment_expression' ? (m.field('left') as SgNode) : args(m)[0];
      const chain = memberChain(target);
      if (!chain || chain.root.kind() !== 'identifier' || chain.root.text() !== name) continue;
      const b = this.resolveName(name, chain.root);
      if (!b || b.kind !== 'decl' || b.decl.id() !== decl.id()) continue;
      const fn = enclosingFunction(m);
      let guard = this.guardOf(m, declFn);
      if ((fn?.id() ?? -1) !== (declFn?.id() ?? -1))
        guard = { condition: 'inside a function that may run later' };
      if (m.kind() === 'assignment_expression') {
        if (chain.path.length === 0) continue;
        const value = this.evaluate(m.field('right') as SgNode, depth + 1);
        result = setPath(result, chain.path, value, guard, m);
      } else {
        for (const src of args(m).slice(1)) {
          const v = asObject(this.evaluate(src, depth + 1), src);
          if (!v) {
            result = setPath(
              result,
              [...chain.path, '*'],
              { t: 'unknown', reason: `Object.assign from ${src.text()}`, node: src },
              null,
              m,
            );
            continue;
          }
          for (const [key, p] of v.props)
            result = setPath(result, [...chain.path, key], p.val, guard, p.site);
          if (v.open)
            result = setPath(
              result,
              [...chain.path, '*'],
              { t: 'unknown', reason: v.open, node: src },
              null,
              m,
            );
        }
      }
    }
    return result;
  }

  private evalMember(n: SgNode, depth: number): Val {
    const ref = this.envRef(n);
    if (ref)
      return {
        t: 'env',
        variable: ref.variable,
        ...(ref.dflt !== undefined ? { dflt: ref.dflt } : {}),
        node: n,
      };
    if (this.isRequestSecureTest(n)) return { t: 'req', node: n };
    const test = this.envTest(n);
    if (test) return condOf(test, n.text(), n);
    const chain = memberChain(n);
    if (!chain || chain.path.length === 0) return { t: 'unknown', reason: 'a computed member', node: n };
    if (chain.root.kind() === 'this') return { t: 'unknown', reason: 'a property of this', node: n };
    let v = this.evaluate(chain.root, depth + 1);
    for (const p of chain.path) v = getProp(v, p, n);
    return v;
  }

  private evalBinary(n: SgNode, depth: number): Val {
    const op = operator(n);
    if (op === '===' || op === '==' || op === '!==' || op === '!=' || op === '&&' || op === '||') {
      const test = this.envTest(n);
      if (test) return condOf(test, n.text(), n);
      if (this.isRequestSecureTest(n)) return { t: 'req', node: n };
      const partial = this.envTestPartial(n);
      if (partial && !hasPlainUnknown(partial)) return condOf(partial, n.text(), n);
      if (op === '&&' || op === '||') {
        // an environment test and a value: `isProd && req.secure`, `isProd || config.secure`
        const left = n.field('left') as SgNode;
        const lt = this.envTest(left);
        if (lt) {
          const r = this.evaluate(n.field('right') as SgNode, depth + 1);
          const lit = (v: boolean): Val => ({ t: 'lit', v, node: n });
          return {
            t: 'cond',
            test: lt,
            cond: unwrap(left).text().split('\n')[0],
            then: op === '&&' ? r : lit(true),
            else: op === '&&' ? lit(false) : r,
            node: n,
          };
        }
      }
      if (partial) return condOf(partial, n.text(), n);
    }
    const left = this.evaluate(n.field('left') as SgNode, depth + 1);
    if (op === '||' || op === '??') {
      if (left.t === 'env') {
        const r = this.evaluate(n.field('right') as SgNode, depth + 1);
        if (r.t === 'lit') return { ...left, dflt: r.v, node: n };
      }
      if (left.t === 'lit') {
        const useLeft = op === '||' ? Boolean(left.v) : left.v !== null;
        return useLeft ? left : this.evaluate(n.field('right') as SgNode, depth + 1);
      }
      return { t: 'unknown', reason: `depends on ${n.text().split('\n')[0]}`, node: n };
    }
    const right = this.evaluate(n.field('right') as SgNode, depth + 1);
    if (left.t === 'lit' && right.t === 'lit') {
      const a = left.v;
      const b = right.v;
      let v: Scalar | undefined;
      if (typeof a === 'number' && typeof b === 'number') {
        v =
          op === '*'
            ? a * b
            : op === '+'
              ? a + b
              : op === '-'
                ? a - b
                : op === '/'
                  ? a / b
                  : op === '%'
                    ? a % b
                    : op === '**'
                      ? a ** b
                      : undefined;
      } else if (op === '+' && (typeof a === 'string' || typeof b === 'string')) v = String(a) + String(b);
      if (op === '===' || op === '==') v = a === b;
      if (op === '!==' || op === '!=') v = a !== b;
      if (op === '&&') v = a ? b : a;
      if (v !== undefined && (typeof v !== 'number' || Number.isFinite(v))) return { t: 'lit', v, node: n };
    }
    return { t: 'unknown', reason: `computed: ${n.text().split('\n')[0]}`, node: n };
  }

  private evalUnary(n: SgNode, depth: number): Val {
    const op = operator(n);
    const argNode = n.field('argument') as SgNode;
    if (op === '!') {
      const test = this.envTest(n);
      if (test) return condOf(test, n.text(), n);
      const v = this.evaluate(argNode, depth + 1);
      if (v.t === 'lit') return { t: 'lit', v: !v.v, node: n };
      if (v.t === 'cond')
        return {
          t: 'cond',
          test: negate(v.test),
          cond: n.text(),
          then: notVal(v.then, n),
          else: notVal(v.else, n),
          node: n,
        };
      return { t: 'unknown', reason: `computed: ${n.text()}`, node: n };
    }
    if (op === '-' || op === '+') {
      const v = this.evaluate(argNode, depth + 1);
      if (v.t === 'lit' && typeof v.v === 'number') return { t: 'lit', v: op === '-' ? -v.v : v.v, node: n };
    }
    if (op === 'void') return { t: 'lit', v: null, node: n };
    return { t: 'unknown', reason: `computed: ${n.text()}`, node: n };
  }

  private evalTernary(n: SgNode, depth: number): Val {
    const condNode = n.field('condition') as SgNode;
    const cons = n.field('consequence') as SgNode;
    const alt = n.field('alternative') as SgNode;
    const test = this.envTest(condNode) ?? this.envTestPartial(condNode);
    if (test)
      return {
        t: 'cond',
        test,
        cond: unwrap(condNode).text(),
        then: this.evaluate(cons, depth + 1),
        else: this.evaluate(alt, depth + 1),
        node: n,
      };
    const a = this.evaluate(cons, depth + 1);
    const b = this.evaluate(alt, depth + 1);
    if (this.isRequestSecureTest(condNode) && a.t === 'lit' && b.t === 'lit' && Boolean(a.v) !== Boolean(b.v))
      return { t: 'req', node: n };
    const c = this.evaluate(condNode, depth + 1);
    if (c.t === 'lit') return c.v ? a : b;
    if (a.t === 'lit' && b.t === 'lit' && a.v === b.v) return a;
    return { t: 'unknown', reason: `depends on ${unwrap(condNode).text().split('\n')[0]}`, node: n };
  }

  private evalCall(n: SgNode, depth: number): Val {
    const fn = n.field('function');
    const a = args(n);
    if (fn) {
      const ft = fn.text().replace(/\s+/g, '');
      if (ft === 'Object.assign' && a.length >= 1) {
        const first = this.evaluate(a[0], depth + 1);
        const obj: Extract<Val, { t: 'obj' }> = { t: 'obj', props: new Map(), open: null, node: n };
        this.mergeInto(obj, first, a[0]);
        for (const src of a.slice(1)) this.mergeInto(obj, this.evaluate(src, depth + 1), src);
        return obj;
      }
      if (/\.startsWith$/.test(ft) && a.length >= 1) {
        // a URL-scheme test: process.env.BASE_URL.startsWith('https'), String(siteUrl()).startsWith('https://')
        const test = this.envTest(n) ?? this.envTestPartial(n);
        if (test) return condOf(test, n.text(), n);
      }
      if (ft === 'Boolean' && a.length === 1) {
        const test = this.envTest(a[0]);
        if (test) return condOf(test, n.text(), n);
        const v = this.evaluate(a[0], depth + 1);
        if (v.t === 'lit') return { t: 'lit', v: Boolean(v.v), node: n };
      }
    }
    return { t: 'unknown', reason: `result of ${fn ? fn.text().split('\n')[0] : 'a call'}()`, node: n };
  }

  // ------------------------------------------------------------------------------------------------
  // strings with holes (cookie names, Set-Cookie header strings, document.cookie)

  /** A string expression as literal pieces and holes (the text of each non-constant part). */
  stringParts(node: SgNode, depth = 0): StrPart[] {
    const n = unwrap(node);
    if (depth > MAX_DEPTH) return [{ hole: n.text() }];
    const k = n.kind();
    if (k === 'string') return [{ s: stringValue(n) ?? '' }];
    if (k === 'number') return [{ s: n.text() }];
    if (k === 'template_string') {
      const out: StrPart[] = [];
      for (const c of n.children()) {
        const ck = c.kind();
        if (ck === 'string_fragment') out.push({ s: c.text() });
        else if (ck === 'escape_sequence') out.push({ s: decodeEscape(c.text()) });
        else if (ck === 'template_substitution') {
          const inner = c.namedChildren()[0];
          if (inner) out.push(...this.stringParts(inner, depth + 1));
        }
      }
      return mergeParts(out);
    }
    if (k === 'binary_expression' && operator(n) === '+') {
      return mergeParts([
        ...this.stringParts(n.field('left') as SgNode, depth + 1),
        ...this.stringParts(n.field('right') as SgNode, depth + 1),
      ]);
    }
    if (k === 'identifier') {
      const b = this.declaredInFile(n.text()) ? this.resolveName(n.text(), n) : null;
      if (b && b.kind === 'decl' && !b.path && (!b.value || unwrap(b.value).kind() !== 'object')) {
        const writes = this.allWrites(n.text(), b.decl);
        if (b.value && writes.length === 0) {
          const parts = this.stringParts(b.value, depth + 1);
          if (parts.every((p) => 's' in p)) return parts;
        }
        // `let expires = ''; if (days) expires = '; expires=' + date.toUTCString();`: the variable only ever
        // adds that one attribute (with a computed value), never Secure or another flag
        const attr = this.attributeOnly([...(b.value ? [b.value] : []), ...writes], depth);
        if (attr) return [{ s: `; ${attr}=` }, { hole: n.text() }];
      }
      return [{ hole: n.text() }];
    }
    if (k === 'ternary_expression') {
      // `opts.path ? '; path=' + opts.path : ''`: one attribute or nothing (its value, or the flag's
      // presence, unknown), never another attribute
      const attr = this.attributeOnly([n], depth);
      if (attr) return [{ s: `; ${attr}=` }, { hole: n.text() }];
      return [{ hole: n.text() }];
    }
    if (k === 'call_expression') {
      // ['a=b', 'Path=/'].join('; ')
      const fn = n.field('function');
      const a = args(n);
      if (
        fn &&
        fn.kind() === 'member_expression' &&
        keyName(fn.field('property')) === 'join' &&
        a.length === 1
      ) {
        const sep = stringValue(a[0]);
        const arr = unwrap(fn.field('object') as SgNode);
        if (sep !== null && arr.kind() === 'array') {
          const out: StrPart[] = [];
          arr.namedChildren().forEach((c, i) => {
            if (i > 0) out.push({ s: sep });
            out.push(...this.stringParts(c, depth + 1));
          });
          return mergeParts(out);
        }
      }
    }
    return [{ hole: n.text() }];
  }

  // ------------------------------------------------------------------------------------------------
  // conversion to contract values

  /** A Val as a SettingValue. `secure` literal strings are truthy for libraries without an 'auto' mode. */
  toSetting(v: Val, opts: { autoAware?: boolean; key?: string } = {}): SettingValue {
    const isSecure = opts.key !== undefined && /(^|\.)secure$/i.test(opts.key);
    const scalar = (x: Val): Scalar | undefined => {
      if (x.t === 'absent') return null;
      if (x.t === 'req') return 'auto';
      if (x.t !== 'lit') return undefined;
      if (isSecure && typeof x.v === 'string' && !(opts.autoAware && x.v === 'auto')) return Boolean(x.v);
      return x.v;
    };
    switch (v.t) {
      case 'lit':
      case 'absent':
      case 'req':
        return { kind: 'literal', value: scalar(v) as Scalar };
      case 'env':
        return {
          kind: 'env',
          variable: v.variable,
          ...(v.dflt !== undefined ? { default: v.dflt } : {}),
          expression: v.node.text(),
        };
      case 'cond': {
        const vars = testVariables(v.test);
        const trueIn = nodeEnvsWhereTrue(v.test);
        const whenTrue = scalar(v.then);
        const whenFalse = scalar(v.else);
        if (
          whenTrue === undefined &&
          whenFalse === undefined &&
          v.then.t !== 'unknown' &&
          v.else.t !== 'unknown'
        )
          return { kind: 'unknown', expression: v.node.text(), reason: `depends on ${v.cond}` };
        return {
          kind: 'conditional',
          condition: v.cond,
          ...(vars.length === 1 ? { variable: vars[0] } : {}),
          ...(whenTrue !== undefined ? { whenTrue } : {}),
          ...(whenFalse !== undefined ? { whenFalse } : {}),
          ...(trueIn ? { trueIn } : {}),
          expression: v.node.text().split('\n')[0],
          test: v.test,
        };
      }
      case 'obj':
      case 'arr':
        return { kind: 'unknown', expression: v.node.text().split('\n')[0], reason: 'not a scalar value' };
      case 'unknown':
        return {
          kind: 'unknown',
          expression: v.node.text().split('\n')[0],
          reason: v.reason,
          ...(v.ref ? { ref: v.ref } : {}),
        };
    }
  }
}

export type StrPart = { s: string } | { hole: string };

/** envalid's isProduction / isProd: true when NODE_ENV is unset, empty or 'production' (envalid 8 middleware). */
export const ENVALID_PRODUCTION: EnvTest = {
  op: 'or',
  tests: [
    { op: 'falsy', variable: 'NODE_ENV' },
    { op: 'eq', variable: 'NODE_ENV', value: 'production' },
  ],
};

/** `String(x)`, `` `${x}` ``, `x.toString()`: the expression x itself. */
function stripStringWrappers(node: SgNode): SgNode {
  let n = unwrap(node);
  for (let i = 0; i < 4; i++) {
    if (n.kind() === 'call_expression') {
      const fn = n.field('function');
      const a = args(n);
      if (fn && fn.kind() === 'identifier' && fn.text() === 'String' && a.length === 1) {
        n = unwrap(a[0]);
        continue;
      }
      if (
        fn &&
        fn.kind() === 'member_expression' &&
        a.length === 0 &&
        keyName(fn.field('property')) === 'toString'
      ) {
        n = unwrap(fn.field('object') as SgNode);
        continue;
      }
    }
    if (n.kind() === 'template_string') {
      const subs = n.children().filter((c) => c.kind() === 'template_substitution');
      const frags = n.children().filter((c) => c.kind() === 'string_fragment');
      if (subs.length === 1 && frags.length === 0 && subs[0].namedChildren()[0]) {
        n = unwrap(subs[0].namedChildren()[0]);
        continue;
      }
    }
    break;
  }
  return n;
}

function mergeParts(parts: StrPart[]): StrPart[] {
  const out: StrPart[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if ('s' in p && last && 's' in last) out[out.length - 1] = { s: last.s + p.s };
    else out.push(p);
  }
  return out;
}

/** A cookie name from string parts: holes shown as `<expression>`. */
export function partsToName(parts: StrPart[]): { name: string; literal: boolean } {
  let name = '';
  let literal = true;
  for (const p of parts) {
    if ('s' in p) name += p.s;
    else {
      literal = false;
      name += `<${p.hole}>`;
    }
  }
  return { name, literal };
}

function operator(n: SgNode): string {
  const op = n.field('operator');
  if (op) return op.text();
  for (const c of n.children()) if (!c.isNamed()) return c.text();
  return '';
}

function isRequireCall(node: SgNode): boolean {
  const n = unwrap(node);
  if (n.kind() !== 'call_expression') return false;
  const fn = n.field('function');
  return !!fn && fn.kind() === 'identifier' && fn.text() === 'require';
}

function isProcessEnv(n: SgNode): boolean {
  const chain = memberChain(n);
  return (
    !!chain &&
    chain.root.kind() === 'identifier' &&
    chain.root.text() === 'process' &&
    chain.path.length === 1 &&
    chain.path[0] === 'env'
  );
}

/** A partial test with parts that are neither environment tests nor URL-scheme tests. */
function hasPlainUnknown(t: EnvTest): boolean {
  if (t.op === 'and' || t.op === 'or') return t.tests.some(hasPlainUnknown);
  if (t.op === 'not') return hasPlainUnknown(t.test);
  return t.op === 'unknown' && t.https !== true;
}

function condOf(test: EnvTest, text: string, node: SgNode): Val {
  return {
    t: 'cond',
    test,
    cond: text.split('\n')[0],
    then: { t: 'lit', v: true, node },
    else: { t: 'lit', v: false, node },
    node,
  };
}

function notVal(v: Val, node: SgNode): Val {
  if (v.t === 'lit') return { t: 'lit', v: !v.v, node };
  return { t: 'unknown', reason: 'negation of a computed value', node };
}

/** The object a value denotes (null / undefined as an empty object), or null when it is not one. */
export function asObject(v: Val, fallback?: SgNode): Extract<Val, { t: 'obj' }> | null {
  if (v.t === 'obj') return v;
  if (v.t === 'lit' && v.v === null) return { t: 'obj', props: new Map(), open: null, node: v.node };
  if (v.t === 'absent' && fallback) return { t: 'obj', props: new Map(), open: null, node: fallback };
  if (v.t === 'cond') {
    const a = asObject(v.then, v.node);
    const b = asObject(v.else, v.node);
    if (!a || !b) return null;
    const props = new Map<string, Prop>();
    for (const key of new Set([...a.props.keys(), ...b.props.keys()])) {
      const pa = a.props.get(key);
      const pb = b.props.get(key);
      props.set(key, {
        val: {
          t: 'cond',
          test: v.test,
          cond: v.cond,
          then: pa?.val ?? { t: 'absent' },
          else: pb?.val ?? { t: 'absent' },
          node: v.node,
        },
        site: (pa ?? pb)!.site,
      });
    }
    return { t: 'obj', props, open: a.open ?? b.open, node: v.node };
  }
  return null;
}

/** Property access on a value. */
export function getProp(v: Val, key: string, node: SgNode): Val {
  if (v.t === 'obj') {
    const p = v.props.get(key);
    if (p) return p.val;
    return v.open ? { t: 'unknown', reason: v.open, node } : { t: 'absent' };
  }
  if (v.t === 'cond')
    return {
      t: 'cond',
      test: v.test,
      cond: v.cond,
      then: getProp(v.then, key, node),
      else: getProp(v.else, key, node),
      node: v.node,
    };
  if (v.t === 'unknown')
    return {
      t: 'unknown',
      reason: v.reason,
      node,
      ...(v.ref ? { ref: { module: v.ref.module, name: `${v.ref.name}.${key}` } } : {}),
    };
  if (v.t === 'absent' || (v.t === 'lit' && v.v === null)) return { t: 'absent' };
  return { t: 'unknown', reason: `property ${key} of a non-object`, node };
}

/** Copy-on-write assignment of `value` at `path` under an optional guard. */
export function setPath(root: Val, path: string[], value: Val, guard: FactGuard | null, site: SgNode): Val {
  const base = asObject(root, site) ?? {
    t: 'obj' as const,
    props: new Map<string, Prop>(),
    open: `an unknown value`,
    node: site,
  };
  const obj: Extract<Val, { t: 'obj' }> = {
    t: 'obj',
    props: new Map(base.props),
    open: base.open,
    node: base.node,
    ...(base.openRef ? { openRef: base.openRef } : {}),
  };
  const [head, ...rest] = path;
  if (head === '*') {
    obj.open = value.t === 'unknown' ? value.reason : 'assigned keys';
    return obj;
  }
  const old: Val =
    obj.props.get(head)?.val ??
    (base.open ? { t: 'unknown', reason: base.open, node: site } : { t: 'absent' });
  let next: Val;
  if (rest.length > 0) next = setPath(old, rest, value, guard, site);
  else if (!guard) next = value;
  else if (guard.test)
    next = { t: 'cond', test: guard.test, cond: guard.condition, then: value, else: old, node: site };
  else next = { t: 'unknown', reason: `set only when ${guard.condition}`, node: site };
  // the deciding site of a write is the write itself
  obj.props.set(head, { val: next, site });
  return obj;
}

function scopeOf(decl: SgNode): SgNode | null {
  // function declarations are visible in the scope that contains them
  for (const a of decl.ancestors()) if (SCOPE_KINDS.has(String(a.kind()))) return a;
  return null;
}

function declBinding(decl: SgNode, name: string): Binding {
  const nameNode = decl.field('name');
  const value = decl.field('value');
  if (!nameNode || nameNode.kind() === 'identifier') return { kind: 'decl', decl, value, path: null };
  // destructuring: const { a, b: { c } } = value ; const [x, setX] = value
  const path = patternPath(nameNode, name);
  if (path)
    return {
      kind: 'decl',
      decl,
      value,
      path: path.path,
      ...(path.arrayIndex !== undefined ? { arrayIndex: path.arrayIndex } : {}),
    };
  return { kind: 'decl', decl, value: null, path: null };
}

function patternPath(pattern: SgNode, name: string): { path: string[]; arrayIndex?: number } | null {
  const k = pattern.kind();
  if (k === 'object_pattern') {
    for (const p of pattern.namedChildren()) {
      const pk = p.kind();
      if (pk === 'shorthand_property_identifier_pattern' && p.text() === name) return { path: [name] };
      if (pk === 'object_assignment_pattern') {
        const left = p.field('left');
        if (left && left.text() === name) return { path: [name] };
      }
      if (pk === 'pair_pattern') {
        const key = keyName(p.field('key'));
        const value = p.field('value');
        if (!key || !value) continue;
        if (value.kind() === 'identifier' && value.text() === name) return { path: [key] };
        const inner = patternPath(value, name);
        if (inner)
          return {
            path: [key, ...inner.path],
            ...(inner.arrayIndex !== undefined ? { arrayIndex: inner.arrayIndex } : {}),
          };
      }
    }
  }
  if (k === 'array_pattern') {
    let i = 0;
    for (const c of pattern.children()) {
      if (c.kind() === ',') {
        i++;
        continue;
      }
      if (c.kind() === 'identifier' && c.text() === name) return { path: [String(i)], arrayIndex: i };
    }
  }
  return null;
}

function findParam(fn: SgNode, name: string): { index: number; node: SgNode; type: string | null } | null {
  const single = fn.field('parameter');
  if (single && single.kind() === 'identifier')
    return single.text() === name ? { index: 0, node: single, type: null } : null;
  const params = fn.field('parameters');
  if (!params) return null;
  const list = params.namedChildren().filter((c) => c.kind() !== 'comment');
  for (let i = 0; i < list.length; i++) {
    const p = list[i];
    let pat: SgNode | null = p;
    let type: string | null = null;
    if (p.kind() === 'required_parameter' || p.kind() === 'optional_parameter') {
      pat = p.field('pattern');
      const t = p.field('type');
      type = t ? t.text().replace(/^:\s*/, '') : null;
    }
    if (pat && pat.kind() === 'assignment_pattern') pat = pat.field('left');
    if (!pat) continue;
    if (pat.kind() === 'identifier' && pat.text() === name) return { index: i, node: p, type };
    if ((pat.kind() === 'object_pattern' || pat.kind() === 'array_pattern') && patternPath(pat, name))
      return { index: i, node: p, type };
  }
  return null;
}
