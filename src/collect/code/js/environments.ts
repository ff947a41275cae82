/**
 * The environments a project reveals through its `.env*` files, and the value of a setting in each.
 *
 * Layering follows dotenv-flow / Next.js / Vite: `.env` and `.env.local` apply everywhere, `.env.<name>`
 * (and `.env.<name>.local`) apply in environment <name>, where NODE_ENV is <name> unless the file says
 * otherwise. Example / template files document variables, they configure nothing, and are ignored, unless
 * the code loads one itself (`process.loadEnvFile('.env.example')`, `dotenv.config({ path: '.env.example' })`):
 * then it applies everywhere, like `.env`. When a condition reads NODE_ENV and no file names the
 * environments, 'production' and 'development' are assumed.
 *
 * Each npm package is judged on its own: a `.env*` file applies to the code of its own package and to the
 * code below its folder, never to another package of the workspace.
 *
 * A URL-scheme switch (`process.env.BASE_URL.startsWith('https')`, `String(siteUrl()).startsWith('https://')`)
 * makes Secure follow the scheme the site is deployed with: unless a production file gives the URL, one more
 * environment is named in which the URL is https (the switch's purpose), next to what the files give.
 */
import type { CodeFact, EnvTest, ProjectFacts, SettingValue } from '../types.js';
import { REDACTED_ENV_VALUE } from '../common/index.js';
import { assumeHttps, evalEnvTest, httpsParts, testVariables, type EnvVars } from '../common/envtest.js';
import { isUnder, type PackageIndex } from './packages.js';

export interface Environment {
  name: string;
  vars: EnvVars;
  /** The files whose variables decide the value (only those defining a variable that was read). */
  files: string[];
  /** A named possibility rather than a file's environment: the URLs that a URL-scheme switch tests are https. */
  assumeHttps?: boolean;
}

interface Source {
  file: string;
  name: string | null; // null: applies to every environment
  vars: Record<string, string>;
  /** The package folder of the file, and its own folder. */
  pkg: string;
  dir: string;
}

/** What the engine's .env reader keeps of a value that looks like a secret (common/dotenv.ts). */
const REDACTED = REDACTED_ENV_VALUE;

const IGNORED = /^(example|sample|template|tpl|dist|schema|defaults|bak|orig|save|old)$/i;
const PRODUCTION = /^(prod|production|live|prd)$/i;
const HTTPS_URL = 'https://…';
/** The environment in which no file sets any of the variables a condition reads: the code's defaults run. */
export const UNSET = 'variables unset';

function baseName(file: string): string {
  const i = file.lastIndexOf('/');
  return i === -1 ? file : file.slice(i + 1);
}

