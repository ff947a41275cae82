/**
 * `.env*` files: which variables each environment sets, for resolvers that meet `env('X')`,
 * `process.env.X` or `os.environ['X']`. Parsed with the `dotenv` package's own parser (the format
 * Laravel's vlucas/phpdotenv, Symfony's Dotenv and python-dotenv also read, for the simple lines
 * that decide cookie settings).
 *
 * Secrets never leave the file: a value is kept only when it is a boolean, a number, a short word,
 * a host name or a URL without credentials (query and fragment dropped); every other value, and every
 * value of a key named like a secret (SECRET, PASSWORD, KEY, TOKEN ...), becomes `<redacted>`.
 */
import dotenv from 'dotenv';
import type { CodeFact, Extractor, FileFacts, ProjectFacts, SourceFile } from '../types.js';

export const REDACTED_ENV_VALUE = '<redacted>';

/** Suffixes of files that only document variables (`.env.example`): they configure nothing. */
const TEMPLATE_WORDS = new Set(['example', 'sample', 'dist', 'template', 'tpl', 'defaults-example']);
/** `.env.local.php` (Symfony's compiled dotenv), `.env.js`, `.env.d.ts` ... are code, not dotenv files. */
const CODE_EXTENSIONS = new Set([
  'php',
  'js',
  'mjs',
  'cjs',
  'ts',
  'mts',
  'cts',
  'json',
  'py',
  'sh',
  'yml',
  'yaml',
  'bak',
  'swp',
]);

/**
 * Key names whose values are secrets whatever they look like. The `(^|_)PASS(_|$)` form keeps
 * e.g. PASSPORT out while catching DB_PASS.
 */
const SECRET_KEY =
  /SECRET|PASSWORD|PASSWD|PASSPHRASE|KEY|TOKEN|CREDENTIAL|PRIVATE|SALT|SIGNATURE|DSN|PWD|COOKIE_VALUE|(^|_)PASS(_|$)/i;

export interface EnvFileName {
  environment: string;
  local: boolean;
  template: boolean;
}

/**
 * The environment a dotenv file describes, from its name; null when the name is not a dotenv file.
 * `.env` -> default; `.env.production` -> production; `.env.production.local` -> production (local);
 * `.env.local` -> local (local); `prod.env` -> prod; `.env.example` -> example (template).
 */
export function envFileName(path: string): EnvFileName | null {
  const base = path.slice(path.lastIndexOf('/') + 1);
  let parts: string[];
  if (base === '.env') parts = [];
  else if (base.startsWith('.env.')) parts = base.slice(5).split('.');
  else if (base.endsWith('.env') && base.length > 4 && !base.startsWith('.')) parts = [base.slice(0, -4)];
  else return null;
  if (parts.some((p) => p === '')) return null;
  if (parts.length > 0 && CODE_EXTENSIONS.has(parts[parts.length - 1].toLowerCase())) return null;
  const lower = parts.map((p) => p.toLowerCase());
  const template = lower.some((p) => TEMPLATE_WORDS.has(p));
  const local = lower.includes('local');
  const named = parts.filter((p, i) => lower[i] !== 'local' && !TEMPLATE_WORDS.has(lower[i]));
  const environment =
    named[0] ??
    (template ? parts[lower.findIndex((p) => TEMPLATE_WORDS.has(p))] : local ? 'local' : 'default');
  return { environment, local, template };
}

/** The value as it may appear in a report, or `<redacted>`. */
export function safeEnvValue(key: string, value: string): string {
  if (SECRET_KEY.test(key)) return REDACTED_ENV_VALUE;
  const v = value.trim();
  if (v === '') return '';
  if (/^(true|false|yes|no|on|off|null|none|\(true\)|\(false\)|\(null\)|\(empty\))$/i.test(v)) return v;
  if (/^[+-]?\d{1,12}(\.\d{1,6})?$/.test(v)) return v;
  if (/^(?=.*[A-Za-z])[A-Za-z0-9][A-Za-z0-9_.:-]{0,31}$/.test(v) && !looksRandom(v)) return v;
  if (/^\.?[A-Za-z0-9-]{1,63}(\.[A-Za-z0-9-]{1,63}){1,8}$/.test(v) && !looksRandom(v.replace(/\./g, '')))
    return v;
  const url = safeUrl(v);
  if (url !== null) return url;
  return REDACTED_ENV_VALUE;
}

/** Letters mixed with digits over 8+ characters, or a long run without vowels: an id or a key, not a word. */
function looksRandom(v: string): boolean {
  const letters = /[A-Za-z]/.test(v);
  const digits = /\d/.test(v);
  if (v.length >= 8 && letters && digits) return true;
  return /[^aeiouy\W\d_]{7,}/i.test(v);
}

function safeUrl(v: string): string | null {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) return null;
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return null;
  }
  if (u.protocol === 'http:' || u.protocol === 'https:' || u.protocol === 'ws:' || u.protocol === 'wss:') {
    // Path segments can carry tokens (webhook URLs): keep them only when they are plain words.
    const path = u.pathname.split('/').every((seg) => seg === '' || !looksRandom(seg)) ? u.pathname : '/';
    return `${u.protocol}//${u.host}${path === '/' ? '' : path}`;
  }
  // Other schemes (redis://, postgres://): the scheme and host say enough; credentials never leave.
  return u.host ? `${u.protocol}//${u.host}` : null;
}

/** 1-based line of the last definition of each key (dotenv keeps the last one). */
function definitionLines(text: string, keys: Set<string>): Record<string, number> {
  const lines: Record<string, number> = {};
  const all = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < all.length; i++) {
    const m = /^\s*(?:export\s+)?([\w.-]+)\s*(?:=|:\s)/.exec(all[i]);
    if (m && keys.has(m[1])) lines[m[1]] = i + 1;
  }
  return lines;
}

export function extractDotenv(file: SourceFile): CodeFact[] {
  const name = envFileName(file.file);
  if (name === null) return [];
  const parsed = dotenv.parse(file.text);
  const variables: Record<string, string> = {};
  for (const key of Object.keys(parsed).sort()) variables[key] = safeEnvValue(key, parsed[key]);
  const fact: CodeFact = {
    type: 'env-file',
    environment: name.environment,
    variables,
    location: { file: file.file, line: 1, column: 1 },
    lines: definitionLines(file.text, new Set(Object.keys(parsed))),
  };
  if (name.local) fact.local = true;
  if (name.template) fact.template = true;
  return [fact];
}

export const dotenvExtractor: Extractor = {
  name: 'dotenv',
  files: ['**/.env', '**/.env.*', '**/*.env'],
  keywords: [],
  extract: extractDotenv,
};

export interface EnvValue {
  environment: string;
  value: string;
  file: string;
  line: number | null;
  local: boolean;
  inTestCode: boolean;
}

/**
 * Every value `variable` takes in the project's dotenv files (templates left out), sorted by file.
 * Resolvers combine these with their framework's load order (e.g. `.env` then `.env.production`).
 */
export function envValuesOf(project: ProjectFacts, variable: string): EnvValue[] {
  const out: EnvValue[] = [];
  const files: FileFacts[] = [...project.files].sort((a, b) =>
    a.file < b.file ? -1 : a.file > b.file ? 1 : 0,
  );
  for (const f of files) {
    for (const fact of f.facts) {
      if (fact.type !== 'env-file' || fact.template || !(variable in fact.variables)) continue;
      out.push({
        environment: fact.environment,
        value: fact.variables[variable],
        file: f.file,
        line: fact.lines?.[variable] ?? null,
        local: fact.local === true,
        inTestCode: f.inTestCode,
      });
    }
  }
  return out;
}
