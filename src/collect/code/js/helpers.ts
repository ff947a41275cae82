/**
 * Cookies written through a function of the project: `function setCookie(name, value, days) {
 * document.cookie = name + '=' + value + ... }` called elsewhere with `setCookie('token', jwt, 7)`. The
 * cookie's attributes are decided in the helper, its name and value at each call: the extractor records the
 * helper (which parameters carry the name and the value, and the calls in its own file) and, in every file,
 * the calls of imported functions named like cookie writers; the resolver joins them.
 *
 * Also what the code that sets a cookie says about its value: `res.cookie('access', token)` with a value
 * named like a credential (`token`, `jwt.sign(...)`, `session.id`) holds one, whatever the cookie's name.
 */
import type { SgNode } from '@ast-grep/napi';
import type { CodeLocation } from '../../../model/observation.js';
import type { CodeFact, ConstantKind } from '../types.js';
import {
  args,
  escapeRegex,
  keyName,
  memberChain,
  partsToName,
  stringValue,
  unwrap,
  type JsFile,
} from './context.js';

export const HELPER_CALL_KEY = 'js-cookie-helper-call';

/** One call of a cookie helper: the cookie name and what its value is. */
export interface HelperCall {
  /** The cookie name (`<expr>` for computed parts). */
  name: string;
  /** The value is named like a credential (see credentialSource). */
  valueFrom?: string;
  constantValue?: ConstantKind;
  /** An empty value written with a non-positive lifetime argument (`setCookie('sid', '', -1)`): a deletion. */
  deletion?: boolean;
  location: CodeLocation;
  evidence: string;
}

/** A function of the project that writes a cookie whose name (and value) are its parameters. */
export interface HelperInfo {
  fn: string;
  nameParam: number;
  valueParam?: number;
  /** Other files may import and call it. */
  exported: boolean;
  /** Its calls in its own file. */
  calls: HelperCall[];
}

/** The `detail` of a cookie-set fact (structured-clone safe). */
export interface CookieSetDetail {
  /** The value comes from an expression named like a credential. */
  valueFrom?: string;
  /** The value is JSON of an object literal whose fields (listed) name no credential: data, not an identifier. */
  valueData?: string;
  helper?: HelperInfo;
  /** Set by the resolver: the cookie is written through this helper, which also writes `alsoFor`. */
  via?: string;
  alsoFor?: string[];
  /** Set by the resolver: the helper that writes it takes the name as a parameter and nothing scanned calls it. */
  uncalled?: string;
}

/** The `data` of a `js-cookie-helper-call` fact: a call of an imported function named like a cookie writer. */
export interface HelperCallData {
  module: string;
  /** The imported name of the function (`default` for a default import). */
  name: string;
  /** Argument i as a cookie name (literal text or `<expr>`), its constness and credential hint. */
  args: {
    text: string;
    literal: boolean;
    empty: boolean;
    constant?: ConstantKind;
    valueFrom?: string;
    nonPositive?: boolean;
  }[];
  location: CodeLocation;
  evidence: string;
}

/** The words of an identifier or dotted path: `user.getSessionToken` -> user, get, session, token. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

/** A word that names a credential (`token`, `accessToken`, `jwt`, `session`, `sid`, `auth` but not `author`). */
function credentialWord(w: string): boolean {
  return (
    w.endsWith('token') ||
    w.includes('jwt') ||
    w.startsWith('sess') ||
    w === 'sid' ||
    (w.startsWith('auth') && !w.startsWith('author')) ||
    w === 'bearer' ||
    w === 'credential' ||
    w === 'credentials' ||
    w === 'apikey'
  );
}

const NOT_CREDENTIAL = /^(?:csrf|xsrf|theme|lang|locale)$/;

function namesCredential(name: string): boolean {
  const ws = words(name);
  return ws.some(credentialWord) && !ws.some((w) => NOT_CREDENTIAL.test(w));
}

/**
 * The expression a value comes from, when it names a credential: `token`, `authentication.token`,
 * `jwt.sign(...)`, `user.getSessionToken()`. Undefined for anything else.
 */
