/**
 * Go web code: the cookies a Go server sets, and the session libraries that set one for it.
 *
 * - net/http: `http.Cookie{...}` literals (and later field writes `c.Secure = true` on the variable that
 *   holds one) handed to `http.SetCookie` or echo's `c.SetCookie(cookie)`; a literal only ever given to
 *   `req.AddCookie` / `jar.SetCookies` is a client's cookie and is skipped. Zero values: Secure false,
 *   HttpOnly false, SameSite not written, no Path (net/http cookie.go, Go 1.19 `(*Cookie).String`:
 *   "SameSiteDefaultMode: Skip, default mode is obtained by not emitting the attribute").
 * - gin `c.SetCookie(name, value, maxAge, path, domain, secure, httpOnly)` (gin context.go: an empty path
 *   becomes "/", SameSite is the context's `c.SetSameSite(...)`, zero by default).
 * - gorilla/sessions stores (`sessions.NewCookieStore` / `NewFilesystemStore`), their `Options`, and the
 *   session names given to `store.Get(r, "name")`; gin-contrib/sessions stores (`cookie.NewStore`,
 *   `store.Options(sessions.Options{...})`, `sessions.Sessions("name", store)`).
 * - alexedwards/scs v2 `scs.New()` and `sessionManager.Cookie.X = ...`.
 * - gorilla/csrf `csrf.Protect(key, csrf.Secure(false), ...)`.
 *
 * Facts: `cookie-set` (framework 'go'), `session-enabled` and `setting` (framework 'gorilla-sessions',
 * 'gin-sessions', 'scs', 'gorilla-csrf'; `objectId` = folder + the variable holding the store, so that a
 * store configured in one file of a package and used in another is one store).
 */
import type { SgNode } from '@ast-grep/napi';
import { evidenceOf, redactedEvidence } from '../common/location.js';
import type { CodeFact, ConstantKind, Extractor, SettingValue, SourceFile } from '../types.js';
import {
  args,
  expiresInPast,
  loc,
  parseGo,
  pkgName,
  pkgNameByPrefix,
  selector,
  stringLiteral,
  unwrap,
  valueOf,
  type GoFile,
} from './ast.js';

/** Go field / option name → the key the resolver reads. */
const FIELD_KEYS: Record<string, string> = {
  Name: 'name',
  Secure: 'secure',
  HttpOnly: 'httponly',
  SameSite: 'samesite',
  MaxAge: 'maxage',
  Expires: 'expires',
  Path: 'path',
  Domain: 'domain',
  Persist: 'persist',
};

/** gorilla/csrf option functions → keys (gorilla/csrf options.go). */
const CSRF_OPTIONS: Record<string, string> = {
  Secure: 'secure',
  HttpOnly: 'httponly',
  SameSite: 'samesite',
  CookieName: 'name',
  Domain: 'domain',
  Path: 'path',
  MaxAge: 'maxage',
};

type CookieSetFact = Extract<CodeFact, { type: 'cookie-set' }>;

function dirOf(file: string): string {
  const i = file.lastIndexOf('/');
  return i === -1 ? '' : file.slice(0, i);
}

/** The id of a store held by `receiver` (a variable, a field path) in this file's package folder. */
function objectKey(file: string, receiver: string): string {
  return `${dirOf(file)}|${receiver.replace(/\s+/g, '')}`;
}

function enclosingFunction(n: SgNode): SgNode | null {
  let cur = n.parent();
  while (cur) {
    const k = cur.kind();
    if (k === 'function_declaration' || k === 'method_declaration' || k === 'func_literal') return cur;
    cur = cur.parent();
  }
  return null;
}

function ancestors(n: SgNode, max = 6): SgNode[] {
  const out: SgNode[] = [];
  let cur = n.parent();
  while (cur && out.length < max) {
    out.push(cur);
    cur = cur.parent();
  }
  return out;
}

