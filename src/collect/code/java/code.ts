/**
 * Java code of `cookieguard scan` (tree-sitter-java through @ast-grep/lang-java):
 * - `new Cookie(name, value)` (javax / jakarta.servlet.http.Cookie) with the setters called on the
 *   same variable in the same method (setSecure, setHttpOnly, setMaxAge, setDomain, setPath,
 *   setAttribute("SameSite", ...)). Servlet API: a Cookie is neither Secure nor HttpOnly unless set
 *   (javax.servlet.http.Cookie javadoc, Servlet 4.0: `secure` and `isHttpOnly` start false).
 * - Spring `ResponseCookie.from(name, value)` builder chains (.secure .httpOnly .sameSite .maxAge
 *   .domain .path): Spring Framework's ResponseCookie builder starts with secure=false,
 *   httpOnly=false, maxAge=-1 (no Max-Age), sameSite=null.
 * - `response.addHeader("Set-Cookie", "...")` / setHeader, also with HttpHeaders.SET_COOKIE: the
 *   attributes written in the string literals.
 * - `getSessionCookieConfig().setSecure(...)` / setHttpOnly / setName ... and
 *   `setSessionTrackingModes(...)` (programmatic session-cookie configuration, Servlet 3.0+), and
 *   uses of the container's session (`getSession(`, `HttpSession`).
 * Facts only; the resolver (resolve.ts) decides.
 */
import type { SgNode } from '@ast-grep/napi';
import { parseAs } from '../common/grammar.js';
import { evidenceOf, locationOf } from '../common/location.js';
import { literal, unknownValue } from '../common/values.js';
import type { CodeFact, Extractor, SettingValue, SourceFile } from '../types.js';
import { JAVA_FACT, javaFact, type JavaSetting } from './facts.js';

/** A cookie the code writes itself. */
export interface JavaCookieData {
  api: 'servlet-cookie' | 'response-cookie' | 'set-cookie-header';
  name: string | null;
  /** 'secure', 'httponly', 'samesite', 'max-age', 'domain', 'path' as far as the code sets them. */
  options: Record<string, SettingValue>;
  optionSites: Record<string, { location: ReturnType<typeof locationOf>; evidence: string }>;
  /** The value is a constant written in the code. */
  constantValue?: 'number' | 'boolean' | 'string';
  location: ReturnType<typeof locationOf>;
  evidence: string;
}

export const JAVA_COOKIE_FACT = 'java-cookie';

const COOKIE_TYPES = new Set(['Cookie', 'javax.servlet.http.Cookie', 'jakarta.servlet.http.Cookie']);