export function credentialSource(node: SgNode | null | undefined): string | undefined {
  if (!node) return undefined;
  let n = unwrap(node);
  for (let i = 0; i < 3 && n.kind() === 'call_expression'; i++) {
    const fn = n.field('function');
    if (!fn) break;
    // encodeURIComponent(token), String(token), JSON.stringify(...) wrap the value
    if (fn.kind() === 'identifier' && /^(?:encodeURIComponent|escape|String|btoa)$/.test(fn.text())) {
      const a = args(n)[0];
      if (!a) return undefined;
      n = unwrap(a);
      continue;
    }
    break;
  }
  let name: string | null = null;
  const k = n.kind();
  if (k === 'identifier') name = n.text();
  else if (k === 'member_expression') name = keyName(n.field('property'));
  else if (k === 'call_expression') {
    const fn = n.field('function');
    if (fn) {
      const chain = memberChain(fn);
      name = chain ? [chain.root.text(), ...chain.path].join('.') : fn.text();
      if (/^(?:jwt|jsonwebtoken|jose)\.sign$/i.test(name)) name = 'jwt.sign';
    }
  }
  if (!name || !namesCredential(name)) return undefined;
  const text = n.text().split('\n')[0];
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * `JSON.stringify({ name, logoUrl, url })` (through encodeURIComponent, or a local constant holding it): the
 * fields of the object written, when none of them names a credential. Undefined otherwise.
 */
export function structuredData(ctx: JsFile, node: SgNode | null | undefined, depth = 0): string | undefined {
  if (!node || depth > 4) return undefined;
  const n = unwrap(node);
  if (n.kind() === 'identifier') {
    if (!ctx.declaredInFile(n.text())) return undefined;
    const b = ctx.resolveName(n.text(), n);
    return b && b.kind === 'decl' && b.value && !b.path ? structuredData(ctx, b.value, depth + 1) : undefined;
  }
  if (n.kind() !== 'call_expression') return undefined;
  const fn = n.field('function');
  const a = args(n)[0];
  if (!fn || !a) return undefined;
  const callee = fn.text().replace(/\s+/g, '');
  if (/^(?:encodeURIComponent|escape|btoa)$/.test(callee)) return structuredData(ctx, a, depth + 1);
  if (callee !== 'JSON.stringify') return undefined;
  let obj = unwrap(a);
  if (obj.kind() === 'identifier' && ctx.declaredInFile(obj.text())) {
    const b = ctx.resolveName(obj.text(), obj);
    if (b && b.kind === 'decl' && b.value && !b.path) obj = unwrap(b.value);
  }
  if (obj.kind() !== 'object') return undefined;
  const keys = new Set<string>();
  for (const p of obj.findAll({
    rule: { any: [{ kind: 'pair' }, { kind: 'shorthand_property_identifier' }] },
  })) {
    const k = p.kind() === 'pair' ? keyName(p.field('key')) : p.text();
    if (k) keys.add(k);
  }
  if (keys.size === 0 || [...keys].some((k) => namesCredential(k) || /secret|password|key$/i.test(k)))
    return undefined;
  return `JSON of { ${[...keys].slice(0, 6).join(', ')}${keys.size > 6 ? ', ...' : ''} }`;
}

function constantKind(ctx: JsFile, node: SgNode | undefined): ConstantKind | undefined {
  if (!node) return undefined;
  const v = ctx.evaluate(node);
  if (v.t !== 'lit') return undefined;
  if (typeof v.v === 'number') return 'number';
  if (typeof v.v === 'boolean') return 'boolean';
  if (typeof v.v === 'string' && v.v !== '') return 'string';
  return undefined;
}

function isEmptyValue(ctx: JsFile, node: SgNode | undefined): boolean {
  if (!node) return true;
  const v = ctx.evaluate(node);
  return v.t === 'lit' && (v.v === '' || v.v === null);
}

function isNonPositive(ctx: JsFile, node: SgNode): boolean {
  const v = ctx.evaluate(node);
  return v.t === 'lit' && typeof v.v === 'number' && v.v <= 0;
}

/** The name of a function node: `function f`, `const f = () =>`, `f() {}` in a class or object. */
function functionName(fn: SgNode): string | null {
  const k = fn.kind();
  if (k === 'function_declaration' || k === 'generator_function_declaration' || k === 'method_definition')
    return keyName(fn.field('name'));
  const parent = fn.parent();
  if (parent && parent.kind() === 'variable_declarator') {
    const n = parent.field('name');
    return n && n.kind() === 'identifier' ? n.text() : null;
  }
  if (parent && parent.kind() === 'pair') return keyName(parent.field('key'));
  return null;
}

/** Names this file exports: `export function f`, `export const f`, `export { f }`, `module.exports = { f }`, `exports.f =`. */
function exportedNames(ctx: JsFile): Set<string> {
  const out = new Set<string>();
  for (const ex of ctx.candidates('export_statement')) {
    const decl = ex.field('declaration');
    if (decl) {
      const n = decl.field('name');
      if (n) out.add(n.text());
      for (const d of decl.namedChildren())
        if (d.kind() === 'variable_declarator' && d.field('name'))
          out.add((d.field('name') as SgNode).text());
    }
    for (const c of ex.namedChildren()) {
      if (c.kind() !== 'export_clause') continue;
      for (const spec of c.namedChildren()) {
        const local = spec.field('name');
        if (local) out.add(local.text());
      }
    }
    const value = ex.field('value');
    if (value && unwrap(value).kind() === 'object')
      for (const p of unwrap(value).namedChildren())
        if (p.kind() === 'shorthand_property_identifier') out.add(p.text());
        else if (p.kind() === 'pair' && p.field('value')?.kind() === 'identifier')
          out.add(p.field('value')!.text());
  }
  for (const a of ctx.candidates('assignment_expression')) {
    const chain = memberChain(a.field('left') as SgNode);
    const right = a.field('right');
    if (!chain || !right) continue;
    const path =
      chain.root.text() === 'module'
        ? chain.path.slice(1)
        : chain.root.text() === 'exports'
          ? chain.path
          : null;
    if (!path) continue;
    if (path.length === 1) out.add(path[0]);
    if (path.length === 0 && unwrap(right).kind() === 'object')
      for (const p of unwrap(right).namedChildren())
        if (p.kind() === 'shorthand_property_identifier') out.add(p.text());
        else if (p.kind() === 'pair' && p.field('value')?.kind() === 'identifier')
          out.add(p.field('value')!.text());
    if (path.length === 0 && unwrap(right).kind() === 'identifier') out.add(unwrap(right).text());
  }
  return out;
}

function paramIndex(ctx: JsFile, node: SgNode | null | undefined): { fn: SgNode; index: number } | null {
  if (!node) return null;
  const n = unwrap(node);
  if (n.kind() !== 'identifier') return null;
  const o = ctx.origin(n);
  if (!o || o.kind !== 'param') return null;
  return { fn: o.fn, index: o.index };
}

/** One call of a helper, its cookie name and value read from the arguments. */
function helperCall(
  ctx: JsFile,
  call: SgNode,
  nameParam: number,
  valueParam: number | undefined,
): HelperCall {
  const a = args(call);
  const nameNode = a[nameParam];
  const name = nameNode ? partsToName(ctx.stringParts(nameNode)).name : '<cookie name>';
  const valueNode = valueParam !== undefined ? a[valueParam] : undefined;
  const out: HelperCall = { name, location: ctx.loc(call), evidence: ctx.evidence(call) };
  const from = credentialSource(valueNode);
  if (from) out.valueFrom = from;
  const constant = constantKind(ctx, valueNode);
  if (constant) out.constantValue = constant;
  if (valueParam !== undefined && isEmptyValue(ctx, valueNode) && a.some((x) => isNonPositive(ctx, x)))
    out.deletion = true;
  return out;
}

/**
 * When the cookie name is a parameter of the enclosing named function, that function is a cookie helper:
 * its parameters, whether it is exported, and its calls in this file.
 */
export function cookieHelper(
  ctx: JsFile,
  nameNode: SgNode | null | undefined,
  valueNode: SgNode | null | undefined,
): HelperInfo | undefined {
  const p = paramIndex(ctx, nameNode);
  if (!p) return undefined;
  const fn = functionName(p.fn);
  if (!fn) return undefined;
  const v = paramIndex(ctx, valueNode);
  const valueParam = v && v.fn.id() === p.fn.id() ? v.index : undefined;
  const calls: HelperCall[] = [];
  for (const call of ctx.root.findAll({
    rule: {
      kind: 'call_expression',
      has: { field: 'function', regex: `^(?:(?:this|[A-Za-z_$][\\w$]*)\\s*\\.\\s*)?${fn}$` },
    },
  })) {
    // not the helper calling itself
    if (call.ancestors().some((a) => a.id() === p.fn.id())) continue;
    calls.push(helperCall(ctx, call, p.index, valueParam));
  }
  return {
    fn,
    nameParam: p.index,
    ...(valueParam !== undefined ? { valueParam } : {}),
    exported: exportedNames(ctx).has(fn),
    calls,
  };
}

/** The identifier a computed cookie name starts with in a cookie string (`name + '=' + value`). */
export function leadingIdentifier(stringNode: SgNode): SgNode | null {
  let n = unwrap(stringNode);
  for (let i = 0; i < 20; i++) {
    const k = n.kind();
    if (k === 'identifier') return n;
    if (k === 'binary_expression') n = unwrap(n.field('left') as SgNode);
    else if (k === 'template_string') {
      const first = n
        .children()
        .find((c) => c.kind() === 'template_substitution' || c.kind() === 'string_fragment');
      if (!first || first.kind() !== 'template_substitution') return null;
      const inner = first.namedChildren()[0];
      if (!inner) return null;
      n = unwrap(inner);
    } else return null;
  }
  return null;
}

/** The expression that follows `name + '='` in a cookie string (its value), when it is one node. */
export function valueAfterName(stringNode: SgNode): SgNode | null {
  const n = unwrap(stringNode);
  if (n.kind() === 'template_string') {
    const kids = n
      .children()
      .filter((c) => c.kind() === 'template_substitution' || c.kind() === 'string_fragment');
    for (let i = 0; i + 1 < kids.length; i++)
      if (
        kids[i].kind() === 'string_fragment' &&
        kids[i].text().endsWith('=') &&
        kids[i + 1].kind() === 'template_substitution'
      )
        return kids[i + 1].namedChildren()[0] ?? null;
    return null;
  }
  // ((name + '=') + value) + rest: walk down the left spine to find `... + '=' ` followed by a value
  let cur: SgNode | null = n;
  while (cur && cur.kind() === 'binary_expression') {
    const left = unwrap(cur.field('left') as SgNode);
    const right = cur.field('right') as SgNode;
    const ls =
      left.kind() === 'binary_expression' ? stringValue(left.field('right') as SgNode) : stringValue(left);
    if (ls !== null && ls.endsWith('=')) return right;
    cur = left;
  }
  return null;
}

/** Calls of imported functions named like cookie writers (`setCookie`, `saveAuthCookie`, `cookies.setToken`). */
const PROJECT_MODULE = /^(?:\.{1,2}\/|[@~]\/|@[\w.-]+\/)/;

export function helperCallFacts(ctx: JsFile): CodeFact[] {
  const out: CodeFact[] = [];
  // only files that import such a function from a module of the project (or a whole module of it) are walked
  const locals: string[] = [];
  for (const [local, b] of ctx.imports)
    if (PROJECT_MODULE.test(b.module) && (/cookie/i.test(b.name) || b.name === 'default' || b.name === '*'))
      locals.push(escapeRegex(local));
  if (locals.length === 0) return out;
  const calls = ctx.root.findAll({
    rule: {
      kind: 'call_expression',
      has: { field: 'function', regex: `^(?:${locals.join('|')})(?:\\s*\\.\\s*[\\w$]*(?i:cookie)[\\w$]*)?$` },
    },
  });
  for (const call of calls) {
    const fn = call.field('function') as SgNode;
    const ref = ctx.moduleRef(fn);
    if (!ref || !PROJECT_MODULE.test(ref.module)) continue;
    const name = ref.path.length === 0 ? 'default' : ref.path[ref.path.length - 1];
    if (!/cookie/i.test(name)) continue;
    const data: HelperCallData = {
      module: ref.module,
      name,
      args: args(call)
        .slice(0, 4)
        .map((a) => {
          const parts = partsToName(ctx.stringParts(a));
          const from = credentialSource(a);
          const constant = constantKind(ctx, a);
          return {
            text: parts.name,
            literal: parts.literal,
            empty: isEmptyValue(ctx, a),
            ...(constant ? { constant } : {}),
            ...(from ? { valueFrom: from } : {}),
            ...(isNonPositive(ctx, a) ? { nonPositive: true } : {}),
          };
        }),
      location: ctx.loc(call),
      evidence: ctx.evidence(call),
    };
    out.push({
      type: 'other',
      framework: 'javascript',
      key: HELPER_CALL_KEY,
      data,
      location: data.location,
      evidence: data.evidence,
    });
  }
  return out;
}
