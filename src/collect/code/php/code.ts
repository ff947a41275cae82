/**
 * Facts from PHP source: session settings made at run time, sessions started, cookies set, constants,
 * trusted-proxy configuration, and Laravel's config/session.php.
 *
 * Calls understood (php-src signatures, PHP 8.2, checked with ReflectionFunction):
 *   ini_set(option, value) / ini_alter()              session.* settings
 *   session_start(options = [])                       option names = ini names without `session.`
 *   session_set_cookie_params(lifetime_or_options, path, domain, secure, httponly) and the array form (7.3+)
 *   session_name(name)
 *   setcookie / setrawcookie(name, value = "", expires_or_options = 0, path, domain, secure = false, httponly = false)
 *     and the options array form (7.3+, keys case-insensitive, with samesite)
 *   header('Set-Cookie: ...'), PSR-7 withHeader / withAddedHeader, Symfony/Laravel headers->set / header()
 *   define('NAME', value), const NAME = value
 *   Laravel: ->trustProxies(at: ...), TrustProxies::at(), class TrustProxies { protected $proxies = ... },
 *            config(['session.secure' => ...]), Config::set('session.secure', ...)
 *   Symfony / any: Request::setTrustedProxies(...)
 * Named arguments (PHP 8) are bound like PHP binds them; a spread argument makes the binding uncertain.
 */
import type { SgNode } from '@ast-grep/napi';
import { parseSetCookie } from '../../../cookies/setcookie.js';
import type { CodeLocation } from '../../../model/observation.js';
import type { CodeFact, SettingValue } from '../types.js';
import {
  bindArguments,
  calledFunctionName,
  calledMethodName,
  callArguments,
  evidenceOf,
  nodeLocation,
  parsePhp,
} from './ast.js';
import { COOKIE_PARAM_KEYS, SESSION_INI_KEYS, sessionStartOptionKey } from './keys.js';
import { extractLaravelConfig } from './laravel-config.js';
import {
  Evaluator,
  negate,
  paramsOf,
  toSettingValue,
  type CallRef,
  type Cond,
  type PhpFunctionInfo,
  type PhpSettingDetail,
  type PhpValue,
} from './values.js';

const SETCOOKIE_PARAMS = [
  'name',
  'value',
  'expires_or_options',
  'path',
  'domain',
  'secure',
  'httponly',
] as const;
const COOKIE_PARAMS_POSITIONAL = ['lifetime_or_options', 'path', 'domain', 'secure', 'httponly'] as const;
export const SETCOOKIE_OPTION_KEYS = new Set(['expires', 'path', 'domain', 'secure', 'httponly', 'samesite']);
const HEADER_METHODS = new Set(['withheader', 'withaddedheader', 'set', 'header', 'setheader', 'addheader']);
/**
 * The calls we look at, filtered by ast-grep on the Rust side (a regex over the node text): walking
 * every call node from JavaScript costs more than parsing (measured: 120 calls, 7 ms of field reads).
 * The regexes over-approximate; the exact name is checked again in functionCall / methodCall.
 */
const FUNCTION_RE =
  '^\\\\?(?:(?i:ini_set|ini_alter|session_start|session_set_cookie_params|session_name|setcookie|setrawcookie|header|define|config)' +
  // Calls of the project's own cookie functions (`cookie($name, $value)`, `set_cookie(...)`): the
  // resolver follows the ones the project defines around setcookie() (see wrappers.ts).
  '|(?:[A-Za-z0-9_]+\\\\)*(?i:[A-Za-z0-9_]*cookie[A-Za-z0-9_]*))\\s*\\(';
const METHOD_RE =
  '(?i:->|::)\\s*(?i:trustProxies|setTrustedProxies|at|set|withHeader|withAddedHeader|header|setHeader|addHeader' +
  // ... and cookie methods or classes (`Cookie::set(...)`, `eShims::setcookie(...)`, `$this->setLoginCookie(...)`).
  '|[A-Za-z0-9_]*cookie[A-Za-z0-9_]*)\\s*\\(|^\\\\?(?:[A-Za-z0-9_]+\\\\)*(?i:[A-Za-z0-9_]*cookie[A-Za-z0-9_]*)\\s*::';
const CALL_RULE = [
  { kind: 'function_call_expression', regex: FUNCTION_RE },
  { kind: 'member_call_expression', regex: METHOD_RE },
  { kind: 'nullsafe_member_call_expression', regex: METHOD_RE },
  { kind: 'scoped_call_expression', regex: METHOD_RE },
];
/** Cookie functions of PHP itself: never a project's wrapper. */
const PHP_COOKIE_FUNCTIONS = new Set([
  'setcookie',
  'setrawcookie',
  'session_get_cookie_params',
  'session_set_cookie_params',
]);

/** Detail attached to `cookie-set` facts from PHP: the full values, for the resolver. */
export interface PhpCookieDetail {
  /** setcookie options / positional values, and for raw headers the parsed attributes. */
  values: Record<string, PhpValue>;
  /** Options array merged with something unknown: absent options are unknown, not PHP defaults. */
  open: boolean;
  form: 'positional' | 'array' | 'header';
  function: string;
  nameExpression?: string;
  /** header(): attributes after an interpolated part may be added at run time. */
  attributesDynamic?: boolean;
  /** The name as evaluated (a parameter, a constant ...), when it is not a literal. */
  nameValue?: PhpValue;
  /** The function or method the call lies in. */
  fn?: PhpFunctionInfo;
  /** Conditions under which the call runs, within its function. */
  guards?: Cond[];
  /**
   * The third argument (`values.expires`) may be an options array (a parameter, array_merge() with a
   * parameter): decided once the value is known, per call of the enclosing function.
   */
  thirdOpen?: boolean;
}

/** Detail attached to `session-enabled` facts from session_start(). */
export interface PhpSessionStartDetail {
  /** The options argument could not be resolved: any setting may be overridden there. */
  optionsUnknown: boolean;
}

/**
 * Text that must occur for any fact to come out of a PHP file (case-insensitive). Files without it
 * are not parsed: the engine's keywords (`session`, `cookie`, `proxies`) also let through files that
 * merely mention sessions (`$request->session()->get(...)`).
 */
