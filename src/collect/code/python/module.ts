/**
 * What one Python file knows about its own names: its dotted module path, its imports (relative
 * imports made absolute), the simple assignments a value can be inlined from, and the `if` blocks
 * around a statement. Shared by the Flask, Django and Starlette extractors.
 */
import type { SgNode } from '@ast-grep/napi';
import type { CodeLocation } from '../../../model/observation.js';
import type { SourceFile } from '../types.js';
import {
  callArgs,
  dottedName,
  qualify,
  stringValue,
  toExpr,
  type BuildContext,
  type EnvCast,
  type ImportContext,
  type PyExpr,
  type Scope,
} from './expr.js';
import { oneLine, parsePython } from './parse.js';

/** `pkg/sub/mod.py` -> `pkg.sub.mod`; `pkg/__init__.py` -> `pkg`. */
export function modulePathOf(file: string): string {
  const noExt = file.replace(/\.pyi?$/, '');
  const parts = noExt.split('/').filter((p) => p !== '' && p !== '.');
  if (parts[parts.length - 1] === '__init__') parts.pop();
  return parts.join('.');
}

/** Package of a module file: the module itself for `__init__.py`, else its parent. */
export function packageOf(file: string): string {
  const mod = modulePathOf(file);
  if (/(^|\/)__init__\.pyi?$/.test(file)) return mod;
  const i = mod.lastIndexOf('.');
  return i < 0 ? '' : mod.slice(0, i);
}

/** Resolves `from ..x import y` relative module text against the file's package. */
export function absoluteModule(relative: string, pkg: string): string {
  const m = /^(\.+)(.*)$/.exec(relative);
  if (!m) return relative;
  const ups = m[1]!.length - 1;
  const parts = pkg === '' ? [] : pkg.split('.');
  const base = parts.slice(0, Math.max(0, parts.length - ups));
  if (m[2]) base.push(m[2]);
  return base.join('.');
}

interface Binding {
  start: number;
  /** id of the enclosing function definition, or -1 at module / class level. */
  fn: number;
  /** id of the class whose body holds the assignment (outside functions), or -1. */
  cls: number;
  valueNode: SgNode;
  stmt: SgNode;
  built?: PyExpr;
  building?: boolean;
}

const FUNCTION_KINDS = new Set(['function_definition', 'lambda']);

/** Nodes of one file the extractors read, in document order. */
export interface PyIndex {
  /** Calls worth a look (config methods, set_cookie, add_middleware, Flask(), ProxyFix ...) and
   *  assignments to a subscript (`app.config[...] =`, `os.environ[...] =`), interleaved. */
  ordered: SgNode[];
  /** `name = value` assignments, anywhere. */
  identAssigns: SgNode[];
  /** Module-level statements assigning or extending an ALL_CAPS name. */
  settingStatements: SgNode[];
  classes: SgNode[];
  /** Strings naming django.conf.urls.i18n. */
  strings: SgNode[];
  /** `flask.session` attributes. */
  attributes: SgNode[];
  /** Start / end offsets of every `if` statement. */
  ifRanges: [number, number][];
  /** Dictionaries and `dict(...)` calls on the right of an assignment. */
  mapCandidates: SgNode[];
  /** `x.permanent = ...` assignments (Flask's `session.permanent = True`). */
  permanent: SgNode[];
}

/** Callees (qualified) whose calls are indexed; methods by name are in INDEXED_METHODS. */
const INDEXED_CALLEES = [
  'flask.Flask',
  'flask.app.Flask',
  'werkzeug.middleware.proxy_fix.ProxyFix',
  'werkzeug.contrib.fixers.ProxyFix',
  'flask_login.LoginManager',
  'flask_login.login_manager.LoginManager',
  'flask_login.login_user',
  'flask_login.utils.login_user',
  'starlette.middleware.Middleware',
  'fastapi.middleware.Middleware',
];
const INDEXED_METHODS =
  'config\\.(update|from_mapping|setdefault|from_object|from_pyfile|from_envvar|from_file|from_prefixed_env)|set_cookie|set_signed_cookie|add_middleware';

/** Callees that may be app factories (flask-extractor.ts FACTORY_NAME), matched natively. */
const FACTORY_CALLEE =
  '(?i)(^|\\.)((create|make|build|get|new|init|setup)_?(flask_?)?app(lication)?|app_?factory)$';

