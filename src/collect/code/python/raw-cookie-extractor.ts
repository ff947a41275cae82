/**
 * Cookies Python code writes without a framework's set_cookie:
 *
 * - raw `Set-Cookie` headers: `resp.headers['Set-Cookie'] = '...'`, Django's
 *   `response['Set-Cookie'] = ...`, `headers.add('Set-Cookie', ...)` / `.append` / `.set` /
 *   `.setdefault`; literal, concatenated, `%`-formatted, `.format()` and f-strings, parsed with the
 *   project's user-agent Set-Cookie parser (src/cookies/setcookie.ts) with the computed parts left
 *   open: an attribute after a computed part may be added at run time (unknown, not missing);
 * - `http.cookies.SimpleCookie` morsels: `c['sid'] = value`, `c['sid']['secure'] = True`,
 *   `['httponly']`, `['samesite']`, `['max-age']`, `['expires']`, `['path']`, `['domain']` (a morsel
 *   writes only the attributes set on it: http/cookies.py Morsel.OutputString);
 * - Werkzeug's `dump_cookie(key, value, max_age, expires, path, domain, secure, httponly, ...,
 *   samesite=...)`, which returns the header value (werkzeug/http.py, Werkzeug 2.2.2).
 *
 * Each becomes a `set-cookie` fact like a set_cookie call, with the API that wrote it: the resolver
 * applies "attribute absent" instead of a framework's defaults. Values are never kept.
 */
import type { SgNode } from '@ast-grep/napi';
import { parseSetCookie } from '../../../cookies/setcookie.js';
import type { CodeFact, Extractor, SourceFile } from '../types.js';
import { callArgs, stringValue, type PyExpr } from './expr.js';
import { fact, type KwArg, type SetCookieData } from './facts.js';
import { pyFileOf, type PyFile } from './module.js';
import { frameworkOf } from './set-cookie-extractor.js';
import { evidenceOf, redactedEvidence } from './parse.js';

const DUMP_COOKIE_POSITIONAL = ['key', 'value', 'max_age', 'expires', 'path', 'domain', 'secure', 'httponly'];

/** Morsel attribute keys (http/cookies.py Morsel._reserved) -> set_cookie argument names. */
const MORSEL_KEYS: Record<string, string> = {
  secure: 'secure',
  httponly: 'httponly',
  samesite: 'samesite',
  'max-age': 'max_age',
  expires: 'expires',
  path: 'path',
  domain: 'domain',
};

/** A literal value: its type is kept, never its text (set-cookie-resolver reads constants from it). */
const CONSTANT_VALUE: PyExpr = { k: 'lit', v: '<redacted>', t: '<redacted>' };
const COMPUTED_VALUE: PyExpr = { k: 'unknown', t: '<redacted>', reason: 'a computed value' };

/** A value node: empty, a constant, or computed. */
function valueOf(py: PyFile, node: SgNode | undefined): PyExpr {
  if (!node) return lit('');
  const e = py.expr(node);
  if (e.k === 'lit') return e.v === '' || e.v === null ? lit('') : CONSTANT_VALUE;
  return COMPUTED_VALUE;
}

function lit(v: string | number | boolean | null): PyExpr {
  return { k: 'lit', v, t: String(v) };
}

/**
 * The literal and computed parts of a string expression (null: computed), or null when the
 * expression is not a string built in a way we can follow. `morsel`: the text comes from a
 * SimpleCookie morsel (`c['x'].OutputString()`), reported by its own fact.
 */
function stringParts(py: PyFile, node: SgNode, depth = 0): (string | null)[] | 'morsel' | null {
  if (depth > 20) return null;
  const k = node.kind();
  if (k === 'string' || k === 'concatenated_string') {
    const s = stringValue(node);
    if (s !== null) return [s];
    // f-string: literal text and interpolations, in order.
    const out: (string | null)[] = [];
    const walk = (n: SgNode) => {
      for (const c of n.children()) {
        const ck = c.kind();
        if (ck === 'string_content') out.push(c.text());
        else if (ck === 'interpolation') out.push(null);
        else if (ck === 'string') walk(c);
      }
    };
    walk(node);
    return out;
  }
  if (k === 'parenthesized_expression') {
    const inner = node.namedChildren().find((c) => c.kind() !== 'comment');
    return inner ? stringParts(py, inner, depth + 1) : null;
  }
  if (k === 'binary_operator') {
    const op = node.field('operator')?.text();
    const l = node.field('left');
    const r = node.field('right');
    if (!l || !r) return null;
    if (op === '+') {
      const a = stringParts(py, l, depth + 1);
      const b = stringParts(py, r, depth + 1);
      if (a === 'morsel' || b === 'morsel') return 'morsel';
      return [...(a ?? [null]), ...(b ?? [null])];
    }
    if (op === '%') {
      const a = stringParts(py, l, depth + 1);
      if (a === null || a === 'morsel') return a;
      return a.flatMap((p) =>
        p === null ? [null] : splitPlaceholders(p, /%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdrif]/g),
      );
    }
    return null;
  }
  if (k === 'call') {
    const fn = node.field('function');
    if (fn?.kind() === 'attribute') {
      const method = fn.field('attribute')?.text();
      const obj = fn.field('object');
      if ((method === 'OutputString' || method === 'output') && obj) return 'morsel';
      if (method === 'format' && obj) {
        const a = stringParts(py, obj, depth + 1);
        if (a === null || a === 'morsel') return a;
        return a.flatMap((p) => (p === null ? [null] : splitPlaceholders(p, /\{[^{}]*\}/g)));
      }
    }
    const q = py.qualified(fn);
    if (q && /(^|\.)dump_cookie$/.test(q)) return 'morsel'; // its own fact
    return [null];
  }
  if (k === 'identifier') {
    const e = py.expr(node);
    let x: PyExpr = e;
    while (x.k === 'ref') x = x.e;
    if (x.k === 'lit' && typeof x.v === 'string') return [x.v];
    return [null];
  }
  return [null];
}

