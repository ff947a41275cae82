/**
 * The environments a project reveals through its `.env*` files, and the value of a setting in each.
 *
 * Layering follows dotenv-flow / Next.js / Vite: `.env` and `.env.local` apply everywhere, `.env.<name>`
 * (and `.env.<name>.local`) apply in environment <name>, where NODE_ENV is <name> unless the file says
 * otherwise. Example / template files document variables, they configure nothing, and are ignored.
 * When a condition reads NODE_ENV and no file names the environments, 'production' and 'development'
 * are assumed.
 */
import type { CodeFact, ProjectFacts, SettingValue } from '../types.js';
import { REDACTED_ENV_VALUE } from '../common/index.js';
import { evalEnvTest, testVariables, type EnvVars } from './envtest.js';

export interface Environment {
  name: string;
  vars: EnvVars;
  /** The files whose variables decide the value (only those defining a variable that was read). */
  files: string[];
}

interface Source {
  file: string;
  name: string | null; // null: applies to every environment
  vars: Record<string, string>;
}

/** What the engine's .env reader keeps of a value that looks like a secret (common/dotenv.ts). */
const REDACTED = REDACTED_ENV_VALUE;

const IGNORED = /^(example|sample|template|tpl|dist|schema|defaults|bak|orig|save|old)$/i;

function baseName(file: string): string {
  const i = file.lastIndexOf('/');
  return i === -1 ? file : file.slice(i + 1);
}

/** `.env` -> null (all), `.env.production.local` -> 'production', `.env.example` -> undefined (ignored). */
export function environmentOfFile(file: string, declared?: string): string | null | undefined {
  const base = baseName(file);
  if (base === '.env' || base === '.env.local') return null;
  const m = /^\.env\.([^.]+)(?:\.local)?$/.exec(base);
  if (m) return IGNORED.test(m[1]) ? undefined : m[1];
  if (declared && !IGNORED.test(declared)) return declared === 'default' ? null : declared;
  return undefined;
}

export class Environments {
  private readonly sources: Source[] = [];

  constructor(project: ProjectFacts) {
    for (const f of project.files) {
      if (f.inTestCode) continue;
      for (const fact of f.facts) {
        if (fact.type !== 'env-file' || fact.template) continue;
        const name = environmentOfFile(f.file, (fact as Extract<CodeFact, { type: 'env-file' }>).environment);
        if (name === undefined) continue;
        this.sources.push({ file: f.file, name, vars: fact.variables });
      }
    }
    this.sources.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  }

  /** The environments in which any of `read` is known. */
  forVariables(read: readonly string[]): Environment[] {
    const base: EnvVars = {};
    const baseFiles: Source[] = [];
    for (const s of this.sources) {
      if (s.name !== null) continue;
      Object.assign(base, s.vars);
      baseFiles.push(s);
    }
    const names = [...new Set(this.sources.filter((s) => s.name !== null).map((s) => s.name as string))];
    const readsNodeEnv = read.includes('NODE_ENV');
    if (readsNodeEnv) for (const n of ['production', 'development']) if (!names.includes(n)) names.push(n);
    const out: Environment[] = [];
    const defines = (s: Source): boolean => read.some((v) => v in s.vars);
    for (const name of names) {
      const own = this.sources.filter((s) => s.name === name);
      const vars: EnvVars = { ...base };
      for (const s of own) Object.assign(vars, s.vars);
      if (vars.NODE_ENV === undefined) vars.NODE_ENV = name;
      // the file that decides each variable read: the environment's own file wins over .env / .env.local
      const files: string[] = [];
      for (const v of read) {
        const decider = [...baseFiles, ...own].filter((s) => v in s.vars).pop();
        if (decider && !files.includes(decider.file)) files.push(decider.file);
      }
      const informative = read.some((v) => vars[v] !== undefined && (v !== 'NODE_ENV' || readsNodeEnv));
      if (informative) out.push({ name, vars, files });
    }
    if (names.length === 0 && baseFiles.some(defines)) {
      out.push({ name: 'default', vars: { ...base }, files: baseFiles.filter(defines).map((s) => s.file) });
    }
    return out;
  }
}

/** Variables a setting value reads. */
export function variablesOf(v: SettingValue): string[] {
  if (v.kind === 'env') return [v.variable];
  if (v.kind === 'conditional') return v.test ? testVariables(v.test) : v.variable ? [v.variable] : [];
  return [];
}

/**
 * The raw value of a setting in an environment: a scalar, `null` when unset (the default applies), or
 * `undefined` when it cannot be known.
 */
export function valueIn(v: SettingValue, vars: EnvVars): string | number | boolean | null | undefined {
  // the engine keeps no secret-looking values: a redacted value cannot be evaluated
  if (variablesOf(v).some((x) => vars[x] === REDACTED)) return undefined;
  switch (v.kind) {
    case 'literal':
      return v.value;
    case 'env': {
      const raw = vars[v.variable];
      if (raw !== undefined) return raw;
      return v.default === undefined ? null : v.default;
    }
    case 'conditional': {
      if (!v.test) return undefined;
      const holds = evalEnvTest(v.test, vars);
      return holds ? v.whenTrue : v.whenFalse;
    }
    case 'unknown':
      return undefined;
  }
}
