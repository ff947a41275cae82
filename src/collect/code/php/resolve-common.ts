/**
 * Helpers shared by the PHP, Laravel and Symfony resolvers: .env files, composer versions, values
 * that depend on the environment, and the parts of a CookieObservation every resolver fills the
 * same way.
 */
import { classifyCookie } from '../../../cookies/classify.js';
import { persistentLifetime, sameSiteKeyword } from '../common/cookie.js';
import { ownTlsServer, proxyInFront } from '../common/deploy.js';
import { REDACTED_ENV_VALUE } from '../common/dotenv.js';
import type {
  Attr,
  CodeLocation,
  CookieClassification,
  CookieLifetime,
  Provenance,
  SameSiteValue,
} from '../../../model/observation.js';
import type { CodeFact, ConstantKind, FileFacts, ProjectFacts } from '../types.js';

// ---------------------------------------------------------------------------------------------
// .env files

export interface EnvFile {
  file: string;
  /** Directory of the file ('' for the root). */
  dir: string;
  /** File name: `.env`, `.env.production` ... */
  base: string;
  /** `.env.production` → 'production'; `.env` → 'default'; `.env.example` → 'example'. */
  suffix: string;
  variables: Record<string, string>;
  location: CodeLocation;
  inTestCode: boolean;
  /** A template (`.env.example`, `.env.dist` ...): it documents variables and configures nothing. */
  template: boolean;
}

/** An environment file for tests (`.env.testing`, `.env.dusk`, `.env.unit-tests`, `.env.ci`): not a deployment. */
export function isTestEnvironment(e: EnvFile): boolean {
  return /(^|[-_.])(tests?|testing|dusk|ci|phpunit)([-_.]|$)/i.test(e.suffix);
}

export function dirOf(file: string): string {
  const i = file.lastIndexOf('/');
  return i === -1 ? '' : file.slice(0, i);
}

export function baseOf(file: string): string {
  const i = file.lastIndexOf('/');
  return i === -1 ? file : file.slice(i + 1);
}