function splitPlaceholders(text: string, re: RegExp): (string | null)[] {
  const out: (string | null)[] = [];
  let at = 0;
  for (const m of text.matchAll(re)) {
    out.push(text.slice(at, m.index));
    out.push(null);
    at = m.index! + m[0].length;
  }
  out.push(text.slice(at));
  return out;
}

/** A `set-cookie` fact from a header value written as string parts. */
function headerFact(
  py: PyFile,
  site: SgNode,
  valueNode: SgNode,
  framework: SetCookieData['framework'],
  receiver: string,
): CodeFact | null {
  const parts = stringParts(py, valueNode);
  if (parts === null || parts === 'morsel') return null;
  let text = '';
  let seenSemicolon = false;
  let openAfter = false;
  let computedValue = false;
  for (const p of parts) {
    if (p === null) {
      if (seenSemicolon) openAfter = true;
      else computedValue = true;
      text += 'x';
    } else {
      if (p.includes(';')) seenSemicolon = true;
      text += p;
    }
  }
  // The name must be literal text before the first '=' (`sid=%s; ...`).
  const first = parts[0];
  if (typeof first !== 'string' || !first.includes('=')) return null;
  const parsed = parseSetCookie(text.trim(), 'https://example.invalid/');
  const a = parsed.attributes;
  const loc = py.loc(site);
  const evidence = redactedEvidence(site, [valueNode]);
  const arg = (e: PyExpr): KwArg => ({ expr: e, location: loc, evidence });
  const args: Record<string, KwArg> = {
    key: arg(lit(parsed.name)),
    value: arg(computedValue ? COMPUTED_VALUE : parsed.value === '' ? lit('') : CONSTANT_VALUE),
  };
  if (a.secure || !openAfter) args.secure = arg(lit(a.secure));
  if (a.httpOnly || !openAfter) args.httponly = arg(lit(a.httpOnly));
  if (a.sameSite !== 'unset') args.samesite = arg(lit(a.sameSiteRaw ?? a.sameSite));
  else if (!openAfter) args.samesite = arg(lit(null));
  if (a.domain !== undefined) args.domain = arg(lit(a.domain));
  if (a.maxAge !== undefined) args.max_age = arg(lit(a.maxAge));
  if (parsed.deletion) args.max_age = arg(lit(0));
  const data: SetCookieData = {
    framework,
    receiver,
    args,
    // Attributes after a computed part may be added at run time: missing ones stay unknown.
    splat: openAfter,
    location: loc,
    evidence,
    snippet: evidence,
    api: 'header',
  };
  return fact('set-cookie', data, loc, evidence);
}

function isSetCookieName(node: SgNode | null | undefined): boolean {
  const s = node ? stringValue(node) : null;
  return s !== null && s.toLowerCase() === 'set-cookie';
}

interface Morsel {
  name: string;
  /** The `c['name'] = value` assignment (the cookie is set there). */
  site: SgNode;
  valueNode: SgNode;
  attrs: Map<string, { expr: PyExpr; node: SgNode }>;
}

