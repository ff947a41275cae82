/**
 * PHP values: a small evaluator over tree-sitter-php expressions (literals, arrays, env reads,
 * request-scheme tests, ternaries, local variables, constants) and PHP's own conversion rules,
 * each checked against php-src or real PHP (see test/scan-php/php-oracle.test.ts, which runs `php`).
 *
 * The evaluator never guesses: what it cannot resolve becomes `unknown` with the expression text.
 */
import type { SgNode } from '@ast-grep/napi';
import type { CodeLocation } from '../../../model/observation.js';
import type { SettingValue } from '../types.js';
import {
  calledFunctionName,
  calledMethodName,
  callArguments,
  evidenceOf,
  nodeLocation,
  type CallArgument,
} from './ast.js';

export type Literal = string | number | boolean | null;

/** A condition a value depends on. */
export type Cond =
  | { kind: 'const'; value: boolean }
  /** An environment variable compared with a literal, or tested for truthiness. */
  | {
      kind: 'env';
      variable: string;
      /** `prefix`: the value starts with `literal` (`Str::startsWith(env('APP_URL'), 'https:')`). */
      test: 'eq' | 'ne' | 'truthy' | 'falsy' | 'prefix' | 'not-prefix';
      literal?: Literal;
      expression: string;
    }
  /**
   * The request arrived over HTTPS, as the server sees it: `$_SERVER['HTTPS']` (`server`, not set behind
   * a TLS-terminating proxy), `X-Forwarded-Proto` read by hand (`forwarded`), or a framework's
   * `isSecure()` (`framework`, honours trusted proxies). `negated` for `!isset($_SERVER['HTTPS'])`.
   */
  | {
      kind: 'request';
      source: 'server' | 'forwarded' | 'framework' | 'mixed';
      negated: boolean;
      expression: string;
    }
  /** A test on a parameter of the enclosing function: decided per call, or by the parameter's default. */
  | {
      kind: 'param';
      index: number;
      name: string;
      test: 'eq' | 'ne' | 'truthy' | 'falsy' | 'array' | 'not-array';
      literal?: Literal;
      expression: string;
    }
  /**
   * The result of a function of the project (a request-scheme helper such as is_ssl() once resolved);
   * `test`: the result (or a URL part of it, `parse_url(f(), PHP_URL_SCHEME)`) compared with a literal.
   */
  | {
      kind: 'call';
      call: CallRef;
      negated: boolean;
      expression: string;
      fallback?: RequestSourceName;
      test?: { op: 'eq' | 'ne'; literal: Literal; strict: boolean; urlPart?: boolean };
    }
  /**
   * A test on a request header the client chooses to send or not (the Referer): what it gives when the
   * request carries no such header, the case every client can produce (a link opened from a mail client,
   * `Referrer-Policy: no-referrer`), while a present header holds whatever the client sent.
   */
  | { kind: 'client'; header: string; whenAbsent: boolean; expression: string }
  /** A combination the evaluator cannot fold before parameters and calls are resolved. */
  | { kind: 'and' | 'or'; a: Cond; b: Cond; expression: string }
  | { kind: 'unknown'; expression: string };

/**
 * A call to a function or method of the project: `is_ssl()` (cls null), `Request::isHttps()` (the class
 * name, lower-cased; 'self' / 'static' / 'parent' as written), `$this->isSecure()` ('$this'), any other
 * object ('?'). Names are lower-cased (PHP function names are case-insensitive).
 */
export type RequestSourceName = 'server' | 'forwarded' | 'framework' | 'mixed';

export interface CallRef {
  name: string;
  cls: string | null;
}

export interface ArrayEntry {
  /** Literal key (string keys as written; PHP normalises "1" to 1, which we do not need). null: no key. */
  key: string | number | null;
  value: PhpValue;
  location: CodeLocation;
  evidence: string;
}

/** The function or method a fact lies in (its parameters may decide the fact's values). */
export interface PhpFunctionInfo {
  /** Lower-cased name; null for a closure. */
  name: string | null;
  /** Lower-cased class or trait of a method; null for a function. */
  cls: string | null;
  params: ParamInfo[];
  location: CodeLocation;
  /** Where the function ends (1-based, exclusive column). */
  end?: CodeLocation;
  /** A static method. */
  isStatic?: boolean;
}

/** Detail attached to PHP `setting` facts. */
export interface PhpSettingDetail {
  value: PhpValue;
  fn?: PhpFunctionInfo;
}

export type PhpValue =
  | { kind: 'literal'; value: Literal }
  /** `open`: merged with something unknown (spread, `+ $defaults`): an absent key is unknown, not default. */
  | { kind: 'array'; entries: ArrayEntry[]; open: boolean }
  /** `getenv('X')`, Laravel `env('X', default)`, `$_ENV['X']`, `$_SERVER['X']`; `cast` when wrapped in (bool) / filter_var. */
  | {
      kind: 'env';
      variable: string;
      via: 'getenv' | 'env' | 'superglobal';
      default?: PhpValue;
      cast?: 'bool';
      expression: string;
    }
  | { kind: 'request'; source: 'server' | 'forwarded' | 'framework' | 'mixed'; expression: string }
  /**
   * A request header the client may leave out and otherwise sets as it likes (`$_SERVER['HTTP_REFERER']`,
   * a project's referer helper such as wp_get_referer()): `absent` is the value without the header.
   */
  | { kind: 'client'; header: string; absent: Literal; expression: string }
  | { kind: 'conditional'; cond: Cond; whenTrue: PhpValue; whenFalse: PhpValue; expression: string }
  | { kind: 'constant'; name: string; expression: string }
  /** `time() - 3600`, `time() + 86400`: a timestamp relative to now (negative: in the past, a deletion as expiry). */
  | { kind: 'relative-time'; seconds: number; expression: string }
  /**
   * `time() - YEAR_IN_SECONDS`: now plus an offset that names constants (defined in other files, resolved
   * with the project's constants by the resolver, see numberOf()).
   */
  | { kind: 'relative-time-expr'; delta: PhpValue; expression: string }
  /** `365 * DAY_IN_SECONDS`: arithmetic over constants, resolved with the project's constants. */
  | { kind: 'arith'; op: '+' | '-' | '*'; left: PhpValue; right: PhpValue; expression: string }
  /** A string with interpolations: `parts` holds literal text and null for each dynamic part. */
  | { kind: 'template'; parts: (string | null)[]; expression: string }
  /** A parameter of the enclosing function (index in the parameter list): bound per call, else its default. */
  | { kind: 'param'; index: number; name: string; expression: string }
  /** `array_merge($defaults, $options)` with a parameter among its parts: merged once the parameter is bound. */
  | { kind: 'merge'; parts: PhpValue[]; expression: string }
  /** The result of a call to a function or method of the project, resolved with the project's function summaries. */
  | {
      kind: 'call';
      call: CallRef;
      expression: string;
      fallback?: RequestSourceName;
      /** The arguments, when every one is a literal (`Config::get('COOKIE_SECURE')`). */
      args?: Literal[];
      /** A part of the URL the function returns (`parse_url(f(), PHP_URL_SCHEME)`). */
      urlPart?: boolean;
    }
  | { kind: 'unknown'; expression: string; reason: string };

/** A parameter of a function or method: its name and default value. */
export interface ParamInfo {
  name: string;
  default?: PhpValue;
  variadic?: boolean;
}

// ---------------------------------------------------------------------------------------------
// PHP conversion rules

/**
 * `zend_ini_parse_bool()` (php-src Zend/zend_ini.c, PHP 8.2): "true", "yes", "on" (any case) are true,
 * anything else is `atoi(value) != 0`. This is how ini_set(), session_start() options and ini files
 * (after the scanner's own true/on/yes → "1" rewrite) turn a string into a boolean setting.
 */
export function iniBool(value: string): boolean {
  const v = value.toLowerCase();
  if (v === 'true' || v === 'yes' || v === 'on') return true;
  return atoi(value) !== 0;
}

/** C `atoi`: leading whitespace, an optional sign, then digits; anything else stops it. */
export function atoi(value: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(value);
  return m ? parseInt(m[1]!, 10) : 0;
}

/** How PHP turns a scalar into the string an ini setting receives: true → "1", false/null → "". */
export function toIniString(v: Literal): string {
  if (v === true) return '1';
  if (v === false || v === null) return '';
  return String(v);
}

/** PHP truthiness (`zval_is_true`, and bool coercion of a scalar argument): "" and "0" are false. */
export function phpTruthy(v: Literal): boolean {
  if (typeof v === 'string') return v !== '' && v !== '0';
  if (typeof v === 'number') return v !== 0;
  return v === true;
}

/**
 * Laravel's env() (Illuminate/Support/Env.php, laravel/framework v11.21.0): "true"/"(true)" → true,
 * "false"/"(false)" → false, "empty"/"(empty)" → "", "null"/"(null)" → null (case-insensitive), quotes
 * around the whole value removed; anything else stays a string.
 */
