/**
 * Dependency manifests and lock files: which frameworks a project uses and at which version, e.g.
 * laravel/framework (11.21 made Secure follow the request's scheme), express-session, flask-login
 * (REMEMBER_COOKIE_HTTPONLY defaults to True from 0.6.0).
 *
 * npm: package.json, package-lock.json (only the root's direct dependencies);
 * composer: composer.json, composer.lock; PyPI: requirements*.txt, requirements/*.txt,
 * pyproject.toml (PEP 621 [project], PEP 735 [dependency-groups], Poetry), Pipfile, Pipfile.lock,
 * poetry.lock, uv.lock. Parsed with JSON.parse and smol-toml; requirement lines with the PEP 508
 * name / version-specifier grammar (https://peps.python.org/pep-0508/).
 */
import { parse as parseToml } from 'smol-toml';
import type { CodeFact, Extractor, ProjectFacts, SourceFile } from '../types.js';
import type { CodeLocation } from '../../../model/observation.js';
import { locationAtOffset } from './location.js';

type Ecosystem = 'npm' | 'composer' | 'pypi';
type DependencyFact = Extract<CodeFact, { type: 'dependency' }>;

interface Dep {
  name: string;
  version: string | null;
  dev?: boolean;
}

export const MANIFEST_FILES = [
  '**/package.json',
  '**/package-lock.json',
  '**/composer.json',
  '**/composer.lock',
  '**/requirements*.txt',
  '**/requirements/*.txt',
  '**/pyproject.toml',
  '**/Pipfile',
  '**/Pipfile.lock',
  '**/poetry.lock',
  '**/uv.lock',
] as const;

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringOrNull(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
}

function entries(v: unknown, dev = false): Dep[] {
  if (!isObject(v)) return [];
  return Object.keys(v).map((name) => {
    const spec = v[name];
    const version = isObject(spec) ? stringOrNull(spec.version) : stringOrNull(spec);
    return dev ? { name, version, dev } : { name, version };
  });
}

// --- npm -----------------------------------------------------------------------------------------

function packageJson(data: unknown): Dep[] {
  if (!isObject(data)) return [];
  return [
    ...entries(data.dependencies),
    ...entries(data.optionalDependencies),
    ...entries(data.peerDependencies),
    ...entries(data.devDependencies, true),
  ];
}

function packageLock(data: unknown): Dep[] {
  if (!isObject(data) || !isObject(data.packages)) return [];
  const root = data.packages[''];
  if (!isObject(root)) return [];
  const out: Dep[] = [];
  const direct = [
    ...entries(root.dependencies),
    ...entries(root.optionalDependencies),
    ...entries(root.devDependencies, true),
  ];
  for (const d of direct) {
    const entry = data.packages[`node_modules/${d.name}`];
    const version = isObject(entry) ? stringOrNull(entry.version) : null;
    out.push(d.dev ? { name: d.name, version, dev: true } : { name: d.name, version });
  }
  return out;
}

// --- composer ------------------------------------------------------------------------------------

function composerJson(data: unknown): Dep[] {
  if (!isObject(data)) return [];
  return [...entries(data.require), ...entries(data['require-dev'], true)];
}

function composerLock(data: unknown): Dep[] {
  if (!isObject(data)) return [];
  const list = (v: unknown, dev: boolean): Dep[] =>
    Array.isArray(v)
      ? v.filter(isObject).flatMap((p) => {
          const name = stringOrNull(p.name);
          if (name === null) return [];
          const version = stringOrNull(p.version);
          return [dev ? { name, version, dev } : { name, version }];
        })
      : [];
  return [...list(data.packages, false), ...list(data['packages-dev'], true)];
}

// --- PyPI ----------------------------------------------------------------------------------------

/** One PEP 508 requirement: `Flask-Login[extra]>=0.6,<1 ; python_version > "3.8"` -> name + specifier. */
export function parseRequirement(line: string): Dep | null {
  const s = line.replace(/\s+#.*$/, '').trim();
  if (s === '' || s.startsWith('#') || s.startsWith('-')) return null;
  const m = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(\[[^\]]*\])?\s*(.*)$/.exec(s);
  if (!m) return null;
  let rest = m[3];
  const semi = rest.indexOf(';');
  if (semi !== -1) rest = rest.slice(0, semi);
  rest = rest.trim();
  if (rest.startsWith('@')) return { name: m[1], version: null }; // direct URL reference
  if (rest.startsWith('(') && rest.endsWith(')')) rest = rest.slice(1, -1).trim();
  return { name: m[1], version: rest === '' ? null : rest.replace(/\s+/g, '') };
}