const CAPS = '^[A-Z][A-Z0-9_]*$';
/** ALL_CAPS names, and their `.append/.insert/.extend` calls (list settings grown in place). */
const CAPS_RE = new RegExp(CAPS);
const CAPS_EXTEND = '^[A-Z][A-Z0-9_]*\\.(append|insert|extend)$';
const CAPS_EXTEND_RE = new RegExp(CAPS_EXTEND);
/** Scopes a module-level setting is never in. */
export const NESTED_KINDS = new Set(['function_definition', 'class_definition', 'lambda', 'except_clause']);

/** One parsed Python file with name resolution helpers. */
export class PyFile {
  readonly root: SgNode;
  readonly module: string;
  readonly pkg: string;
  readonly imports: ImportContext;
  /** Star imports: absolute module and whether inside try (optional, e.g. local settings). */
  readonly starImports: { module: string; optional: boolean; location: CodeLocation }[] = [];
  /** Absolute dotted names of every module this file imports from (import x / from x import y). */
  readonly importedModules = new Set<string>();
  /** The import statements, in order. */
  readonly importStatements: SgNode[] = [];
  private readonly bindings = new Map<string, Binding[]>();

  constructor(readonly source: SourceFile) {
    this.root = parsePython(source);
    this.module = modulePathOf(source.file);
    this.pkg = packageOf(source.file);
    this.imports = { names: new Map(), environInstances: new Map() };
    this.collectImports();
    this.index = this.buildIndex();
  }

  /** The nodes the extractors look at, found in one native traversal (see buildIndex). */
  readonly index: PyIndex;

  get file(): string {
    return this.source.file;
  }

  loc(node: SgNode): CodeLocation {
    const r = this.rangeOf(node);
    return {
      file: this.source.file,
      line: r.start.line + 1,
      column: r.start.column + 1,
      endLine: r.end.line + 1,
      endColumn: r.end.column + 1,
    };
  }

  private readonly ranges = new Map<number, ReturnType<SgNode['range']>>();

  /** A node's range, computed once (each native call is costly). */
  rangeOf(node: SgNode): ReturnType<SgNode['range']> {
    const id = node.id();
    let r = this.ranges.get(id);
    if (!r) {
      r = node.range();
      this.ranges.set(id, r);
    }
    return r;
  }

  /** The whole source line(s) of a node, as a one-line excerpt. */
  snippet(node: SgNode): string {
    const r = this.rangeOf(node);
    if (!this.lines) this.lines = this.source.text.split('\n');
    const lines = this.lines.slice(r.start.line, Math.min(r.end.line, r.start.line + 2) + 1);
    return oneLine(lines.join('\n'), 200);
  }

  private lines: string[] | null = null;

  private collectImports(): void {
    const names = this.imports.names;
    for (const st of this.root.findAll({
      rule: { any: [{ kind: 'import_statement' }, { kind: 'import_from_statement' }] },
    })) {
      this.importStatements.push(st);
      if (st.kind() === 'import_statement') {
        for (const c of st.namedChildren()) {
          if (c.kind() === 'dotted_name') {
            const full = c.text().replace(/\s+/g, '');
            names.set(full.split('.')[0]!, full.split('.')[0]!);
            this.importedModules.add(full);
          } else if (c.kind() === 'aliased_import') {
            const n = c.field('name');
            const a = c.field('alias');
            if (n && a) {
              names.set(a.text(), n.text().replace(/\s+/g, ''));
              this.importedModules.add(n.text().replace(/\s+/g, ''));
            }
          }
        }
        continue;
      }
      const modNode = st.field('module_name');
      if (!modNode) continue;
      const mod = absoluteModule(modNode.text().replace(/\s+/g, ''), this.pkg);
      this.importedModules.add(mod);
      if (st.namedChildren().some((c) => c.kind() === 'wildcard_import')) {
        const optional = st.ancestors().some((a) => a.kind() === 'try_statement');
        this.starImports.push({ module: mod, optional, location: this.loc(st) });
        continue;
      }
      for (const c of st.fieldChildren('name')) {
        if (c.kind() === 'dotted_name') names.set(c.text(), `${mod}.${c.text()}`);
        else if (c.kind() === 'aliased_import') {
          const n = c.field('name');
          const a = c.field('alias');
          if (n && a) names.set(a.text(), `${mod}.${n.text()}`);
        }
      }
    }
  }

