/**
 * `scan --fix`: the safe, mechanical edits for code findings, planned from the findings and the files
 * they point at. Every finding either gets one certain edit (also carried as `codeFix`, so SARIF
 * offers it) or a reason why it is left to a person.
 *
 * What is edited (nothing else):
 * - a literal that turns Secure / HttpOnly off, at the place the scanner says decides the attribute:
 *   `secure: false`, `'secure' => false`, `SESSION_COOKIE_SECURE = False`, `secure=False`,
 *   `session.cookie_secure = Off`, `ini_set('session.cookie_secure', '0')`, a positional `false`:
 *   the literal is made true in the same style (`False` -> `True`, `'0'` -> `'1'`, `Off` -> `On`);
 * - a cookie call that passes a literal options object (JavaScript) or array (PHP `setcookie`) without
 *   the attribute: `secure: true` / `'secure' => true` added at its end (after any spread, so it wins);
 *   a Python `set_cookie(...)` call without the keyword: `secure=True` added.
 * Never: a value that depends on the environment or could not be resolved (other rules, or no
 * literal at the place), test code (`info`), a framework default (nothing written to change), and a
 * session middleware that needs proxy trust to send a Secure cookie (express-session, koa-session,
 * @fastify/session) unless the file already trusts the proxy: that fix is explained instead.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SgNode, SgRoot } from '@ast-grep/napi';
import type { CodeFix, Finding } from '../model/finding.js';
import { grammars, parseAs } from '../collect/code/common/grammar.js';

type Attr = 'secure' | 'httponly';
type Lang =
  'js' | 'ts' | 'tsx' | 'php' | 'python' | 'ini' | 'csharp' | 'go' | 'ruby' | 'java' | 'properties' | 'yaml';

/** Languages whose cookie calls get a missing option added (case B); the others get flips only. */
const INSERTS: ReadonlySet<Lang> = new Set(['js', 'ts', 'tsx', 'php', 'python']);
/** Configuration formats without a parser here (no syntax check after the edit). */
const CONFIG_FORMATS: ReadonlySet<Lang> = new Set(['ini', 'properties', 'yaml']);

/** Rules whose fix is to turn an attribute on, and which attribute. */
const RULE_ATTR: Record<string, Attr> = {
  'cookie-missing-secure': 'secure',
  'cookie-samesite-none-insecure': 'secure',
  'cookie-missing-httponly': 'httponly',
};

/** Findings --fix never touches, and why. */
const NEVER: Record<string, string> = {
  'cookie-secure-env-dependent':
    'Secure depends on the environment: make it unconditional by hand (see the fix)',
  'cookie-config-unresolved': 'the setting could not be resolved',
};

/** Falsy literal -> the true literal of the same style. */
const FLIP: Record<string, string> = {
  false: 'true',
  False: 'True',
  FALSE: 'TRUE',
  '0': '1',
  "'0'": "'1'",
  '"0"': '"1"',
  Off: 'On',
  off: 'on',
  OFF: 'ON',
  "'off'": "'on'",
  '"off"': '"on"',
  "'Off'": "'On'",
  '"Off"': '"On"',
  "'false'": "'true'",
  '"false"': '"true"',
  no: 'yes',
};

export interface PlannedFix {
  finding: Finding;
  fix: CodeFix;
}
export interface Unfixed {
  finding: Finding;
  reason: string;
}
export interface FixPlan {
  fixes: PlannedFix[];
  unfixed: Unfixed[];
}

function langOf(file: string): Lang | null {
  const ext = file.slice(file.lastIndexOf('.') + 1).toLowerCase();
  if (['js', 'mjs', 'cjs'].includes(ext)) return 'js';
  if (['ts', 'mts', 'cts'].includes(ext)) return 'ts';
  if (['jsx', 'tsx'].includes(ext)) return 'tsx';
  if (['php', 'phtml', 'inc'].includes(ext)) return 'php';
  if (ext === 'py') return 'python';
  if (ext === 'cs') return 'csharp';
  if (ext === 'go') return 'go';
  if (ext === 'rb') return 'ruby';
  if (ext === 'java') return 'java';
  if (ext === 'properties') return 'properties';
  if (ext === 'yml' || ext === 'yaml') return 'yaml';
  if (ext === 'ini' || file.endsWith('.htaccess') || file.endsWith('.user.ini')) return 'ini';
  return null;
}

/** Offsets of the starts of lines (a final newline opens one more, empty line). */
export function lineStarts(text: string): number[] {
  const s = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) s.push(i + 1);
  return s;
}
/** The offset of a 1-based line and column; `starts` from lineStarts, `line` within them. */
export function offsetOf(starts: readonly number[], line: number, column: number): number {
  return (starts[line - 1] ?? 0) + column - 1;
}
function positionOf(starts: number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 };
}

