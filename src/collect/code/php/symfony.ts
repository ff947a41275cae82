/**
 * Symfony FrameworkBundle configuration in YAML: config/packages/framework.yaml (and any
 * config/packages/**.yaml with a `framework:` key), `when@ENV:` blocks (Symfony 5.3+) and the older
 * per-environment folders config/packages/ENV/.
 *
 * Keys (symfony/framework-bundle DependencyInjection/Configuration.php, 5.4 to 7.x):
 *   framework.session: true | ~ | { enabled, name, cookie_secure: true|false|'auto', cookie_httponly,
 *                      cookie_samesite: null|lax|strict|none, cookie_domain, cookie_path, cookie_lifetime,
 *                      use_cookies }
 *   framework.trusted_proxies, framework.trusted_headers
 * Values may be env placeholders `%env(bool:SESSION_SECURE)%` (processors before the variable name).
 * Parsed with the `yaml` package's Document API; positions come from its LineCounter.
 */
import { createRequire } from 'node:module';
import type { Node as YamlNode, Pair, Scalar, YAMLMap } from 'yaml';
import type { CodeLocation } from '../../../model/observation.js';
import type { CodeFact, SettingValue } from '../types.js';

// The YAML parser is loaded on the first Symfony config file: importing it costs about 30 ms in every
// scan worker, and most trees have no such file.
const require = createRequire(import.meta.url);
let Y: typeof import('yaml') | undefined;
const yaml = (): typeof import('yaml') => (Y ??= require('yaml') as typeof import('yaml'));
const isScalar = (n: unknown): n is Scalar => yaml().isScalar(n);
const isMap = (n: unknown): n is YAMLMap => yaml().isMap(n);
const isPair = (n: unknown): n is Pair => yaml().isPair(n);

export const SYMFONY_SESSION_KEYS = new Set([
  'name',
  'cookie_secure',
  'cookie_httponly',
  'cookie_samesite',
  'cookie_domain',
  'cookie_path',
  'cookie_lifetime',
  'use_cookies',
  'enabled',
]);

/** A YAML value as the resolver needs it. */
export type SymfonyValue =
  | { kind: 'literal'; value: string | number | boolean | null }
  /** `%env(bool:X)%`: processors in order (outermost first), and the variable. */
  | { kind: 'env'; variable: string; processors: string[]; default?: string; expression: string }
  | { kind: 'unknown'; expression: string; reason: string };

export interface SymfonySettingDetail {
  value: SymfonyValue;
}

/** `%env(bool:default:FALLBACK:X)%` → processors ['bool','default:FALLBACK'] ... we keep it simple. */
export function parseEnvPlaceholder(s: string): { variable: string; processors: string[] } | null {
  const m = /^%env\(([^()%]+)\)%$/.exec(s.trim());
  if (!m) return null;
  const parts = m[1]!.split(':');
  const variable = parts.pop()!;
  return { variable, processors: parts };
}

function toValue(node: unknown, text: string): SymfonyValue {
  if (node === null || node === undefined) return { kind: 'literal', value: null };
  if (isScalar(node)) {
    const v = node.value;
    if (typeof v === 'string') {
      const env = parseEnvPlaceholder(v);
      if (env) return { kind: 'env', variable: env.variable, processors: env.processors, expression: v };
      if (/%[^%\s]+%/.test(v)) return { kind: 'unknown', expression: v, reason: 'container parameter' };
      return { kind: 'literal', value: v };
    }
    if (typeof v === 'number' || typeof v === 'boolean' || v === null) return { kind: 'literal', value: v };
    return { kind: 'unknown', expression: String(v), reason: 'YAML value' };
  }
  const r = (node as { range?: [number, number, number] }).range;
  return {
    kind: 'unknown',
    expression: r ? text.slice(r[0], r[1]).trim() : '(value)',
    reason: 'not a scalar',
  };
}

export function toSymfonySettingValue(v: SymfonyValue): SettingValue {
  if (v.kind === 'literal') return { kind: 'literal', value: v.value };
  if (v.kind === 'env') return { kind: 'env', variable: v.variable, expression: v.expression };
  return { kind: 'unknown', expression: v.expression, reason: v.reason };
}

/**
 * Environment from the path: config/packages/ENV/*.yaml (Symfony 4+), app/config/config_ENV.yml
 * (Symfony 2 and 3).
 */
export function environmentFromPath(file: string): string | undefined {
  const m = /(?:^|\/)config\/packages\/([^/]+)\/[^/]+\.ya?ml$/.exec(file);
  if (m) return m[1];
  const legacy = /(?:^|\/)app\/config\/[a-z]+_([a-z0-9]+)\.ya?ml$/i.exec(file);
  return legacy ? legacy[1]!.toLowerCase() : undefined;
}