export function envFiles(project: ProjectFacts): EnvFile[] {
  const out: EnvFile[] = [];
  for (const { file, fact } of project.all()) {
    if (fact.type !== 'env-file') continue;
    const base = baseOf(file.file);
    const suffix =
      base === '.env' ? 'default' : base.startsWith('.env.') ? base.slice(5) : fact.environment || base;
    out.push({
      file: file.file,
      dir: dirOf(file.file),
      base,
      suffix,
      variables: fact.variables,
      location: fact.location,
      inTestCode: file.inTestCode,
      template: fact.template === true,
    });
  }
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** What the engine's .env reader puts in place of a value it does not keep (secrets, free text). */
export const REDACTED: string = REDACTED_ENV_VALUE;

export function isProductionName(label: string): boolean {
  return /^(prod|production|live)\b/i.test(label);
}

// ---------------------------------------------------------------------------------------------
// composer versions

export interface VersionInfo {
  /** Exact version from composer.lock (without a leading v). */
  exact?: string;
  /** Constraint from composer.json. */
  constraint?: string;
  location: CodeLocation;
  file: string;
}

export function composerVersion(project: ProjectFacts, pkg: string, appRoot?: string): VersionInfo | null {
  let lock: VersionInfo | null = null;
  let json: VersionInfo | null = null;
  for (const { file, fact } of project.all()) {
    if (fact.type !== 'dependency' || fact.ecosystem !== 'composer' || fact.name.toLowerCase() !== pkg)
      continue;
    if (appRoot !== undefined && dirOf(file.file) !== appRoot) continue;
    const base = baseOf(file.file);
    if (base === 'composer.lock' && fact.version) {
      lock ??= { exact: fact.version.replace(/^v/i, ''), location: fact.location, file: file.file };
    } else if (fact.version) {
      json ??= { constraint: fact.version, location: fact.location, file: file.file };
    } else {
      json ??= { location: fact.location, file: file.file };
    }
  }
  if (lock && json?.constraint) lock.constraint = json.constraint;
  return lock ?? json;
}

/** Compare dotted versions numerically (1.10 > 1.9). Non-numeric parts compare as 0. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.+-]/).map((x) => parseInt(x, 10) || 0);
  const pb = b.split(/[.+-]/).map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length, 3); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/**
 * Is the installed version at least `min`? From composer.lock when present; from a composer.json
 * constraint only when every version it allows is on the same side (`^12.0` yes, `^11.0` unknown).
 */
export function atLeast(info: VersionInfo | null, min: string): boolean | null {
  if (!info) return null;
  if (info.exact && /^\d/.test(info.exact)) return compareVersions(info.exact, min) >= 0;
  if (!info.constraint) return null;
  const alts = info.constraint.split(/\s*\|\|?\s*/).filter(Boolean);
  let allAbove = true;
  let allBelow = true;
  for (const alt of alts) {
    const r = constraintRange(alt);
    if (!r) return null;
    if (compareVersions(r.low, min) < 0) allAbove = false;
    if (r.high === null || compareVersions(r.high, min) > 0) allBelow = false;
  }
  if (allAbove) return true;
  if (allBelow) return false;
  return null;
}

/** Lower bound (inclusive) and upper bound (exclusive, null = none) of one composer constraint. */
function constraintRange(c: string): { low: string; high: string | null } | null {
  const t = c.trim().replace(/^v/i, '').replace(/@\w+$/, '');
  let m = /^\^\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(t);
  if (m) {
    const major = +m[1]!;
    const minor = +(m[2] ?? 0);
    const high = major > 0 ? `${major + 1}.0.0` : `0.${minor + 1}.0`;
    return { low: `${major}.${minor}.${m[3] ?? 0}`, high };
  }
  m = /^~\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(t);
  if (m) {
    const major = +m[1]!;
    const minor = +(m[2] ?? 0);
    const high = m[3] !== undefined ? `${major}.${minor + 1}.0` : `${major + 1}.0.0`;
    return { low: `${major}.${minor}.${m[3] ?? 0}`, high };
  }
  m = /^(\d+)\.(\d+|\*)(?:\.(\d+|\*))?$/.exec(t);
  if (m) {
    if (m[2] === '*') return { low: `${m[1]}.0.0`, high: `${+m[1]! + 1}.0.0` };
    if (m[3] === '*') return { low: `${m[1]}.${m[2]}.0`, high: `${m[1]}.${+m[2]! + 1}.0` };
    const v = `${m[1]}.${m[2]}.${m[3] ?? 0}`;
    return { low: v, high: `${m[1]}.${m[2]}.${+(m[3] ?? 0) + 1}` };
  }
  m = /^>=?\s*v?(\d+(?:\.\d+){0,2})(?:\s*,?\s*<\s*v?(\d+(?:\.\d+){0,2}))?$/.exec(t);
  if (m) return { low: m[1]!, high: m[2] ?? null };
  return null;
}

export function versionLabel(info: VersionInfo | null): string | undefined {
  if (!info) return undefined;
  return info.exact ?? info.constraint;
}

// ---------------------------------------------------------------------------------------------
// Values per environment

export interface EnvResolution<T> {
  /** label → value ('unknown' when it could not be resolved). */
  perEnv: { label: string; value: T | 'unknown'; file?: string; fromDefault: boolean }[];
}

/**
 * Turn per-environment values into one Attr:
 *  - no environment sets the value: the default applies (`whenUnset`);
 *  - every environment agrees: that value, explicit (evidence names the files);
 *  - they differ: env-dependent, value = the production one when known, else unknown.
 */
export function attrFromEnvironments<T>(
  res: EnvResolution<T>,
  opts: {
    condition: string;
    location: CodeLocation;
    evidence: string;
    whenUnset: () => Attr<T>;
    equal?: (a: T | 'unknown', b: T | 'unknown') => boolean;
    /** Values that differ but are equally harmless collapse to one value (Secure: true in one environment, auto in another). */
    collapse?: (entries: { label: string; value: T | 'unknown' }[]) => T | null;
  },
): Attr<T> {
  const eq = opts.equal ?? ((a, b) => a === b);
  const set = res.perEnv.filter((e) => !e.fromDefault);
  if (set.length === 0) return opts.whenUnset();
  const first = res.perEnv[0]!;
  const allSame = res.perEnv.every((e) => eq(e.value, first.value));
  const files = uniq(res.perEnv.map((e) => e.file).filter((f): f is string => !!f));
  if (allSame) {
    return {
      value: first.value,
      provenance:
        first.value === 'unknown'
          ? { kind: 'unknown', reason: `${opts.condition} could not be resolved` }
          : { kind: 'explicit' },
      location: opts.location,
      evidence: `${opts.evidence} (${opts.condition} in ${files.join(', ')})`,
    };
  }
  const collapsed = opts.collapse ? opts.collapse(res.perEnv) : null;
  if (collapsed !== null) {
    const detail = res.perEnv.map((e) => `${e.label}: ${String(e.value)}`).join(', ');
    return {
      value: collapsed,
      provenance: { kind: 'explicit' },
      location: opts.location,
      evidence: `${opts.evidence} (${opts.condition}: ${detail})`,
    };
  }
  const perEnvironment: Record<string, unknown> = {};
  for (const e of res.perEnv) perEnvironment[e.label] = e.value;
  const prod = res.perEnv.find((e) => isProductionName(e.label));
  return {
    value: prod ? prod.value : 'unknown',
    provenance: { kind: 'env-dependent', condition: opts.condition, perEnvironment, resolvedFrom: files },
    location: opts.location,
    evidence: opts.evidence,
  };
}

function uniq<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

// ---------------------------------------------------------------------------------------------
// Cookie parts

/** A SameSite attribute value as browsers read it (RFC 6265bis §5.6.7): case-insensitive; unknown → invalid. */
export function sameSiteOf(raw: string | null | undefined): SameSiteValue {
  if (raw === null || raw === undefined || raw === '') return 'unset';
  return sameSiteKeyword(raw);
}

export function lifetimeOfSeconds(seconds: number | null): CookieLifetime {
  if (seconds === null) return { kind: 'unknown' };
  if (seconds <= 0) return { kind: 'session' };
  return persistentLifetime(seconds);
}

/** Classify a cookie; a framework's own session cookie is a session cookie whatever its name. */
export function classifyFor(
  name: string,
  framework: string,
  sessionCookieOf?: string,
  constantValue?: ConstantKind,
): CookieClassification {
  const c = classifyCookie(name, undefined, {
    framework,
    setBy: 'server',
    ...(constantValue ? { constantValue } : {}),
  });
  const out: CookieClassification = { category: c.category, reason: c.reason };
  if (c.vendor) out.vendor = c.vendor;
  out.framework = c.framework ?? framework;
  if (sessionCookieOf && c.category !== 'session') {
    return { category: 'session', reason: `${name} is the session cookie of ${sessionCookieOf}`, framework };
  }
  return out;
}

export function explicit<T>(
  value: T,
  location: CodeLocation | undefined,
  evidence: string | undefined,
): Attr<T> {
  const a: Attr<T> = { value, provenance: { kind: 'explicit' } };
  if (location) a.location = location;
  if (evidence) a.evidence = evidence;
  return a;
}

export function unknownAttr<T>(reason: string, location?: CodeLocation, evidence?: string): Attr<T> {
  const a: Attr<T> = { value: 'unknown', provenance: { kind: 'unknown', reason } };
  if (location) a.location = location;
  if (evidence) a.evidence = evidence;
  return a;
}

export function defaultAttr<T>(
  value: T | 'unknown',
  framework: string,
  note: string,
  version: string | undefined,
  location?: CodeLocation,
  evidence?: string,
): Attr<T> {
  const provenance: Provenance = { kind: 'framework-default', framework, note };
  if (version) provenance.version = version;
  const a: Attr<T> = { value, provenance };
  if (location) a.location = location;
  if (evidence) a.evidence = evidence;
  return a;
}

/**
 * Evidence in the repository of a TLS-terminating proxy in front of the application at `root`: a
 * deployment file (common/deploy.ts: a Procfile web process, a compose proxy service, nginx
 * `proxy_pass`, a platform file, App Engine with a PHP runtime, a Kubernetes Ingress, a proxy image) in
 * the application's folder or above it. Files in test code do not count. Returns what was found, for
 * the finding's text.
 */
export function deploymentEvidence(project: ProjectFacts, root: string): string | undefined {
  return proxyInFront(project, 'php', seenFrom(root));
}

/**
 * Evidence that the application's own web server terminates TLS (Apache `SSLEngine on`, nginx `listen
 * 443 ssl` without `proxy_pass`), in its folder or above: then `$_SERVER['HTTPS']` is set for HTTPS
 * requests and, without evidence of a proxy in front, no proxy-trust finding is made.
 */
export function tlsServerEvidence(project: ProjectFacts, root: string): string | undefined {
  return ownTlsServer(project, seenFrom(root));
}

/** The application's own web server terminates TLS and nothing shows a proxy in front of it. */
export function terminatesTls(project: ProjectFacts, root: string): boolean {
  return tlsServerEvidence(project, root) !== undefined && deploymentEvidence(project, root) === undefined;
}

/** Files that can describe the deployment of the application at `root`. */
function seenFrom(root: string): (file: string) => boolean {
  return (file) => {
    const dir = dirOf(file);
    // The application's own folder or an ancestor (a whole-repository deployment), not a sibling app.
    return (
      dir === root ||
      root.startsWith(dir === '' ? '' : dir + '/') ||
      dir.startsWith(root === '' ? '' : root + '/')
    );
  };
}

export function factsOf<K extends CodeFact['type']>(
  project: ProjectFacts,
  type: K,
): { file: FileFacts; fact: Extract<CodeFact, { type: K }> }[] {
  const out: { file: FileFacts; fact: Extract<CodeFact, { type: K }> }[] = [];
  for (const x of project.all())
    if (x.fact.type === type) out.push(x as { file: FileFacts; fact: Extract<CodeFact, { type: K }> });
  return out;
}

export function byLocation(a: CodeLocation, b: CodeLocation): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  return a.column - b.column;
}
