/**
 * A small, structured-clone-safe model of the Python expressions that decide cookie settings, built
 * from the tree-sitter tree in the worker (extractors) and evaluated in the main thread (resolvers)
 * once every file's facts are known: `not DEBUG`, `os.environ.get('X') == '1'`,
 * `env.bool('X', default=False)` (django-environ), `config('X', cast=bool)` (python-decouple),
 * `True if ENV == 'production' else False`, `60 * 60 * 24 * 365` ...
 *
 * Anything else is `unknown` with a reason: the resolvers never report an unknown value as insecure.
 */
import type { SgNode } from '@ast-grep/napi';
import type { CodeLocation } from '../../../model/observation.js';
import { loc, oneLine } from './parse.js';

/** How a raw environment string becomes a value. */
export type EnvCast =
  | 'str'
  | 'int'
  | 'float'
  /** django-environ Env.bool: true for 'true', 'on', 'ok', 'y', 'yes', '1' (environ/environ.py BOOLEAN_TRUE_STRINGS), false otherwise. */
  | 'bool-environ'
  /** python-decouple cast=bool / distutils strtobool: y/yes/t/true/on/1 and n/no/f/false/off/0, anything else raises. */
  | 'bool-strict'
  /** Flask Config.from_prefixed_env: json.loads, the raw string when that fails. */
  | 'json-or-str';

export type PyExpr =
  | { k: 'lit'; v: string | number | boolean | null; t: string; loc?: CodeLocation }
  /** An environment variable read. `required`: unset raises (os.environ['X'], env('X') without default). */
  | { k: 'env'; name: string; dflt?: PyExpr; required: boolean; cast?: EvalCast; t: string }
  /** `'X' in os.environ` */
  | { k: 'isset'; name: string; t: string }
  /** A name defined outside this file (a star import, a Django setting from base.py ...). */
  | { k: 'name'; id: string; t: string }
  /** A name defined earlier in the same file, inlined: `t` is the name, `e` its value there. */
  | { k: 'ref'; id: string; e: PyExpr; t: string; defLoc?: CodeLocation; defText?: string }
  | { k: 'not'; e: PyExpr; t: string }
  | { k: 'bool'; op: 'and' | 'or'; l: PyExpr; r: PyExpr; t: string }
  | {
      k: 'cmp';
      op: '==' | '!=' | 'in' | 'not in' | 'is' | 'is not' | '<' | '<=' | '>' | '>=';
      l: PyExpr;
      r: PyExpr;
      t: string;
    }
  | { k: 'arith'; op: '+' | '-' | '*' | '//' | '/'; l: PyExpr; r: PyExpr; t: string }
  | { k: 'seq'; items: PyExpr[]; t: string }
  | { k: 'if'; test: PyExpr; then: PyExpr; else: PyExpr; t: string }
  | {
      k: 'fn';
      fn: 'bool' | 'int' | 'str' | 'float' | 'lower' | 'upper' | 'strip' | 'strtobool' | 'json';
      arg: PyExpr;
      t: string;
    }
  /** Not evaluated. `attr`: an attribute read (`settings.PRODUCTION`), which a resolver may know (pydantic settings). */
  | { k: 'unknown'; t: string; reason: string; attr?: string };

/** Casts applied to a whole env read (a subset of EnvCast kept on the node). */
export type EvalCast = EnvCast;

// ---------------------------------------------------------------------------------------------
// Building expressions from the tree

/** What the names of one file refer to (imports, django-environ instances). */
export interface ImportContext {
  /** Local name -> dotted module or `module.attr` it refers to (import os -> os; from os import environ -> os.environ). */
  names: Map<string, string>;
  /** django-environ: Env instance name -> per-variable scheme (Env(DEBUG=(bool, False))). */
  environInstances: Map<string, Map<string, { cast?: EnvCast; dflt?: PyExpr }>>;
}

export function emptyImports(): ImportContext {
  return { names: new Map(), environInstances: new Map() };
}

/** Name bindings visible while building (module level, then a class body on top). */
export interface Scope {
  lookup(id: string): { e: PyExpr; loc?: CodeLocation; text?: string } | undefined;
}

export const noScope: Scope = { lookup: () => undefined };

export interface BuildContext {
  file: string;
  imports: ImportContext;
  scope: Scope;
}

const MAX_DEPTH = 40;