function requirementsTxt(text: string): Dep[] {
  const out: Dep[] = [];
  // Backslash continuations join lines (pip's requirements file format).
  for (const line of text.replace(/\\\r?\n/g, ' ').split(/\r?\n/)) {
    const d = parseRequirement(line);
    if (d) out.push(d);
  }
  return out;
}

function requirementList(v: unknown, dev = false): Dep[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((x) => {
    const d = typeof x === 'string' ? parseRequirement(x) : null;
    return d ? [dev ? { ...d, dev } : d] : [];
  });
}

const DEV_GROUPS = /^(dev|develop|development|test|tests|testing|lint|docs|typing)$/i;

function pyproject(data: unknown): Dep[] {
  if (!isObject(data)) return [];
  const out: Dep[] = [];
  if (isObject(data.project)) {
    out.push(...requirementList(data.project.dependencies));
    const optional = data.project['optional-dependencies'];
    if (isObject(optional))
      for (const k of Object.keys(optional)) out.push(...requirementList(optional[k], DEV_GROUPS.test(k)));
  }
  const groups = data['dependency-groups'];
  if (isObject(groups)) for (const k of Object.keys(groups)) out.push(...requirementList(groups[k], true));
  const poetry = isObject(data.tool) && isObject(data.tool.poetry) ? data.tool.poetry : null;
  if (poetry) {
    out.push(...entries(poetry.dependencies).filter((d) => d.name.toLowerCase() !== 'python'));
    out.push(...entries(poetry['dev-dependencies'], true));
    if (isObject(poetry.group)) {
      for (const k of Object.keys(poetry.group)) {
        const g = poetry.group[k];
        if (isObject(g)) out.push(...entries(g.dependencies, DEV_GROUPS.test(k)));
      }
    }
  }
  return out;
}

function pipfile(data: unknown): Dep[] {
  if (!isObject(data)) return [];
  const norm = (d: Dep): Dep => (d.version === '*' ? { ...d, version: null } : d);
  return [...entries(data.packages).map(norm), ...entries(data['dev-packages'], true).map(norm)];
}

function pipfileLock(data: unknown): Dep[] {
  if (!isObject(data)) return [];
  return [...entries(data.default), ...entries(data.develop, true)].map((d) => ({
    ...d,
    version: d.version?.replace(/^==/, '') ?? null,
  }));
}

/** poetry.lock and uv.lock: `[[package]] name = ... version = ...`. */
function tomlLock(data: unknown): Dep[] {
  if (!isObject(data) || !Array.isArray(data.package)) return [];
  return data.package.filter(isObject).flatMap((p) => {
    const name = stringOrNull(p.name);
    return name === null ? [] : [{ name, version: stringOrNull(p.version) }];
  });
}

// --- the extractor -------------------------------------------------------------------------------

interface Reader {
  ecosystem: Ecosystem;
  locked: boolean;
  format: 'json' | 'toml' | 'text';
  read: (data: unknown, text: string) => Dep[];
}

function readerFor(path: string): Reader | null {
  const base = baseName(path);
  switch (base) {
    case 'package.json':
      return { ecosystem: 'npm', locked: false, format: 'json', read: packageJson };
    case 'package-lock.json':
      return { ecosystem: 'npm', locked: true, format: 'json', read: packageLock };
    case 'composer.json':
      return { ecosystem: 'composer', locked: false, format: 'json', read: composerJson };
    case 'composer.lock':
      return { ecosystem: 'composer', locked: true, format: 'json', read: composerLock };
    case 'pyproject.toml':
      return { ecosystem: 'pypi', locked: false, format: 'toml', read: pyproject };
    case 'Pipfile':
      return { ecosystem: 'pypi', locked: false, format: 'toml', read: pipfile };
    case 'Pipfile.lock':
      return { ecosystem: 'pypi', locked: true, format: 'json', read: pipfileLock };
    case 'poetry.lock':
    case 'uv.lock':
      return { ecosystem: 'pypi', locked: true, format: 'toml', read: tomlLock };
  }
  if (base.endsWith('.txt') && (/^requirements/i.test(base) || /(^|\/)requirements\/[^/]+$/.test(path))) {
    return { ecosystem: 'pypi', locked: false, format: 'text', read: (_d, text) => requirementsTxt(text) };
  }
  return null;
}