function dirName(file: string): string {
  const i = file.lastIndexOf('/');
  return i === -1 ? '' : file.slice(0, i);
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

/** Options of {@link Environments.forVariables}. */
export interface ForVariablesOptions {
  /** The test being evaluated: its URL-scheme parts may add an environment in which the URL is https. */
  test?: EnvTest;
}

export class Environments {
  private readonly sources: Source[];
  private readonly scopes = new Map<string, Environments>();

  /**
   * @param loaded template files (`.env.example` ...) that the code loads itself: they configure the app.
   */
  constructor(
    project: ProjectFacts | null,
    private readonly packages: PackageIndex | null = null,
    loaded: ReadonlySet<string> = new Set(),
    sources?: Source[],
  ) {
    if (sources) {
      this.sources = sources;
      return;
    }
    this.sources = [];
    for (const f of project?.files ?? []) {
      if (f.inTestCode) continue;
      for (const fact of f.facts) {
        if (fact.type !== 'env-file') continue;
        const isLoaded = loaded.has(f.file);
        if (fact.template && !isLoaded) continue;
        const name = isLoaded
          ? null
          : environmentOfFile(f.file, (fact as Extract<CodeFact, { type: 'env-file' }>).environment);
        if (name === undefined) continue;
        this.sources.push({
          file: f.file,
          name,
          vars: fact.variables,
          pkg: packages?.packageOf(f.file) ?? '',
          dir: dirName(f.file),
        });
      }
    }
    this.sources.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  }

  /** The environments seen by the code of `file`: the `.env*` files of its package and of the folders above it. */
  scoped(file: string): Environments {
    if (!this.packages) return this;
    const pkg = this.packages.packageOf(file);
    const dir = dirName(file);
    const key = `${pkg}\u0000${dir}`;
    let s = this.scopes.get(key);
    if (!s) {
      const own = this.sources.filter((src) => src.pkg === pkg || isUnder(dir, src.dir));
      s = own.length === this.sources.length ? this : new Environments(null, null, new Set(), own);
      this.scopes.set(key, s);
    }
    return s;
  }

  /** The environments in which any of `read` is known (and, for a URL-scheme switch, the https one). */
  forVariables(read: readonly string[], opts: ForVariablesOptions = {}): Environment[] {
    const base: EnvVars = {};
    const baseFiles: Source[] = [];
    for (const s of this.sources) {
      if (s.name !== null) continue;
      Object.assign(base, s.vars);
      baseFiles.push(s);
    }
    const names = [...new Set(this.sources.filter((s) => s.name !== null).map((s) => s.name as string))];
    const readsNodeEnv = read.includes('NODE_ENV');
    if (readsNodeEnv) {
      // the usual two, and every other value the condition names (`NODE_ENV === 'staging'`)
      const named = opts.test ? nodeEnvValues(opts.test) : [];
      for (const n of ['production', 'development', ...named]) if (!names.includes(n)) names.push(n);
    }
    const out: Environment[] = [];
    const defines = (s: Source): boolean => read.some((v) => v in s.vars);
    const decidedBy: Record<string, Source[]> = {};
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
      decidedBy[name] = own;
      const informative = read.some((v) => vars[v] !== undefined && (v !== 'NODE_ENV' || readsNodeEnv));
      if (informative) out.push({ name, vars, files });
    }
    if (names.length === 0 && baseFiles.some(defines)) {
      out.push({ name: 'default', vars: { ...base }, files: baseFiles.filter(defines).map((s) => s.file) });
    }
    // No file gives any of them: the code's own default is what runs (an opt-in flag nobody sets is off)
    if (out.length === 0 && read.length > 0) out.push({ name: UNSET, vars: {}, files: [] });
    if (opts.test) {
      const extra = this.httpsEnvironment(opts.test, out, decidedBy);
      if (extra) out.push(extra);
    }
    return out;
  }

  /**
   * The environment in which a URL-scheme switch's URL is https, unless a production environment's own
   * file already gives every URL the switch reads.
   */
  private httpsEnvironment(
    test: EnvTest,
    envs: Environment[],
    decidedBy: Record<string, Source[]>,
  ): Environment | null {
    const { variables, expressions } = httpsParts(test);
    if (variables.length === 0 && expressions.length === 0) return null;
    const prod = envs.find((e) => PRODUCTION.test(e.name));
    if (
      prod &&
      expressions.length === 0 &&
      variables.every((v) => (decidedBy[prod.name] ?? []).some((s) => v in s.vars))
    )
      return null;
    // every environment already serves the URLs over https: nothing to add
    const https = (v: string | undefined) => v !== undefined && /^https:/i.test(v);
    if (
      expressions.length === 0 &&
      envs.length > 0 &&
      envs.every((e) => variables.every((v) => https(e.vars[v])))
    )
      return null;
    const at = prod ?? envs[0];
    const vars: EnvVars = { ...(at?.vars ?? {}) };
    for (const v of variables) vars[v] = HTTPS_URL;
    const what = [...variables.map((v) => `${v}=${HTTPS_URL}`), ...expressions.map((x) => `${x} https://`)];
    return {
      name:
        at && at.name !== 'default' && at.name !== UNSET ? `${at.name}, ${what.join(', ')}` : what.join(', '),
      vars,
      files: at?.files ?? [],
      ...(expressions.length > 0 ? { assumeHttps: true } : {}),
    };
  }
}

/** The NODE_ENV values a test compares with. */
function nodeEnvValues(test: EnvTest): string[] {
  switch (test.op) {
    case 'and':
    case 'or':
      return test.tests.flatMap(nodeEnvValues);
    case 'not':
      return nodeEnvValues(test.test);
    case 'eq':
    case 'ne':
      return test.variable === 'NODE_ENV' && /^[a-z][\w-]*$/i.test(test.value) ? [test.value] : [];
    case 'in':
      return test.variable === 'NODE_ENV' ? test.values.filter((v) => /^[a-z][\w-]*$/i.test(v)) : [];
    default:
      return [];
  }
}

/** Variables a setting value reads. */
export function variablesOf(v: SettingValue): string[] {
  if (v.kind === 'env') return [v.variable];
  if (v.kind === 'conditional') return v.test ? testVariables(v.test) : v.variable ? [v.variable] : [];
  return [];
}

/** The test of a setting value, when it has one. */
export function testOf(v: SettingValue): EnvTest | undefined {
  return v.kind === 'conditional' ? v.test : undefined;
}

/** A test evaluated in an environment (the https one takes computed URLs as https). */
export function evalIn(
  test: EnvTest,
  env: { vars: EnvVars; assumeHttps?: boolean | undefined },
): boolean | undefined {
  return evalEnvTest(env.assumeHttps ? assumeHttps(test) : test, env.vars);
}

/**
 * The raw value of a setting in an environment: a scalar, `null` when unset (the default applies), or
 * `undefined` when it cannot be known.
 */
export function valueIn(
  v: SettingValue,
  vars: EnvVars,
  assume?: boolean,
): string | number | boolean | null | undefined {
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
      const holds = evalIn(v.test, { vars, assumeHttps: assume });
      if (holds === undefined) return undefined;
      return holds ? v.whenTrue : v.whenFalse;
    }
    case 'unknown':
      return undefined;
  }
}
