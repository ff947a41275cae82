/**
 * Ruby expressions as setting values: literals (`true`, `:lax`, `'_app_session'`, `1.year`), the
 * environment tests Rails code writes (`Rails.env.production?`, `!Rails.env.development?`,
 * `Rails.env == 'production'`, `ENV['FORCE_SSL'] == 'true'`, `ENV.fetch('X', 'false') == 'true'`,
 * `ENV['X'].present?`) and ternaries over them; anything else is unknown with the reason.
 *
 * `Rails.env` reads RAILS_ENV, then RACK_ENV, and is 'development' when neither is set
 * (railties lib/rails.rb `Rails.env`, checked in railties 6.1.7.10 as installed by Debian).
 */
import type { SgNode } from '@ast-grep/napi';
import type { EnvTest, SettingValue } from '../types.js';
import { evidenceOf } from '../common/location.js';

type Scalar = string | number | boolean | null;

/** Arguments of a call without punctuation. */
export function argsOf(call: SgNode): SgNode[] {
  return (call.field('arguments')?.children() ?? []).filter(
    (c) => !['(', ')', ','].includes(String(c.kind())),
  );
}

/** ActiveSupport::Duration lengths in seconds (activesupport lib/active_support/duration.rb, 6.1). */
const DURATION: Record<string, number> = {
  second: 1,
  seconds: 1,
  minute: 60,
  minutes: 60,
  hour: 3600,
  hours: 3600,
  day: 86400,
  days: 86400,
  week: 604800,
  weeks: 604800,
  month: 2629746,
  months: 2629746,
  year: 31556952,
  years: 31556952,
};

/** The text of a string literal without interpolation, or null. */
export function stringOf(n: SgNode | null | undefined): string | null {
  if (!n) return null;
  const k = n.kind();
  if (k === 'string') {
    const parts = n.children().filter((c) => c.kind() !== '"');
    if (parts.some((c) => c.kind() === 'interpolation')) return null;
    return parts.map((c) => (c.kind() === 'escape_sequence' ? c.text().slice(1) : c.text())).join('');
  }
  if (k === 'simple_symbol') return n.text().replace(/^:/, '');
  if (k === 'hash_key_symbol') return n.text();
  if (k === 'delimited_symbol') return stringOf(n.children().find((c) => c.kind() === 'string') ?? null);
  return null;
}

/** A constant Ruby value (string, symbol as its name, number, true/false/nil, a duration), or undefined. */
export function scalarOf(n: SgNode | null | undefined): Scalar | undefined {
  if (!n) return undefined;
  const k = n.kind();
  if (k === 'true') return true;
  if (k === 'false') return false;
  if (k === 'nil') return null;
  if (k === 'integer') return Number(n.text().replace(/_/g, ''));
  if (k === 'float') return Number(n.text().replace(/_/g, ''));
  if (k === 'parenthesized_statements') {
    const inner = n.children().filter((c) => c.kind() !== '(' && c.kind() !== ')');
    return inner.length === 1 ? scalarOf(inner[0]) : undefined;
  }
  const s = stringOf(n);
  if (s !== null) return s;
  if (k === 'call') {
    // 1.year, 2.years, 180.days, 1.year.to_i
    const method = n.field('method')?.text();
    const recv = n.field('receiver');
    if ((method === 'to_i' || method === 'from_now') && recv) return scalarOf(recv);
    if (method && recv && recv.kind() === 'integer' && DURATION[method] !== undefined)
      return Number(recv.text().replace(/_/g, '')) * DURATION[method]!;
  }
  return undefined;
}

/** The pairs of a hash literal (or of an argument list's trailing keyword arguments), by key. */
export function pairsOf(
  n: SgNode | null | undefined,
): Map<string, { key: SgNode; value: SgNode; pair: SgNode }> {
  const out = new Map<string, { key: SgNode; value: SgNode; pair: SgNode }>();
  if (!n) return out;
  for (const c of n.children()) {
    if (c.kind() !== 'pair') continue;
    const key = c.field('key');
    const value = c.field('value');
    if (!key || !value) continue;
    const name = stringOf(key);
    if (name !== null) out.set(name, { key, value, pair: c });
  }
  return out;
}

/** Whether the hash or argument list passes `**opts` (keys this scanner cannot see). */
export function hasSplat(n: SgNode | null | undefined): boolean {
  return !!n && n.children().some((c) => c.kind() === 'hash_splat_argument' || c.kind() === 'splat_argument');
}

const RAILS_ENV_DEFAULT = 'development';

/** `Rails.env` (the receiver of `.production?`). */
function isRailsEnv(n: SgNode | null | undefined): boolean {
  return (
    !!n &&
    n.kind() === 'call' &&
    n.field('method')?.text() === 'env' &&
    n.field('receiver')?.text() === 'Rails'
  );
}