export function laravelEnv(raw: string): Literal {
  switch (raw.toLowerCase()) {
    case 'true':
    case '(true)':
      return true;
    case 'false':
    case '(false)':
      return false;
    case 'empty':
    case '(empty)':
      return '';
    case 'null':
    case '(null)':
      return null;
  }
  const m = /^(['"])([\s\S]*)\1$/.exec(raw);
  return m ? m[2]! : raw;
}

/** PHP `filter_var($v, FILTER_VALIDATE_BOOLEAN)` without FILTER_NULL_ON_FAILURE: 1/true/on/yes → true, else false. */
export function filterBool(raw: string): boolean {
  const v = raw.trim().toLowerCase();
  return v === '1' || v === 'true' || v === 'on' || v === 'yes';
}

/**
 * Symfony `%env(bool:X)%` (DependencyInjection/EnvVarProcessor.php, symfony 7.0):
 * `(bool) (filter_var(FILTER_VALIDATE_BOOL) ?: filter_var(FILTER_VALIDATE_INT) ?: filter_var(FILTER_VALIDATE_FLOAT))`.
 */
export function symfonyEnvBool(raw: string): boolean {
  if (filterBool(raw)) return true;
  const t = raw.trim();
  if (/^[+-]?\d+$/.test(t)) return parseInt(t, 10) !== 0;
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return parseFloat(t) !== 0;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Evaluation

const FUNCTION_SCOPES = new Set([
  'function_definition',
  'method_declaration',
  'anonymous_function',
  'anonymous_function_creation_expression',
  'arrow_function',
]);
const BRANCHES = new Set([
  'if_statement',
  'else_if_clause',
  'else_clause',
  'switch_statement',
  'while_statement',
  'do_statement',
  'for_statement',
  'foreach_statement',
  'try_statement',
  'catch_clause',
  'match_expression',
]);

/** Symfony\Component\HttpFoundation\Cookie constants (HttpFoundation/Cookie.php). */
const KNOWN_CLASS_CONSTANTS: Record<string, string> = {
  'cookie::samesite_lax': 'lax',
  'cookie::samesite_strict': 'strict',
  'cookie::samesite_none': 'none',
};

const REQUEST_SERVER_KEYS = new Set(['HTTPS', 'REQUEST_SCHEME', 'SERVER_PORT']);
const REQUEST_FORWARDED_KEYS = new Set([
  'HTTP_X_FORWARDED_PROTO',
  'HTTP_X_FORWARDED_SSL',
  'HTTP_X_FORWARDED_PORT',
  'HTTP_FRONT_END_HTTPS',
  'HTTP_X_FORWARDED_SCHEME',
  'HTTP_CLOUDFRONT_FORWARDED_PROTO',
]);
/** Methods that ask a framework request whether it is secure (Symfony Request::isSecure, Laravel Request::secure). */
const REQUEST_METHODS = new Set(['issecure', 'secure']);

const MAX_DEPTH = 64;

/** PHP_VERSION_ID as the scanner assumes it: a supported PHP 8, so `PHP_VERSION_ID >= 70300` holds. */
const ASSUMED_PHP_VERSION_ID = 80200;
const ASSUMED_PHP_VERSION = '8.2.0';

/** version_compare() for plain dotted versions: -1, 0 or 1. */
function compareVersionStrings(a: string, b: string): number {
  const pa = a.split('.').map((x) => parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/** Per-file evaluation context: variables are looked up in the enclosing function (or file). */
export class Evaluator {
  private assignments: Map<string, SgNode[]> | null = null;

  constructor(
    readonly file: string,
    private readonly root: SgNode,
  ) {}

  eval(node: SgNode | null | undefined, depth = 0): PhpValue {
    if (!node) return { kind: 'literal', value: null };
    const expression = evidenceOf(node);
    if (depth > MAX_DEPTH) return { kind: 'unknown', expression, reason: 'expression nested too deeply' };
    try {
      return this.evalInner(node, depth, expression);
    } catch {
      return { kind: 'unknown', expression, reason: 'could not evaluate the expression' };
    }
  }

  private evalInner(node: SgNode, depth: number, expression: string): PhpValue {
    switch (node.kind()) {
      case 'string':
        return { kind: 'literal', value: singleQuoted(node) };
      case 'encapsed_string':
      case 'heredoc': {
        const parts = doubleQuotedParts(node);
        if (parts.every((p) => p !== null)) return { kind: 'literal', value: parts.join('') };
        return { kind: 'template', parts: mergeParts(parts), expression };
      }
      case 'nowdoc': {
        const body = node.children().find((c) => c.kind() === 'nowdoc_body');
        return { kind: 'literal', value: body ? body.text() : '' };
      }
      case 'integer':
        return { kind: 'literal', value: parsePhpInt(node.text()) };
      case 'float':
        return { kind: 'literal', value: parseFloat(node.text().replace(/_/g, '')) };
      case 'boolean':
        return { kind: 'literal', value: node.text().toLowerCase() === 'true' };
      case 'null':
        return { kind: 'literal', value: null };
      case 'parenthesized_expression':
        return this.eval(node.namedChildren()[0], depth + 1);
      case 'name':
      case 'qualified_name': {
        const t = node.text();
        const lower = t.toLowerCase();
        if (lower === 'true' || lower === 'false') return { kind: 'literal', value: lower === 'true' };
        if (lower === 'null') return { kind: 'literal', value: null };
        return { kind: 'constant', name: t.replace(/^\\/, ''), expression };
      }
      case 'class_constant_access_expression': {
        const parts = node.namedChildren().map((c) => c.text());
        const cls = (parts[0] ?? '').split('\\').pop() ?? '';
        const key = `${cls}::${parts[1] ?? ''}`.toLowerCase();
        const known = KNOWN_CLASS_CONSTANTS[key];
        if (known !== undefined) return { kind: 'literal', value: known };
        return { kind: 'constant', name: node.text(), expression };
      }
      case 'unary_op_expression': {
        const op = node.field('operator')?.text() ?? node.children()[0]?.text();
        const arg = node.field('argument') ?? node.namedChildren()[node.namedChildren().length - 1];
        if (op === '-' || op === '+') {
          const v = this.eval(arg, depth + 1);
          if (v.kind === 'literal' && typeof v.value === 'number')
            return { kind: 'literal', value: op === '-' ? -v.value : v.value };
          return { kind: 'unknown', expression, reason: 'arithmetic' };
        }
        if (op === '!') return this.condValue(this.cond(node, depth), expression);
        return { kind: 'unknown', expression, reason: 'operator' };
      }
      case 'cast_expression': {
        const type = node.field('type')?.text().toLowerCase() ?? '';
        const inner = this.eval(node.field('value'), depth + 1);
        if (type === 'bool' || type === 'boolean') return castBool(inner, expression);
        if (inner.kind === 'literal') {
          if (type === 'int' || type === 'integer') return { kind: 'literal', value: toInt(inner.value) };
          if (type === 'string') return { kind: 'literal', value: toIniString(inner.value) };
        }
        return inner.kind === 'env' ? inner : { kind: 'unknown', expression, reason: 'cast' };
      }
      case 'array_creation_expression':
        return this.array(node, depth);
      case 'binary_expression':
        return this.binary(node, depth, expression);
      case 'conditional_expression':
        return this.ternary(node, depth, expression);
      case 'function_call_expression':
        return this.call(node, depth, expression);
      case 'member_call_expression':
      case 'nullsafe_member_call_expression':
      case 'scoped_call_expression': {
        const m = calledMethodName(node);
        if (m && REQUEST_METHODS.has(m) && callArguments(node).length === 0) {
          // A framework request's isSecure() / secure(), unless the project declares a method of that
          // name itself (resolved with the project's functions).
          return { kind: 'call', call: { name: m, cls: callClass(node) }, expression, fallback: 'framework' };
        }
        const env = this.frameworkEnvironmentTest(node, expression);
        if (env) return this.condValue(env, expression);
        // Laravel's Str::startsWith($haystack, $needle).
        if (m === 'startswith' && node.kind() === 'scoped_call_expression')
          return this.condValue(this.startsWith(node, callArguments(node), depth), expression);
        // `$request->server->get('HTTPS')` (a request object's server bag).
        if (m === 'get') {
          const obj = node.field('object');
          const k = callArguments(node)[0];
          const key = k ? this.eval(k.value, depth + 1) : null;
          if (
            obj &&
            /(^|->|\$)server$/i.test(obj.text()) &&
            key?.kind === 'literal' &&
            typeof key.value === 'string'
          ) {
            const r = serverKeyValue(key.value, expression);
            if (r) return r;
          }
          // `$request->headers->get('referer')` (Symfony's and Laravel's header bag).
          if (
            obj &&
            /(^|->)headers$/i.test(obj.text()) &&
            key?.kind === 'literal' &&
            typeof key.value === 'string'
          ) {
            const r = serverKeyValue(`HTTP_${key.value.toUpperCase().replace(/-/g, '_')}`, expression);
            if (r && r.kind === 'client') return r;
          }
        }
        if (!m) return { kind: 'unknown', expression, reason: 'method call' };
        return withLiteralArgs(
          { kind: 'call', call: { name: m, cls: callClass(node) }, expression },
          callArguments(node),
          this,
          depth,
        );
      }
      case 'subscript_expression': {
        const sg = superglobalKey(node);
        if (sg) {
          if (sg.array === '_SERVER') {
            const r = serverKeyValue(sg.key, expression);
            if (r) return r;
          }
          return { kind: 'env', variable: sg.key, via: 'superglobal', expression };
        }
        // `$this->request->server['HTTPS']`: a copy of $_SERVER held by a request object.
        const [base, idx] = node.namedChildren();
        if (
          base &&
          idx &&
          base.kind() === 'member_access_expression' &&
          /^server$/i.test(base.field('name')?.text() ?? '')
        ) {
          const key = this.eval(idx, depth + 1);
          if (key.kind === 'literal' && typeof key.value === 'string') {
            const r = serverKeyValue(key.value, expression);
            if (r) return r;
          }
        }
        return { kind: 'unknown', expression, reason: 'array access' };
      }
      case 'variable_name':
        return this.variable(node, depth, expression);
      default:
        return { kind: 'unknown', expression, reason: String(node.kind()).replace(/_/g, ' ') };
    }
  }

  private array(node: SgNode, depth: number): PhpValue {
    const entries: ArrayEntry[] = [];
    let open = false;
    for (const el of node.namedChildren()) {
      if (el.kind() !== 'array_element_initializer') continue;
      const kids = el.namedChildren();
      if (kids.length === 1 && kids[0]!.kind() === 'variadic_unpacking') {
        open = true;
        continue;
      }
      const hasArrow = el.children().some((c) => c.kind() === '=>');
      if (hasArrow && kids.length >= 2) {
        const k = this.eval(kids[0], depth + 1);
        const key =
          k.kind === 'literal' && (typeof k.value === 'string' || typeof k.value === 'number')
            ? k.value
            : null;
        if (key === null) {
          open = true; // a computed key could be any option
          continue;
        }
        entries.push({
          key,
          value: this.eval(kids[kids.length - 1], depth + 1),
          location: nodeLocation(this.file, el),
          evidence: evidenceOf(el),
        });
      } else if (kids.length >= 1) {
        entries.push({
          key: null,
          value: this.eval(kids[kids.length - 1], depth + 1),
          location: nodeLocation(this.file, el),
          evidence: evidenceOf(el),
        });
      }
    }
    return { kind: 'array', entries, open };
  }

  private binary(node: SgNode, depth: number, expression: string): PhpValue {
    const op = node.field('operator')?.text() ?? '';
    const left = node.field('left');
    const right = node.field('right');
    if (op === '??') {
      const l = this.eval(left, depth + 1);
      const r = this.eval(right, depth + 1);
      // `env('X', null) ?? fallback`: the fallback applies when X is unset.
      if (
        l.kind === 'env' &&
        (l.default === undefined ||
          (l.via !== 'getenv' && l.default.kind === 'literal' && l.default.value === null))
      )
        return { ...l, default: r, expression };
      if (l.kind === 'literal' && l.value !== null) return l;
      if (l.kind === 'request') return l;
      // `$_SERVER['HTTP_REFERER'] ?? ''`: the fallback is what a request without the header gives.
      if (l.kind === 'client' && r.kind === 'literal')
        return { ...l, absent: l.absent === null ? r.value : l.absent, expression };
      return { kind: 'unknown', expression, reason: 'null-coalescing' };
    }
    if (op === '.') {
      const l = this.eval(left, depth + 1);
      const r = this.eval(right, depth + 1);
      const lp = stringParts(l);
      const rp = stringParts(r);
      if (lp && rp) {
        const parts = mergeParts([...lp, ...rp]);
        if (parts.every((p) => p !== null)) return { kind: 'literal', value: parts.join('') };
        return { kind: 'template', parts, expression };
      }
      return { kind: 'unknown', expression, reason: 'concatenation' };
    }
    if (op === '+') {
      const l = this.eval(left, depth + 1);
      const r = this.eval(right, depth + 1);
      // Array union: keys of the left operand win (PHP manual, Array Operators).
      if (l.kind === 'array' || r.kind === 'array') {
        const la = l.kind === 'array' ? l : null;
        const ra = r.kind === 'array' ? r : null;
        const entries = [...(la?.entries ?? [])];
        for (const e of ra?.entries ?? [])
          if (!entries.some((x) => x.key !== null && x.key === e.key)) entries.push(e);
        return { kind: 'array', entries, open: !la || !ra || la.open || ra.open };
      }
      return arithmetic('+', l, r, left, expression);
    }
    if (op === '*' || op === '-') {
      const l = this.eval(left, depth + 1);
      const r = this.eval(right, depth + 1);
      return arithmetic(op, l, r, left, expression);
    }
    if (
      ['==', '===', '!=', '!==', '<>', '&&', '||', 'and', 'or', '<', '>', '<=', '>=', 'xor'].includes(
        op.toLowerCase(),
      )
    ) {
      return this.condValue(this.cond(node, depth), expression);
    }
    return { kind: 'unknown', expression, reason: `operator ${op}` };
  }

  private ternary(node: SgNode, depth: number, expression: string): PhpValue {
    const condNode = node.field('condition');
    const body = node.field('body');
    const alt = node.field('alternative');
    if (!body) {
      // `a ?: b`: a when truthy, else b.
      const a = this.eval(condNode, depth + 1);
      const b = this.eval(alt, depth + 1);
      if (a.kind === 'env' && a.default === undefined) return { ...a, default: b, expression };
      if (a.kind === 'literal') return phpTruthy(a.value) ? a : b;
      if (a.kind === 'client' && b.kind === 'literal')
        return { ...a, absent: phpTruthy(a.absent) ? a.absent : b.value, expression };
      return { kind: 'unknown', expression, reason: 'short ternary' };
    }
    const c = this.cond(condNode!, depth + 1);
    return this.conditionalOf(c, this.eval(body, depth + 1), this.eval(alt, depth + 1), expression);
  }

  private call(node: SgNode, depth: number, expression: string): PhpValue {
    const fn = calledFunctionName(node);
    const args = callArguments(node);
    switch (fn) {
      case 'getenv': {
        const v = this.eval(args[0]?.value, depth + 1);
        if (v.kind === 'literal' && typeof v.value === 'string')
          return { kind: 'env', variable: v.value, via: 'getenv', expression };
        return { kind: 'unknown', expression, reason: 'getenv of a computed name' };
      }
      case 'env': {
        // Laravel's env() helper (Illuminate/Support/helpers.php → Env::get).
        const v = this.eval(args[0]?.value, depth + 1);
        if (v.kind === 'literal' && typeof v.value === 'string') {
          const out: PhpValue = { kind: 'env', variable: v.value, via: 'env', expression };
          if (args[1]) out.default = this.eval(args[1].value, depth + 1);
          return out;
        }
        return { kind: 'unknown', expression, reason: 'env() of a computed name' };
      }
      case 'boolval':
        return castBool(this.eval(args[0]?.value, depth + 1), expression);
      case 'array_merge':
      case 'array_replace':
        return this.merge(args, depth);
      case 'filter_var': {
        const flag = args[1]?.value.text() ?? '';
        const inner = this.eval(args[0]?.value, depth + 1);
        if (/FILTER_VALIDATE_BOOL/i.test(flag)) {
          if (inner.kind === 'env') return { ...inner, cast: 'bool', expression };
          if (inner.kind === 'literal')
            return { kind: 'literal', value: filterBool(toIniString(inner.value)) };
        }
        return { kind: 'unknown', expression, reason: 'filter_var' };
      }
      case 'time':
        return { kind: 'unknown', expression, reason: 'current time' };
      case 'isset':
      case 'empty':
        return this.condValue(this.cond(node, depth), expression);
      case 'version_compare': {
        // Against the PHP the scanner assumes (a supported PHP 8): `version_compare(PHP_VERSION, '7.3.0', '>=')`.
        const [a0, a1, a2] = args;
        const running = a0 && /^\\?(phpversion\s*\(\s*\)|PHP_VERSION)$/i.test(a0.value.text().trim());
        const other = a1 ? this.eval(a1.value, depth + 1) : null;
        if (!running || !other || other.kind !== 'literal' || typeof other.value !== 'string')
          return { kind: 'unknown', expression, reason: 'version_compare()' };
        const cmp = compareVersionStrings(ASSUMED_PHP_VERSION, other.value);
        if (!a2) return { kind: 'literal', value: cmp };
        const op = this.eval(a2.value, depth + 1);
        const holds: Record<string, boolean> = {
          '<': cmp < 0,
          lt: cmp < 0,
          '<=': cmp <= 0,
          le: cmp <= 0,
          '>': cmp > 0,
          gt: cmp > 0,
          '>=': cmp >= 0,
          ge: cmp >= 0,
          '==': cmp === 0,
          eq: cmp === 0,
          '!=': cmp !== 0,
          '<>': cmp !== 0,
          ne: cmp !== 0,
        };
        const r = op.kind === 'literal' && typeof op.value === 'string' ? holds[op.value] : undefined;
        return r === undefined
          ? { kind: 'unknown', expression, reason: 'version_compare()' }
          : { kind: 'literal', value: r };
      }
      case 'str_starts_with':
        return this.condValue(this.startsWith(node, args, depth), expression);
      case 'parse_url': {
        // A part of a URL the client sent is the client's too; without the header, parse_url() has no
        // part to give (null). Of a project function's result: compared once the function is known
        // (`'https' === parse_url(wp_get_referer(), PHP_URL_SCHEME)`).
        const v = this.eval(args[0]?.value, depth + 1);
        if (v.kind === 'client') return { ...v, absent: null, expression };
        if (v.kind === 'call' && !v.args) return { ...v, urlPart: true, expression };
        return { kind: 'unknown', expression, reason: 'result of parse_url()' };
      }
      case 'strtolower':
      case 'strtoupper':
      case 'trim':
      case 'strval': {
        // Case and blanks do not change what a request-scheme or parameter value is compared with later.
        const v = this.eval(args[0]?.value, depth + 1);
        if (v.kind === 'literal' && typeof v.value === 'string')
          return {
            kind: 'literal',
            value:
              fn === 'strtolower'
                ? v.value.toLowerCase()
                : fn === 'strtoupper'
                  ? v.value.toUpperCase()
                  : fn === 'trim'
                    ? v.value.trim()
                    : v.value,
          };
        if (v.kind === 'request' || v.kind === 'env' || v.kind === 'param') return v;
        if (v.kind === 'client' && (v.absent === null || typeof v.absent === 'string'))
          return { ...v, absent: v.absent === null ? '' : v.absent, expression };
        return { kind: 'unknown', expression, reason: `result of ${fn}()` };
      }
      default: {
        const env = this.frameworkEnvironmentTest(node, expression);
        if (env) return this.condValue(env, expression);
        // WordPress-style filter hooks (apply_filters('name', $value, ...)) return the value unless a
        // plugin changes it.
        if (fn && /(^|_)apply_filters?$/.test(fn) && args[1] && !args[1].spread)
          return this.eval(args[1].value, depth + 1);
        if (!fn) return { kind: 'unknown', expression, reason: 'result of a call' };
        return withLiteralArgs(
          { kind: 'call', call: { name: fn, cls: null }, expression },
          args,
          this,
          depth,
        );
      }
    }
  }

  /**
   * `array_merge($defaults, $options)`: later arrays replace string keys of earlier ones. An argument
   * the scanner cannot see may replace any key before it: those become unknown, and absent keys may
   * come from it (`open`).
   */
  private merge(args: CallArgument[], depth: number): PhpValue {
    const parts = args.map((a) =>
      a.spread
        ? ({ kind: 'unknown', expression: evidenceOf(a.value), reason: 'spread' } as PhpValue)
        : this.eval(a.value, depth + 1),
    );
    // A parameter is known per call: keep the merge until it is bound.
    if (parts.some((p) => p.kind === 'param'))
      return { kind: 'merge', parts, expression: args.map((a) => evidenceOf(a.value)).join(', ') };
    return mergeArrays(parts);
  }

  /** `str_starts_with(env('APP_URL'), 'https:')`: a test on an environment variable's prefix. */
  private startsWith(node: SgNode, args: CallArgument[], depth: number): Cond {
    const expression = evidenceOf(node);
    const hay = args[0] ? this.eval(args[0].value, depth + 1) : null;
    const needle = args[1] ? this.eval(args[1].value, depth + 1) : null;
    if (!hay || !needle || needle.kind !== 'literal' || typeof needle.value !== 'string')
      return { kind: 'unknown', expression };
    if (hay.kind === 'literal')
      return { kind: 'const', value: toIniString(hay.value).startsWith(needle.value) };
    if (hay.kind === 'env' && hay.default?.kind !== 'conditional') {
      const d = hay.default;
      // An unset variable with a literal default that already has the prefix would hold: not modelled.
      if (d && d.kind === 'literal' && toIniString(d.value).startsWith(needle.value))
        return { kind: 'unknown', expression };
      return { kind: 'env', variable: hay.variable, test: 'prefix', literal: needle.value, expression };
    }
    return { kind: 'unknown', expression };
  }

  /** Laravel `app()->environment('production')`, `App::environment(...)`, `app()->isProduction()`. */
  private frameworkEnvironmentTest(node: SgNode, expression: string): Cond | null {
    const m = calledMethodName(node);
    if (m === 'isproduction')
      return { kind: 'env', variable: 'APP_ENV', test: 'eq', literal: 'production', expression };
    if (m === 'islocal')
      return { kind: 'env', variable: 'APP_ENV', test: 'eq', literal: 'local', expression };
    if (m === 'environment') {
      const a = callArguments(node)[0];
      const v = a ? this.eval(a.value) : null;
      if (v && v.kind === 'literal' && typeof v.value === 'string')
        return { kind: 'env', variable: 'APP_ENV', test: 'eq', literal: v.value, expression };
    }
    return null;
  }

  /**
   * Is the node in a branch that never runs: the body of an `if` whose condition is always false, or
   * the `else` of one that is always true (`if (PHP_VERSION_ID >= 70300) ... else ...`)?
   */
  inDeadBranch(node: SgNode): boolean {
    let child = node;
    for (const a of node.ancestors()) {
      if (FUNCTION_SCOPES.has(String(a.kind()))) return false;
      if (a.kind() === 'if_statement') {
        const condNode = a.field('condition');
        const c = condNode && /PHP_VERSION|phpversion/i.test(condNode.text()) ? this.cond(condNode) : null;
        if (c && c.kind === 'const') {
          const inBody = a.field('body')?.id() === child.id();
          const inElse = a.field('alternative')?.id() === child.id();
          if ((inBody && !c.value) || (inElse && c.value)) return true;
        }
      }
      child = a;
    }
    return false;
  }

  /** The condition an expression tests. */
  cond(node: SgNode, depth = 0): Cond {
    const expression = evidenceOf(node);
    if (depth > MAX_DEPTH) return { kind: 'unknown', expression };
    const kind = node.kind();
    if (kind === 'parenthesized_expression') return this.cond(node.namedChildren()[0]!, depth + 1);
    if (kind === 'unary_op_expression') {
      const op = node.field('operator')?.text() ?? node.children()[0]?.text();
      if (op === '!') {
        const arg = node.field('argument') ?? node.namedChildren()[node.namedChildren().length - 1]!;
        return negate(this.cond(arg, depth + 1), expression);
      }
    }
    if (kind === 'function_call_expression') {
      const fn = calledFunctionName(node);
      if (fn === 'isset' || fn === 'empty') {
        const targets = callArguments(node).map((a) => this.eval(a.value, depth + 1));
        const req = targets.find((t) => t.kind === 'request');
        if (req && req.kind === 'request') {
          return { kind: 'request', source: req.source, negated: fn === 'empty', expression };
        }
        const client = targets.length === 1 ? targets[0] : undefined;
        if (client && client.kind === 'client') {
          // Without the header: isset() is false unless a fallback was given, empty() true unless it is truthy.
          const whenAbsent = fn === 'empty' ? !phpTruthy(client.absent) : client.absent !== null;
          return { kind: 'client', header: client.header, whenAbsent, expression };
        }
        const env = targets.find((t) => t.kind === 'env');
        if (env && env.kind === 'env')
          return {
            kind: 'env',
            variable: env.variable,
            test: fn === 'empty' ? 'falsy' : 'truthy',
            expression,
          };
        const param = targets.length === 1 ? targets[0] : undefined;
        if (param && param.kind === 'param') {
          // isset() of a parameter: it is set unless null; empty(): falsy.
          return fn === 'empty'
            ? { kind: 'param', index: param.index, name: param.name, test: 'falsy', expression }
            : { kind: 'param', index: param.index, name: param.name, test: 'ne', literal: null, expression };
        }
        return { kind: 'unknown', expression };
      }
      if (fn === 'is_array') {
        const a = callArguments(node)[0];
        const v = a ? this.eval(a.value, depth + 1) : null;
        if (v && v.kind === 'param')
          return { kind: 'param', index: v.index, name: v.name, test: 'array', expression };
        if (v && v.kind === 'array') return { kind: 'const', value: true };
        if (v && v.kind === 'literal') return { kind: 'const', value: false };
        return { kind: 'unknown', expression };
      }
    }
    if (kind === 'binary_expression') {
      const op = (node.field('operator')?.text() ?? '').toLowerCase();
      const l = node.field('left');
      const r = node.field('right');
      if (op === '&&' || op === 'and' || op === '||' || op === 'or') {
        const a = this.cond(l!, depth + 1);
        const b = this.cond(r!, depth + 1);
        return foldLogic(op === '&&' || op === 'and', a, b, expression);
      }
      if (['<', '>', '<=', '>='].includes(op)) {
        // `PHP_VERSION_ID >= 70300`: the scanner assumes a supported PHP (8.x), so branches for PHP 7.2
        // and older are dead code.
        const lv = this.eval(l, depth + 1);
        const rv = this.eval(r, depth + 1);
        const num = (v: PhpValue): number | null =>
          v.kind === 'literal' && typeof v.value === 'number'
            ? v.value
            : v.kind === 'constant' && v.name === 'PHP_VERSION_ID'
              ? ASSUMED_PHP_VERSION_ID
              : null;
        const a = num(lv);
        const b = num(rv);
        const versioned =
          (lv.kind === 'constant' && lv.name === 'PHP_VERSION_ID') ||
          (rv.kind === 'constant' && rv.name === 'PHP_VERSION_ID');
        if (lv.kind === 'literal' && rv.kind === 'literal' && a !== null && b !== null)
          return {
            kind: 'const',
            value: op === '<' ? a < b : op === '>' ? a > b : op === '<=' ? a <= b : a >= b,
          };
        if (versioned && a !== null && b !== null && Math.min(a, b) < 80000) {
          const v = op === '<' ? a < b : op === '>' ? a > b : op === '<=' ? a <= b : a >= b;
          return { kind: 'const', value: v };
        }
        return { kind: 'unknown', expression };
      }
      if (['==', '===', '!=', '!==', '<>'].includes(op)) {
        const lv = this.eval(l, depth + 1);
        const rv = this.eval(r, depth + 1);
        const eq = op === '==' || op === '===';
        if (lv.kind === 'literal' && rv.kind === 'literal') {
          const same = op.length === 3 ? lv.value === rv.value : looseEquals(lv.value, rv.value);
          return { kind: 'const', value: eq ? same : !same };
        }
        const [other, lit] =
          lv.kind === 'literal' ? [rv, lv] : rv.kind === 'literal' ? [lv, rv] : [null, null];
        if (other && lit && lit.kind === 'literal') {
          const req = requestOf(other);
          if (req) {
            // `$_SERVER['HTTPS'] === 'on'` / `!== 'off'` / `REQUEST_SCHEME === 'https'` / `SERVER_PORT == 443`.
            const l2 = String(lit.value).toLowerCase();
            const positive = l2 === 'on' || l2 === 'https' || l2 === '443' || l2 === '1' || l2 === 'true';
            const negative =
              l2 === 'off' || l2 === 'http' || l2 === '80' || l2 === '' || l2 === '0' || l2 === 'false';
            if (positive || negative)
              return { kind: 'request', source: req, negated: positive ? !eq : eq, expression };
            return { kind: 'unknown', expression };
          }
          if (other.kind === 'client')
            return {
              kind: 'client',
              header: other.header,
              whenAbsent: clientTestWhenAbsent(other.absent, eq ? 'eq' : 'ne', lit.value, op.length === 3),
              expression,
            };
          if (other.kind === 'call')
            return {
              kind: 'call',
              call: other.call,
              negated: false,
              expression,
              test: {
                op: eq ? 'eq' : 'ne',
                literal: lit.value,
                strict: op.length === 3,
                ...(other.urlPart ? { urlPart: true } : {}),
              },
            };
          if (other.kind === 'env')
            return {
              kind: 'env',
              variable: other.variable,
              test: eq ? 'eq' : 'ne',
              literal: lit.value,
              expression,
            };
          if (other.kind === 'param' && op.length === 3)
            return {
              kind: 'param',
              index: other.index,
              name: other.name,
              test: eq ? 'eq' : 'ne',
              literal: lit.value,
              expression,
            };
        }
        return { kind: 'unknown', expression };
      }
    }
    if (
      kind === 'member_call_expression' ||
      kind === 'nullsafe_member_call_expression' ||
      kind === 'scoped_call_expression' ||
      kind === 'function_call_expression'
    ) {
      const env = this.frameworkEnvironmentTest(node, expression);
      if (env) return env;
    }
    const v = this.eval(node, depth + 1);
    if (v.kind === 'literal') return { kind: 'const', value: phpTruthy(v.value) };
    if (v.kind === 'request') return { kind: 'request', source: v.source, negated: false, expression };
    if (v.kind === 'env') return { kind: 'env', variable: v.variable, test: 'truthy', expression };
    if (v.kind === 'client')
      return { kind: 'client', header: v.header, whenAbsent: phpTruthy(v.absent), expression };
    if (v.kind === 'param')
      return { kind: 'param', index: v.index, name: v.name, test: 'truthy', expression };
    if (v.kind === 'call')
      return {
        kind: 'call',
        call: v.call,
        negated: false,
        expression,
        ...(v.fallback ? { fallback: v.fallback } : {}),
      };
    if (v.kind === 'conditional') return condOfConditional(v, expression);
    return { kind: 'unknown', expression };
  }

  private condValue(c: Cond, expression: string): PhpValue {
    if (c.kind === 'const') return { kind: 'literal', value: c.value };
    if (c.kind === 'request' && !c.negated) return { kind: 'request', source: c.source, expression };
    return {
      kind: 'conditional',
      cond: c,
      whenTrue: { kind: 'literal', value: true },
      whenFalse: { kind: 'literal', value: false },
      expression,
    };
  }

  // --- variables -----------------------------------------------------------------------------

  private scopeOf(node: SgNode): SgNode | null {
    for (const a of node.ancestors()) if (FUNCTION_SCOPES.has(String(a.kind()))) return a;
    return null;
  }

  /**
   * Assignments to `$name` or `$name[...]` in the file. Found with a regex over the assignment's text
   * on the Rust side, per variable and cached: reading the left side of every assignment from
   * JavaScript costs more than a filtered walk.
   */
  private assignmentsTo(name: string): SgNode[] {
    const cached = this.assignments?.get(name);
    if (cached) return cached;
    const bare = name.replace(/^\$/, '');
    const list: SgNode[] = [];
    if (/^[A-Za-z_\x80-\uffff][A-Za-z0-9_\x80-\uffff]*$/.test(bare)) {
      const re = `^\\$${bare.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*(\\[|=|\\.=|\\?\\?=|\\+=)`;
      for (const a of this.root.findAll({
        rule: {
          any: [
            { kind: 'assignment_expression', regex: re },
            { kind: 'augmented_assignment_expression', regex: re },
          ],
        },
      })) {
        let base = a.field('left');
        while (base && base.kind() === 'subscript_expression') base = base.namedChildren()[0] ?? null;
        if (base && base.kind() === 'variable_name' && base.text() === name) list.push(a);
      }
    }
    (this.assignments ??= new Map()).set(name, list);
    return list;
  }

  private variable(node: SgNode, depth: number, expression: string): PhpValue {
    const name = node.text();
    if (name === '$this') return { kind: 'unknown', expression, reason: '$this' };
    return this.variableAt(name, this.scopeOf(node), node.range().start.index, depth, expression);
  }

  /** The value of `$name` at a position of a scope (a function, or the file's top level). */
  private variableAt(
    name: string,
    scope: SgNode | null,
    useAt: number,
    depth: number,
    expression: string,
  ): PhpValue {
    if (depth > MAX_DEPTH) return { kind: 'unknown', expression, reason: 'expression nested too deeply' };
    const all = this.assignmentsTo(name);
    const before = all.filter((a) => {
      const s = this.scopeOf(a);
      return (
        (s === null ? scope === null : scope !== null && s.id() === scope.id()) &&
        a.range().end.index <= useAt
      );
    });
    const whole = before.filter((a) => a.field('left')?.kind() === 'variable_name');
    if (whole.length === 0) {
      const p = scope ? paramOf(scope, name) : null;
      if (p) return { kind: 'param', index: p.index, name, expression };
      return { kind: 'unknown', expression, reason: `variable ${name} is not assigned in this scope` };
    }
    const last = whole[whole.length - 1]!;
    // The last assignment decides when every path to the use runs it: it lies in the same block as the
    // use (or a block around it), not in a branch the use is outside of.
    const decides = !this.inBranch(last, scope) || dominates(last, useAt);
    let value: PhpValue;
    if (decides) value = this.assigned(last, name, scope, depth, expression);
    else {
      value = this.ifMerge(last, name, scope, useAt, depth, expression) ?? {
        kind: 'unknown',
        expression,
        reason:
          whole.length > 1 ? `${name} is assigned in several places` : `${name} is assigned conditionally`,
      };
    }
    // `$opts['secure'] = true;` after `$opts = [...]`: apply element writes in order.
    if (value.kind === 'array' && decides) {
      const lastEnd = last.range().end.index;
      for (const w of before) {
        if (w.range().start.index < lastEnd) continue;
        const left = w.field('left');
        if (!left || left.kind() !== 'subscript_expression') continue;
        const baseVar = left.namedChildren()[0];
        if (!baseVar || baseVar.kind() !== 'variable_name') continue;
        const keyNode = left.namedChildren()[1];
        const k = keyNode ? this.eval(keyNode, depth + 1) : null;
        if (!k || k.kind !== 'literal' || (typeof k.value !== 'string' && typeof k.value !== 'number')) {
          value = { ...value, open: true };
          continue;
        }
        let v = this.eval(w.field('right'), depth + 1);
        const branch = this.branchCondition(w, scope);
        if (branch) {
          const old = value.entries.find((e) => e.key === k.value)?.value ?? {
            kind: 'unknown',
            expression: '(not set)',
            reason: 'not set',
          };
          v = {
            kind: 'conditional',
            cond: this.cond(branch, depth + 1),
            whenTrue: v,
            whenFalse: old,
            expression: evidenceOf(w),
          };
        }
        const entries: ArrayEntry[] = value.entries.filter((e) => e.key !== k.value);
        entries.push({
          key: k.value,
          value: v,
          location: nodeLocation(this.file, w),
          evidence: evidenceOf(w),
        });
        value = { kind: 'array', entries, open: value.open };
      }
    }
    return value;
  }

  /** The value an assignment gives `$name`: `$x = e`, or `$x += e` / `$x .= e` over its value before. */
  private assigned(
    a: SgNode,
    name: string,
    scope: SgNode | null,
    depth: number,
    expression: string,
  ): PhpValue {
    const right = this.eval(a.field('right'), depth + 1);
    if (a.kind() !== 'augmented_assignment_expression') return right;
    const op = a
      .children()
      .find((c) => c.kind() === '+=' || c.kind() === '.=')
      ?.kind();
    if (!op) return { kind: 'unknown', expression, reason: `${name} is changed by an operator` };
    const left = this.variableAt(name, scope, a.range().start.index, depth + 1, expression);
    if (op === '.=') {
      const lp = stringParts(left);
      const rp = stringParts(right);
      const parts = mergeParts([...(lp ?? [null]), ...(rp ?? [null])]);
      return parts.every((p) => p !== null)
        ? { kind: 'literal', value: parts.join('') }
        : { kind: 'template', parts, expression };
    }
    // `$options += $defaults`: keys of $options win (array union); a parameter is merged once bound.
    if (left.kind === 'array' && right.kind === 'array') {
      const entries = [...left.entries];
      for (const e of right.entries)
        if (!entries.some((x) => x.key !== null && x.key === e.key)) entries.push(e);
      return { kind: 'array', entries, open: left.open || right.open };
    }
    if (left.kind === 'param' && right.kind === 'array')
      return { kind: 'merge', parts: [right, left], expression };
    return arithmetic('+', left, right, null, expression);
  }

  /**
   * `if (c) { $x = a; }` (or `... else { $x = b; }`) before the use, the `if` itself on every path to
   * the use: the value is `c ? a : <$x before the if>` (or `c ? a : b`). Other shapes (else-if chains,
   * nested branches, loops) are not merged.
   */
  private ifMerge(
    last: SgNode,
    name: string,
    scope: SgNode | null,
    useAt: number,
    depth: number,
    expression: string,
  ): PhpValue | null {
    const stmt = last.parent();
    if (!stmt || stmt.kind() !== 'expression_statement') return null;
    let arm = stmt.parent();
    if (arm && arm.kind() === 'compound_statement') arm = arm.parent();
    if (!arm) return null;
    const ifNode = arm.kind() === 'else_clause' ? arm.parent() : arm;
    if (!ifNode || ifNode.kind() !== 'if_statement') return null;
    if (ifNode.range().end.index > useAt || !dominates(ifNode, useAt)) return null;
    const body = ifNode.field('body');
    const alt = ifNode.field('alternative');
    if (alt && alt.kind() !== 'else_clause') return null;
    const condNode = ifNode.field('condition');
    if (!body || !condNode) return null;
    const armValue = (armNode: SgNode | null): PhpValue | null => {
      if (!armNode) return null;
      // The last direct assignment of the arm (a statement of its block, or the arm's single statement).
      const stmts = armNode.kind() === 'compound_statement' ? armNode.namedChildren() : [armNode];
      let found: SgNode | null = null;
      for (const st of stmts) {
        if (st.kind() !== 'expression_statement') continue;
        const a = st.namedChildren()[0];
        if (
          a &&
          (a.kind() === 'assignment_expression' || a.kind() === 'augmented_assignment_expression') &&
          a.field('left')?.text() === name
        )
          found = a;
      }
      // Any other write to the variable in the arm (nested, element writes) makes it unknown.
      const writes = this.assignmentsTo(name).filter((w) => {
        const r = w.range();
        const ar = armNode.range();
        return r.start.index >= ar.start.index && r.end.index <= ar.end.index;
      });
      if (writes.some((w) => w !== found && w.id() !== found?.id()))
        return { kind: 'unknown', expression, reason: `${name} is assigned in a nested branch` };
      return found ? this.assigned(found, name, scope, depth, expression) : null;
    };
    const elseBody = alt
      ? (alt.field('body') ?? alt.namedChildren()[alt.namedChildren().length - 1] ?? null)
      : null;
    const before = (): PhpValue =>
      this.variableAt(name, scope, ifNode.range().start.index, depth + 1, expression);
    const t = armValue(body) ?? before();
    const f = alt ? (armValue(elseBody) ?? before()) : before();
    if (t.kind === 'unknown' && f.kind === 'unknown') return null;
    return this.conditionalOf(this.cond(condNode, depth + 1), t, f, expression);
  }

  /** `c ? t : f` with the evaluator's folding (a request test with boolean branches follows the request). */
  private conditionalOf(c: Cond, t: PhpValue, f: PhpValue, expression: string): PhpValue {
    if (c.kind === 'const') return c.value ? t : f;
    if (c.kind === 'request' && t.kind === 'literal' && f.kind === 'literal') {
      const tt = phpTruthy(t.value);
      const ft = phpTruthy(f.value);
      if (tt !== ft) {
        const isHttpsGivesTrue = c.negated ? ft : tt;
        if (isHttpsGivesTrue) return { kind: 'request', source: c.source, expression };
      }
    }
    return { kind: 'conditional', cond: c, whenTrue: t, whenFalse: f, expression };
  }

  private inBranch(node: SgNode, scope: SgNode | null): boolean {
    for (const a of node.ancestors()) {
      if (scope && a.id() === scope.id()) return false;
      if (BRANCHES.has(String(a.kind()))) return true;
    }
    return false;
  }

  /** The condition of the innermost `if` (without else) around a write, when it is the only branch. */
  private branchCondition(node: SgNode, scope: SgNode | null): SgNode | null {
    for (const a of node.ancestors()) {
      if (scope && a.id() === scope.id()) return null;
      if (a.kind() === 'if_statement') {
        const c = a.field('condition');
        return c ?? null;
      }
      if (BRANCHES.has(String(a.kind()))) return null;
    }
    return null;
  }
}

const BLOCKS = new Set(['compound_statement', 'case_statement', 'default_statement', 'program']);

/**
 * Does the assignment run on every path to `use` (both in one function scope, the assignment first)?
 * True when the innermost block around the assignment also holds the use and no branch (if, loop,
 * switch, try) lies between the assignment and that block.
 */
function dominates(assign: SgNode, at: number): boolean {
  for (const a of assign.ancestors()) {
    const k = String(a.kind());
    if (BLOCKS.has(k)) {
      const r = a.range();
      return r.start.index <= at && at < r.end.index;
    }
    if (BRANCHES.has(k) || FUNCTION_SCOPES.has(k)) return false;
  }
  return false;
}

/** A call value with its arguments, when each one is a literal (a config key). */
function withLiteralArgs(
  v: Extract<PhpValue, { kind: 'call' }>,
  args: CallArgument[],
  ev: Evaluator,
  depth: number,
): PhpValue {
  if (args.length === 0 || args.length > 3 || args.some((a) => a.spread || a.name !== null)) return v;
  const lits: Literal[] = [];
  for (const a of args) {
    const k = a.value.kind();
    if (k !== 'string' && k !== 'encapsed_string' && k !== 'integer') return v;
    const x = ev.eval(a.value, depth + 1);
    if (x.kind !== 'literal') return v;
    lits.push(x.value);
  }
  return { ...v, args: lits };
}

/** A $_SERVER key that tells the request scheme: HTTPS / port / scheme (server), or a forwarded header. */
function serverKeyValue(key: string, expression: string): PhpValue | null {
  if (REQUEST_SERVER_KEYS.has(key)) return { kind: 'request', source: 'server', expression };
  if (REQUEST_FORWARDED_KEYS.has(key)) return { kind: 'request', source: 'forwarded', expression };
  const header = CLIENT_OPTIONAL_HEADERS[key];
  // Unset in $_SERVER without the header: reading it gives null (and a warning).
  if (header) return { kind: 'client', header, absent: null, expression };
  return null;
}

/**
 * $_SERVER keys of request headers a client routinely leaves out (so that "absent" is a case every
 * deployment meets): the Referer (mail clients, bookmarks, typed URLs, `Referrer-Policy: no-referrer`,
 * privacy settings). Host, Origin on POST or User-Agent are nearly always sent: not listed.
 */
const CLIENT_OPTIONAL_HEADERS: Record<string, string> = { HTTP_REFERER: 'Referer' };

/** Does a test on a client header's value hold when the header is absent (the value is `absent`)? */
export function clientTestWhenAbsent(
  absent: Literal,
  test: 'eq' | 'ne' | 'truthy' | 'falsy',
  literal: Literal = null,
  strict = false,
): boolean {
  switch (test) {
    case 'truthy':
      return phpTruthy(absent);
    case 'falsy':
      return !phpTruthy(absent);
    default: {
      const same = strict ? absent === literal : looseEquals(absent, literal);
      return test === 'eq' ? same : !same;
    }
  }
}

/** The class part of a method call for CallRef: the class name of a static call, '$this', or '?'. */
function callClass(call: SgNode): string {
  if (call.kind() === 'scoped_call_expression') {
    const scope = call.field('scope')?.text() ?? '?';
    return (scope.split('\\').pop() ?? scope).toLowerCase();
  }
  const obj = call.field('object')?.text();
  return obj === '$this' ? '$this' : '?';
}

/** A parameter of a function node by variable name (`$x`), with its index. */
function paramOf(fn: SgNode, name: string): { index: number } | null {
  const params = fn.field('parameters');
  if (!params) return null;
  let i = 0;
  for (const p of params.namedChildren()) {
    const k = p.kind();
    if (k !== 'simple_parameter' && k !== 'variadic_parameter' && k !== 'property_promotion_parameter')
      continue;
    if (p.field('name')?.text() === name) return { index: i };
    i++;
  }
  return null;
}

/** The parameters of a function or method node, with their defaults evaluated. */
export function paramsOf(fn: SgNode, ev: Evaluator): ParamInfo[] {
  const params = fn.field('parameters');
  if (!params) return [];
  const out: ParamInfo[] = [];
  for (const p of params.namedChildren()) {
    const k = p.kind();
    if (k !== 'simple_parameter' && k !== 'variadic_parameter' && k !== 'property_promotion_parameter')
      continue;
    const info: ParamInfo = { name: p.field('name')?.text() ?? '' };
    const d = p.field('default_value');
    if (d) info.default = ev.eval(d);
    if (k === 'variadic_parameter') info.variadic = true;
    out.push(info);
  }
  return out;
}

/**
 * `array_merge(...)` of evaluated parts: later arrays replace string keys of earlier ones; a part that is
 * not a visible array may replace any key before it (those become unknown) and add others (`open`).
 */
export function mergeArrays(parts: PhpValue[]): PhpValue {
  let entries: ArrayEntry[] = [];
  let open = false;
  for (const v of parts) {
    if (v.kind !== 'array') {
      const what = 'expression' in v ? v.expression : 'a value';
      entries = entries.map((e) =>
        typeof e.key === 'string'
          ? { ...e, value: { kind: 'unknown', expression: e.evidence, reason: `may be replaced by ${what}` } }
          : e,
      );
      open = true;
      continue;
    }
    for (const e of v.entries) {
      if (typeof e.key === 'string') entries = entries.filter((x) => x.key !== e.key);
      entries.push(e);
    }
    open = open || v.open;
  }
  return { kind: 'array', entries, open };
}

function mostRestrictive(a: string, b: string): 'server' | 'forwarded' | 'framework' | 'mixed' {
  if (a === 'server' || b === 'server') return 'server';
  if (a === 'framework' || b === 'framework') return 'framework';
  return 'forwarded';
}

function requestOf(v: PhpValue): 'server' | 'forwarded' | 'framework' | 'mixed' | null {
  if (v.kind === 'request') return v.source;
  if (v.kind === 'env' && v.default && v.default.kind === 'request') return v.default.source;
  return null;
}

/** A value that may be a number once the project's constants are known (a literal, a constant, arithmetic). */
function numeric(v: PhpValue): boolean {
  return (
    (v.kind === 'literal' && typeof v.value === 'number') ||
    v.kind === 'constant' ||
    v.kind === 'arith' ||
    v.kind === 'param' ||
    v.kind === 'call'
  );
}

/**
 * `a + b`, `a - b`, `a * b` over numbers: folded when both are literals; `time() ± x` is a time relative to
 * now; with a constant on either side, kept as arithmetic for the resolver (constants live in other files).
 */
function arithmetic(
  op: '+' | '-' | '*',
  l: PhpValue,
  r: PhpValue,
  leftNode: SgNode | null,
  expression: string,
): PhpValue {
  if (
    l.kind === 'literal' &&
    r.kind === 'literal' &&
    typeof l.value === 'number' &&
    typeof r.value === 'number'
  )
    return {
      kind: 'literal',
      value: op === '+' ? l.value + r.value : op === '-' ? l.value - r.value : l.value * r.value,
    };
  if (op !== '*' && isNow(leftNode)) {
    if (r.kind === 'literal' && typeof r.value === 'number')
      return { kind: 'relative-time', seconds: op === '-' ? -r.value : r.value, expression };
    if (numeric(r)) {
      const delta: PhpValue =
        op === '-'
          ? { kind: 'arith', op: '*', left: { kind: 'literal', value: -1 }, right: r, expression }
          : r;
      return { kind: 'relative-time-expr', delta, expression };
    }
  }
  if (numeric(l) && numeric(r)) return { kind: 'arith', op, left: l, right: r, expression };
  return { kind: 'unknown', expression, reason: 'arithmetic' };
}

export function negate(c: Cond, expression: string): Cond {
  switch (c.kind) {
    case 'const':
      return { kind: 'const', value: !c.value };
    case 'request':
      return { ...c, negated: !c.negated, expression };
    case 'env': {
      const flip = {
        eq: 'ne',
        ne: 'eq',
        truthy: 'falsy',
        falsy: 'truthy',
        prefix: 'not-prefix',
        'not-prefix': 'prefix',
      } as const;
      return { ...c, test: flip[c.test], expression };
    }
    case 'param': {
      const flip = {
        eq: 'ne',
        ne: 'eq',
        truthy: 'falsy',
        falsy: 'truthy',
        array: 'not-array',
        'not-array': 'array',
      } as const;
      return { ...c, test: flip[c.test], expression };
    }
    case 'call':
      return { ...c, negated: !c.negated, expression };
    case 'client':
      return { ...c, whenAbsent: !c.whenAbsent, expression };
    case 'and':
    case 'or':
      return {
        kind: c.kind === 'and' ? 'or' : 'and',
        a: negate(c.a, condExpression(c.a)),
        b: negate(c.b, condExpression(c.b)),
        expression,
      };
    default:
      return { kind: 'unknown', expression };
  }
}

export function condExpression(c: Cond): string {
  return c.kind === 'const' ? String(c.value) : c.expression;
}

/** Conditions that only parameters or the project's functions can decide (resolved later). */
function deferred(c: Cond): boolean {
  return c.kind === 'param' || c.kind === 'call' || c.kind === 'and' || c.kind === 'or';
}

/**
 * `a && b` / `a || b`. A request-scheme test combined with anything else by `&&` is still a test of the
 * request (`$conf['securecookie'] && isSsl()` is Secure only on HTTPS requests); by `||` it is not
 * known. Conditions on parameters or calls stay combined until they are resolved.
 */
export function foldLogic(and: boolean, a: Cond, b: Cond, expression: string): Cond {
  if (a.kind === 'const') return a.value === and ? b : a;
  if (b.kind === 'const') return b.value === and ? a : b;
  // Without the client's header, a test that fails decides `&&` (one that holds decides `||`) whatever the
  // other side is; two tests on client headers combine.
  if (a.kind === 'client' && a.whenAbsent !== and) return a;
  if (b.kind === 'client' && b.whenAbsent !== and) return b;
  if (a.kind === 'client' && b.kind === 'client')
    return { kind: 'client', header: a.header, whenAbsent: and, expression };
  if (a.kind === 'request' && b.kind === 'request' && a.negated === b.negated) {
    // `isset($_SERVER['HTTPS']) || $_SERVER['HTTP_X_FORWARDED_PROTO'] === 'https'` trusts the header too.
    const source = a.source === b.source ? a.source : and ? mostRestrictive(a.source, b.source) : 'mixed';
    return { kind: 'request', source, negated: a.negated, expression };
  }
  if (deferred(a) || deferred(b)) return { kind: and ? 'and' : 'or', a, b, expression };
  if (a.kind === 'request' && b.kind !== 'request') return and ? a : { kind: 'unknown', expression };
  if (b.kind === 'request' && a.kind !== 'request') return and ? b : { kind: 'unknown', expression };
  return { kind: 'unknown', expression };
}

/** The condition under which a conditional value is truthy (`c ? true : false`, `c ? false : true`). */
function condOfConditional(v: Extract<PhpValue, { kind: 'conditional' }>, expression: string): Cond {
  const t = v.whenTrue.kind === 'literal' ? phpTruthy(v.whenTrue.value) : null;
  const f = v.whenFalse.kind === 'literal' ? phpTruthy(v.whenFalse.value) : null;
  if (t === true && f === false) return v.cond;
  if (t === false && f === true) return negate(v.cond, expression);
  return { kind: 'unknown', expression };
}

function castBool(inner: PhpValue, expression: string): PhpValue {
  if (inner.kind === 'literal') return { kind: 'literal', value: phpTruthy(inner.value) };
  if (inner.kind === 'env') return { ...inner, cast: 'bool', expression };
  if (inner.kind === 'request') return inner;
  // A parameter or a helper's result: its truthiness is what a boolean attribute reads anyway.
  if (inner.kind === 'param' || inner.kind === 'call') return inner;
  return { kind: 'unknown', expression, reason: 'cast' };
}

function toInt(v: Literal): number {
  if (typeof v === 'number') return Math.trunc(v);
  if (typeof v === 'string') return atoi(v);
  return v === true ? 1 : 0;
}

/** PHP 8 loose comparison for scalars (enough for `==` between literals). */
function looseEquals(a: Literal, b: Literal): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'string')
    return /^\s*[+-]?\d+(\.\d+)?\s*$/.test(b) && Number(b) === a;
  if (typeof b === 'number' && typeof a === 'string') return looseEquals(b, a);
  if (typeof a === 'boolean' || typeof b === 'boolean') return phpTruthy(a) === phpTruthy(b);
  if (a === null || b === null) return !phpTruthy(a) && !phpTruthy(b);
  return false;
}

function isNow(node: SgNode | null): boolean {
  if (!node) return false;
  if (node.kind() === 'function_call_expression') {
    const fn = calledFunctionName(node);
    return fn === 'time' || fn === 'mktime';
  }
  if (node.kind() === 'subscript_expression') {
    const sg = superglobalKey(node);
    return !!sg && sg.array === '_SERVER' && (sg.key === 'REQUEST_TIME' || sg.key === 'REQUEST_TIME_FLOAT');
  }
  return false;
}

/** `$_ENV['X']` / `$_SERVER['X']` / `getenv` style superglobal reads: the array and the literal key. */
export function superglobalKey(node: SgNode): { array: '_SERVER' | '_ENV'; key: string } | null {
  if (node.kind() !== 'subscript_expression') return null;
  const [base, idx] = node.namedChildren();
  if (!base || base.kind() !== 'variable_name' || !idx) return null;
  const arr = base.text();
  if (arr !== '$_SERVER' && arr !== '$_ENV') return null;
  let key: string | null = null;
  if (idx.kind() === 'string') key = singleQuoted(idx);
  else if (idx.kind() === 'encapsed_string') {
    const parts = doubleQuotedParts(idx);
    if (parts.every((p) => p !== null)) key = parts.join('');
  }
  return key === null ? null : { array: arr.slice(1) as '_SERVER' | '_ENV', key };
}

function stringParts(v: PhpValue): (string | null)[] | null {
  if (v.kind === 'literal') return v.value === null ? [''] : [toIniString(v.value)];
  if (v.kind === 'template') return v.parts;
  return [null];
}

function mergeParts(parts: (string | null)[]): (string | null)[] {
  const out: (string | null)[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (p !== null && typeof last === 'string') out[out.length - 1] = last + p;
    else if (p === null && out.length > 0 && last === null) continue;
    else out.push(p);
  }
  return out;
}

/** Text of a single-quoted PHP string: only `\\` and `\'` are escapes. */
export function singleQuoted(node: SgNode): string {
  let s = '';
  for (const c of node.children()) {
    const k = c.kind();
    if (k === 'string_content' || k === 'string_value') s += c.text();
    else if (k === 'escape_sequence') {
      const t = c.text();
      s += t === "\\'" ? "'" : t === '\\\\' ? '\\' : t;
    }
  }
  return s;
}

const DQ_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  v: '\v',
  e: '\x1b',
  f: '\f',
  '\\': '\\',
  $: '$',
  '"': '"',
};

/** Parts of a double-quoted string or heredoc: literal text, or null for each interpolation. */
export function doubleQuotedParts(node: SgNode): (string | null)[] {
  const parts: (string | null)[] = [];
  const push = (s: string | null): void => {
    const last = parts[parts.length - 1];
    if (s !== null && typeof last === 'string') parts[parts.length - 1] = last + s;
    else parts.push(s);
  };
  const kids =
    node.kind() === 'heredoc'
      ? (node
          .children()
          .find((c) => c.kind() === 'heredoc_body')
          ?.children() ?? [])
      : node.children();
  for (const c of kids) {
    const k = c.kind();
    if (k === '"' || k === '{' || k === '}' || k === '<<<' || k === 'heredoc_start' || k === 'heredoc_end')
      continue;
    if (k === 'string_content' || k === 'string_value') push(c.text());
    else if (k === 'escape_sequence') push(decodeEscape(c.text()));
    else push(null);
  }
  return parts;
}

function decodeEscape(t: string): string {
  const body = t.slice(1);
  const simple = DQ_ESCAPES[body];
  if (simple !== undefined) return simple;
  if (/^[0-7]{1,3}$/.test(body)) return String.fromCharCode(parseInt(body, 8) & 0xff);
  if (/^x[0-9a-fA-F]{1,2}$/.test(body)) return String.fromCharCode(parseInt(body.slice(1), 16));
  const u = /^u\{([0-9a-fA-F]+)\}$/.exec(body);
  if (u) return String.fromCodePoint(parseInt(u[1]!, 16));
  return t; // PHP keeps unknown escapes as written
}

function parsePhpInt(text: string): number {
  const t = text.replace(/_/g, '').toLowerCase();
  if (t.startsWith('0x')) return parseInt(t.slice(2), 16);
  if (t.startsWith('0b')) return parseInt(t.slice(2), 2);
  if (t.startsWith('0o')) return parseInt(t.slice(2), 8);
  if (t.length > 1 && t.startsWith('0')) return parseInt(t.slice(1), 8);
  return parseInt(t, 10);
}

// ---------------------------------------------------------------------------------------------
// Contract conversion

/** Describe a condition for humans. */
export function describeCond(c: Cond): string {
  switch (c.kind) {
    case 'const':
      return String(c.value);
    case 'env':
      return c.expression;
    case 'request':
      return c.expression;
    default:
      return c.expression;
  }
}

/** The variable a request condition reads, as put in SettingValue.conditional.variable. */
export const REQUEST_VARIABLE: Record<'server' | 'forwarded' | 'framework' | 'mixed', string> = {
  server: "$_SERVER['HTTPS']",
  forwarded: "$_SERVER['HTTP_X_FORWARDED_PROTO']",
  framework: 'Request::isSecure()',
  mixed: "$_SERVER['HTTPS'] or X-Forwarded-Proto",
};

/** Convert to the collector contract's SettingValue (lossy for arrays and templates). */
export function toSettingValue(v: PhpValue): SettingValue {
  switch (v.kind) {
    case 'literal':
      return { kind: 'literal', value: v.value };
    case 'env': {
      const out: SettingValue = { kind: 'env', variable: v.variable, expression: v.expression };
      if (v.default && v.default.kind === 'literal') out.default = v.default.value;
      return out;
    }
    case 'request':
      return {
        kind: 'conditional',
        condition: v.expression,
        variable: REQUEST_VARIABLE[v.source],
        whenTrue: true,
        whenFalse: false,
        expression: v.expression,
      };
    case 'conditional': {
      const out: SettingValue = {
        kind: 'conditional',
        condition: describeCond(v.cond),
        expression: v.expression,
      };
      if (v.cond.kind === 'env') {
        out.variable = v.cond.variable;
        if (v.cond.test === 'eq' && typeof v.cond.literal === 'string') out.trueIn = [v.cond.literal];
        if (v.cond.test === 'eq' || v.cond.test === 'ne')
          out.test = {
            op: v.cond.test,
            variable: v.cond.variable,
            value: toIniString(v.cond.literal ?? null),
          };
        else if (v.cond.test === 'truthy' || v.cond.test === 'falsy')
          out.test = { op: v.cond.test, variable: v.cond.variable };
      } else if (v.cond.kind === 'request') {
        out.variable = REQUEST_VARIABLE[v.cond.source];
      }
      const t = literalOf(v.whenTrue);
      const f = literalOf(v.whenFalse);
      if (t !== undefined) out.whenTrue = t;
      if (f !== undefined) out.whenFalse = f;
      return out;
    }
    case 'client':
      return {
        kind: 'unknown',
        expression: v.expression,
        reason: `the ${v.header} header the client sends (absent: ${JSON.stringify(v.absent)})`,
      };
    case 'constant':
      return { kind: 'unknown', expression: v.expression, reason: `constant ${v.name}` };
    case 'relative-time':
      return {
        kind: 'unknown',
        expression: v.expression,
        reason: `now ${v.seconds < 0 ? '-' : '+'} ${Math.abs(v.seconds)} s`,
      };
    case 'relative-time-expr':
      return { kind: 'unknown', expression: v.expression, reason: 'a time relative to now' };
    case 'arith':
      return { kind: 'unknown', expression: v.expression, reason: 'arithmetic over constants' };
    case 'param':
      return { kind: 'unknown', expression: v.expression, reason: `parameter ${v.name}` };
    case 'merge':
      return { kind: 'unknown', expression: v.expression, reason: 'array_merge() with a parameter' };
    case 'call':
      return { kind: 'unknown', expression: v.expression, reason: `result of ${v.call.name}()` };
    case 'template':
      return { kind: 'unknown', expression: v.expression, reason: 'string with interpolated values' };
    case 'array':
      return { kind: 'unknown', expression: '[...]', reason: 'array' };
    default:
      return { kind: 'unknown', expression: v.expression, reason: v.reason };
  }
}

function literalOf(v: PhpValue): Literal | undefined {
  return v.kind === 'literal' ? v.value : undefined;
}