/** 1-based line/column of the dependency's entry: the first of `needles` found, else the name anywhere. */
function locate(text: string, name: string, needles: string[], file: string): CodeLocation {
  let at = -1;
  for (const c of needles) {
    at = text.indexOf(c);
    if (at !== -1) break;
  }
  if (at === -1) at = Math.max(0, text.toLowerCase().indexOf(name.toLowerCase()));
  return locationAtOffset(text, at, file);
}

function needlesFor(path: string, format: Reader['format'], name: string): string[] {
  const base = baseName(path);
  const q = JSON.stringify(name);
  const qs = q.replace(/\//g, '\\/');
  if (base === 'composer.lock') return [`"name": ${q}`, `"name": ${qs}`, q, qs];
  if (base === 'package-lock.json') return [`"node_modules/${name}"`, q];
  if (format === 'json') return [q, qs];
  if (base === 'poetry.lock' || base === 'uv.lock') return [`name = ${q}`];
  if (format === 'toml') return [`${q}`, `${name} =`, `${name}=`, `'${name}'`];
  return [name];
}

/** Thrown for a manifest that does not parse: the engine turns it into an `errors` entry. */
export class ManifestError extends Error {}

export function extractManifest(file: SourceFile): CodeFact[] {
  const reader = readerFor(file.file);
  if (reader === null) return [];
  let data: unknown = null;
  try {
    if (reader.format === 'json') data = JSON.parse(file.text);
    else if (reader.format === 'toml') data = parseToml(file.text);
  } catch (e) {
    const what = reader.format === 'json' ? 'JSON' : 'TOML';
    throw new ManifestError(`not valid ${what}: ${(e as Error).message.split('\n')[0]}`);
  }
  const seen = new Set<string>();
  const out: CodeFact[] = [];
  for (const d of reader.read(data, file.text)) {
    const key = `${d.name}\u0000${d.dev ? 1 : 0}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const fact: DependencyFact = {
      type: 'dependency',
      ecosystem: reader.ecosystem,
      name: d.name,
      version: d.version,
      location: locate(file.text, d.name, needlesFor(file.file, reader.format, d.name), file.file),
    };
    if (reader.locked) fact.locked = true;
    if (d.dev) fact.dev = true;
    out.push(fact);
  }
  return out;
}

export const manifestExtractor: Extractor = {
  name: 'manifest',
  files: MANIFEST_FILES,
  keywords: [],
  extract: extractManifest,
};

// --- helpers for resolvers -----------------------------------------------------------------------

function normalName(ecosystem: Ecosystem, name: string): string {
  // PEP 503: names compare case-insensitively with runs of - _ . as one.
  return ecosystem === 'pypi' ? name.toLowerCase().replace(/[-_.]+/g, '-') : name.toLowerCase();
}

/**
 * The best-known version of a dependency: a lock file's exact version when there is one, otherwise
 * the manifest's range; null when the project does not declare it. `dir` restricts to manifests in
 * that folder (relative, '' for the root) when a repository holds several applications.
 */
export function dependencyOf(
  project: ProjectFacts,
  ecosystem: Ecosystem,
  name: string,
  dir?: string,
): { version: string | null; locked: boolean; location: CodeLocation } | null {
  const want = normalName(ecosystem, name);
  let best: DependencyFact | null = null;
  for (const { file, fact } of project.all()) {
    if (
      fact.type !== 'dependency' ||
      fact.ecosystem !== ecosystem ||
      normalName(ecosystem, fact.name) !== want
    )
      continue;
    if (dir !== undefined && file.file.slice(0, Math.max(0, file.file.lastIndexOf('/'))) !== dir) continue;
    if (best === null || (fact.locked && !best.locked)) best = fact;
  }
  return best ? { version: best.version, locked: best.locked === true, location: best.location } : null;
}

type Version = [number, number, number];

function parseVersion(s: string): Version | null {
  const m = /^\s*v?(\d+)(?:\.(\d+|[*xX]))?(?:\.(\d+|[*xX]))?/.exec(s);
  if (!m) return null;
  const n = (x: string | undefined) => (x === undefined || /[*xX]/.test(x) ? 0 : Number(x));
  return [n(m[1]), n(m[2]), n(m[3])];
}

function cmp(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

/** Number of components written (`11` -> 1, `11.21` -> 2, `11.21.0` -> 3), wildcards excluded. */
function precision(s: string): number {
  const m = /^\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(s);
  return m ? (m[3] !== undefined ? 3 : m[2] !== undefined ? 2 : 1) : 0;
}

const INF: Version = [Infinity, 0, 0];

/** [lowest allowed, first excluded) of one comparator set (`^11.9`, `>=0.6,<1`, `~1.2`, `11.*`, `==2.3.2`). */
function bounds(range: string, ecosystem: Ecosystem): [Version, Version] | null {
  let lo: Version = [0, 0, 0];
  let hi: Version = INF;
  const parts = range
    .replace(/([<>=!~^]+)\s+/g, '$1')
    .split(/[\s,]+/)
    .filter((p) => p !== '');
  if (parts.length === 0) return [lo, hi];
  for (const raw of parts) {
    const m = /^(\^|~=|~|===|==|>=|<=|>|<|!=|=)?(.*)$/.exec(raw);
    if (!m) return null;
    const op = m[1] ?? '';
    const text = m[2];
    if (text === '*' || text === '') continue;
    const v = parseVersion(text);
    if (v === null) return null;
    const p = precision(text);
    const wildcard = /\.[*xX]/.test(text) || (op === '' && p < 3);
    switch (op) {
      case '^': {
        // npm / composer caret: up to the next change of the first non-zero component.
        const next: Version =
          v[0] > 0 || p === 1 ? [v[0] + 1, 0, 0] : v[1] > 0 || p === 2 ? [0, v[1] + 1, 0] : [0, 0, v[2] + 1];
        lo = maxV(lo, v);
        hi = minV(hi, next);
        break;
      }
      case '~':
      case '~=': {
        // npm ~1.2 / ~1.2.3: < 1.3; composer ~1.2 and PEP 440 ~=1.2: < 2.0; ~1.2.3 / ~=1.2.3: < 1.3; ~1: < 2.
        const minorOnly = p === 3 || (op === '~' && ecosystem === 'npm' && p === 2);
        lo = maxV(lo, v);
        hi = minV(hi, minorOnly ? [v[0], v[1] + 1, 0] : [v[0] + 1, 0, 0]);
        break;
      }
      case '>=':
        lo = maxV(lo, v);
        break;
      case '>':
        lo = maxV(lo, [v[0], v[1], v[2] + 1]);
        break;
      case '<':
        hi = minV(hi, v);
        break;
      case '<=':
        hi = minV(hi, [v[0], v[1], v[2] + 1]);
        break;
      case '!=':
        break;
      default: {
        // exact (`==1.2.3`, `1.2.3`, `v1.2.3`) or a wildcard (`1.2.*`, `1.*`, `1.2` in composer).
        lo = maxV(lo, v);
        hi = minV(hi, wildcard ? (p === 1 ? [v[0] + 1, 0, 0] : [v[0], v[1] + 1, 0]) : [v[0], v[1], v[2] + 1]);
      }
    }
  }
  return [lo, hi];
}

function maxV(a: Version, b: Version): Version {
  return cmp(a, b) >= 0 ? a : b;
}
function minV(a: Version, b: Version): Version {
  return cmp(a, b) <= 0 ? a : b;
}

/**
 * Is every version `spec` allows at least `min`? true / false when the answer is the same for all of
 * them (an exact lock version, `^12.0` for 11.21, `^10.0` for 11.21), 'unknown' otherwise (`^11.9`)
 * or when the spec is not understood. Alternatives (`^10.0 || ^11.0`, composer `|`) are all considered.
 * `ecosystem` picks the meaning of `~1.2` (npm: < 1.3; composer: < 2.0).
 */
export function versionAtLeast(
  spec: string | null,
  min: string,
  ecosystem: Ecosystem = 'composer',
): boolean | 'unknown' {
  const m = parseVersion(min);
  if (spec === null || m === null) return 'unknown';
  let allAbove = true;
  let allBelow = true;
  for (const alt of spec.split(/\s*\|\|?\s*/)) {
    const b = bounds(alt.trim(), ecosystem);
    if (b === null) return 'unknown';
    if (cmp(b[0], m) < 0) allAbove = false;
    if (cmp(b[1], m) > 0) allBelow = false;
  }
  if (allAbove) return true;
  if (allBelow) return false;
  return 'unknown';
}