/** `ENV['X']`, `ENV.fetch('X')`, `ENV.fetch('X', 'd')`: the variable and its default. */
function envRead(n: SgNode | null | undefined): { variable: string; default?: string } | null {
  if (!n) return null;
  if (n.kind() === 'element_reference') {
    const kids = n.children();
    if (kids[0]?.text() !== 'ENV') return null;
    const key = stringOf(
      kids.find((c, i) => i > 0 && (c.kind() === 'string' || c.kind() === 'simple_symbol')),
    );
    return key ? { variable: key } : null;
  }
  if (n.kind() === 'call' && n.field('receiver')?.text() === 'ENV' && n.field('method')?.text() === 'fetch') {
    const args = argsOf(n);
    const variable = stringOf(args[0]);
    if (!variable) return null;
    const d = scalarOf(args[1]);
    return d !== undefined && d !== null ? { variable, default: String(d) } : { variable };
  }
  return null;
}

/** A test on the environment, or null when `n` is not one this scanner understands. */
export function envTestOf(n: SgNode | null | undefined): EnvTest | null {
  if (!n) return null;
  const k = n.kind();
  if (k === 'parenthesized_statements') {
    const inner = n.children().filter((c) => c.kind() !== '(' && c.kind() !== ')');
    return inner.length === 1 ? envTestOf(inner[0]) : null;
  }
  if (k === 'unary' && (n.field('operator')?.text() === '!' || n.text().startsWith('not '))) {
    const t = envTestOf(n.field('operand'));
    return t ? { op: 'not', test: t } : null;
  }
  if (k === 'binary') {
    const op = n.field('operator')?.text();
    const l = n.field('left');
    const r = n.field('right');
    if (op === '||' || op === '&&' || op === 'or' || op === 'and') {
      const a = envTestOf(l);
      const b = envTestOf(r);
      return a && b ? { op: op === '||' || op === 'or' ? 'or' : 'and', tests: [a, b] } : null;
    }
    if (op === '==' || op === '!=') {
      const eq = op === '==' ? 'eq' : 'ne';
      for (const [a, b] of [
        [l, r],
        [r, l],
      ] as const) {
        const lit = scalarOf(b);
        if (lit === undefined || lit === null) continue;
        if (isRailsEnv(a))
          return { op: eq, variable: 'RAILS_ENV', value: String(lit), default: RAILS_ENV_DEFAULT };
        const e = envRead(a);
        if (e)
          return {
            op: eq,
            variable: e.variable,
            value: String(lit),
            ...(e.default !== undefined ? { default: e.default } : {}),
          };
      }
    }
    return null;
  }
  if (k === 'call') {
    const method = n.field('method')?.text() ?? '';
    const recv = n.field('receiver');
    // Rails.env.production? (ActiveSupport::EnvironmentInquirer)
    if (isRailsEnv(recv) && method.endsWith('?') && method !== 'present?' && method !== 'blank?')
      return { op: 'eq', variable: 'RAILS_ENV', value: method.slice(0, -1), default: RAILS_ENV_DEFAULT };
    const e = envRead(recv);
    if (e && method === 'present?') return { op: 'truthy', variable: e.variable };
    if (e && method === 'blank?') return { op: 'falsy', variable: e.variable };
  }
  const e = envRead(n);
  if (e)
    return { op: 'truthy', variable: e.variable, ...(e.default !== undefined ? { default: e.default } : {}) };
  return null;
}

/** The value of a Ruby expression as a setting value. */
export function valueOf(n: SgNode): SettingValue {
  const s = scalarOf(n);
  if (s !== undefined) return { kind: 'literal', value: s };
  const expression = evidenceOf(n);
  if (n.kind() === 'conditional') {
    const test = envTestOf(n.field('condition'));
    const a = scalarOf(n.field('consequence'));
    const b = scalarOf(n.field('alternative'));
    if (test && a !== undefined && b !== undefined)
      return { kind: 'conditional', condition: expression, whenTrue: a, whenFalse: b, expression, test };
    return { kind: 'unknown', expression, reason: 'a condition the scanner cannot evaluate' };
  }
  const test = envTestOf(n);
  if (test)
    return { kind: 'conditional', condition: expression, whenTrue: true, whenFalse: false, expression, test };
  const e = envRead(n);
  if (e)
    return {
      kind: 'env',
      variable: e.variable,
      expression,
      ...(e.default !== undefined ? { default: e.default } : {}),
    };
  return { kind: 'unknown', expression, reason: `the value of \`${expression}\` is computed at run time` };
}