function stringLiteral(n: SgNode | null | undefined): string | null {
  if (!n || n.kind() !== 'string_literal') return null;
  const t = n.text();
  if (t.startsWith('"""')) return null;
  try {
    return JSON.parse(t.replace(/\\'/g, "'")) as string;
  } catch {
    return t.slice(1, -1);
  }
}

function argsOf(call: SgNode): SgNode[] {
  const a = call.field('arguments');
  return a
    ? a.children().filter((c) => c.isNamed() && c.kind() !== 'line_comment' && c.kind() !== 'block_comment')
    : [];
}

/** A Java expression as a setting value: literals, Duration.ZERO / Duration.ofX(n), else unknown. */
function valueOf(n: SgNode | undefined): SettingValue {
  if (!n) return unknownValue('', 'no argument');
  const k = n.kind();
  if (k === 'true') return literal(true);
  if (k === 'false') return literal(false);
  if (k === 'decimal_integer_literal') return literal(Number(n.text().replace(/[_lL]/g, '')));
  if (k === 'unary_expression' && /^-\s*\d+$/.test(n.text()))
    return literal(Number(n.text().replace(/\s/g, '')));
  if (k === 'string_literal') {
    const s = stringLiteral(n);
    return s === null ? unknownValue(n.text(), 'a text block') : literal(s);
  }
  const t = n.text().replace(/\s+/g, '');
  if (t === 'Duration.ZERO') return literal(0);
  const d = /^Duration\.of(Seconds|Minutes|Hours|Days)\((\d+)L?\)$/.exec(t);
  if (d) {
    const mult = { Seconds: 1, Minutes: 60, Hours: 3600, Days: 86400 }[d[1] as 'Seconds'];
    return literal(Number(d[2]) * mult);
  }
  const tm = /^SessionTrackingMode\.(COOKIE|URL|SSL)$/.exec(t);
  if (tm) return literal(tm[1]!.toLowerCase());
  return unknownValue(evidenceOf(n), 'computed at run time');
}

function constantKind(n: SgNode | undefined): JavaCookieData['constantValue'] | undefined {
  if (!n) return undefined;
  const k = n.kind();
  if (k === 'string_literal') return 'string';
  if (k === 'decimal_integer_literal') return 'number';
  if (k === 'true' || k === 'false') return 'boolean';
  return undefined;
}

const SETTER_OPTION: Record<string, string> = {
  setSecure: 'secure',
  setHttpOnly: 'httponly',
  setMaxAge: 'max-age',
  setDomain: 'domain',
  setPath: 'path',
};
const BUILDER_OPTION: Record<string, string> = {
  secure: 'secure',
  httpOnly: 'httponly',
  sameSite: 'samesite',
  maxAge: 'max-age',
  domain: 'domain',
  path: 'path',
};
const CONFIG_SETTER: Record<string, string> = {
  setSecure: 'secure',
  setHttpOnly: 'http-only',
  setName: 'name',
  setDomain: 'domain',
  setPath: 'path',
  setMaxAge: 'max-age',
};

/** The innermost method / constructor / lambda body around a node (the scope setters are looked for in). */
function scopeOf(n: SgNode): SgNode | null {
  for (let p = n.parent(); p; p = p.parent()) {
    const k = p.kind();
    if (
      k === 'method_declaration' ||
      k === 'constructor_declaration' ||
      k === 'lambda_expression' ||
      k === 'static_initializer'
    )
      return p;
  }
  return null;
}

/** The variable a `new Cookie(...)` is stored in (`Cookie c = new Cookie(...)`, `c = new Cookie(...)`). */
function boundName(n: SgNode): string | null {
  const p = n.parent();
  if (!p) return null;
  if (p.kind() === 'variable_declarator') return p.field('name')?.text() ?? null;
  if (p.kind() === 'assignment_expression' && p.field('left')?.kind() === 'identifier')
    return p.field('left')!.text();
  return null;
}

function servletCookie(file: SourceFile, creation: SgNode, calls: SgNode[]): CodeFact | null {
  const type = creation.field('type')?.text() ?? '';
  if (!COOKIE_TYPES.has(type)) return null;
  const args = argsOf(creation);
  const data: JavaCookieData = {
    api: 'servlet-cookie',
    name: stringLiteral(args[0]),
    options: {},
    optionSites: {},
    location: locationOf(creation, file.file),
    evidence: evidenceOf(creation),
  };
  const ck = constantKind(args[1]);
  if (ck) data.constantValue = ck;
  const v = boundName(creation);
  const scope = scopeOf(creation);
  if (v && scope) {
    const start = creation.range().start.index;
    for (const call of calls) {
      if (call.range().start.index < start) continue;
      const obj = call.field('object');
      if (!obj || obj.kind() !== 'identifier' || obj.text() !== v) continue;
      if (scopeOf(call)?.range().start.index !== scope.range().start.index) continue;
      const name = call.field('name')?.text() ?? '';
      const a = argsOf(call);
      let opt = SETTER_OPTION[name];
      let arg = a[0];
      if (name === 'setAttribute' && /^samesite$/i.test(stringLiteral(a[0]) ?? '')) {
        opt = 'samesite';
        arg = a[1];
      }
      if (!opt) continue;
      data.options[opt] = valueOf(arg);
      data.optionSites[opt] = { location: locationOf(call, file.file), evidence: evidenceOf(call) };
    }
  }
  return javaFact(JAVA_COOKIE_FACT, data, data.location, data.evidence);
}

function responseCookie(file: SourceFile, from: SgNode): CodeFact | null {
  const obj = from.field('object')?.text() ?? '';
  if (!/(^|\.)ResponseCookie$/.test(obj)) return null;
  const args = argsOf(from);
  const data: JavaCookieData = {
    api: 'response-cookie',
    name: stringLiteral(args[0]),
    options: {},
    optionSites: {},
    location: locationOf(from, file.file),
    evidence: evidenceOf(from),
  };
  const ck = constantKind(args[1]);
  if (ck) data.constantValue = ck;
  let top = from;
  for (
    let p = from.parent();
    p &&
    p.kind() === 'method_invocation' &&
    p.field('object')?.range().start.index === top.range().start.index;
    p = p.parent()
  ) {
    if (p.field('object')?.range().end.index !== top.range().end.index) break;
    top = p;
    const name = p.field('name')?.text() ?? '';
    const opt = BUILDER_OPTION[name];
    if (!opt) continue;
    const a = argsOf(p);
    // .secure() / .httpOnly() without an argument do not exist; .maxAge(Duration) and .maxAge(long) do.
    data.options[opt] = valueOf(a[0]);
    data.optionSites[opt] = {
      location: locationOf(p.field('name')!, file.file),
      evidence: evidenceOf(`.${name}(${a.map((x) => x.text()).join(', ')})`),
    };
  }
  data.evidence = evidenceOf(top);
  return javaFact(JAVA_COOKIE_FACT, data, data.location, data.evidence);
}

/** The string literals of a `+` concatenation, in order (non-literals as null). */
function concatParts(n: SgNode): (string | null)[] {
  if (n.kind() === 'binary_expression' && n.field('operator')?.text() === '+')
    return [...concatParts(n.field('left')!), ...concatParts(n.field('right')!)];
  if (n.kind() === 'parenthesized_expression') {
    const inner = n.children().find((c) => c.isNamed());
    return inner ? concatParts(inner) : [null];
  }
  return [stringLiteral(n)];
}

function setCookieHeader(file: SourceFile, call: SgNode): CodeFact | null {
  const name = call.field('name')?.text() ?? '';
  if (name !== 'addHeader' && name !== 'setHeader' && name !== 'add' && name !== 'set' && name !== 'header')
    return null;
  const a = argsOf(call);
  if (a.length < 2) return null;
  const h = a[0]!;
  const isSetCookie = /^set-cookie$/i.test(stringLiteral(h) ?? '') || /(^|\.)SET_COOKIE$/.test(h.text());
  if (!isSetCookie) return null;
  const parts = concatParts(a[1]!);
  if (parts[0] === null || parts[0] === undefined) return null; // cookie.toString(): counted where it is built
  const first = parts[0];
  const eq = first.indexOf('=');
  const cookieName = eq > 0 ? first.slice(0, eq).trim() : null;
  const attrText = parts
    .map((p) => p ?? '\u0000')
    .join('')
    .split(';')
    .slice(1)
    .map((s) => s.trim());
  const data: JavaCookieData = {
    api: 'set-cookie-header',
    name: cookieName,
    options: { secure: literal(false), httponly: literal(false) },
    optionSites: {},
    location: locationOf(call, file.file),
    evidence: evidenceOf(call),
  };
  const site = { location: data.location, evidence: data.evidence };
  for (const attr of attrText) {
    if (attr.includes('\u0000')) continue;
    const [k, ...rest] = attr.split('=');
    const key = k!.trim().toLowerCase();
    const val = rest.join('=').trim();
    if (key === 'secure') data.options.secure = literal(true);
    else if (key === 'httponly') data.options.httponly = literal(true);
    else if (key === 'samesite') data.options.samesite = literal(val);
    else if (key === 'max-age' && /^-?\d+$/.test(val)) data.options['max-age'] = literal(Number(val));
    else if (key === 'domain') data.options.domain = literal(val);
    else if (key === 'path') data.options.path = literal(val);
    else continue;
    data.optionSites[key] = site;
  }
  // An attribute computed at run time could be any of them: Secure / HttpOnly are then unknown.
  if (parts.slice(1).some((p) => p === null) && attrText.some((s) => s.includes('\u0000'))) {
    if (data.options.secure?.kind === 'literal' && data.options.secure.value === false)
      data.options.secure = unknownValue(evidenceOf(a[1]!), 'attributes computed at run time');
    if (data.options.httponly?.kind === 'literal' && data.options.httponly.value === false)
      data.options.httponly = unknownValue(evidenceOf(a[1]!), 'attributes computed at run time');
  }
  return javaFact(JAVA_COOKIE_FACT, data, data.location, data.evidence);
}

/** `x.getSessionCookieConfig().setSecure(v)` or `cfg.setSecure(v)` where cfg holds getSessionCookieConfig(). */
function sessionCookieConfig(file: SourceFile, call: SgNode, configVars: Set<string>): CodeFact | null {
  const name = call.field('name')?.text() ?? '';
  const obj = call.field('object');
  if (!obj) return null;
  const a = argsOf(call);
  let key: string | undefined;
  let value: SettingValue | undefined;
  if (name === 'setSessionTrackingModes') {
    key = 'tracking-modes';
    const modes = [...call.text().matchAll(/SessionTrackingMode\.(COOKIE|URL|SSL)/g)].map((m) =>
      m[1]!.toLowerCase(),
    );
    value =
      modes.length > 0 ? literal(modes.join(',')) : unknownValue(evidenceOf(call), 'computed at run time');
  } else {
    const onConfig =
      (obj.kind() === 'method_invocation' && obj.field('name')?.text() === 'getSessionCookieConfig') ||
      (obj.kind() === 'identifier' && configVars.has(obj.text()));
    if (!onConfig) return null;
    key = CONFIG_SETTER[name];
    if (!key) return null;
    value = valueOf(a[0]);
  }
  const location = locationOf(call, file.file);
  const evidence = evidenceOf(call);
  const data: JavaSetting = { key, value, via: 'servlet-api', profile: '', location, evidence };
  return javaFact(JAVA_FACT.setting, data, location, evidence);
}

const RELEVANT_CALLS =
  '^(from|getSession|addHeader|setHeader|header|add|set|setSecure|setHttpOnly|setMaxAge|setDomain|setPath|' +
  'setAttribute|setName|setSessionTrackingModes)$';

function extractJava(file: SourceFile): CodeFact[] {
  const out: CodeFact[] = [];
  let root: SgNode;
  try {
    root = parseAs('java', file.text).root();
  } catch {
    return out;
  }
  // Only the calls that can matter are handed over from the native side (each node property read
  // crosses into napi: reading every call of a large file costs more than parsing it).
  const calls = root.findAll({
    rule: { kind: 'method_invocation', has: { field: 'name', regex: RELEVANT_CALLS } },
  });
  const configVars = new Set<string>();
  for (const d of root.findAll({
    rule: { kind: 'variable_declarator', has: { field: 'value', regex: 'getSessionCookieConfig' } },
  })) {
    const v = d.field('value');
    if (v && v.kind() === 'method_invocation' && v.field('name')?.text() === 'getSessionCookieConfig')
      configVars.add(d.field('name')?.text() ?? '');
  }
  for (const c of root.findAll({
    rule: { kind: 'object_creation_expression', has: { field: 'type', regex: 'Cookie$' } },
  })) {
    const f = servletCookie(file, c, calls);
    if (f) out.push(f);
  }
  let sessionUse: SgNode | null = null;
  for (const call of calls) {
    const name = call.field('name')?.text() ?? '';
    if (name === 'from') {
      const f = responseCookie(file, call);
      if (f) out.push(f);
      continue;
    }
    if (name === 'getSession' && !sessionUse) sessionUse = call;
    const h = setCookieHeader(file, call);
    if (h) {
      out.push(h);
      continue;
    }
    const s = sessionCookieConfig(file, call, configVars);
    if (s) out.push(s);
  }
  if (!sessionUse) sessionUse = root.find({ rule: { kind: 'type_identifier', regex: '^HttpSession$' } });
  if (sessionUse) {
    const location = locationOf(sessionUse, file.file);
    const evidence = evidenceOf(sessionUse);
    out.push(javaFact(JAVA_FACT.session, { evidence, location }, location, evidence));
  }
  return out;
}

export const javaCodeExtractor: Extractor = {
  name: 'java-code',
  files: ['**/*.java'],
  // Matched with their case: `Cookie` in a type or call name, the header name, the servlet session.
  keywords: ['Cookie', 'Set-Cookie', 'SET_COOKIE', 'getSession', 'HttpSession', 'SessionTrackingMode'],
  caseSensitive: true,
  extract: extractJava,
};