/** The variable a value is assigned to (`c := &http.Cookie{...}`, `var c = ...`, `c = ...`). */
function assignedVariable(n: SgNode): string | null {
  let cur: SgNode = n;
  let p = cur.parent();
  while (p && (p.kind() === 'unary_expression' || p.kind() === 'parenthesized_expression')) {
    cur = p;
    p = cur.parent();
  }
  if (!p || p.kind() !== 'expression_list') return null;
  const decl = p.parent();
  if (!decl) return null;
  const dk = decl.kind();
  if (dk === 'short_var_declaration' || dk === 'assignment_statement') {
    const lists = decl.children().filter((c) => c.kind() === 'expression_list');
    if (lists.length !== 2 || !lists[1]!.range().start || lists[1]!.text() !== p.text()) return null;
    const left = lists[0]!.children().filter((c) => c.isNamed());
    const right = p.children().filter((c) => c.isNamed());
    const i = right.findIndex((r) => r.range().start.index === cur.range().start.index);
    return i >= 0 && left[i] ? left[i]!.text() : null;
  }
  if (dk === 'var_spec') {
    const name = decl.children().find((c) => c.kind() === 'identifier');
    return name ? name.text() : null;
  }
  return null;
}

/** Calls in `scope` whose argument list mentions `variable` as a whole argument. */
function callsWith(scope: SgNode, variable: string): SgNode[] {
  const out: SgNode[] = [];
  for (const call of scope.findAll({ rule: { kind: 'call_expression' } })) {
    if (args(call).some((a) => unwrap(a).text() === variable)) out.push(call);
  }
  return out;
}

/**
 * Whether the cookie held by `variable` is written to a response in `scope`: given to a SetCookie call,
 * turned into a header value (`c.String()` in a Set-Cookie header), or returned to the caller.
 */
function reachesResponse(scope: SgNode, variable: string): boolean {
  if (callsWith(scope, variable).some((c) => methodOf(c) === 'SetCookie')) return true;
  for (const call of scope.findAll({ rule: { kind: 'call_expression' } })) {
    const fn = call.field('function');
    if (
      fn?.kind() === 'selector_expression' &&
      fn.field('operand')?.text() === variable &&
      fn.field('field')?.text() === 'String'
    )
      return true;
  }
  for (const ret of scope.findAll({ rule: { kind: 'return_statement' } })) {
    if (ret.findAll({ rule: { kind: 'identifier' } }).some((i) => i.text() === variable)) return true;
  }
  return false;
}

function methodOf(call: SgNode): string | null {
  const fn = call.field('function');
  if (fn?.kind() === 'selector_expression') return fn.field('field')?.text() ?? null;
  if (fn?.kind() === 'identifier') return fn.text();
  return null;
}

const CLIENT_METHODS = new Set(['AddCookie', 'SetCookies']);

function keyedElements(lit: SgNode): { key: string; value: SgNode; node: SgNode }[] {
  const body = lit.field('body') ?? lit.children().find((c) => c.kind() === 'literal_value');
  if (!body) return [];
  const out: { key: string; value: SgNode; node: SgNode }[] = [];
  for (const el of body.children()) {
    if (el.kind() !== 'keyed_element') continue;
    const parts = el.children().filter((c) => c.isNamed() && c.kind() !== 'comment');
    if (parts.length !== 2) continue;
    const keyNode =
      parts[0]!.kind() === 'literal_element' ? parts[0]!.children().find((c) => c.isNamed()) : parts[0];
    const valNode =
      parts[1]!.kind() === 'literal_element' ? parts[1]!.children().find((c) => c.isNamed()) : parts[1];
    if (!keyNode || !valNode) continue;
    out.push({ key: keyNode.text(), value: valNode, node: el });
  }
  return out;
}

function constantOf(v: SettingValue): ConstantKind | undefined {
  if (v.kind !== 'literal') return undefined;
  if (typeof v.value === 'number') return 'number';
  if (typeof v.value === 'boolean') return 'boolean';
  if (typeof v.value === 'string' && v.value !== '') return 'string';
  return undefined;
}

interface Site {
  location: ReturnType<typeof loc>;
  evidence: string;
}

function expiresValue(go: GoFile, n: SgNode): SettingValue {
  const past = expiresInPast(go, n);
  if (past === true) return { kind: 'literal', value: 'past' };
  if (past === false) return { kind: 'literal', value: 'future' };
  return { kind: 'unknown', expression: evidenceOf(n), reason: 'an expiry time the scanner cannot compute' };
}

/** The evidence of a cookie-setting construct with its value redacted (an empty string is shown). */
function withValueRedacted(site: SgNode, valueNode: SgNode | undefined): string {
  const v = valueNode?.text();
  return redactedEvidence(site, v === '""' || v === '``' ? [] : [valueNode]);
}