export function extractRawCookies(file: SourceFile): CodeFact[] {
  const py = pyFileOf(file);
  const out: CodeFact[] = [];
  const framework = frameworkOf(py);

  // SimpleCookie variables of this file, per enclosing function (or module).
  const jars = new Set<string>();
  const scopeOf = (n: SgNode) => py.enclosingDef(n)?.id() ?? -1;
  for (const asg of py.index.identAssigns) {
    const right = asg.field('right');
    if (right?.kind() !== 'call') continue;
    const q = py.qualified(right.field('function'));
    if (q !== 'http.cookies.SimpleCookie' && q !== 'Cookie.SimpleCookie' && q !== 'http.cookies.BaseCookie')
      continue;
    jars.add(`${scopeOf(asg)}\u0000${asg.field('left')!.text()}`);
  }
  const morsels = new Map<string, Morsel>();

  for (const node of py.index.ordered) {
    if (node.kind() === 'assignment') {
      const left = node.field('left');
      const right = node.field('right');
      if (left?.kind() !== 'subscript' || !right) continue;
      const target = left.field('value');
      const key = left.field('subscript');
      // response['Set-Cookie'] = ... / resp.headers['Set-Cookie'] = ...
      if (isSetCookieName(key) && target) {
        const f = headerFact(py, node, right, framework, evidenceOf(target, 60));
        if (f) out.push(f);
        continue;
      }
      // c['sid'] = value
      if (target?.kind() === 'identifier' && jars.has(`${scopeOf(node)}\u0000${target.text()}`)) {
        const name = key ? stringValue(key) : null;
        if (name === null) continue;
        const id = `${scopeOf(node)}\u0000${target.text()}\u0000${name}`;
        const prev = morsels.get(id);
        morsels.set(id, { name, site: node, valueNode: right, attrs: prev?.attrs ?? new Map() });
        continue;
      }
      // c['sid']['secure'] = True
      if (target?.kind() === 'subscript') {
        const jar = target.field('value');
        const nameNode = target.field('subscript');
        if (jar?.kind() !== 'identifier' || !jars.has(`${scopeOf(node)}\u0000${jar.text()}`)) continue;
        const name = nameNode ? stringValue(nameNode) : null;
        const attr = key ? stringValue(key)?.toLowerCase() : undefined;
        if (name === null || !attr || !MORSEL_KEYS[attr]) continue;
        const id = `${scopeOf(node)}\u0000${jar.text()}\u0000${name}`;
        const m = morsels.get(id);
        if (m) m.attrs.set(MORSEL_KEYS[attr]!, { expr: py.expr(right), node });
      }
      continue;
    }
    if (node.kind() !== 'call') continue;
    const fn = node.field('function');
    if (!fn) continue;
    // headers.add('Set-Cookie', v) / .append / .set / .setdefault / add_header
    if (fn.kind() === 'attribute') {
      const method = fn.field('attribute')?.text();
      if (method && ['add', 'append', 'set', 'setdefault', 'add_header'].includes(method)) {
        const args = callArgs(node);
        if (isSetCookieName(args.positional[0]) && args.positional[1]) {
          const f = headerFact(py, node, args.positional[1], framework, evidenceOf(fn.field('object')!, 60));
          if (f) out.push(f);
        }
        continue;
      }
    }
    // dump_cookie(key, value, ...)
    const q = py.qualified(fn);
    if (
      q &&
      /(^|\.)dump_cookie$/.test(q) &&
      (q.startsWith('werkzeug') || py.importedModules.has('werkzeug.http'))
    ) {
      const a = callArgs(node);
      const args: Record<string, KwArg> = {};
      a.positional.forEach((v, i) => {
        const k = DUMP_COOKIE_POSITIONAL[i];
        if (!k) return;
        args[k] =
          k === 'value'
            ? { expr: valueOf(py, v), location: py.loc(v), evidence: '<redacted>' }
            : { expr: py.expr(v), location: py.loc(v), evidence: evidenceOf(v) };
      });
      if (a.keywords.has('value'))
        args.value = {
          expr: valueOf(py, a.keywords.get('value')),
          location: py.loc(node),
          evidence: '<redacted>',
        };
      for (const [k, v] of a.keywords) {
        if (k === 'value' || k === 'charset' || k === 'max_size' || k === 'sync_expires') continue;
        const n = a.keywordNodes.get(k) ?? v;
        args[k] = { expr: py.expr(v), location: py.loc(n), evidence: evidenceOf(n) };
      }
      const evidence = redactedEvidence(node, [
        ...a.positional.slice(1, 2),
        ...(a.keywords.has('value') ? [a.keywords.get('value')!] : []),
      ]);
      const data: SetCookieData = {
        framework: 'flask',
        receiver: 'dump_cookie',
        args,
        splat: a.splat,
        location: py.loc(node),
        evidence,
        snippet: evidence,
        api: 'dump_cookie',
      };
      out.push(fact('set-cookie', data, data.location, evidence));
    }
  }

  for (const m of morsels.values()) {
    const loc = py.loc(m.site);
    const evidence = redactedEvidence(m.site, [m.valueNode]);
    const args: Record<string, KwArg> = {
      key: { expr: lit(m.name), location: loc, evidence },
      value: { expr: valueOf(py, m.valueNode), location: loc, evidence },
    };
    for (const [k, v] of m.attrs)
      args[k] = { expr: v.expr, location: py.loc(v.node), evidence: evidenceOf(v.node) };
    const data: SetCookieData = {
      framework,
      receiver: 'SimpleCookie',
      args,
      splat: false,
      location: loc,
      evidence,
      snippet: evidence,
      api: 'SimpleCookie',
    };
    out.push(fact('set-cookie', data, loc, evidence));
  }
  return out;
}

export const rawCookieExtractor: Extractor = {
  name: 'python-raw-cookie',
  files: ['**/*.py'],
  keywords: ['set-cookie', 'SimpleCookie', 'dump_cookie'],
  extract: extractRawCookies,
};