function parse(lang: Lang, text: string): SgRoot | null {
  try {
    if (
      lang === 'php' ||
      lang === 'python' ||
      lang === 'csharp' ||
      lang === 'go' ||
      lang === 'ruby' ||
      lang === 'java'
    )
      return parseAs(lang, text);
    if (CONFIG_FORMATS.has(lang)) return null;
    const napi = grammars();
    const l = lang === 'js' ? napi.Lang.JavaScript : lang === 'ts' ? napi.Lang.TypeScript : napi.Lang.Tsx;
    return napi.parse(l, text);
  } catch {
    return null;
  }
}

/** Syntax errors in a file (ERROR nodes); null for files without a parser here (INI). */
export function syntaxErrors(file: string, text: string): number | null {
  const lang = langOf(file);
  if (!lang || CONFIG_FORMATS.has(lang)) return null;
  const root = parse(lang, text);
  if (!root) return null;
  return root.root().findAll({ rule: { kind: 'ERROR' } }).length;
}

const ATTR_KEY: Record<Attr, RegExp> = {
  secure: /(^|[^a-z])secure$/i,
  httponly: /http[-_]?only$/i,
};

/** A key (JS property, PHP array key, INI name, Python keyword or setting) that names the attribute. */
function keyNames(key: string, attr: Attr): boolean {
  const k = key.replace(/^['"]|['"]$/g, '');
  if (/insecure/i.test(k)) return false;
  return ATTR_KEY[attr].test(k);
}

/**
 * Case A: the region ends with a falsy literal assigned to a key naming the attribute, or is that
 * literal alone (a positional argument). Returns the literal's offsets in the file.
 */
function flipLiteral(
  region: string,
  regionStart: number,
  attr: Attr,
  lang: Lang,
): { start: number; end: number; text: string } | null {
  // an INI line's trailing comment is not part of the value, nor a YAML one (a # after a space);
  // a .properties file has whole-line comments only
  if (lang === 'ini') region = region.replace(/\s*[;#].*$/s, '');
  if (lang === 'yaml') region = region.replace(/\s+#.*$/s, '');
  const m =
    /^([\s\S]*?)('0'|"0"|'off'|"off"|'Off'|"Off"|'false'|"false"|\bfalse\b|\bFalse\b|\bFALSE\b|\b0\b|\bOff\b|\boff\b|\bOFF\b|\bno\b)\s*[,;)]?\s*$/.exec(
      region,
    );
  if (!m) return null;
  const prefix = m[1]!;
  const literal = m[2]!;
  // Off / no: INI, YAML 1.1 (Spring reads application.yml so) and Spring's property conversion.
  // False: Python, PHP, INI, YAML. FALSE: PHP, INI, YAML. Quoted and numeric falsy values: the
  // dynamic languages and INI / YAML, never Go, Ruby (0 is true there), Java or C#.
  const config = CONFIG_FORMATS.has(lang);
  const typed = lang === 'go' || lang === 'ruby' || lang === 'java' || lang === 'csharp';
  if (/^(Off|off|OFF|no)$/.test(literal) && !config) return null;
  if (literal === 'False' && !['python', 'php', 'ini', 'yaml'].includes(lang)) return null;
  if (literal === 'FALSE' && !['php', 'ini', 'yaml'].includes(lang)) return null;
  if (/^['"]/.test(literal) && (typed || lang === 'properties')) return null;
  if (literal === '0' && typed) return null;
  if (prefix.trim() !== '') {
    const k = /((?:[A-Za-z_$][\w.$-]*)|'[^']*'|"[^"]*")\s*\]?\s*(=>|:|=)\s*$/.exec(prefix);
    if (!k || !keyNames(k[1]!, attr)) return null;
    // `ini_set('session.cookie_secure', '0')`: the key is the first argument
  } else if (config) return null;
  const start = regionStart + prefix.length;
  return { start, end: start + literal.length, text: FLIP[literal]! };
}

/**
 * ASP.NET Core (issue 13): `o.Cookie.SecurePolicy = CookieSecurePolicy.None` (or `SecurePolicy =
 * CookieSecurePolicy.None` in an initialiser) as the whole region: `None` made `Always`. (`Secure =
 * false` / `HttpOnly = false` are flipped by flipLiteral.)
 */
function flipSecurePolicy(region: string, regionStart: number, attr: Attr) {
  if (attr !== 'secure') return null;
  const m = /^([\w.]*SecurePolicy\s*=\s*(?:[\w.]*\.)?CookieSecurePolicy\.)None\s*;?\s*$/.exec(region);
  if (!m) return null;
  const start = regionStart + m[1]!.length;
  return { start, end: start + 'None'.length, text: 'Always' };
}

/** Java's `cookie.setSecure(false)` / `cookie.setHttpOnly(false)` as the whole region: false made true. */
function flipSetter(region: string, regionStart: number, attr: Attr) {
  const m = /^([\w.]*\.set(Secure|HttpOnly)\s*\(\s*)false\s*\)\s*;?\s*$/.exec(region);
  if (!m || m[2]!.toLowerCase() !== attr) return null;
  const start = regionStart + m[1]!.length;
  return { start, end: start + 'false'.length, text: 'true' };
}

/** `ini_set('session.cookie_secure', false|0|'0'|'off')` as the whole region. */
function flipIniSet(region: string, regionStart: number, attr: Attr) {
  const m =
    /^(ini_set\s*\(\s*(['"])session\.cookie_(secure|httponly)\2\s*,\s*)('0'|"0"|'off'|"off"|'Off'|"Off"|'false'|"false"|false|0)\s*\)\s*;?\s*$/i.exec(
      region,
    );
  if (!m || m[3]!.toLowerCase() !== attr) return null;
  const start = regionStart + m[1]!.length;
  return { start, end: start + m[4]!.length, text: FLIP[m[4]!] ?? "'1'" };
}

const CALL_KIND: Partial<Record<Lang, string>> = {
  js: 'call_expression',
  ts: 'call_expression',
  tsx: 'call_expression',
  php: 'function_call_expression',
  python: 'call',
};

/** The call expression that starts where the region starts (the smallest one that does). */
function callAt(
  root: SgRoot,
  lang: Lang,
  text: string,
  starts: number[],
  regionStart: number,
  regionEnd: number,
) {
  const kinds =
    lang === 'php'
      ? ['function_call_expression', 'member_call_expression', 'scoped_call_expression']
      : [CALL_KIND[lang]!];
  let best: SgNode | null = null;
  for (const kind of kinds)
    for (const node of root.root().findAll({ rule: { kind } })) {
      const r = node.range();
      const s = offsetOf(starts, r.start.line + 1, r.start.column + 1);
      if (s !== regionStart) continue;
      const t = node.text();
      if (text.slice(s, s + t.length) !== t || s + t.length > regionEnd) continue;
      if (!best || t.length < best.text().length) best = node;
    }
  return best;
}

function argsOf(call: SgNode): SgNode[] {
  const list = call.field('arguments');
  if (!list) return [];
  return list.children().filter((c) => !['(', ')', ',', 'comment'].includes(String(c.kind())));
}

/** Case B: insert the attribute into the call's literal options (JS object, PHP array, Python keywords). */
function insertOption(
  root: SgRoot,
  lang: Lang,
  text: string,
  starts: number[],
  regionStart: number,
  regionEnd: number,
  attr: Attr,
): { start: number; end: number; text: string } | string {
  const call = callAt(root, lang, text, starts, regionStart, regionEnd);
  if (!call) return 'no literal value or options at the place that decides the attribute';
  const args = argsOf(call);
  const at = (n: SgNode) => {
    const r = n.range();
    const s = offsetOf(starts, r.start.line + 1, r.start.column + 1);
    return { s, e: s + n.text().length, ok: text.slice(s, s + n.text().length) === n.text() };
  };
  if (lang === 'python') {
    if (args.some((a) => a.kind() === 'dictionary_splat' || a.kind() === 'list_splat'))
      return 'the call passes **kwargs: adding a keyword could repeat one';
    if (args.length < 2) return 'the call has fewer arguments than a cookie call';
    const last = at(args[args.length - 1]!);
    if (!last.ok) return 'could not place the edit';
    return { start: last.e, end: last.e, text: attr === 'secure' ? ', secure=True' : ', httponly=True' };
  }
  const objKind = lang === 'php' ? 'array_creation_expression' : 'object';
  const unwrap = (a: SgNode) => (lang === 'php' && a.kind() === 'argument' ? (a.children()[0] ?? a) : a);
  const lastArg = args.length > 0 ? unwrap(args[args.length - 1]!) : null;
  if (!lastArg || lastArg.kind() !== objKind)
    return lang === 'php'
      ? 'positional setcookie() arguments: pass the options array by hand (see the fix)'
      : 'no literal options object in the call';
  const members = lastArg
    .children()
    .filter((c) => !['{', '}', '[', ']', ',', 'comment', 'array', '(', ')'].includes(String(c.kind())));
  if (members.length === 0) return 'the options are empty: add them by hand (see the fix)';
  const last = at(members[members.length - 1]!);
  if (!last.ok) return 'could not place the edit';
  const js = attr === 'secure' ? 'secure: true' : 'httpOnly: true';
  const php = attr === 'secure' ? "'secure' => true" : "'httponly' => true";
  return { start: last.e, end: last.e, text: `, ${lang === 'php' ? php : js}` };
}

/** Session middlewares that send a Secure cookie only on a request they see as HTTPS. */
const PROXY_TRUST: { framework: RegExp; trusted: RegExp; how: string }[] = [
  {
    framework: /^(express-session|cookie-session)$/,
    trusted: /trust proxy|\bproxy\s*:\s*true/,
    how: "express-session sends a Secure cookie only on requests it sees as HTTPS: behind a TLS-terminating proxy it also needs `app.set('trust proxy', 1)`",
  },
  {
    framework: /^koa-session$/,
    trusted: /\.proxy\s*=\s*true|\bproxy\s*:\s*true/,
    how: 'koa-session sends a Secure cookie only when ctx.secure: behind a TLS-terminating proxy it also needs `app.proxy = true`',
  },
  {
    framework: /^fastify$/,
    trusted: /trustProxy/,
    how: '@fastify/session sends a Secure cookie only on HTTPS requests: behind a TLS-terminating proxy it also needs `trustProxy`',
  },
];

export function planFixes(findings: readonly Finding[], root: string | null): FixPlan {
  const fixes: PlannedFix[] = [];
  const unfixed: Unfixed[] = [];
  const files = new Map<string, { text: string; starts: number[]; tree?: SgRoot | null } | null>();
  const load = (file: string) => {
    if (!files.has(file)) {
      try {
        const text = readFileSync(root ? join(root, file) : file, 'utf8');
        files.set(file, { text, starts: lineStarts(text) });
      } catch {
        files.set(file, null);
      }
    }
    return files.get(file)!;
  };
  for (const f of findings) {
    const no = (reason: string) => unfixed.push({ finding: f, reason });
    if (f.source === 'code' && f.location && NEVER[f.rule]) {
      no(NEVER[f.rule]!);
      continue;
    }
    const attr = RULE_ATTR[f.rule];
    if (!attr || f.source !== 'code' || !f.location) continue;
    if (f.severity === 'info') {
      no('test code is left alone');
      continue;
    }
    const lang = langOf(f.location.file);
    if (!lang) {
      no('no mechanical fix for this kind of file');
      continue;
    }
    const file = load(f.location.file);
    if (!file) {
      no('the file could not be read');
      continue;
    }
    const { text, starts } = file;
    const loc = f.location;
    const regionStart = offsetOf(starts, loc.line, loc.column);
    const regionEnd =
      loc.endLine !== undefined && loc.endColumn !== undefined
        ? offsetOf(starts, loc.endLine, loc.endColumn)
        : (text.indexOf('\n', regionStart) + 1 || text.length + 1) - 1;
    const region = text.slice(regionStart, regionEnd);
    if (attr === 'secure' && f.framework) {
      const p = PROXY_TRUST.find((x) => x.framework.test(f.framework!));
      // @fastify/cookie's reply.setCookie writes Secure whatever the scheme; only the session plugin waits for HTTPS
      const isSession = f.framework !== 'fastify' || /session/i.test(region);
      if (p && isSession && !p.trusted.test(text)) {
        no(`${p.how}; set both by hand`);
        continue;
      }
    }
    let edit: { start: number; end: number; text: string } | string | null =
      (lang === 'php' ? flipIniSet(region, regionStart, attr) : null) ??
      (lang === 'csharp' ? flipSecurePolicy(region, regionStart, attr) : null) ??
      (lang === 'java' ? flipSetter(region, regionStart, attr) : null) ??
      flipLiteral(region, regionStart, attr, lang);
    if (!edit && INSERTS.has(lang)) {
      if (file.tree === undefined) file.tree = parse(lang, text);
      edit = file.tree
        ? insertOption(file.tree, lang, text, starts, regionStart, regionEnd, attr)
        : 'the file could not be parsed';
    }
    if (!edit)
      edit =
        'no literal value at the place that decides the attribute (a default, a variable or a computed value)';
    if (typeof edit === 'string') {
      no(edit);
      continue;
    }
    const s = positionOf(starts, edit.start);
    const e = positionOf(starts, edit.end);
    fixes.push({
      finding: f,
      fix: {
        description:
          edit.start === edit.end
            ? `Add ${edit.text.replace(/^,\s*/, '')}`
            : `Replace ${text.slice(edit.start, edit.end)} with ${edit.text}`,
        file: f.location.file,
        startLine: s.line,
        startColumn: s.column,
        endLine: e.line,
        endColumn: e.column,
        replacement: edit.text,
      },
    });
  }
  // Secure before HttpOnly where both are added at one place.
  fixes.sort((a, b) => rank(a.finding) - rank(b.finding));
  return { fixes, unfixed };
}

function rank(f: Finding): number {
  return RULE_ATTR[f.rule] === 'secure' ? 0 : 1;
}