function httpCookies(go: GoFile, out: CodeFact[]): void {
  const http = pkgName(go, 'net/http');
  if (!http || !go.text.includes(`${http}.Cookie`)) return;
  const echo = pkgNameByPrefix(go, 'github.com/labstack/echo') !== null;
  // `&http.Cookie{...}` literals, and `new(http.Cookie)` filled in by field writes (echo's documented form).
  const made = go.root.findAll({
    rule: { any: [{ kind: 'composite_literal' }, { kind: 'call_expression' }] },
  });
  for (const lit of made) {
    const type =
      lit.kind() === 'composite_literal'
        ? lit.field('type')
        : lit.field('function')?.text() === 'new'
          ? (lit
              .field('arguments')
              ?.children()
              .find((c) => c.isNamed()) ?? null)
          : null;
    if (!type || type.text().replace(/\s+/g, '') !== `${http}.Cookie`) continue;
    // A cookie handed to a client request or jar, or collected into a slice (a jar's Cookies()), is not
    // sent to a browser by this code: only a literal that reaches SetCookie, a Set-Cookie header or a
    // return (a helper that builds the cookie for its callers) is judged.
    const direct = ancestors(lit, 4).find((a) => a.kind() === 'call_expression');
    const directMethod = direct ? methodOf(direct) : null;
    if (directMethod !== null && (CLIENT_METHODS.has(directMethod) || directMethod === 'append')) continue;
    const variable = assignedVariable(lit);
    const scope = enclosingFunction(lit) ?? go.root;
    let api = 'http.Cookie';
    if (variable) {
      if (!reachesResponse(scope, variable)) continue;
      const sets = callsWith(scope, variable).filter((c) => methodOf(c) === 'SetCookie');
      if (echo && sets.some((c) => args(c).length === 1)) api = 'echo';
    } else if (directMethod === 'SetCookie' && echo && args(direct!).length === 1) api = 'echo';
    const options: Record<string, SettingValue> = {};
    const optionSites: Record<string, Site> = {};
    let name: string | null = null;
    let nameExpr: string | undefined;
    let valueNode: SgNode | undefined;
    let valueSetting: SettingValue | undefined;
    const put = (field: string, value: SgNode, at: SgNode) => {
      if (field === 'Value') {
        valueNode = value;
        valueSetting = valueOf(go, value);
        return;
      }
      if (field === 'Name') {
        const v = valueOf(go, value);
        name = v.kind === 'literal' && typeof v.value === 'string' ? v.value : null;
        nameExpr = name === null ? evidenceOf(value) : undefined;
        return;
      }
      const key = FIELD_KEYS[field];
      if (!key) return;
      options[key] = key === 'expires' ? expiresValue(go, value) : valueOf(go, value);
      optionSites[key] = { location: loc(go, at), evidence: evidenceOf(at) };
    };
    for (const el of keyedElements(lit)) put(el.key, el.value, el.node);
    // Later field writes on the variable, in source order after the literal.
    if (variable) {
      const start = lit.range().end.index;
      for (const as of scope.findAll({ rule: { kind: 'assignment_statement' } })) {
        if (as.range().start.index < start) continue;
        const lists = as.children().filter((c) => c.kind() === 'expression_list');
        if (lists.length !== 2) continue;
        const left = lists[0]!.children().filter((c) => c.isNamed());
        const right = lists[1]!.children().filter((c) => c.isNamed());
        left.forEach((l, i) => {
          const s = selector(l);
          if (s && s[0] === variable && right[i]) put(s[1], right[i]!, as);
        });
      }
    }
    const maxAge = options.maxage;
    const expires = options.expires;
    const deletion =
      (maxAge?.kind === 'literal' && typeof maxAge.value === 'number' && maxAge.value < 0) ||
      (expires?.kind === 'literal' && expires.value === 'past');
    const constant = valueSetting ? constantOf(valueSetting) : undefined;
    const evidence = withValueRedacted(lit, valueNode);
    const fact: CookieSetFact = {
      type: 'cookie-set',
      framework: 'go',
      name,
      options,
      setBy: 'server',
      location: loc(go, lit),
      evidence,
      api,
      optionSites,
      ...(deletion ? { deletion: true } : {}),
      ...(constant ? { constantValue: constant } : {}),
      ...(nameExpr ? { detail: { nameExpr } } : {}),
    };
    out.push(fact);
  }
}