const RELEVANT =
  /ini_set|ini_alter|session_start|session_set_cookie_params|session_name|setcookie|setrawcookie|set-cookie|trustproxies|settrustedproxies|\bdefine\s*\(|\bconst\b|\bconfig\s*\(|config::set|forwarded_proto|server_port|cookie\w*\s*\(|cookie\s*::|\$config\[\s*\$/i;
/** `$_SERVER['HTTPS']` as a request-scheme helper reads it (its key is upper-case; 'https' in URLs is not). */
const HTTPS_KEY = /['"]HTTPS['"]/;

/** $_SERVER keys that tell the request scheme, read by a function such as is_ssl(). */
const SCHEME_KEYS =
  '[\'"](HTTPS|SERVER_PORT|REQUEST_SCHEME|HTTP_X_FORWARDED_PROTO|HTTP_X_FORWARDED_SSL|HTTP_X_FORWARDED_PORT|HTTP_X_FORWARDED_SCHEME|HTTP_FRONT_END_HTTPS|HTTP_CLOUDFRONT_FORWARDED_PROTO)[\'"]';
const SCHEME_TEXT = new RegExp(`${SCHEME_KEYS}|->\\s*[iI]s[sS]ecure\\s*\\(`);
/** A declaration of a function named like a request-scheme test (checked before walking the tree). */
const SCHEME_DECLARATION = /function\s+&?\s*\w*(is|using|has)_?(ssl|https|secure)\w*\s*\(/i;
/** Names of functions that answer "is this request HTTPS?": is_ssl(), isHttps(), isSecure(), usingSsl() ... */
const SCHEME_NAME = /(^|_)(is|using|has)_?(ssl|https|secure)(_?(request|connection))?$/i;

/** A declaration of a function named like a referer getter (wp_get_referer, getReferer, referrer ...). */
const REFERER_DECLARATION = /function\s+&?\s*\w*referr?er\w*\s*\(/i;
/** What such a function reads: the Referer header, or another referer getter. */
const REFERER_SOURCE = /HTTP_REFERER|headers\s*->\s*get\s*\(\s*['"]referer['"]|referr?er\w*\s*\(/i;
const REFERER_NAME = /referr?er/i;

export function extractPhpCode(file: string, text: string): CodeFact[] {
  if (!text.includes('<?')) return [];
  const configFile = /(^|\/)[Cc]onfig\/(session|trustedproxy)\.php$/.test(file);
  const referers = REFERER_DECLARATION.test(text) && REFERER_SOURCE.test(text);
  if (!configFile && !CONFIG_FILE.test(file) && !RELEVANT.test(text) && !HTTPS_KEY.test(text) && !referers)
    return [];
  const root = parsePhp(text).root();
  const ev = new Evaluator(file, root);
  const facts: CodeFact[] = [];

  // One walk for the calls and, when the text mentions them, the includes.
  const withIncludes = /\b(include|require)/i.test(text);
  const rule = withIncludes ? [...CALL_RULE, ...INCLUDE_KINDS.map((kind) => ({ kind }))] : CALL_RULE;
  const includes: SgNode[] = [];
  for (const node of root.findAll({ rule: { any: rule } })) {
    const kind = String(node.kind());
    if (kind === 'function_call_expression') functionCall(node, ev, facts);
    else if (kind.endsWith('call_expression')) methodCall(node, ev, facts);
    else includes.push(node);
  }

  // const NAME = value; (top level or class constants are both recorded by bare name)
  if (/\bconst\b/i.test(text)) {
    for (const el of root.findAll({ rule: { kind: 'const_element' } })) {
      const kids = el.namedChildren();
      const name = kids[0];
      const value = kids[kids.length - 1];
      if (!name || !value || name.id() === value.id()) continue;
      constantFact(facts, ev, name.text(), value, el);
    }
  }

  // Laravel: class TrustProxies { protected $proxies = '*'; }
  if (/TrustProxies/.test(text)) {
    for (const cls of root.findAll({ rule: { kind: 'class_declaration' } })) {
      if (cls.field('name')?.text() !== 'TrustProxies') continue;
      for (const prop of cls.findAll({ rule: { kind: 'property_element' } })) {
        if (prop.field('name')?.text() !== '$proxies') continue;
        const dv = prop.field('default_value');
        const v = dv ? ev.eval(dv) : ({ kind: 'literal', value: null } as PhpValue);
        facts.push({
          type: 'other',
          framework: 'laravel',
          key: 'trust-proxies',
          data: { value: v, via: 'TrustProxies::$proxies' },
          location: nodeLocation(file, prop),
          evidence: evidenceOf(prop.parent() ?? prop),
        });
      }
    }
  }

  // include / require with a path we can resolve: lets the resolver see which settings run before session_start().
  {
    for (const inc of includes) {
      const target = includeTarget(file, inc.namedChildren()[0] ?? null);
      if (!target) continue;
      facts.push({
        type: 'other',
        framework: 'php',
        key: 'include',
        data: { target } satisfies PhpIncludeDetail,
        location: nodeLocation(file, inc),
        evidence: evidenceOf(inc),
      });
    }
  }

  if (SCHEME_TEXT.test(text) && SCHEME_DECLARATION.test(text)) facts.push(...schemeFunctions(file, root));
  if (referers) facts.push(...refererFunctions(file, root));
  if (CONFIG_GETTER_TEXT.test(text)) facts.push(...configGetters(file, root, ev));
  if (CONFIG_FILE.test(file) && !configFile) {
    const c = configArray(file, root, ev);
    if (c) facts.push(c);
  }
  attachFunctions(facts, root, ev);
  facts.push(...localCalls(file, root, facts));

  facts.push(...extractLaravelConfig(file, root, ev));
  return facts;
}

const FUNCTION_KINDS = ['function_definition', 'method_declaration', 'anonymous_function', 'arrow_function'];
const OWNER_KINDS = ['class_declaration', 'trait_declaration', 'interface_declaration', 'enum_declaration'];

/**
 * Records, on each PHP setting and cookie fact made inside a function or method, that function and its
 * parameters: a value read from a parameter is then resolved per call, or from the parameter's default.
 */
function attachFunctions(facts: CodeFact[], root: SgNode, ev: Evaluator): void {
  const inside = facts.filter(
    (f) =>
      ((f.type === 'setting' || f.type === 'cookie-set') && f.framework === 'php' && !!f.detail) ||
      (f.type === 'other' && f.key === 'cookie-call'),
  );
  if (inside.length === 0) return;
  const fns = root.findAll({ rule: { any: FUNCTION_KINDS.map((kind) => ({ kind })) } });
  if (fns.length === 0) return;
  const infos = new Map<number, PhpFunctionInfo>();
  const infoOf = (fn: SgNode): PhpFunctionInfo => {
    let info = infos.get(fn.id());
    if (!info) {
      const named = fn.kind() === 'function_definition' || fn.kind() === 'method_declaration';
      const owner =
        fn.kind() === 'method_declaration'
          ? fn.ancestors().find((a) => OWNER_KINDS.includes(String(a.kind())))
          : undefined;
      const end = fn.range().end;
      info = {
        name: named ? (fn.field('name')?.text().toLowerCase() ?? null) : null,
        cls: owner?.field('name')?.text().toLowerCase() ?? null,
        params: paramsOf(fn, ev),
        location: nodeLocation(ev.file, fn),
        end: { file: ev.file, line: end.line + 1, column: end.column + 1 },
      };
      if (fn.children().some((c) => c.kind() === 'static_modifier')) info.isStatic = true;
      infos.set(fn.id(), info);
    }
    return info;
  };
  for (const f of inside) {
    const { line, column } = f.location;
    // The innermost function around the fact (the last in document order that contains it).
    let best: SgNode | null = null;
    for (const fn of fns) {
      const r = fn.range();
      const afterStart =
        line - 1 > r.start.line || (line - 1 === r.start.line && column - 1 >= r.start.column);
      const beforeEnd = line - 1 < r.end.line || (line - 1 === r.end.line && column - 1 < r.end.column);
      if (afterStart && beforeEnd) best = fn;
    }
    if (!best) continue;
    const holder =
      f.type === 'other' ? f.data : f.type === 'setting' || f.type === 'cookie-set' ? f.detail : null;
    if (holder) (holder as { fn?: PhpFunctionInfo }).fn = infoOf(best);
  }
}

/** Detail of a `local-call` fact: a call to a function of the same file, whose body runs at the call. */
export interface PhpLocalCallDetail {
  /** The called function's body (1-based lines and columns). */
  body: { start: CodeLocation; end: CodeLocation };
}

/**
 * Calls, in this file, of the functions and methods of this file that make session settings
 * (`self::keepCookie()` before `session_start()`): the resolver runs the callee's settings at the call.
 */
function localCalls(file: string, root: SgNode, facts: CodeFact[]): CodeFact[] {
  const targets = new Map<string, PhpFunctionInfo & { body: PhpLocalCallDetail['body'] }>();
  for (const f of facts) {
    if (f.type !== 'setting' || f.framework !== 'php') continue;
    const fn = (f.detail as PhpSettingDetail | undefined)?.fn;
    if (!fn?.name || !fn.end) continue;
    targets.set(`${fn.cls ?? ''}::${fn.name}`, { ...fn, body: { start: fn.location, end: fn.end } });
  }
  if (targets.size === 0) return [];
  const names = [...new Set([...targets.values()].map((t) => t.name!))];
  const alt = names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  const out: CodeFact[] = [];
  for (const call of root.findAll({
    rule: {
      any: [
        { kind: 'function_call_expression', regex: `^\\\\?(?i:${alt})\\s*\\(` },
        { kind: 'member_call_expression', regex: `^\\$this\\s*->\\s*(?i:${alt})\\s*\\(` },
        {
          kind: 'scoped_call_expression',
          regex: `(?i:self|static|[A-Za-z_][A-Za-z0-9_]*)\\s*::\\s*(?i:${alt})\\s*\\(`,
        },
      ],
    },
  })) {
    const kind = call.kind();
    const name =
      (kind === 'function_call_expression' ? calledFunctionName(call) : calledMethodName(call)) ?? '';
    let target: (PhpFunctionInfo & { body: PhpLocalCallDetail['body'] }) | undefined;
    if (kind === 'function_call_expression') target = targets.get(`::${name}`);
    else {
      const owner = call.ancestors().find((a) => OWNER_KINDS.includes(String(a.kind())));
      const ownerName = owner?.field('name')?.text().toLowerCase() ?? null;
      const scope =
        kind === 'scoped_call_expression' ? (call.field('scope')?.text().toLowerCase() ?? '') : '$this';
      const cls =
        scope === 'self' || scope === 'static' || scope === '$this' ? ownerName : scope.split('\\').pop()!;
      target = targets.get(`${cls ?? ''}::${name}`);
    }
    if (!target) continue;
    out.push({
      type: 'other',
      framework: 'php',
      key: 'local-call',
      data: { body: target.body } satisfies PhpLocalCallDetail,
      location: nodeLocation(file, call),
      evidence: evidenceOf(call),
    });
  }
  return out;
}

/** A getter that reads a key of a configuration array loaded from a file: `return self::$config[$key];`. */
const CONFIG_GETTER_TEXT = /\$config\[\s*\$/i;
/**
 * Files holding configuration arrays (`return [...]`): config.php, config.development.php,
 * settings.prod.php, any file of a config/ folder.
 */
const CONFIG_FILE = /(^|\/)((config|conf|settings)([._-][\w.-]+)?\.php|config\/[^/]+\.php)$/i;

/**
 * Detail of a `config-getter` fact: `Config::get($key)` returns `$config[$key]` of the array returned by
 * a file it requires, whose path ends with `<prefix><something><suffix>` (`config.` + environment + `.php`).
 */
export interface PhpConfigGetter {
  name: string;
  cls: string | null;
  prefix: string;
  suffix: string;
}

/** Detail of a `config-array` fact: the scalar entries of the array a configuration file returns. */
export interface PhpConfigArray {
  entries: Record<string, PhpValue>;
}

function configGetters(file: string, root: SgNode, ev: Evaluator): CodeFact[] {
  const out: CodeFact[] = [];
  const regex = '(?s)(require|include).*return[^;]*\\$config\\s*\\[\\s*\\$';
  for (const fn of root.findAll({
    rule: {
      any: [
        { kind: 'function_definition', regex },
        { kind: 'method_declaration', regex },
      ],
    },
  })) {
    const name = fn.field('name')?.text();
    const param = fn.field('parameters')?.namedChildren()[0]?.field('name')?.text();
    if (!name || !param) continue;
    // `return $config[$key]` / `return self::$config[$key]` of the first parameter.
    const returnsKey = fn
      .findAll({ rule: { kind: 'return_statement' } })
      .some((r) => new RegExp('\\$config\\s*\\[\\s*\\$' + param.slice(1) + '\\s*\\]').test(r.text()));
    if (!returnsKey) continue;
    for (const inc of fn.findAll({ rule: { any: INCLUDE_KINDS.map((kind) => ({ kind })) } })) {
      const arg = inc.namedChildren()[0];
      const v = arg ? ev.eval(arg) : null;
      const parts = v?.kind === 'template' ? v.parts : v?.kind === 'literal' ? [String(v.value)] : null;
      // The file chosen at run time: a literal prefix, a computed part, a literal suffix.
      if (!parts || parts.length !== 3 || parts[1] !== null || parts[0] === null || parts[2] === null)
        continue;
      const prefix = parts[0]!.replace(/^(\.{1,2}\/)+/, '');
      const owner = fn.ancestors().find((a) => OWNER_KINDS.includes(String(a.kind())));
      out.push({
        type: 'other',
        framework: 'php',
        key: 'config-getter',
        data: {
          name: name.toLowerCase(),
          cls:
            fn.kind() === 'method_declaration' ? (owner?.field('name')?.text().toLowerCase() ?? null) : null,
          prefix,
          suffix: parts[2]!,
        } satisfies PhpConfigGetter,
        location: nodeLocation(file, fn),
        evidence: evidenceOf(inc),
      });
      break;
    }
  }
  return out;
}

/** The scalar entries of the array a configuration file returns at its top level. */
function configArray(file: string, root: SgNode, ev: Evaluator): CodeFact | null {
  for (const st of root.children()) {
    if (st.kind() !== 'return_statement') continue;
    const arr = st.namedChildren().find((c) => c.kind() === 'array_creation_expression');
    if (!arr) continue;
    const v = ev.eval(arr);
    if (v.kind !== 'array') return null;
    const entries: Record<string, PhpValue> = {};
    for (const e of v.entries) {
      // Scalars of cookie and session settings only, never what a secret-named key holds.
      if (typeof e.key !== 'string' || /pass|secret|key|token|salt|credential/i.test(e.key)) continue;
      if (!/cookie|session|secure|https|httponly|samesite|domain|path|lifetime|runtime|expire/i.test(e.key))
        continue;
      if (e.value.kind === 'literal' && typeof e.value.value === 'string' && e.value.value.length > 200)
        continue;
      if (e.value.kind === 'literal' || e.value.kind === 'env' || e.value.kind === 'constant')
        entries[e.key] = e.value;
    }
    if (Object.keys(entries).length === 0) return null;
    return {
      type: 'other',
      framework: 'php',
      key: 'config-array',
      data: { entries } satisfies PhpConfigArray,
      location: nodeLocation(file, st),
      evidence: evidenceOf(st).slice(0, 60),
    };
  }
  return null;
}

/** Detail of a `scheme-function` fact: a function of the project that tells whether the request is HTTPS. */
export interface PhpSchemeFunction {
  name: string;
  /** Lower-cased name of the class or trait declaring the method; null for a function. */
  cls: string | null;
  source: 'server' | 'forwarded' | 'framework' | 'mixed';
}

/**
 * Functions named like a request-scheme test (is_ssl, isHttps, isSecure ...) whose body reads the
 * $_SERVER keys that tell the scheme: their result follows the request. Which keys decide how a
 * TLS-terminating proxy is seen: HTTPS / SERVER_PORT only (`server`: not set behind a proxy),
 * X-Forwarded-Proto too (`mixed`), a framework's isSecure() (`framework`).
 */
function schemeFunctions(file: string, root: SgNode): CodeFact[] {
  const out: CodeFact[] = [];
  const regex = `${SCHEME_KEYS}|->\\s*(?i:isSecure)\\s*\\(`;
  for (const fn of root.findAll({
    rule: {
      any: [
        { kind: 'function_definition', regex },
        { kind: 'method_declaration', regex },
      ],
    },
  })) {
    const nameNode = fn.field('name');
    const name = nameNode?.text() ?? '';
    if (!SCHEME_NAME.test(name)) continue;
    const body = fn.text();
    const server = /['"](HTTPS|SERVER_PORT|REQUEST_SCHEME)['"]/i.test(body);
    const forwarded =
      /['"]HTTP_(X_FORWARDED_(PROTO|SSL|PORT|SCHEME)|FRONT_END_HTTPS|CLOUDFRONT_FORWARDED_PROTO)['"]/i.test(
        body,
      );
    const framework = /->\s*isSecure\s*\(/i.test(body);
    const source: PhpSchemeFunction['source'] = framework
      ? 'framework'
      : server && forwarded
        ? 'mixed'
        : forwarded
          ? 'forwarded'
          : 'server';
    const cls = ownerClassOf(fn);
    out.push({
      type: 'other',
      framework: 'php',
      key: 'scheme-function',
      data: { name: name.toLowerCase(), cls, source } satisfies PhpSchemeFunction,
      location: nodeLocation(file, nameNode ?? fn),
      evidence: evidenceOf(nameNode ?? fn),
    });
  }
  return out;
}

/** Lower-cased name of the class or trait declaring a method; null for a function. */
function ownerClassOf(fn: SgNode): string | null {
  if (fn.kind() !== 'method_declaration') return null;
  const owner = fn.ancestors().find((a) => OWNER_KINDS.includes(String(a.kind())));
  return owner?.field('name')?.text().toLowerCase() ?? null;
}

/** Detail of a `referer-function` fact: a function of the project that returns the client's Referer. */
export interface PhpRefererFunction {
  name: string;
  /** Lower-cased name of the class or trait declaring the method; null for a function. */
  cls: string | null;
}

/**
 * Functions named like a referer getter whose body reads the Referer header (`$_SERVER['HTTP_REFERER']`,
 * a request's header bag) or calls another function named so (`wp_get_referer()` over
 * `wp_get_raw_referer()`): their result is what the client sent, false or empty without the header.
 */
function refererFunctions(file: string, root: SgNode): CodeFact[] {
  const out: CodeFact[] = [];
  for (const fn of root.findAll({
    rule: { any: [{ kind: 'function_definition' }, { kind: 'method_declaration' }] },
  })) {
    const nameNode = fn.field('name');
    const name = nameNode?.text() ?? '';
    if (!REFERER_NAME.test(name)) continue;
    const body = fn.field('body')?.text() ?? '';
    if (!REFERER_SOURCE.test(body)) continue;
    const cls = ownerClassOf(fn);
    out.push({
      type: 'other',
      framework: 'php',
      key: 'referer-function',
      data: { name: name.toLowerCase(), cls } satisfies PhpRefererFunction,
      location: nodeLocation(file, nameNode ?? fn),
      evidence: evidenceOf(nameNode ?? fn),
    });
  }
  return out;
}

const INCLUDE_KINDS = [
  'include_expression',
  'include_once_expression',
  'require_expression',
  'require_once_expression',
];

/** Detail of an `include` fact: the included file, relative to the scanned root. */
export interface PhpIncludeDetail {
  target: string;
}

/**
 * The file an include names, relative to the scanned root, for `'x.php'`, `__DIR__ . '/x.php'` and
 * `dirname(__FILE__) . '/x.php'`. A bare relative path is resolved against the including file's
 * directory (PHP tries include_path first; '.' is in the default include_path).
 */
export function includeTarget(file: string, node: SgNode | null): string | null {
  if (!node) return null;
  const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
  const parts: string[] = [];
  let anchored = false;
  const walk = (n: SgNode): boolean => {
    const k = n.kind();
    if (k === 'parenthesized_expression') return n.namedChildren()[0] ? walk(n.namedChildren()[0]!) : false;
    if (k === 'binary_expression' && n.field('operator')?.text() === '.') {
      const l = n.field('left');
      const r = n.field('right');
      return !!l && !!r && walk(l) && walk(r);
    }
    if (k === 'name' && n.text() === '__DIR__') {
      if (parts.length) return false;
      anchored = true;
      parts.push(dir);
      return true;
    }
    if (k === 'function_call_expression' && calledFunctionName(n) === 'dirname') {
      const a = callArguments(n)[0]?.value;
      if (!a || parts.length) return false;
      if (a.kind() === 'name' && a.text() === '__FILE__') {
        anchored = true;
        parts.push(dir);
        return true;
      }
      if (a.kind() === 'name' && a.text() === '__DIR__') {
        anchored = true;
        parts.push(dir + '/..');
        return true;
      }
      return false;
    }
    if (k === 'string' || k === 'encapsed_string') {
      const v = new Evaluator(file, n).eval(n);
      if (v.kind !== 'literal' || typeof v.value !== 'string') return false;
      parts.push(v.value);
      return true;
    }
    return false;
  };
  if (!walk(node)) return null;
  let p = parts.join('');
  if (!anchored) {
    if (p.startsWith('/')) return null; // absolute path outside the scanned tree
    p = dir ? `${dir}/${p}` : p;
  }
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length === 0) return null;
      out.pop();
    } else out.push(seg);
  }
  return out.join('/');
}

function functionCall(call: SgNode, ev: Evaluator, facts: CodeFact[]): void {
  const fn = calledFunctionName(call);
  if (!fn) return;
  const file = ev.file;
  if (ev.inDeadBranch(call)) return;
  switch (fn) {
    case 'ini_set':
    case 'ini_alter': {
      const args = callArguments(call);
      const keyArg = args.find((a) => a.name === 'option') ?? args.find((a) => a.name === null);
      const valueArg = args.find((a) => a.name === 'value') ?? args.filter((a) => a.name === null)[1];
      if (!keyArg) return;
      const key = ev.eval(keyArg.value);
      if (key.kind !== 'literal' || typeof key.value !== 'string' || !SESSION_INI_KEYS.has(key.value)) return;
      const v = ev.eval(valueArg?.value);
      facts.push(setting(file, 'php', key.value, v, call, evidenceOf(call), 'ini_set'));
      return;
    }
    case 'session_start': {
      const args = callArguments(call);
      const opt = args.find((a) => a.name === 'options') ?? args.find((a) => a.name === null);
      const objectId = `session_start@${file}:${call.range().start.line + 1}:${call.range().start.column + 1}`;
      let optionsUnknown = false;
      let cookieName: string | undefined;
      if (opt) {
        const v = ev.eval(opt.value);
        if (v.kind === 'array') {
          optionsUnknown = v.open;
          for (const e of v.entries) {
            if (typeof e.key !== 'string') continue;
            const key = sessionStartOptionKey(e.key);
            if (!key) continue;
            if (key === 'session.name' && e.value.kind === 'literal' && typeof e.value.value === 'string')
              cookieName = e.value.value;
            facts.push({
              type: 'setting',
              framework: 'php',
              key,
              value: toSettingValue(e.value),
              location: e.location,
              evidence: e.evidence,
              scope: { objectId },
              via: 'session_start',
              detail: { value: e.value } satisfies PhpSettingDetail,
            });
          }
        } else {
          optionsUnknown = true;
        }
      }
      const fact: CodeFact = {
        type: 'session-enabled',
        framework: 'php',
        location: nodeLocation(file, call),
        evidence: evidenceOf(call),
        objectId,
      };
      if (cookieName) fact.cookieName = cookieName;
      facts.push(fact);
      if (optionsUnknown) {
        facts.push({
          type: 'other',
          framework: 'php',
          key: 'session-start-options-unknown',
          data: { objectId, optionsUnknown } satisfies PhpSessionStartDetail & { objectId: string },
          location: nodeLocation(file, call),
          evidence: evidenceOf(call),
        });
      }
      return;
    }
    case 'session_set_cookie_params': {
      const { bound, complete } = bindArguments(call, COOKIE_PARAMS_POSITIONAL);
      const first = bound.get('lifetime_or_options') ?? bound.get('lifetime');
      const firstValue = first ? ev.eval(first) : null;
      if (firstValue && firstValue.kind === 'array') {
        for (const e of firstValue.entries) {
          if (typeof e.key !== 'string') continue;
          const key = COOKIE_PARAM_KEYS[e.key.toLowerCase()];
          if (!key) continue;
          facts.push({
            type: 'setting',
            framework: 'php',
            key,
            value: toSettingValue(e.value),
            location: e.location,
            evidence: e.evidence,
            via: 'session_set_cookie_params',
            detail: { value: e.value } satisfies PhpSettingDetail,
          });
        }
        if (firstValue.open) facts.push(openParams(file, call));
        return;
      }
      for (const [param, node] of bound) {
        const key = COOKIE_PARAM_KEYS[param === 'lifetime_or_options' ? 'lifetime' : param];
        if (!key) continue;
        const v = ev.eval(node);
        // Positional null means "leave as is" (PHP 8 signature: ?string $path = null ...).
        if (v.kind === 'literal' && v.value === null && param !== 'lifetime_or_options') continue;
        facts.push(
          setting(file, 'php', key, v, node.parent() ?? node, evidenceOf(call), 'session_set_cookie_params'),
        );
      }
      if (!complete) facts.push(openParams(file, call));
      return;
    }
    case 'session_name': {
      const a = callArguments(call)[0];
      if (!a) return;
      facts.push(
        setting(file, 'php', 'session.name', ev.eval(a.value), call, evidenceOf(call), 'session_name'),
      );
      return;
    }
    case 'setcookie':
    case 'setrawcookie':
      facts.push(setcookieFact(call, fn, ev));
      return;
    case 'header': {
      const a = callArguments(call)[0];
      if (!a) return;
      const f = headerFact(call, ev.eval(a.value), ev, 'header', true);
      if (f) facts.push(f);
      return;
    }
    case 'define': {
      const args = callArguments(call);
      const name = args[0] ? ev.eval(args[0].value) : null;
      if (!name || name.kind !== 'literal' || typeof name.value !== 'string' || !args[1]) return;
      constantFact(facts, ev, name.value, args[1].value, call);
      return;
    }
    case 'config': {
      // Laravel: config(['session.secure' => true]) sets configuration at run time.
      const a = callArguments(call)[0];
      if (!a) return;
      const v = ev.eval(a.value);
      if (v.kind !== 'array') return;
      for (const e of v.entries) {
        if (typeof e.key !== 'string' || !e.key.startsWith('session.')) continue;
        facts.push({
          type: 'setting',
          framework: 'laravel',
          key: e.key,
          value: toSettingValue(e.value),
          location: e.location,
          evidence: e.evidence,
          via: 'config()',
          detail: { value: e.value } satisfies PhpSettingDetail,
        });
      }
      return;
    }
    default:
      if (fn.includes('cookie') && !PHP_COOKIE_FUNCTIONS.has(fn))
        cookieCall(call, { name: fn, cls: null }, ev, facts);
      return;
  }
}

function methodCall(call: SgNode, ev: Evaluator, facts: CodeFact[]): void {
  const m = calledMethodName(call);
  if (!m) return;
  const file = ev.file;
  if (
    m === 'trustproxies' ||
    (m === 'at' &&
      call.kind() === 'scoped_call_expression' &&
      /TrustProxies$/.test(call.field('scope')?.text() ?? ''))
  ) {
    // Laravel 11+: ->withMiddleware(fn ($m) => $m->trustProxies(at: '*')); TrustProxies::at('*').
    const { bound } = bindArguments(call, ['at', 'headers']);
    const at = bound.get('at');
    const v: PhpValue = at ? ev.eval(at) : { kind: 'literal', value: null };
    facts.push({
      type: 'other',
      framework: 'laravel',
      key: 'trust-proxies',
      data: { value: v, via: m === 'at' ? 'TrustProxies::at()' : 'trustProxies()' },
      location: nodeLocation(file, call),
      evidence: evidenceOf(call),
    });
    return;
  }
  if (m === 'settrustedproxies') {
    const a = callArguments(call)[0];
    const v: PhpValue = a ? ev.eval(a.value) : { kind: 'literal', value: null };
    facts.push({
      type: 'other',
      framework: 'php',
      key: 'trusted-proxies',
      data: { value: v, via: 'Request::setTrustedProxies()' },
      location: nodeLocation(file, call),
      evidence: evidenceOf(call),
    });
    return;
  }
  if (
    m === 'set' &&
    call.kind() === 'scoped_call_expression' &&
    /(^|\\)Config$/.test(call.field('scope')?.text() ?? '')
  ) {
    const args = callArguments(call);
    const k = args[0] ? ev.eval(args[0].value) : null;
    if (
      k &&
      k.kind === 'literal' &&
      typeof k.value === 'string' &&
      k.value.startsWith('session.') &&
      args[1]
    ) {
      const v = ev.eval(args[1].value);
      facts.push({
        type: 'setting',
        framework: 'laravel',
        key: k.value,
        value: toSettingValue(v),
        location: nodeLocation(file, call),
        evidence: evidenceOf(call),
        via: 'Config::set()',
        detail: { value: v } satisfies PhpSettingDetail,
      });
    }
    return;
  }
  if (HEADER_METHODS.has(m)) {
    const args = callArguments(call);
    const name = args.length >= 2 ? ev.eval(args[0]!.value) : null;
    if (
      name?.kind === 'literal' &&
      typeof name.value === 'string' &&
      name.value.toLowerCase() === 'set-cookie'
    ) {
      const f = headerFact(call, ev.eval(args[1]!.value), ev, m, false);
      if (f) facts.push(f);
      return;
    }
  }
  const cls = call.kind() === 'scoped_call_expression' ? (call.field('scope')?.text() ?? '') : '';
  if (m.includes('cookie') || /cookie/i.test(cls))
    cookieCall(call, { name: m, cls: callClassOf(call) }, ev, facts);
}

/** The class part of a method call, as CallRef has it (see values.ts). */
function callClassOf(call: SgNode): string {
  if (call.kind() === 'scoped_call_expression') {
    const scope = call.field('scope')?.text() ?? '?';
    return (scope.split('\\').pop() ?? scope).toLowerCase();
  }
  return call.field('object')?.text() === '$this' ? '$this' : '?';
}

/** Detail of a `cookie-call` fact: a call of a function that may be one of the project's cookie wrappers. */
export interface PhpCookieCall {
  callee: CallRef;
  args: { name: string | null; value: PhpValue; spread: boolean }[];
  /** Conditions under which the call runs, within its function. */
  guards: Cond[];
  fn?: PhpFunctionInfo;
}

function cookieCall(call: SgNode, callee: CallRef, ev: Evaluator, facts: CodeFact[]): void {
  // A cookie is set with a name and a value: one argument or none reads (`$request->cookie('theme')`).
  const raw = callArguments(call);
  if (raw.length < 2 && !raw.some((a) => a.spread)) return;
  if (ev.inDeadBranch(call)) return;
  const args = raw.map((a) => ({
    name: a.name ? a.name.toLowerCase() : null,
    value: a.spread
      ? ({ kind: 'unknown', expression: evidenceOf(a.value), reason: 'spread' } as PhpValue)
      : ev.eval(a.value),
    spread: a.spread,
  }));
  facts.push({
    type: 'other',
    framework: 'php',
    key: 'cookie-call',
    data: { callee, args, guards: guardsOf(call, ev) } satisfies PhpCookieCall,
    location: nodeLocation(ev.file, call),
    evidence: evidenceOf(call),
  });
}

/**
 * The conditions under which a node runs within its function: the `if` / `else` around it, and the
 * negation of an earlier `if (...) { ...; return; }` in a block around it. Other branches (loops,
 * switch, else-if chains) add nothing: the node is taken as possibly running.
 */
export function guardsOf(node: SgNode, ev: Evaluator): Cond[] {
  const out: Cond[] = [];
  let child = node;
  for (const a of node.ancestors()) {
    const k = String(a.kind());
    if (FUNCTION_KINDS.includes(k)) break;
    if (k === 'if_statement') {
      const c = a.field('condition');
      if (c && a.field('body')?.id() === child.id()) out.push(ev.cond(c));
    } else if (k === 'else_clause') {
      const ifNode = a.parent();
      const c = ifNode?.kind() === 'if_statement' ? ifNode.field('condition') : null;
      if (c) out.push(negate(ev.cond(c), `!(${evidenceOf(c)})`));
    } else if (k === 'compound_statement' || k === 'program') {
      for (const sib of a.namedChildren()) {
        if (sib.id() === child.id() || sib.range().start.index >= child.range().start.index) break;
        if (sib.kind() !== 'if_statement' || sib.field('alternative')) continue;
        const body = sib.field('body');
        const stmts = body?.kind() === 'compound_statement' ? body.namedChildren() : body ? [body] : [];
        const last = stmts[stmts.length - 1];
        const exits =
          !!last &&
          (last.kind() === 'return_statement' ||
            last.kind() === 'throw_expression' ||
            /^(exit|die)\b/.test(last.text()));
        const c = sib.field('condition');
        if (exits && c) out.push(negate(ev.cond(c), `!(${evidenceOf(c)})`));
      }
    }
    child = a;
  }
  return out;
}

function setting(
  file: string,
  framework: string,
  key: string,
  v: PhpValue,
  node: SgNode,
  evidence: string,
  via: string,
): CodeFact {
  return {
    type: 'setting',
    framework,
    key,
    value: toSettingValue(v),
    location: nodeLocation(file, node),
    evidence,
    via,
    detail: { value: v } satisfies PhpSettingDetail,
  };
}

function openParams(file: string, call: SgNode): CodeFact {
  return {
    type: 'other',
    framework: 'php',
    key: 'cookie-params-unknown',
    data: { via: 'session_set_cookie_params' },
    location: nodeLocation(file, call),
    evidence: evidenceOf(call),
  };
}

function constantFact(facts: CodeFact[], ev: Evaluator, name: string, valueNode: SgNode, at: SgNode): void {
  const v = ev.eval(valueNode);
  facts.push({
    type: 'other',
    framework: 'php',
    key: 'constant',
    data: { name, value: v },
    location: nodeLocation(ev.file, at),
    evidence: evidenceOf(at),
  });
}

function setcookieFact(call: SgNode, fn: string, ev: Evaluator): CodeFact {
  const file = ev.file;
  const { bound, complete } = bindArguments(call, SETCOOKIE_PARAMS);
  const nameNode = bound.get('name');
  const nameValue = nameNode ? ev.eval(nameNode) : null;
  const name =
    nameValue && nameValue.kind === 'literal' && typeof nameValue.value === 'string' ? nameValue.value : null;
  const values: Record<string, PhpValue> = {};
  const options: Record<string, SettingValue> = {};
  const optionSites: Record<string, { location: ReturnType<typeof nodeLocation>; evidence: string }> = {};
  let open = !complete;
  let thirdOpen = false;
  let form: PhpCookieDetail['form'] = 'positional';

  const valueNode = bound.get('value');
  const value: PhpValue = valueNode ? ev.eval(valueNode) : { kind: 'literal', value: '' };
  values['value'] = value;
  const third = bound.get('expires_or_options') ?? bound.get('expires');
  const thirdValue = third ? ev.eval(third) : null;
  if (thirdValue && thirdValue.kind === 'array') {
    form = 'array';
    open = open || thirdValue.open;
    for (const e of thirdValue.entries) {
      if (typeof e.key !== 'string') continue;
      const k = e.key.toLowerCase();
      if (!SETCOOKIE_OPTION_KEYS.has(k)) continue;
      values[k] = e.value;
      optionSites[k] = { location: e.location, evidence: e.evidence };
    }
  } else {
    // The third argument is an expiry or, since PHP 7.3, an options array: when it is neither visibly
    // (a variable or call the scanner cannot resolve) and no later argument fixes the positional form,
    // every attribute may come from it.
    const positional = ['path', 'domain', 'secure', 'httponly'].some((k) => bound.has(k));
    if (thirdValue && !positional && !expiryLike(thirdValue)) {
      open = true;
      thirdOpen = true;
    }
    if (thirdValue) {
      values['expires'] = thirdValue;
      optionSites['expires'] = { location: nodeLocation(file, third!), evidence: evidenceOf(call) };
    }
    for (const k of ['path', 'domain', 'secure', 'httponly'] as const) {
      const n = bound.get(k);
      if (!n) continue;
      values[k] = ev.eval(n);
      // Positional: point at the argument, quote the whole call.
      optionSites[k] = { location: nodeLocation(file, n.parent() ?? n), evidence: evidenceOf(call) };
    }
  }
  for (const [k, v] of Object.entries(values)) if (k !== 'value') options[k] = toSettingValue(v);

  // php-src ext/standard/head.c php_setcookie(): an empty value sends "deleted" with Max-Age=0.
  // (An expiry written with constants, `time() - YEAR_IN_SECONDS`, is judged by the resolver.)
  const expires = values['expires'];
  const deletion =
    (value.kind === 'literal' && (value.value === '' || value.value === null || value.value === false)) ||
    (expires?.kind === 'relative-time' && expires.seconds <= 0) ||
    (expires?.kind === 'literal' &&
      typeof expires.value === 'number' &&
      expires.value > 0 &&
      expires.value * 1000 < Date.now());

  const detail: PhpCookieDetail = { values, open, form, function: fn, guards: guardsOf(call, ev) };
  if (thirdOpen) detail.thirdOpen = true;
  if (name === null && nameNode) {
    detail.nameExpression = evidenceOf(nameNode);
    if (nameValue) detail.nameValue = nameValue;
  }
  const constant =
    value.kind !== 'literal'
      ? undefined
      : typeof value.value === 'number'
        ? 'number'
        : typeof value.value === 'boolean'
          ? 'boolean'
          : typeof value.value === 'string' && value.value !== ''
            ? 'string'
            : undefined;
  return {
    type: 'cookie-set',
    framework: 'php',
    name,
    options,
    setBy: 'server',
    location: nodeLocation(file, call),
    evidence: evidenceOf(call),
    optionSites,
    deletion,
    ...(constant ? { constantValue: constant } : {}),
    detail,
  };
}

/** A value that is a timestamp, not an options array: a number, a time relative to now, arithmetic, a constant. */
export function expiryLike(v: PhpValue): boolean {
  switch (v.kind) {
    case 'literal':
      return typeof v.value === 'number' || v.value === null || /^\s*\d+\s*$/.test(String(v.value));
    case 'relative-time':
    case 'relative-time-expr':
    case 'arith':
    case 'constant':
      return true;
    case 'conditional':
      return expiryLike(v.whenTrue) && expiryLike(v.whenFalse);
    default:
      return false;
  }
}

/** A raw Set-Cookie header: parsed with the project's user-agent parser (src/cookies/setcookie.ts). */
function headerFact(
  call: SgNode,
  v: PhpValue,
  ev: Evaluator,
  fn: string,
  withPrefix: boolean,
): CodeFact | null {
  let parts: (string | null)[];
  if (v.kind === 'literal' && typeof v.value === 'string') parts = [v.value];
  else if (v.kind === 'template') parts = v.parts;
  else return null;
  let headerText = '';
  let dynamicAfterSemicolon = false;
  let seenSemicolon = false;
  for (const p of parts) {
    if (p === null) {
      if (seenSemicolon) dynamicAfterSemicolon = true;
      headerText += 'x';
    } else {
      if (p.includes(';')) seenSemicolon = true;
      headerText += p;
    }
  }
  let raw = headerText;
  if (withPrefix) {
    const m = /^\s*set-cookie\s*:/i.exec(headerText);
    if (!m) return null;
    if (parts[0] === null) return null;
    raw = headerText.slice(m[0].length);
  }
  const parsed = parseSetCookie(raw.trim(), 'https://example.invalid/');
  const values: Record<string, PhpValue> = {};
  const options: Record<string, SettingValue> = {};
  const lit = (x: string | boolean | number | null): PhpValue => ({ kind: 'literal', value: x });
  const a = parsed.attributes;
  if (a.secure || !dynamicAfterSemicolon) values['secure'] = lit(a.secure);
  if (a.httpOnly || !dynamicAfterSemicolon) values['httponly'] = lit(a.httpOnly);
  if (a.sameSite !== 'unset') values['samesite'] = lit(a.sameSiteRaw ?? a.sameSite);
  if (a.domain !== undefined) values['domain'] = lit(a.domain);
  if (a.path !== undefined) values['path'] = lit(a.path);
  if (a.maxAge !== undefined) values['max-age'] = lit(a.maxAge);
  for (const [k, x] of Object.entries(values)) options[k] = toSettingValue(x);
  const nameIsDynamic = parts[0] === null || (parts.length > 1 && !(parts[0] ?? '').includes('='));
  const detail: PhpCookieDetail = {
    values,
    open: dynamicAfterSemicolon,
    form: 'header',
    function: fn,
    attributesDynamic: dynamicAfterSemicolon,
  };
  const name = nameIsDynamic ? null : parsed.name;
  if (name === null) detail.nameExpression = evidenceOf(call);
  return {
    type: 'cookie-set',
    framework: 'php',
    name,
    options,
    setBy: 'server',
    location: nodeLocation(ev.file, call),
    evidence: evidenceOf(call),
    deletion: parsed.deletion,
    detail,
  };
}