export function extractSymfonyYaml(file: string, text: string): CodeFact[] {
  const lc = new (yaml().LineCounter)();
  let doc;
  try {
    doc = yaml().parseDocument(text, { lineCounter: lc, uniqueKeys: false, prettyErrors: false });
  } catch {
    return [];
  }
  const root = doc.contents;
  if (!isMap(root)) return [];
  const lines = text.split(/\r?\n/);
  const loc = (node: YamlNode | Pair): CodeLocation => {
    const keyNode = isPair(node) ? (node.key as YamlNode | null) : node;
    const r = (keyNode as { range?: [number, number, number] } | null)?.range ?? [0, 0, 0];
    const p = lc.linePos(r[0]);
    return { file, line: p.line, column: p.col };
  };
  const lineText = (l: CodeLocation): string => (lines[l.line - 1] ?? '').trim();
  const facts: CodeFact[] = [];
  const pathEnv = environmentFromPath(file);

  const visitFramework = (fw: unknown, environment: string | undefined): void => {
    if (!isMap(fw)) return;
    for (const pair of fw.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      const l = loc(pair);
      const scope = environment ? { environment } : undefined;
      if (key === 'session') {
        const v = pair.value;
        const disabled =
          (isScalar(v) && v.value === false) ||
          (isMap(v) &&
            v.items.some(
              (p) =>
                isScalar(p.key) && p.key.value === 'enabled' && isScalar(p.value) && p.value.value === false,
            ));
        if (disabled) {
          facts.push({
            type: 'other',
            framework: 'symfony',
            key: 'session-disabled',
            data: { environment: environment ?? null },
            location: l,
            evidence: lineText(l),
          });
          continue;
        }
        const enabled: Extract<CodeFact, { type: 'session-enabled' }> = {
          type: 'session-enabled',
          framework: 'symfony',
          location: l,
          evidence: lineText(l),
        };
        if (environment) {
          enabled.guard = {
            condition: `APP_ENV == ${environment}`,
            test: { op: 'eq', variable: 'APP_ENV', value: environment },
          };
        }
        facts.push(enabled);
        if (!isMap(v)) continue;
        for (const sp of v.items) {
          const sk = isScalar(sp.key) ? String(sp.key.value) : '';
          if (!SYMFONY_SESSION_KEYS.has(sk) || sk === 'enabled') continue;
          const value = toValue(sp.value, text);
          const sl = loc(sp);
          const f: CodeFact = {
            type: 'setting',
            framework: 'symfony',
            key: `session.${sk}`,
            value: toSymfonySettingValue(value),
            location: sl,
            evidence: lineText(sl),
            via: 'framework.yaml',
            detail: { value } satisfies SymfonySettingDetail,
          };
          if (scope) f.scope = scope;
          facts.push(f);
        }
      } else if (key === 'trusted_proxies' || key === 'trusted_headers') {
        facts.push({
          type: 'other',
          framework: 'symfony',
          key: key === 'trusted_proxies' ? 'trusted-proxies' : 'trusted-headers',
          data: { value: toValue(pair.value, text), environment: environment ?? null, via: 'framework.yaml' },
          location: l,
          evidence: lineText(l),
        });
      }
    }
  };

  // security.firewalls.<name>.remember_me: the remember-me cookie of a firewall.
  const visitSecurity = (sec: unknown, environment: string | undefined): void => {
    if (!isMap(sec)) return;
    const firewalls = sec.items.find((p) => isScalar(p.key) && p.key.value === 'firewalls')?.value;
    if (!isMap(firewalls)) return;
    for (const fw of firewalls.items) {
      if (!isMap(fw.value)) continue;
      const rm = fw.value.items.find((p) => isScalar(p.key) && p.key.value === 'remember_me');
      if (!rm || !isMap(rm.value)) continue; // `remember_me: false` (or absent): no cookie
      const options: Record<string, SymfonyValue> = {};
      const sites: Record<string, CodeLocation> = {};
      for (const op of rm.value.items) {
        const k = isScalar(op.key) ? String(op.key.value) : '';
        if (!REMEMBER_ME_KEYS.has(k)) continue;
        options[k] = toValue(op.value, text);
        sites[k] = loc(op);
      }
      const l = loc(rm);
      facts.push({
        type: 'other',
        framework: 'symfony',
        key: 'remember-me',
        data: {
          firewall: isScalar(fw.key) ? String(fw.key.value) : '',
          environment: environment ?? null,
          options,
          sites,
        } satisfies SymfonyRememberMe,
        location: l,
        evidence: lineText(l),
      });
    }
  };

  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (key === 'framework') visitFramework(pair.value, pathEnv);
    if (key === 'security') visitSecurity(pair.value, pathEnv);
    const when = /^when@(.+)$/.exec(key);
    if (when && isMap(pair.value)) {
      for (const inner of pair.value.items) {
        if (isScalar(inner.key) && inner.key.value === 'framework') visitFramework(inner.value, when[1]);
        if (isScalar(inner.key) && inner.key.value === 'security') visitSecurity(inner.value, when[1]);
      }
    }
  }
  return facts;
}

/** security.firewalls.X.remember_me options that decide the cookie (SecurityBundle RememberMeFactory). */
const REMEMBER_ME_KEYS = new Set(['name', 'secure', 'httponly', 'samesite', 'lifetime', 'domain', 'path']);

/** Detail of a `remember-me` fact: a firewall's remember-me cookie options as written. */
export interface SymfonyRememberMe {
  firewall: string;
  environment: string | null;
  options: Record<string, SymfonyValue>;
  /** Where each option is written. */
  sites: Record<string, CodeLocation>;
}