function ginCookies(go: GoFile, out: CodeFact[]): void {
  if (pkgNameByPrefix(go, 'github.com/gin-gonic/gin') === null) return;
  for (const call of go.root.findAll({ rule: { kind: 'call_expression' } })) {
    if (methodOf(call) !== 'SetCookie') continue;
    const a = args(call);
    if (a.length !== 7) continue;
    const recv = call.field('function')?.field('operand')?.text() ?? '';
    const names = ['name', 'value', 'maxage', 'path', 'domain', 'secure', 'httponly'];
    const options: Record<string, SettingValue> = {};
    const optionSites: Record<string, Site> = {};
    a.forEach((node, i) => {
      const k = names[i]!;
      if (k === 'name' || k === 'value') return;
      let v = valueOf(go, node);
      if (k === 'path' && v.kind === 'literal' && v.value === '') v = { kind: 'literal', value: '/' };
      if (k === 'domain' && v.kind === 'literal' && v.value === '') return;
      options[k] = v;
      optionSites[k] = { location: loc(go, node), evidence: evidenceOf(node) };
    });
    // SameSite: the context's c.SetSameSite(...) earlier in the same handler.
    const scope = enclosingFunction(call) ?? go.root;
    for (const s of scope.findAll({ rule: { kind: 'call_expression' } })) {
      if (s.range().start.index > call.range().start.index) continue;
      const sel = selector(s.field('function'));
      if (!sel || sel[0] !== recv || sel[1] !== 'SetSameSite') continue;
      const sa = args(s);
      if (sa[0]) {
        options.samesite = valueOf(go, sa[0]);
        optionSites.samesite = { location: loc(go, s), evidence: evidenceOf(s) };
      }
    }
    const nameV = valueOf(go, a[0]!);
    const value = valueOf(go, a[1]!);
    const maxAge = options.maxage;
    const deletion = maxAge?.kind === 'literal' && typeof maxAge.value === 'number' && maxAge.value < 0;
    const constant = constantOf(value);
    const name = nameV.kind === 'literal' && typeof nameV.value === 'string' ? nameV.value : null;
    out.push({
      type: 'cookie-set',
      framework: 'go',
      name,
      options,
      setBy: 'server',
      location: loc(go, call),
      evidence: withValueRedacted(call, a[1]),
      api: 'gin',
      optionSites,
      ...(deletion ? { deletion: true } : {}),
      ...(constant ? { constantValue: constant } : {}),
      ...(name === null ? { detail: { nameExpr: evidenceOf(a[0]!) } } : {}),
    });
  }
}

/** Settings from the fields of an Options literal. */
function optionsLiteral(
  go: GoFile,
  framework: string,
  objectId: string,
  lit: SgNode,
  out: CodeFact[],
  via: string,
): void {
  for (const el of keyedElements(lit)) {
    const key = FIELD_KEYS[el.key];
    if (!key) continue;
    out.push({
      type: 'setting',
      framework,
      key,
      value: valueOf(go, el.value),
      location: loc(go, el.node),
      evidence: evidenceOf(el.node),
      scope: { objectId },
      via,
    });
  }
  // An Options literal replaces the store's defaults as a whole: a field it leaves out is its zero value.
  out.push({
    type: 'other',
    framework,
    key: 'options-replaced',
    data: {
      objectId,
      fields: keyedElements(lit)
        .map((e) => FIELD_KEYS[e.key])
        .filter(Boolean),
    },
    location: loc(go, lit),
    evidence: evidenceOf(lit),
  });
}