  private enclosingFunction(node: SgNode): number {
    for (const a of node.ancestors()) if (FUNCTION_KINDS.has(String(a.kind()))) return a.id();
    return -1;
  }

  /** The class body a node is directly in (not inside a method), or -1. */
  private enclosingClass(node: SgNode): number {
    for (const a of node.ancestors()) {
      if (FUNCTION_KINDS.has(String(a.kind()))) return -1;
      if (a.kind() === 'class_definition') return a.id();
    }
    return -1;
  }

  /**
   * One traversal of the tree (each ast-grep traversal costs about as much as the parse on large
   * files) collecting every node an extractor may need, in document order. Calls are filtered
   * natively by callee spelling so that JavaScript only sees the few that matter.
   */
  private buildIndex(): PyIndex {
    const callees = `${this.spellings(INDEXED_CALLEES).slice(0, -2)}|.*\\.(${INDEXED_METHODS}))$`;
    // Rules a file's text cannot match are left out: every rule costs a test on every node of the
    // tree, and most files hold none of these words (measured: half the index's time).
    const text = this.source.text;
    const callRules: object[] = [
      { has: { field: 'function', regex: callees } },
      // MIDDLEWARE.append(...) / .insert / .extend: module-level setting statements (below).
      { has: { field: 'function', kind: 'attribute', regex: CAPS_EXTEND } },
    ];
    if (/(?:app|application|factory)\s*\(/i.test(text))
      callRules.push({ has: { field: 'function', regex: FACTORY_CALLEE } });
    if (/\wFlask\s*\(/.test(text))
      callRules.push({ has: { field: 'function', regex: '[A-Za-z0-9_]Flask$' } });
    if (/DJANGO_SETTINGS_MODULE|SessionMiddleware|set-cookie/i.test(text))
      callRules.push({ regex: 'DJANGO_SETTINGS_MODULE|SessionMiddleware|(?i)set-cookie' });
    if (text.includes('dump_cookie')) callRules.push({ has: { field: 'function', regex: 'dump_cookie$' } });
    const any: object[] = [
      { kind: 'assignment' },
      { kind: 'augmented_assignment', has: { field: 'left', kind: 'identifier', regex: CAPS } },
      { kind: 'class_definition' },
      { kind: 'call', any: callRules },
      { kind: 'if_statement' },
      // `config = {...}` / `dict(...)`: candidates for Flask config mappings.
      { kind: 'dictionary', inside: { kind: 'assignment', field: 'right' } },
    ];
    if (text.includes('django.conf.urls.i18n'))
      any.push({ kind: 'string', regex: 'django\\.conf\\.urls\\.i18n' });
    if (text.includes('session')) any.push({ kind: 'attribute', regex: this.spellings(['flask.session']) });
    if (/\bdict\s*\(/.test(text))
      any.push({ kind: 'call', regex: '^dict\\s*\\(', inside: { kind: 'assignment', field: 'right' } });
    const rule = { any };
    const idx: PyIndex = {
      ordered: [],
      identAssigns: [],
      settingStatements: [],
      classes: [],
      strings: [],
      attributes: [],
      ifRanges: [],
      mapCandidates: [],
      permanent: [],
    };
    for (const n of this.root.findAll({ rule })) {
      switch (String(n.kind())) {
        case 'assignment': {
          const left = n.field('left');
          const lk = left ? String(left.kind()) : '';
          if (lk === 'identifier') {
            const name = left!.text();
            idx.identAssigns.push(n);
            if (CAPS_RE.test(name)) this.settingStatement(n, idx);
            const list = this.pending.get(name);
            if (list) list.push(n);
            else this.pending.set(name, [n]);
            const right = n.field('right');
            // django-environ `env = environ.Env(...)`, decouple `config = AutoConfig()`.
            if (
              right &&
              right.kind() === 'call' &&
              /^[\w.]*(Env|AutoConfig|Config)\s*\(/.test(right.text())
            ) {
              this.noteSpecialBinding(name, right);
            }
          } else if (lk === 'subscript') idx.ordered.push(n);
          else if (lk === 'attribute' && left!.field('attribute')?.text() === 'permanent')
            idx.permanent.push(n);
          break;
        }
        case 'class_definition':
          idx.classes.push(n);
          break;
        case 'augmented_assignment':
          this.settingStatement(n, idx);
          break;
        case 'call': {
          const fn = n.field('function');
          if (fn?.kind() === 'attribute' && CAPS_EXTEND_RE.test(fn.text())) {
            this.settingStatement(n, idx);
            break;
          }
          if (/^dict\s*\(/.test(n.text())) idx.mapCandidates.push(n);
          else idx.ordered.push(n);
          break;
        }
        case 'dictionary':
          idx.mapCandidates.push(n);
          break;
        case 'string':
          idx.strings.push(n);
          break;
        case 'attribute':
          idx.attributes.push(n);
          break;
        case 'if_statement': {
          const r = n.range();
          idx.ifRanges.push([r.start.index, r.end.index]);
          break;
        }
        default:
          break;
      }
    }
    return idx;
  }

  /**
   * The statement of an ALL_CAPS assignment, augmentation or `.append/.insert/.extend` call, when it
   * is a module-level statement (possibly inside module-level `if` / `try` blocks): a setting.
   */
  private settingStatement(node: SgNode, idx: PyIndex): void {
    const stmt = node.parent();
    if (!stmt || stmt.kind() !== 'expression_statement') return;
    for (const a of stmt.ancestors()) if (NESTED_KINDS.has(String(a.kind()))) return;
    idx.settingStatements.push(stmt);
  }

  private readonly pending = new Map<string, SgNode[]>();

  private bindingsOf(name: string): Binding[] | undefined {
    const done = this.bindings.get(name);
    if (done) return done;
    const nodes = this.pending.get(name);
    if (!nodes) return undefined;
    const list: Binding[] = [];
    for (const asg of nodes) {
      // Chained `a = b = 1`: the right side is itself an assignment.
      let value = asg.field('right');
      if (!value) continue;
      while (value.kind() === 'assignment') {
        const r: SgNode | null = value.field('right');
        if (!r) break;
        value = r;
      }
      // Enclosing function and class from one walk up the tree.
      let fn = -1;
      let cls = -1;
      for (const a of asg.ancestors()) {
        const k = String(a.kind());
        if (FUNCTION_KINDS.has(k)) {
          fn = a.id();
          cls = -1;
          break;
        }
        if (k === 'class_definition' && cls === -1) cls = a.id();
      }
      list.push({ start: this.rangeOf(asg).start.index, fn, cls, valueNode: value, stmt: asg });
    }
    this.bindings.set(name, list);
    return list;
  }

  /** django-environ `env = environ.Env(DEBUG=(bool, False))`, decouple `config = AutoConfig()`. */
  private noteSpecialBinding(name: string, value: SgNode): void {
    if (value.kind() !== 'call') return;
    const q = qualify(dottedName(value.field('function')), this.imports);
    if (q === 'environ.Env' || q === 'environ.environ.Env' || q === 'environs.Env') {
      const scheme = new Map<string, { cast?: EnvCast; dflt?: PyExpr }>();
      const args = callArgs(value);
      for (const [k, v] of args.keywords) {
        const ctx: BuildContext = {
          file: this.file,
          imports: this.imports,
          scope: { lookup: () => undefined },
        };
        if (v.kind() === 'tuple') {
          const items = v.namedChildren().filter((c) => c.kind() !== 'comment');
          const cast = castName(items[0]?.text());
          scheme.set(k, { cast, dflt: items[1] ? toExpr(items[1], ctx) : undefined });
        } else {
          scheme.set(k, { cast: castName(v.text()) });
        }
      }
      this.imports.environInstances.set(name, scheme);
    } else if (q === 'decouple.AutoConfig' || q === 'decouple.Config') {
      this.imports.names.set(name, 'decouple.config');
    }
  }

  /**
   * Names visible at `node`, as Python resolves them: the last simple assignment before it in the
   * same function (or the same class body), else at module level. A class body does not see the
   * names of other classes, nor of its base classes.
   */
  scopeAt(node: SgNode): Scope {
    // Computed on the first lookup of a name that has bindings: most expressions are literals.
    let where: { pos: number; fn: number; cls: number } | null = null;
    const at = () => {
      if (!where) {
        const fn = this.enclosingFunction(node);
        where = { pos: this.rangeOf(node).start.index, fn, cls: fn === -1 ? this.enclosingClass(node) : -1 };
      }
      return where;
    };
    const local = (b: Binding) => {
      const { fn, cls } = at();
      return fn !== -1 ? b.fn === fn : cls !== -1 && b.cls === cls;
    };
    const global = (b: Binding) => b.fn === -1 && b.cls === -1;
    return {
      lookup: (id: string) => {
        const list = this.bindingsOf(id);
        if (!list) return undefined;
        const pos = at().pos;
        let best: Binding | undefined;
        for (const b of list) {
          if (b.start >= pos) continue;
          if (!local(b) && !global(b)) continue;
          // Prefer the local binding over a module-level one, then the latest.
          if (!best || (local(b) && !local(best)) || (local(b) === local(best) && b.start > best.start))
            best = b;
        }
        if (!best) return undefined;
        if (best.building) return undefined; // `x = x + 1`: the earlier x is not known
        if (!best.built) {
          best.building = true;
          best.built = this.expr(best.valueNode);
          best.building = false;
        }
        return { e: best.built, loc: this.loc(best.stmt), text: oneLine(best.stmt.text(), 120) };
      },
    };
  }

  /** The model of an expression, names inlined from earlier assignments of this file. */
  expr(node: SgNode): PyExpr {
    return toExpr(node, { file: this.file, imports: this.imports, scope: this.scopeAt(node) });
  }

  /** Qualified dotted name of a callee / reference (`ProxyFix` -> `werkzeug.middleware.proxy_fix.ProxyFix`). */
  qualified(node: SgNode | null | undefined): string | null {
    return qualify(dottedName(node), this.imports);
  }

  /**
   * The conditions of the `if` / `elif` / `else` blocks around a node (innermost last), as
   * expressions: an `else` branch gives the negation of its `if`. Null when unconditional.
   */
  conditionsOf(node: SgNode, stopAt?: SgNode): PyExpr | null {
    // Most statements are in no `if` block: tell from the indexed `if` ranges before walking up.
    const at = this.rangeOf(node).start.index;
    if (!this.index.ifRanges.some(([s, e]) => s <= at && at < e)) return null;
    const conds: PyExpr[] = [];
    let child = node;
    for (const a of node.ancestors()) {
      if (stopAt && a.id() === stopAt.id()) break;
      if (FUNCTION_KINDS.has(String(a.kind())) || a.kind() === 'class_definition') break;
      const k = a.kind();
      if (k === 'if_statement' || k === 'elif_clause') {
        const cons = a.field('consequence');
        const test = a.field('condition');
        if (cons && test && cons.id() === child.id()) conds.unshift(this.expr(test));
      }
      if (k === 'else_clause' || k === 'elif_clause') {
        const ifSt = a.parent();
        if (ifSt && ifSt.kind() === 'if_statement') {
          // Negate the `if` and every elif before this clause.
          const negs: PyExpr[] = [];
          const t0 = ifSt.field('condition');
          if (t0) negs.push(notOf(this.expr(t0)));
          for (const alt of ifSt.fieldChildren('alternative')) {
            if (alt.id() === a.id()) break;
            const t = alt.field('condition');
            if (t) negs.push(notOf(this.expr(t)));
          }
          conds.unshift(...negs);
        }
      }
      child = a;
    }
    if (conds.length === 0) return null;
    return conds.reduce((l, r) => ({ k: 'bool', op: 'and', l, r, t: `${l.t} and ${r.t}` }));
  }

  /**
   * A regex matching how this file can spell a reference to any of `targets` (qualified names such
   * as `flask.Flask`): the bare name imported from its module (also under an alias), or the module
   * path itself (`flask.Flask`, `import flask as fl` -> `fl.Flask`). Used to let ast-grep filter
   * calls natively instead of visiting every call from JavaScript.
   */
  spellings(targets: readonly string[]): RegExp['source'] {
    const out = new Set<string>();
    for (const t of targets) {
      out.add(t);
      const last = t.split('.').pop()!;
      out.add(last);
      for (const [local, target] of this.imports.names) {
        if (target === t) out.add(local);
        else if (t.startsWith(`${target}.`)) out.add(local + t.slice(target.length));
      }
    }
    const esc = [...out].map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    return `^(${esc.join('|')})$`;
  }

  /** The function definition a node is in (the innermost; lambdas excluded), or null at module level. */
  enclosingDef(node: SgNode): SgNode | null {
    for (const a of node.ancestors()) if (a.kind() === 'function_definition') return a;
    return null;
  }

  /** Qualified name of a function definition: `pkg.mod.fn`, `pkg.mod.Class.method` for a method. */
  functionName(def: SgNode): string {
    const parts = [def.field('name')?.text() ?? '?'];
    for (const a of def.ancestors()) {
      const k = a.kind();
      if (k === 'class_definition' || k === 'function_definition')
        parts.unshift(a.field('name')?.text() ?? '?');
    }
    return this.module ? `${this.module}.${parts.join('.')}` : parts.join('.');
  }

  /**
   * When `node` is an identifier naming a parameter of the function around it: the function, the
   * parameter's position among the positional ones (-1 when keyword-only or `self`-like first of a
   * method is not counted) and its default value node (null when it has none).
   */
  parameterOf(node: SgNode): { def: SgNode; name: string; index: number; dflt: SgNode | null } | null {
    if (node.kind() !== 'identifier') return null;
    const def = this.enclosingDef(node);
    if (!def) return null;
    const params = def.field('parameters');
    if (!params) return null;
    const name = node.text();
    let index = 0;
    let keywordOnly = false;
    for (const p of params.namedChildren()) {
      const k = String(p.kind());
      if (k === 'list_splat_pattern' || k === 'keyword_separator') {
        keywordOnly = true;
        continue;
      }
      if (k === 'dictionary_splat_pattern' || k === 'positional_separator' || k === 'comment') continue;
      const pname =
        k === 'identifier'
          ? p.text()
          : k === 'typed_parameter'
            ? (p
                .namedChildren()
                .find((c) => c.kind() === 'identifier')
                ?.text() ?? null)
            : (p.field('name')?.text() ?? null);
      if (pname === name) {
        const dflt = k === 'default_parameter' || k === 'typed_default_parameter' ? p.field('value') : null;
        return { def, name, index: keywordOnly ? -1 : index, dflt };
      }
      if (!keywordOnly) index++;
    }
    return null;
  }

  /** Module-level name definitions (classes, assignments) of this file. */
  definesAtModuleLevel(name: string): boolean {
    for (const c of this.root.namedChildren()) {
      if (c.kind() === 'class_definition' && c.field('name')?.text() === name) return true;
      if (c.kind() === 'decorated_definition') {
        const d = c.field('definition');
        if (d?.field('name')?.text() === name) return true;
      }
      if (c.kind() === 'expression_statement') {
        const a = c.namedChildren()[0];
        if (a?.kind() === 'assignment' && a.field('left')?.text() === name) return true;
      }
    }
    return false;
  }

  /** Absolute dotted reference for a name or attribute used in this file (for from_object targets). */
  reference(node: SgNode): string | null {
    const d = dottedName(node);
    if (d === null) return null;
    const head = d.split('.')[0]!;
    if (this.imports.names.has(head)) return qualify(d, this.imports);
    if (this.definesAtModuleLevel(head)) return this.module ? `${this.module}.${d}` : d;
    return d;
  }

  /** String value of a literal node or of a name bound to a literal string. */
  stringAt(node: SgNode | null | undefined): string | null {
    if (!node) return null;
    const s = stringValue(node);
    if (s !== null) return s;
    if (node.kind() === 'identifier') {
      const e = this.expr(node);
      let x: PyExpr = e;
      while (x.k === 'ref') x = x.e;
      if (x.k === 'lit' && typeof x.v === 'string') return x.v;
    }
    return null;
  }
}

function notOf(e: PyExpr): PyExpr {
  return { k: 'not', e, t: `not (${e.t})` };
}

function castName(text: string | undefined): EnvCast | undefined {
  switch (text) {
    case 'bool':
      return 'bool-environ';
    case 'int':
      return 'int';
    case 'float':
      return 'float';
    case 'str':
      return 'str';
    default:
      return undefined;
  }
}

/** Per-file cache so the Flask, Django and Starlette extractors share one parse and one model. */
let last: { file: string; text: string; py: PyFile } | null = null;
export function pyFileOf(source: SourceFile): PyFile {
  if (last && last.file === source.file && last.text === source.text) return last.py;
  const py = new PyFile(source);
  last = { file: source.file, text: source.text, py };
  return py;
}