/** The string value of a plain string literal node (no interpolation), else null. */
export function stringValue(node: SgNode | null | undefined): string | null {
  if (!node) return null;
  const kind = node.kind();
  if (kind === 'concatenated_string') {
    let out = '';
    for (const c of node.namedChildren()) {
      const v = stringValue(c);
      if (v === null) return null;
      out += v;
    }
    return out;
  }
  if (kind !== 'string') return null;
  // The node is a string literal (tree-sitter says so); only its value is decoded here, from its
  // text in one call (walking its children costs one native call each).
  return decodeStringLiteral(node.text());
}

/** Value of a Python string literal's text (`'a'`, `r"\\d"`, `'''x'''`); null for bytes and f-strings with fields. */
export function decodeStringLiteral(text: string): string | null {
  const m = /^([A-Za-z]{0,2})('''|"""|'|")([\s\S]*)\2$/.exec(text);
  if (!m) return null;
  const prefix = m[1]!.toLowerCase();
  const body = m[3]!;
  if (prefix.includes('b')) return null;
  if (prefix.includes('f') && body.replace(/\{\{|\}\}/g, '').includes('{')) return null;
  const raw = prefix.includes('r');
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch === '\\' && !raw && i + 1 < body.length) {
      const next = body[i + 1]!;
      if (next === '\n') {
        i++; // line continuation inside the literal
        continue;
      }
      const hex = /^x[0-9a-fA-F]{2}|^u[0-9a-fA-F]{4}/.exec(body.slice(i + 1, i + 6));
      const seq = hex ? `\\${hex[0]}` : `\\${next}`;
      out += unescape(seq);
      i += seq.length - 1;
      continue;
    }
    out += ch;
  }
  return prefix.includes('f') ? out.replace(/\{\{/g, '{').replace(/\}\}/g, '}') : out;
}

function unescape(seq: string): string {
  const map: Record<string, string> = {
    n: '\n',
    t: '\t',
    r: '\r',
    '\\': '\\',
    "'": "'",
    '"': '"',
    '0': '\0',
  };
  const ch = seq.slice(1);
  if (ch in map) return map[ch]!;
  if (/^x[0-9a-f]{2}$/i.test(ch) || /^u[0-9a-f]{4}$/i.test(ch))
    return String.fromCharCode(parseInt(ch.slice(1), 16));
  return seq;
}

function parseIntLiteral(text: string): number | null {
  const s = text.replace(/_/g, '').toLowerCase();
  if (/^0x[0-9a-f]+$/.test(s)) return parseInt(s.slice(2), 16);
  if (/^0o[0-7]+$/.test(s)) return parseInt(s.slice(2), 8);
  if (/^0b[01]+$/.test(s)) return parseInt(s.slice(2), 2);
  if (/^\d+$/.test(s)) return Number(s);
  return null;
}

/** Dotted text of a name / attribute chain (`os.environ.get`), null for anything else. */
export function dottedName(node: SgNode | null | undefined): string | null {
  if (!node) return null;
  const kind = node.kind();
  if (kind === 'identifier') return node.text();
  if (kind === 'attribute') {
    const obj = dottedName(node.field('object'));
    const attr = node.field('attribute');
    if (obj === null || !attr) return null;
    return `${obj}.${attr.text()}`;
  }
  return null;
}

/** Resolves the first component of a dotted name through the file's imports: `environ.get` -> `os.environ.get`. */
export function qualify(dotted: string | null, imports: ImportContext): string | null {
  if (dotted === null) return null;
  const dot = dotted.indexOf('.');
  const head = dot < 0 ? dotted : dotted.slice(0, dot);
  const rest = dot < 0 ? '' : dotted.slice(dot);
  const target = imports.names.get(head);
  return target ? target + rest : dotted;
}

/** Positional and keyword arguments of a call. */
export interface CallArgs {
  positional: SgNode[];
  keywords: Map<string, SgNode>;
  /** Keyword name nodes, for locations. */
  keywordNodes: Map<string, SgNode>;
  /** `*args` / `**kwargs` present: arguments not written out may be set. */
  splat: boolean;
}

export function callArgs(call: SgNode): CallArgs {
  const out: CallArgs = { positional: [], keywords: new Map(), keywordNodes: new Map(), splat: false };
  const list = call.field('arguments');
  if (!list) return out;
  if (list.kind() === 'generator_expression') {
    out.positional.push(list);
    return out;
  }
  for (const c of list.namedChildren()) {
    const kind = c.kind();
    if (kind === 'keyword_argument') {
      const name = c.field('name');
      const value = c.field('value');
      if (name && value) {
        out.keywords.set(name.text(), value);
        out.keywordNodes.set(name.text(), c);
      }
    } else if (kind === 'list_splat' || kind === 'dictionary_splat') {
      out.splat = true;
    } else if (kind !== 'comment') {
      out.positional.push(c);
    }
  }
  return out;
}

const ENV_GETTERS = new Set(['os.environ.get', 'os.getenv', 'os.environ.setdefault']);

function lit(v: string | number | boolean | null, node: SgNode, file?: string): PyExpr {
  return file ? { k: 'lit', v, t: node.text(), loc: loc(file, node) } : { k: 'lit', v, t: node.text() };
}

function unknown(node: SgNode, reason: string): PyExpr {
  return { k: 'unknown', t: oneLine(node.text(), 120), reason };
}

/** Builds the model of an expression node. */
export function toExpr(node: SgNode, ctx: BuildContext, depth = 0): PyExpr {
  if (depth > MAX_DEPTH) return unknown(node, 'expression nested too deeply');
  const kind = String(node.kind());
  const t = oneLine(node.text(), 200);
  switch (kind) {
    case 'true':
      return lit(true, node);
    case 'false':
      return lit(false, node);
    case 'none':
      return lit(null, node);
    case 'integer': {
      const n = parseIntLiteral(node.text());
      return n === null ? unknown(node, 'unsupported integer literal') : lit(n, node);
    }
    case 'float': {
      const n = Number(node.text().replace(/_/g, ''));
      return Number.isFinite(n) ? lit(n, node) : unknown(node, 'unsupported float literal');
    }
    case 'string':
    case 'concatenated_string': {
      const s = stringValue(node);
      return s === null ? unknown(node, 'a formatted or bytes string') : lit(s, node);
    }
    case 'parenthesized_expression': {
      const inner = node.namedChildren().find((c) => c.kind() !== 'comment');
      return inner ? toExpr(inner, ctx, depth + 1) : unknown(node, 'empty parentheses');
    }
    case 'identifier': {
      const id = node.text();
      const b = ctx.scope.lookup(id);
      if (b) return { k: 'ref', id, e: b.e, t: id, defLoc: b.loc, defText: b.text };
      return { k: 'name', id, t: id };
    }
    case 'not_operator': {
      const arg = node.field('argument');
      return arg ? { k: 'not', e: toExpr(arg, ctx, depth + 1), t } : unknown(node, 'malformed not');
    }
    case 'boolean_operator': {
      const l = node.field('left');
      const r = node.field('right');
      const op = node.field('operator')?.text();
      if (!l || !r || (op !== 'and' && op !== 'or')) return unknown(node, 'malformed boolean operator');
      return { k: 'bool', op, l: toExpr(l, ctx, depth + 1), r: toExpr(r, ctx, depth + 1), t };
    }
    case 'comparison_operator':
      return comparison(node, ctx, depth, t);
    case 'binary_operator': {
      const l = node.field('left');
      const r = node.field('right');
      const op = node.field('operator')?.text();
      if (!l || !r || !op || !['+', '-', '*', '//', '/'].includes(op))
        return unknown(node, `operator ${op ?? '?'}`);
      return { k: 'arith', op: op as '+', l: toExpr(l, ctx, depth + 1), r: toExpr(r, ctx, depth + 1), t };
    }
    case 'unary_operator': {
      const op = node.field('operator')?.text();
      const arg = node.field('argument');
      if (op === '-' && arg) {
        return { k: 'arith', op: '-', l: { k: 'lit', v: 0, t: '0' }, r: toExpr(arg, ctx, depth + 1), t };
      }
      return unknown(node, `unary ${op ?? '?'}`);
    }
    case 'conditional_expression': {
      const parts = node.namedChildren().filter((c) => c.kind() !== 'comment');
      if (parts.length !== 3) return unknown(node, 'malformed conditional expression');
      return {
        k: 'if',
        then: toExpr(parts[0]!, ctx, depth + 1),
        test: toExpr(parts[1]!, ctx, depth + 1),
        else: toExpr(parts[2]!, ctx, depth + 1),
        t,
      };
    }
    case 'list':
    case 'tuple':
    case 'set': {
      const items: PyExpr[] = [];
      for (const c of node.namedChildren()) {
        const ck = c.kind();
        if (ck === 'comment') continue;
        if (ck === 'list_splat') return unknown(node, 'a sequence with *unpacking');
        // String items keep their location: INSTALLED_APPS / MIDDLEWARE entries are where sessions are enabled.
        const item = toExpr(c, ctx, depth + 1);
        if (item.k === 'lit' && typeof item.v === 'string') item.loc = loc(ctx.file, c);
        items.push(item);
      }
      return { k: 'seq', items, t };
    }
    case 'call':
      return callExpr(node, ctx, depth, t);
    case 'subscript': {
      const value = node.field('value');
      const sub = node.field('subscript');
      if (value && sub && qualify(dottedName(value), ctx.imports) === 'os.environ') {
        const name = stringValue(sub);
        if (name !== null) return { k: 'env', name, required: true, t };
      }
      return unknown(node, 'a subscript the scanner does not follow');
    }
    case 'attribute': {
      const name = node.field('attribute')?.text();
      const e: PyExpr = { k: 'unknown', t: oneLine(node.text(), 120), reason: 'attribute not evaluated' };
      if (name) e.attr = name;
      return e;
    }
    default:
      return unknown(node, `${kind.replace(/_/g, ' ')} not evaluated`);
  }
}

function comparison(node: SgNode, ctx: BuildContext, depth: number, t: string): PyExpr {
  const kids = node.children();
  const operands: SgNode[] = [];
  const ops: string[] = [];
  for (const c of kids) {
    if (c.kind() === 'comment') continue;
    if (c.isNamed()) operands.push(c);
    else ops.push(c.text());
  }
  // `not in` and `is not` come as two anonymous tokens.
  const op = ops.join(' ');
  if (operands.length !== 2) return unknown(node, 'a chained comparison');
  const allowed = ['==', '!=', 'in', 'not in', 'is', 'is not', '<', '<=', '>', '>='];
  if (!allowed.includes(op)) return unknown(node, `comparison ${op}`);
  const [l, r] = operands as [SgNode, SgNode];
  if ((op === 'in' || op === 'not in') && qualify(dottedName(r), ctx.imports) === 'os.environ') {
    const name = stringValue(l);
    if (name !== null) {
      const isset: PyExpr = { k: 'isset', name, t };
      return op === 'in' ? isset : { k: 'not', e: isset, t };
    }
  }
  return { k: 'cmp', op: op as '==', l: toExpr(l, ctx, depth + 1), r: toExpr(r, ctx, depth + 1), t };
}

function callExpr(node: SgNode, ctx: BuildContext, depth: number, t: string): PyExpr {
  const fnNode = node.field('function');
  if (!fnNode) return unknown(node, 'malformed call');
  const args = callArgs(node);
  const raw = dottedName(fnNode);
  const q = qualify(raw, ctx.imports);
  const first = args.positional[0];

  // os.environ.get('X', d) / os.getenv('X', d)
  if (q && ENV_GETTERS.has(q)) {
    const name = stringValue(first);
    if (name === null || args.splat) return unknown(node, 'environment variable name is not a literal');
    const d = args.positional[1] ?? args.keywords.get('default');
    return {
      k: 'env',
      name,
      required: false,
      dflt: d ? toExpr(d, ctx, depth + 1) : { k: 'lit', v: null, t: 'None' },
      t,
    };
  }
  // python-decouple: config('X', default=..., cast=bool)
  if (q === 'decouple.config' || q === 'decouple.AutoConfig()') {
    const name = stringValue(first);
    if (name === null || args.splat) return unknown(node, 'environment variable name is not a literal');
    const d = args.positional[1] ?? args.keywords.get('default');
    const castNode = args.keywords.get('cast') ?? args.positional[2];
    const cast = castNode ? castOf(qualify(dottedName(castNode), ctx.imports), 'bool-strict') : undefined;
    if (castNode && !cast) return unknown(node, `cast ${castNode.text()} not evaluated`);
    // decouple/decouple.py Config.get: the default goes through cast as well (strings included).
    return { k: 'env', name, required: !d, dflt: d ? toExpr(d, ctx, depth + 1) : undefined, cast, t };
  }
  // django-environ: env('X', default=...), env.bool('X', default=...), env.int(...), env.str(...)
  if (raw) {
    const parts = raw.split('.');
    // An Env instance of this file, or `env` itself star-imported or imported by name from another
    // module of the project (`from config.env import env`: django-environ's and environs' documented
    // name), when the method is one of Env's casts.
    let inst = ctx.imports.environInstances.get(parts[0]!);
    const imported = ctx.imports.names.get('env');
    if (
      !inst &&
      parts[0] === 'env' &&
      (imported === undefined || /(^|\.)env$/.test(imported)) &&
      !ctx.scope.lookup('env')
    ) {
      if (parts.length === 2 && ['bool', 'int', 'float', 'str'].includes(parts[1]!)) inst = new Map();
    }
    if (inst && parts.length <= 2) {
      const method = parts[1];
      const name = stringValue(first);
      if (name === null || args.splat) return unknown(node, 'environment variable name is not a literal');
      const scheme = inst.get(name);
      let cast: EnvCast | undefined;
      if (method === undefined) {
        const castNode = args.keywords.get('cast');
        cast = castNode ? castOf(qualify(dottedName(castNode), ctx.imports), 'bool-environ') : scheme?.cast;
      } else if (method === 'bool') cast = 'bool-environ';
      else if (method === 'int') cast = 'int';
      else if (method === 'float') cast = 'float';
      else if (method === 'str') cast = 'str';
      else return unknown(node, `django-environ ${method}() not evaluated`);
      const d = args.positional[1] ?? args.keywords.get('default');
      const dflt = d ? toExpr(d, ctx, depth + 1) : scheme?.dflt;
      return { k: 'env', name, required: dflt === undefined, dflt, cast, t };
    }
  }
  // datetime.timedelta(days=7, hours=1, ...): its total in seconds (what Flask and Django read).
  if (q === 'datetime.timedelta') {
    const units: [string, number][] = [
      ['days', 86400],
      ['seconds', 1],
      ['microseconds', 1e-6],
      ['milliseconds', 1e-3],
      ['minutes', 60],
      ['hours', 3600],
      ['weeks', 604800],
    ];
    if (args.splat || args.positional.length > units.length)
      return unknown(node, 'timedelta() with these arguments');
    const terms: PyExpr[] = [];
    args.positional.forEach((a, i) => terms.push(scaled(toExpr(a, ctx, depth + 1), units[i]![1])));
    for (const [k, v] of args.keywords) {
      const u = units.find(([name]) => name === k);
      if (!u) return unknown(node, `timedelta(${k}=...)`);
      terms.push(scaled(toExpr(v, ctx, depth + 1), u[1]));
    }
    return terms.reduce<PyExpr>((l, r) => ({ k: 'arith', op: '+', l, r, t }), { k: 'lit', v: 0, t });
  }
  // bool(x), int(x), str(x), float(x), strtobool(x), json.loads(x); a project's own boolean parser
  // named for it (`parse_boolean(os.environ.get('X', 'false'))`, `str_to_bool`, `env_bool`) reads
  // like strtobool: the name is the contract every such helper keeps.
  const last = q ? q.slice(q.lastIndexOf('.') + 1) : '';
  const fnName =
    q === 'distutils.util.strtobool' || q === 'str2bool.str2bool' || BOOL_PARSER.test(last) ? 'strtobool' : q;
  if (
    fnName &&
    ['bool', 'int', 'str', 'float', 'strtobool', 'json.loads', 'ast.literal_eval'].includes(fnName)
  ) {
    if (!first || args.positional.length !== 1 || args.splat)
      return unknown(node, `${fnName}() with these arguments`);
    const fn = fnName === 'json.loads' || fnName === 'ast.literal_eval' ? 'json' : (fnName as 'bool');
    return { k: 'fn', fn, arg: toExpr(first, ctx, depth + 1), t };
  }
  // x.lower() / x.upper() / x.strip()
  if (fnNode.kind() === 'attribute' && args.positional.length === 0 && args.keywords.size === 0) {
    const method = fnNode.field('attribute')?.text();
    const obj = fnNode.field('object');
    if (obj && (method === 'lower' || method === 'upper' || method === 'strip' || method === 'casefold')) {
      return { k: 'fn', fn: method === 'casefold' ? 'lower' : method, arg: toExpr(obj, ctx, depth + 1), t };
    }
  }
  return unknown(node, `the result of ${oneLine(fnNode.text(), 60)}() is not known statically`);
}

function scaled(e: PyExpr, factor: number): PyExpr {
  return factor === 1
    ? e
    : { k: 'arith', op: '*', l: e, r: { k: 'lit', v: factor, t: String(factor) }, t: e.t };
}

/** Names of helpers that parse a boolean from a string. */
const BOOL_PARSER =
  /^_?(?:parse|str|string|to|as|get|env|read|cast)_?(?:to_?)?bool(?:ean)?$|^str2bool$|^strtobool$|^truthy$|^is_?true$/i;

function castOf(q: string | null, boolKind: EnvCast): EnvCast | undefined {
  switch (q) {
    case 'bool':
      return boolKind;
    case 'int':
      return 'int';
    case 'float':
      return 'float';
    case 'str':
      return 'str';
    case 'decouple.Csv':
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Evaluation

export type PyVal = string | number | boolean | null | PyVal[];
export type Outcome = { ok: true; v: PyVal } | { ok: false; error: boolean; reason: string };

export interface EvalContext {
  /** Variables of the environment being evaluated; absent = unset. */
  env: Record<string, string>;
  /** Resolves a name defined outside the file (undefined when nothing is known). */
  name?(id: string): Outcome | undefined;
  /** Assumed truth values of tests the scanner cannot decide, by their text. */
  assume?: Map<string, boolean>;
  /** Collected while evaluating: environment variables read. */
  varsRead: Set<string>;
  /** Collected while evaluating: undecidable tests met (text). */
  openTests: Set<string>;
}

export function newEvalContext(env: Record<string, string> = {}, name?: EvalContext['name']): EvalContext {
  return { env, name, varsRead: new Set(), openTests: new Set() };
}

const ok = (v: PyVal): Outcome => ({ ok: true, v });
const unk = (reason: string): Outcome => ({ ok: false, error: false, reason });
const err = (reason: string): Outcome => ({ ok: false, error: true, reason });

export function truthy(v: PyVal): boolean {
  if (Array.isArray(v)) return v.length > 0;
  return v !== null && v !== false && v !== 0 && v !== '';
}

function pyEq(a: PyVal, b: PyVal): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => pyEq(x, b[i]!));
  }
  const num = (x: PyVal): number | null =>
    typeof x === 'boolean' ? (x ? 1 : 0) : typeof x === 'number' ? x : null;
  const na = num(a);
  const nb = num(b);
  if (na !== null && nb !== null) return na === nb;
  return a === b;
}

const ENVIRON_TRUE = new Set(['true', 'on', 'ok', 'y', 'yes', '1']);
const STRICT_TRUE = new Set(['y', 'yes', 't', 'true', 'on', '1']);
const STRICT_FALSE = new Set(['n', 'no', 'f', 'false', 'off', '0']);

function pyStr(v: PyVal): string {
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (Array.isArray(v)) return `[${v.map(pyStr).join(', ')}]`;
  return String(v);
}

function toInt(v: PyVal): Outcome {
  if (typeof v === 'boolean') return ok(v ? 1 : 0);
  if (typeof v === 'number') return ok(Math.trunc(v));
  if (typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v.replace(/_/g, '')))
    return ok(parseInt(v.replace(/_/g, ''), 10));
  return err(`int() of ${pyStr(v)}`);
}

function applyCast(cast: EnvCast | undefined, v: PyVal, fromEnv: boolean): Outcome {
  if (cast === undefined) return ok(v);
  switch (cast) {
    case 'str':
      return ok(pyStr(v));
    case 'int':
      return toInt(v);
    case 'float': {
      const n = typeof v === 'boolean' ? Number(v) : typeof v === 'number' ? v : Number(v);
      return Number.isFinite(n) ? ok(n) : err(`float() of ${pyStr(v)}`);
    }
    case 'bool-environ':
      // environ/environ.py Env.parse_value: a bool default is returned as is; strings are tested.
      if (typeof v === 'boolean') return ok(v);
      if (v === null) return ok(null);
      return ok(ENVIRON_TRUE.has(String(v).trim().toLowerCase()));
    case 'bool-strict': {
      if (typeof v === 'boolean') return ok(v);
      if (typeof v === 'number') return ok(v !== 0);
      const s = String(v).trim().toLowerCase();
      if (STRICT_TRUE.has(s)) return ok(true);
      if (STRICT_FALSE.has(s) || (!fromEnv && s === '')) return ok(false);
      return err(`not a boolean: ${pyStr(v)}`);
    }
    case 'json-or-str': {
      if (typeof v !== 'string') return ok(v);
      try {
        const j = JSON.parse(v) as unknown;
        if (j === null || typeof j === 'boolean' || typeof j === 'number' || typeof j === 'string')
          return ok(j);
        return unk('a JSON object or array');
      } catch {
        return ok(v);
      }
    }
  }
}

/** Evaluates an expression in one environment. */
export function evaluate(e: PyExpr, ctx: EvalContext, depth = 0): Outcome {
  if (depth > MAX_DEPTH * 2) return unk('expression nested too deeply');
  const ev = (x: PyExpr) => evaluate(x, ctx, depth + 1);
  switch (e.k) {
    case 'lit':
      return ok(e.v);
    case 'unknown':
      return unk(e.reason);
    case 'ref':
      return ev(e.e);
    case 'name': {
      const r = ctx.name?.(e.id);
      return r ?? unk(`${e.id} is not defined in the scanned settings`);
    }
    case 'env': {
      ctx.varsRead.add(e.name);
      const raw = ctx.env[e.name];
      if (raw !== undefined) return applyCast(e.cast, raw, true);
      if (e.dflt === undefined) return e.required ? err(`${e.name} is not set`) : ok(null);
      const d = ev(e.dflt);
      return d.ok ? applyCast(e.cast, d.v, false) : d;
    }
    case 'isset':
      ctx.varsRead.add(e.name);
      return ok(ctx.env[e.name] !== undefined);
    case 'not': {
      const a = ev(e.e);
      return a.ok ? ok(!truthy(a.v)) : a;
    }
    case 'bool': {
      const l = ev(e.l);
      if (!l.ok) return l;
      if (e.op === 'and') return truthy(l.v) ? ev(e.r) : l;
      return truthy(l.v) ? l : ev(e.r);
    }
    case 'cmp': {
      const l = ev(e.l);
      if (!l.ok) return l;
      const r = ev(e.r);
      if (!r.ok) return r;
      switch (e.op) {
        case '==':
        case 'is':
          return ok(pyEq(l.v, r.v));
        case '!=':
        case 'is not':
          return ok(!pyEq(l.v, r.v));
        case 'in':
        case 'not in': {
          let has: boolean;
          if (Array.isArray(r.v)) has = r.v.some((x) => pyEq(x, l.v));
          else if (typeof r.v === 'string' && typeof l.v === 'string') has = r.v.includes(l.v);
          else return err(`'in' on ${pyStr(r.v)}`);
          return ok(e.op === 'in' ? has : !has);
        }
        default: {
          if (typeof l.v !== 'number' || typeof r.v !== 'number') return unk(`ordering of non-numbers`);
          const res =
            e.op === '<' ? l.v < r.v : e.op === '<=' ? l.v <= r.v : e.op === '>' ? l.v > r.v : l.v >= r.v;
          return ok(res);
        }
      }
    }
    case 'arith': {
      const l = ev(e.l);
      if (!l.ok) return l;
      const r = ev(e.r);
      if (!r.ok) return r;
      if (e.op === '+' && typeof l.v === 'string' && typeof r.v === 'string') return ok(l.v + r.v);
      if (e.op === '+' && Array.isArray(l.v) && Array.isArray(r.v)) return ok([...l.v, ...r.v]);
      if (typeof l.v !== 'number' || typeof r.v !== 'number') return unk(`arithmetic on non-numbers`);
      if (e.op === '+') return ok(l.v + r.v);
      if (e.op === '-') return ok(l.v - r.v);
      if (e.op === '*') return ok(l.v * r.v);
      if (r.v === 0) return err('division by zero');
      return ok(e.op === '//' ? Math.floor(l.v / r.v) : l.v / r.v);
    }
    case 'seq': {
      const out: PyVal[] = [];
      for (const it of e.items) {
        const r = ev(it);
        if (!r.ok) return r;
        out.push(r.v);
      }
      return ok(out);
    }
    case 'if': {
      const test = ev(e.test);
      let b: boolean | undefined;
      if (test.ok) b = truthy(test.v);
      else if (!test.error) {
        b = ctx.assume?.get(e.test.t);
        if (b === undefined) {
          ctx.openTests.add(e.test.t);
          return unk(`depends on ${e.test.t}`);
        }
      } else return test;
      return ev(b ? e.then : e.else);
    }
    case 'fn': {
      const a = ev(e.arg);
      if (!a.ok) return a;
      const v = a.v;
      switch (e.fn) {
        case 'bool':
          return ok(truthy(v));
        case 'int':
          return toInt(v);
        case 'float':
          return applyCast('float', v, false);
        case 'str':
          return ok(pyStr(v));
        case 'lower':
        case 'upper':
        case 'strip':
          if (typeof v !== 'string') return err(`.${e.fn}() on ${pyStr(v)}`);
          return ok(e.fn === 'lower' ? v.toLowerCase() : e.fn === 'upper' ? v.toUpperCase() : v.trim());
        case 'strtobool': {
          if (typeof v !== 'string') return err(`strtobool() of ${pyStr(v)}`);
          const r = applyCast('bool-strict', v, true);
          return r.ok ? ok(r.v ? 1 : 0) : r;
        }
        case 'json': {
          if (typeof v !== 'string') return err(`json of ${pyStr(v)}`);
          const s = v.trim();
          // json.loads and ast.literal_eval agree on the scalars that matter here.
          if (s === 'True' || s === 'False') return ok(s === 'True');
          if (s === 'None') return ok(null);
          try {
            const j = JSON.parse(s) as unknown;
            if (j === null || typeof j === 'boolean' || typeof j === 'number' || typeof j === 'string')
              return ok(j);
          } catch {
            return err(`not JSON: ${s}`);
          }
          return unk('a JSON object or array');
        }
      }
    }
  }
}

/** Every environment variable an expression may read (static walk, through inlined names). */
/** The sub-expressions of an expression, in source order. */
export function childrenOf(e: PyExpr): PyExpr[] {
  switch (e.k) {
    case 'env':
      return e.dflt ? [e.dflt] : [];
    case 'ref':
    case 'not':
      return [e.e];
    case 'bool':
    case 'cmp':
    case 'arith':
      return [e.l, e.r];
    case 'seq':
      return e.items;
    case 'if':
      return [e.test, e.then, e.else];
    case 'fn':
      return [e.arg];
    default:
      return [];
  }
}

/** A copy of the expression with `f` applied to every sub-expression, bottom-up (bounded like the evaluator). */
export function mapExpr(e: PyExpr, f: (x: PyExpr) => PyExpr, depth = 0): PyExpr {
  if (depth > MAX_DEPTH * 2) return e;
  const m = (x: PyExpr) => mapExpr(x, f, depth + 1);
  switch (e.k) {
    case 'env':
      return f(e.dflt ? { ...e, dflt: m(e.dflt) } : e);
    case 'ref':
    case 'not':
      return f({ ...e, e: m(e.e) });
    case 'bool':
    case 'cmp':
    case 'arith':
      return f({ ...e, l: m(e.l), r: m(e.r) } as PyExpr);
    case 'seq':
      return f({ ...e, items: e.items.map(m) });
    case 'if':
      return f({ ...e, test: m(e.test), then: m(e.then), else: m(e.else) });
    case 'fn':
      return f({ ...e, arg: m(e.arg) });
    default:
      return f(e);
  }
}

/** Visits an expression and its sub-expressions, depth first (bounded, like the evaluator). */
export function walkExpr(e: PyExpr, visit: (x: PyExpr) => void, depth = 0): void {
  if (depth > MAX_DEPTH * 2) return;
  visit(e);
  for (const c of childrenOf(e)) walkExpr(c, visit, depth + 1);
}

/** Environment variables an expression reads. */
export function envVarsOf(e: PyExpr, out: Set<string> = new Set()): Set<string> {
  walkExpr(e, (x) => {
    if (x.k === 'env' || x.k === 'isset') out.add(x.name);
  });
  return out;
}

/** Inlined names with their definitions, for explanations ("DEBUG = env.bool('DEBUG') at line 3"). */
export function refsOf(
  e: PyExpr,
  out: Map<string, { text?: string; loc?: CodeLocation }> = new Map(),
): Map<string, { text?: string; loc?: CodeLocation }> {
  walkExpr(e, (x) => {
    if (x.k === 'ref' && !out.has(x.id)) out.set(x.id, { text: x.defText, loc: x.defLoc });
  });
  return out;
}

/** A constant literal value, if the expression is one. */
export function literalOf(e: PyExpr): { v: string | number | boolean | null } | null {
  if (e.k === 'lit') return { v: e.v };
  if (e.k === 'ref') return literalOf(e.e);
  return null;
}
