/**
 * Laravel configuration files: config/session.php (the session cookie) and config/trustedproxy.php
 * (fideloper/proxy and Laravel 9/10's TrustProxies read `proxies` from it).
 *
 * config/session.php returns an array; the keys that decide the session cookie are (laravel/framework
 * config/session.php, v11.21.0): cookie, path, domain, secure, http_only, same_site, partitioned,
 * lifetime, expire_on_close, driver. Values are usually `env('SESSION_...', default)`.
 */
import type { SgNode } from '@ast-grep/napi';
import type { CodeFact } from '../types.js';
import { calledMethodName, callArguments, evidenceOf, nodeLocation } from './ast.js';
import { Evaluator, toSettingValue, type PhpSettingDetail, type PhpValue } from './values.js';

export const LARAVEL_SESSION_KEYS = new Set([
  'cookie',
  'path',
  'domain',
  'secure',
  'http_only',
  'same_site',
  'partitioned',
  'lifetime',
  'expire_on_close',
  'driver',
]);

/** How the stock config derives the cookie name: `Str::slug(env('APP_NAME', 'laravel'), '_').'_session'`. */
export interface LaravelCookieNameDetail {
  value: PhpValue;
  /** Present when the default is the stock slug-of-APP_NAME form. */
  slugOf?: { variable: string; default: string | null; separator: string; suffix: string };
}

function topLevelReturnArray(root: SgNode): SgNode | null {
  for (const st of root.children()) {
    if (st.kind() !== 'return_statement') continue;
    const arr = st.namedChildren().find((c) => c.kind() === 'array_creation_expression');
    if (arr) return arr;
  }
  return null;
}

export function extractLaravelConfig(file: string, root: SgNode, ev: Evaluator): CodeFact[] {
  const isSession = /(^|\/)[Cc]onfig\/session\.php$/.test(file);
  const isTrusted = /(^|\/)[Cc]onfig\/trustedproxy\.php$/.test(file);
  if (!isSession && !isTrusted) return [];
  const arr = topLevelReturnArray(root);
  if (!arr) return [];
  const facts: CodeFact[] = [];
  for (const el of arr.namedChildren()) {
    if (el.kind() !== 'array_element_initializer') continue;
    const kids = el.namedChildren();
    if (kids.length < 2) continue;
    const k = ev.eval(kids[0]);
    if (k.kind !== 'literal' || typeof k.value !== 'string') continue;
    const valueNode = kids[kids.length - 1]!;
    if (isTrusted) {
      if (k.value !== 'proxies') continue;
      facts.push({
        type: 'other',
        framework: 'laravel',
        key: 'trust-proxies',
        data: { value: ev.eval(valueNode), via: 'config/trustedproxy.php' },
        location: nodeLocation(file, el),
        evidence: evidenceOf(el),
      });
      continue;
    }
    if (!LARAVEL_SESSION_KEYS.has(k.value)) continue;
    const v = ev.eval(valueNode);
    const detail: PhpSettingDetail & Partial<LaravelCookieNameDetail> = { value: v };
    if (k.value === 'cookie') {
      const slug = stockCookieName(valueNode, ev);
      if (slug) detail.slugOf = slug;
    }
    facts.push({
      type: 'setting',
      framework: 'laravel',
      key: `session.${k.value}`,
      value: toSettingValue(v),
      location: nodeLocation(file, el),
      evidence: evidenceOf(el),
      via: 'config/session.php',
      detail,
    });
  }
  return facts;
}

/**
 * Recognise `env('SESSION_COOKIE', Str::slug(env('APP_NAME', 'laravel'), '_').'_session')` (and the
 * same without the outer env()). Str::slug (Illuminate/Support/Str.php) lower-cases and joins words
 * with the separator.
 */
function stockCookieName(node: SgNode, ev: Evaluator): LaravelCookieNameDetail['slugOf'] | null {
  const slugCall = [node, ...node.findAll({ rule: { kind: 'scoped_call_expression' } })].find(
    (c) => c.kind() === 'scoped_call_expression' && calledMethodName(c) === 'slug',
  );
  if (!slugCall) return null;
  const args = callArguments(slugCall);
  const of = args[0] ? ev.eval(args[0].value) : null;
  if (!of || of.kind !== 'env') return null;
  const sep = args[1] ? ev.eval(args[1].value) : { kind: 'literal' as const, value: '-' };
  const concat = slugCall.parent();
  let suffix = '';
  if (concat && concat.kind() === 'binary_expression' && concat.field('operator')?.text() === '.') {
    const right = ev.eval(concat.field('right'));
    if (right.kind === 'literal' && typeof right.value === 'string') suffix = right.value;
  }
  const def =
    of.default && of.default.kind === 'literal' && typeof of.default.value === 'string'
      ? of.default.value
      : null;
  return {
    variable: of.variable,
    default: def,
    separator: sep.kind === 'literal' && typeof sep.value === 'string' ? sep.value : '-',
    suffix,
  };
}

/**
 * Str::slug($title, $separator) for ASCII input (Illuminate/Support/Str.php, v11.21.0): convert the
 * other separator to this one, replace `@` with `-at-`, lower-case, drop everything that is not a
 * letter, digit, blank or separator, collapse blanks/separators into one separator, trim it.
 */
export function laravelSlug(title: string, separator = '-'): string {
  const flip = separator === '-' ? '_' : '-';
  let t = title.split(flip).join(separator);
  t = t.split('@').join(separator + 'at' + separator);
  t = t.toLowerCase();
  const sepEsc = separator.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  t = t.replace(new RegExp(`[^${sepEsc}\\p{L}\\p{N}\\s]+`, 'gu'), '');
  t = t.replace(new RegExp(`[${sepEsc}\\s]+`, 'gu'), separator);
  return t.replace(new RegExp(`^${sepEsc}+|${sepEsc}+$`, 'g'), '');
}
