/**
 * Language-neutral helpers for {@link SettingValue}. Reading a literal out of an AST node is language
 * specific (PHP ini booleans, Python `True`, JavaScript template strings) and stays with each family's
 * extractor; what every family shares is building, comparing and describing the values.
 */
import type { SettingValue } from '../types.js';

type Scalar = string | number | boolean | null;

export function literal(value: Scalar): SettingValue {
  return { kind: 'literal', value };
}

export function unknownValue(expression: string, reason: string): SettingValue {
  return { kind: 'unknown', expression, reason };
}

export function envValue(variable: string, expression: string, fallback?: Scalar): SettingValue {
  return fallback === undefined
    ? { kind: 'env', variable, expression }
    : { kind: 'env', variable, default: fallback, expression };
}

export function isLiteral(v: SettingValue | undefined): v is Extract<SettingValue, { kind: 'literal' }> {
  return v !== undefined && v.kind === 'literal';
}

/** Same meaning (the `expression` text of env / conditional / unknown values included). */
export function sameValue(a: SettingValue, b: SettingValue): boolean {
  if (a.kind !== b.kind) return false;
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  if (ka.join() !== kb.join()) return false;
  const ra = a as unknown as Record<string, unknown>;
  const rb = b as unknown as Record<string, unknown>;
  return ka.every((k) => JSON.stringify(ra[k]) === JSON.stringify(rb[k]));
}

/** Short human text for messages: `true`, `'lax'`, `env SESSION_SECURE_COOKIE (default false)`, `NODE_ENV === 'production'`. */
export function describeValue(v: SettingValue): string {
  switch (v.kind) {
    case 'literal':
      return scalarText(v.value);
    case 'env':
      return v.default === undefined
        ? `env ${v.variable}`
        : `env ${v.variable} (default ${scalarText(v.default)})`;
    case 'conditional':
      return v.condition;
    case 'unknown':
      return v.expression;
  }
}

function scalarText(v: Scalar): string {
  return typeof v === 'string' ? `'${v}'` : String(v);
}