function sessionStores(go: GoFile, out: CodeFact[]): void {
  const gorilla = pkgName(go, 'github.com/gorilla/sessions');
  const ginSessions = pkgName(go, 'github.com/gin-contrib/sessions');
  const ginStorePkgs = new Set<string>();
  for (const [path, name] of go.imports)
    if (path.startsWith('github.com/gin-contrib/sessions/')) ginStorePkgs.add(name);
  const scs = pkgNameByPrefix(go, 'github.com/alexedwards/scs');
  const csrf = pkgName(go, 'github.com/gorilla/csrf');
  const file = go.file;
  /** The store a session variable comes from: `sess, _ := store.Get(r, "x")` → store. */
  const storeOfSession = (v: string): string | null => {
    const d = go.defs.get(v);
    const call = d && d.length === 1 ? unwrap(d[0]!) : null;
    if (!call || call.kind() !== 'call_expression') return null;
    const sel = selector(call.field('function'));
    return sel && (sel[1] === 'Get' || sel[1] === 'New') ? sel[0] : null;
  };

  const libraries =
    gorilla !== null || ginSessions !== null || ginStorePkgs.size > 0 || scs !== null || csrf !== null;
  // Store names and options in a file of the package that does not import the library itself.
  const storeUse = /store\w*\.(Get|New|MaxAge)\(/i.test(go.text);
  for (const call of libraries || storeUse ? go.root.findAll({ rule: { kind: 'call_expression' } }) : []) {
    const sel = selector(call.field('function'));
    if (!sel) continue;
    const [pkg, fn] = sel;
    const a = args(call);
    // Store creation.
    let framework: string | null = null;
    let kind = '';
    if (gorilla && pkg === gorilla && (fn === 'NewCookieStore' || fn === 'NewFilesystemStore')) {
      framework = 'gorilla-sessions';
      kind = fn;
    } else if (
      (ginStorePkgs.has(pkg) && /^New/.test(fn)) ||
      (ginSessions && pkg === ginSessions && fn === 'NewCookieStore')
    ) {
      framework = 'gin-sessions';
      kind = `${pkg}.${fn}`;
    } else if (scs && pkg === scs && (fn === 'New' || fn === 'NewSession')) {
      framework = 'scs';
      kind = fn;
    }
    if (framework) {
      const variable = assignedVariable(call);
      const objectId = objectKey(file, variable ?? `@${call.range().start.line}`);
      out.push({
        type: 'session-enabled',
        framework,
        location: loc(go, call),
        evidence: evidenceOf(call),
        objectId,
        api: kind,
        detail: { variable },
      });
      continue;
    }
    if (csrf && pkg === csrf && fn === 'Protect') {
      const objectId = objectKey(file, `@csrf:${call.range().start.line}:${call.range().start.column}`);
      out.push({
        type: 'session-enabled',
        framework: 'gorilla-csrf',
        location: loc(go, call),
        evidence: evidenceOf(call).replace(/Protect\(\s*[^,)]+/, 'Protect(<key>'),
        objectId,
        api: 'csrf.Protect',
        detail: { spread: call.text().includes('...') },
      });
      for (const opt of a.slice(1)) {
        const o = unwrap(opt);
        const os = o.kind() === 'call_expression' ? selector(o.field('function')) : null;
        if (!os || os[0] !== csrf || !CSRF_OPTIONS[os[1]]) continue;
        const oa = args(o);
        if (!oa[0]) continue;
        out.push({
          type: 'setting',
          framework: 'gorilla-csrf',
          key: CSRF_OPTIONS[os[1]]!,
          value: valueOf(go, oa[0]),
          location: loc(go, o),
          evidence: evidenceOf(o),
          scope: { objectId },
          via: `csrf.${os[1]}`,
        });
      }
      continue;
    }
    // gin-contrib: sessions.Sessions("name", store) / store.Options(sessions.Options{...}).
    if (
      ginSessions &&
      pkg === ginSessions &&
      (fn === 'Sessions' || fn === 'SessionsMany') &&
      a.length === 2
    ) {
      const names: string[] = [];
      const n0 = unwrap(a[0]!);
      const s = stringLiteral(n0);
      if (s !== null) names.push(s);
      else
        for (const el of n0.findAll({ rule: { kind: 'interpreted_string_literal' } }))
          names.push(stringLiteral(el)!);
      for (const name of names) {
        out.push({
          type: 'setting',
          framework: 'gin-sessions',
          key: 'name',
          value: { kind: 'literal', value: name },
          location: loc(go, call),
          evidence: evidenceOf(call),
          scope: { objectId: objectKey(file, unwrap(a[1]!).text()) },
          via: `sessions.${fn}`,
        });
      }
      continue;
    }
    if (fn === 'Options' && a.length === 1 && ginSessions) {
      const lit = unwrap(a[0]!);
      if (lit.kind() === 'composite_literal')
        optionsLiteral(go, 'gin-sessions', objectKey(file, pkg), lit, out, 'store.Options');
      continue;
    }
    if (fn === 'MaxAge' && a.length === 1 && gorilla) {
      out.push({
        type: 'setting',
        framework: 'gorilla-sessions',
        key: 'maxage',
        value: valueOf(go, a[0]!),
        location: loc(go, call),
        evidence: evidenceOf(call),
        scope: { objectId: objectKey(file, pkg) },
        via: 'store.MaxAge',
      });
      continue;
    }
    // Session names: store.Get(r, "name") / store.New(r, "name") (gorilla/sessions).
    if ((fn === 'Get' || fn === 'New') && a.length === 2 && (gorilla || /store/i.test(pkg))) {
      const name = stringLiteral(unwrap(a[1]!));
      if (name === null) continue;
      out.push({
        type: 'other',
        framework: 'gorilla-sessions',
        key: 'session-name',
        data: { objectId: objectKey(file, pkg), name },
        location: loc(go, call),
        evidence: evidenceOf(call),
      });
    }
  }

  // Field writes: store.Options = &sessions.Options{...}; store.Options.Secure = v; sm.Cookie.Secure = v;
  // session.Options... on a session from store.Get.
  const fieldWrites = /\.Options\b|\.Cookie\.\w+\s*=/.test(go.text);
  for (const as of fieldWrites ? go.root.findAll({ rule: { kind: 'assignment_statement' } }) : []) {
    if (!/^[\w.]*\.(Options|Cookie)\b/.test(as.text())) continue;
    const lists = as.children().filter((c) => c.kind() === 'expression_list');
    if (lists.length !== 2) continue;
    const left = lists[0]!.children().filter((c) => c.isNamed());
    const right = lists[1]!.children().filter((c) => c.isNamed());
    left.forEach((l, i) => {
      const r = right[i];
      if (!r || l.kind() !== 'selector_expression') return;
      const field = l.field('field')?.text() ?? '';
      const operand = l.field('operand');
      if (!operand) return;
      // X.Options = &sessions.Options{...}
      if (field === 'Options' && gorilla) {
        const lit = unwrap(r);
        const t = lit.kind() === 'composite_literal' ? lit.field('type')?.text() : null;
        if (t !== `${gorilla}.Options`) return;
        const recv = operand.text();
        const store = storeOfSession(recv) ?? recv;
        optionsLiteral(go, 'gorilla-sessions', objectKey(file, store), lit, out, `${recv}.Options`);
        return;
      }
      const key = FIELD_KEYS[field];
      if (!key || operand.kind() !== 'selector_expression') return;
      const mid = operand.field('field')?.text();
      const base = operand.field('operand')?.text() ?? '';
      if (mid === 'Options' && (gorilla || /store|sess/i.test(base))) {
        const store = storeOfSession(base) ?? base;
        out.push({
          type: 'setting',
          framework: 'gorilla-sessions',
          key,
          value: valueOf(go, r),
          location: loc(go, as),
          evidence: evidenceOf(as),
          scope: { objectId: objectKey(file, store) },
          via: `${base}.Options.${field}`,
        });
      } else if (mid === 'Cookie' && (scs || /session|manager|sm\b/i.test(base))) {
        out.push({
          type: 'setting',
          framework: 'scs',
          key,
          value: valueOf(go, r),
          location: loc(go, as),
          evidence: evidenceOf(as),
          scope: { objectId: objectKey(file, base) },
          via: `${base}.Cookie.${field}`,
        });
      }
    });
  }
}

export function extractGo(file: SourceFile): CodeFact[] {
  const go = parseGo(file.file, file.text);
  const out: CodeFact[] = [];
  httpCookies(go, out);
  ginCookies(go, out);
  sessionStores(go, out);
  return out;
}

export const goExtractor: Extractor = {
  name: 'go-cookies',
  files: ['**/*.go'],
  // A Go file that sets or configures a cookie names one of these: net/http's Cookie type or
  // SetCookie, a session library's import path, or a store's / session's Options or Cookie field.
  keywords: [
    'http.Cookie',
    'SetCookie',
    'gorilla/sessions',
    'gin-contrib/sessions',
    'alexedwards/scs',
    'gorilla/csrf',
    // store.Options.Secure = ... in a file of the package that does not import the library
    'Options.Secure',
    'Options.HttpOnly',
    'Options.SameSite',
    'Options.MaxAge',
    'Options.Domain',
    'Options.Path',
    'sessions.Options',
    '.Cookie.',
  ],
  extract: extractGo,
};
