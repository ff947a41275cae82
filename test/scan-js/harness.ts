/**
 * Test harness for the JavaScript / TypeScript extractors and resolver: builds ProjectFacts from
 * in-memory files the way the engine does (every extractor of the registry, picomatch on `files`,
 * case-insensitive `keywords`, then `extract`), runs the JavaScript resolver only, and runs ESLint-style
 * case tables: `valid` snippets must produce no insecure observation, `invalid` ones the expected
 * attribute values, provenance and locations. End-to-end tests go through collectCode() and runRules().
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import picomatch from 'picomatch';
import type { CodeFact, FileFacts, ProjectFacts } from '../../src/collect/code/types.js';
import { resolvers } from '../../src/collect/code/js/index.js';
import * as registry from '../../src/collect/code/registry.js';
import type {
  CookieObservation,
  Observation,
  ProxyTrustObservation,
  SettingObservation,
} from '../../src/model/observation.js';

export type Files = Record<string, string>;

/** Strips the first newline and the common indentation, so that line 1 is the first line of code. */
export function code(strings: TemplateStringsArray, ...values: unknown[]): string {
  let s = strings.reduce((acc, str, i) => acc + str + (i < values.length ? String(values[i]) : ''), '');
  s = s.replace(/^\n/, '').replace(/\n[ \t]*$/, '\n');
  const indents = s
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => /^[ \t]*/.exec(l)![0].length);
  const min = indents.length ? Math.min(...indents) : 0;
  return s
    .split('\n')
    .map((l) => l.slice(min))
    .join('\n');
}

const TEST_DIR = /(^|\/)(tests?|fixtures?|__tests__|spec)\//;

/**
 * Facts of one file from every extractor of the scan (the engine's registry: .env files, manifests and
 * deployment files are read by the common extractors), matched the way the engine matches
 * them: picomatch on `files` (dot files included), then the case-insensitive `keywords` (none: every file).
 */
export function extractFile(file: string, text: string): CodeFact[] {
  const facts: CodeFact[] = [];
  const lower = text.toLowerCase();
  for (const ex of registry.extractors) {
    if (!ex.files.some((p) => picomatch(p, { dot: true })(file))) continue;
    if (ex.keywords.length > 0 && !ex.keywords.some((k) => lower.includes(k.toLowerCase()))) continue;
    facts.push(...ex.extract({ file, absPath: '/' + file, text }));
  }
  // facts cross worker threads in the engine: they must survive structured cloning unchanged
  assert.deepEqual(structuredClone(facts), facts);
  return facts;
}

export function projectOf(files: Files, root = '/virtual'): ProjectFacts {
  const ffs: FileFacts[] = Object.entries(files).map(([file, text]) => ({
    file,
    language: /\.(ts|mts|cts)$/.test(file)
      ? 'typescript'
      : /\.tsx$/.test(file)
        ? 'tsx'
        : /\.[cm]?jsx?$/.test(file)
          ? 'javascript'
          : 'config',
    facts: extractFile(file, text),
    inTestCode: TEST_DIR.test(file),
  }));
  return {
    root,
    files: ffs,
    all() {
      return ffs.flatMap((f) => f.facts.map((fact) => ({ file: f, fact })));
    },
  };
}

export function observe(files: Files | string, file = 'app.js'): Observation[] {
  const project = projectOf(typeof files === 'string' ? { [file]: files } : files);
  return resolvers.flatMap((r) => r.resolve(project));
}

export function cookiesOf(obs: Observation[]): CookieObservation[] {
  return obs.filter((o): o is CookieObservation => o.kind === 'cookie');
}

export function proxyTrustOf(obs: Observation[]): ProxyTrustObservation[] {
  return obs.filter((o): o is ProxyTrustObservation => o.kind === 'proxy-trust');
}

export function settingsOf(obs: Observation[]): SettingObservation[] {
  return obs.filter((o): o is SettingObservation => o.kind === 'setting');
}

export function readTree(dir: string): Files {
  const out: Files = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p).split(sep).join('/')] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

// ---------------------------------------------------------------------------------------------------
// case tables

export interface AttrExpect {
  value?: unknown;
  provenance?: 'explicit' | 'framework-default' | 'env-dependent' | 'unknown';
  line?: number;
  column?: number;
  perEnvironment?: Record<string, unknown>;
  condition?: string;
  resolvedFrom?: string[];
}

export interface CookieExpect {
  name: string;
  framework?: string;
  setBy?: 'server' | 'script';
  secure?: AttrExpect | unknown;
  httpOnly?: AttrExpect | unknown;
  sameSite?: AttrExpect | unknown;
  domain?: AttrExpect | unknown;
  path?: AttrExpect | unknown;
  /** Location of the observation (the call / where sessions are enabled). */
  line?: number;
  column?: number;
  deletion?: boolean;
  lifetime?: CookieObservation['lifetime'];
  category?: string;
  prefix?: CookieObservation['prefix'];
}

export interface ProxyExpect {
  cookie: string;
  /** Default 'secure-without-trust'. */
  situation?: 'secure-without-trust' | 'auto-without-trust';
  framework?: string;
  line?: number;
  column?: number;
}

export interface Case {
  name?: string;
  /** One file (`file`, default app.js) or a whole project. */
  code: string | Files;
  file?: string;
  cookies?: CookieExpect[];
  proxyTrust?: ProxyExpect[];
}

/** What a rule would judge insecure in an observation (used for `valid` cases). */
export function insecurities(o: Observation): string[] {
  if (o.kind === 'proxy-trust') return [`proxy-trust ${o.cookie}`];
  if (o.kind !== 'cookie' || o.deletion) return [];
  const out: string[] = [];
  const s = o.secure;
  if (s.value === false && s.provenance.kind !== 'env-dependent') out.push('secure false');
  if (
    s.provenance.kind === 'env-dependent' &&
    Object.values(s.provenance.perEnvironment).some((v) => v === false)
  )
    out.push('secure env-dependent');
  if (o.httpOnly.value === false && o.setBy === 'server' && o.classification.category === 'session')
    out.push('httpOnly false');
  if (o.sameSite.value === 'invalid') out.push('sameSite invalid');
  if (o.sameSite.value === 'none' && s.value !== true) out.push('sameSite none without secure');
  if (o.prefix && s.value !== true) out.push('prefix without secure');
  if (o.prefix === '__Host-' && (o.domain || (o.path && o.path.value !== '/')))
    out.push('__Host- with domain/path');
  if (o.domain && typeof o.domain.value === 'string') out.push('domain');
  return out;
}

function checkAttr(label: string, actual: CookieObservation['secure'] | undefined, exp: unknown): void {
  const e: AttrExpect =
    exp !== null && typeof exp === 'object' && !Array.isArray(exp) ? (exp as AttrExpect) : { value: exp };
  assert.ok(actual, `${label}: attribute missing`);
  if ('value' in e) assert.deepEqual(actual.value, e.value, `${label}.value`);
  if (e.provenance) assert.equal(actual.provenance.kind, e.provenance, `${label}.provenance`);
  if (e.line !== undefined) assert.equal(actual.location?.line, e.line, `${label}.line`);
  if (e.column !== undefined) assert.equal(actual.location?.column, e.column, `${label}.column`);
  if (e.perEnvironment || e.condition || e.resolvedFrom) {
    assert.equal(actual.provenance.kind, 'env-dependent', `${label}: expected env-dependent`);
    const p = actual.provenance as Extract<typeof actual.provenance, { kind: 'env-dependent' }>;
    if (e.perEnvironment) assert.deepEqual(p.perEnvironment, e.perEnvironment, `${label}.perEnvironment`);
    if (e.condition) assert.equal(p.condition, e.condition, `${label}.condition`);
    if (e.resolvedFrom)
      assert.deepEqual(
        [...(p.resolvedFrom ?? [])].sort(),
        [...e.resolvedFrom].sort(),
        `${label}.resolvedFrom`,
      );
  }
}

export function checkCookie(o: CookieObservation, e: CookieExpect): void {
  const label = `cookie ${e.name}`;
  if (e.framework) assert.equal(o.framework, e.framework, `${label}.framework`);
  if (e.setBy) assert.equal(o.setBy, e.setBy, `${label}.setBy`);
  if (e.line !== undefined) assert.equal(o.location?.line, e.line, `${label}.line`);
  if (e.column !== undefined) assert.equal(o.location?.column, e.column, `${label}.column`);
  if (e.deletion !== undefined) assert.equal(o.deletion, e.deletion, `${label}.deletion`);
  if (e.lifetime) {
    // where the lifetime is set is checked by tests that ask for it
    const {
      location: _l,
      evidence: _e,
      ...lifetime
    } = o.lifetime as CookieObservation['lifetime'] & {
      location?: unknown;
      evidence?: unknown;
    };
    assert.deepEqual(lifetime, e.lifetime, `${label}.lifetime`);
  }
  if (e.category) assert.equal(o.classification.category, e.category, `${label}.category`);
  if (e.prefix !== undefined) assert.equal(o.prefix, e.prefix, `${label}.prefix`);
  for (const k of ['secure', 'httpOnly', 'sameSite', 'domain', 'path'] as const) {
    if (k in e) checkAttr(`${label}.${k}`, o[k] as CookieObservation['secure'] | undefined, e[k]);
  }
}

function checkExpectations(obs: Observation[], c: Case, exact: boolean): void {
  const cookies = cookiesOf(obs);
  for (const e of c.cookies ?? []) {
    const candidates = cookies.filter(
      (o) => o.name === e.name && (e.line === undefined || o.location?.line === e.line),
    );
    assert.ok(
      candidates.length > 0,
      `no observation for cookie ${e.name}; got ${cookies.map((o) => `${o.name}@${o.location?.line}`).join(', ')}`,
    );
    checkCookie(candidates[0], e);
  }
  if (exact && c.cookies)
    assert.equal(
      cookies.length,
      c.cookies.length,
      `cookie observations: ${cookies.map((o) => o.name).join(', ')}`,
    );
  const proxies = proxyTrustOf(obs);
  if (exact)
    assert.equal(
      proxies.length,
      (c.proxyTrust ?? []).length,
      `proxy-trust observations: ${proxies.map((p) => p.cookie).join(', ')}`,
    );
  for (const e of c.proxyTrust ?? []) {
    const p = proxies.find((x) => x.cookie === e.cookie);
    assert.ok(p, `no proxy-trust observation for ${e.cookie}`);
    assert.equal(p.situation, e.situation ?? 'secure-without-trust');
    assert.match(p.evidence ?? '', /TLS-terminating proxy/);
    if (e.framework) assert.equal(p.framework, e.framework);
    if (e.line !== undefined) assert.equal(p.location?.line, e.line, `proxy-trust ${e.cookie}.line`);
    if (e.column !== undefined) assert.equal(p.location?.column, e.column, `proxy-trust ${e.cookie}.column`);
  }
}

function title(c: Case, i: number): string {
  if (c.name) return c.name;
  const text = typeof c.code === 'string' ? c.code : Object.values(c.code).join(' | ');
  const first = text.split('\n').find((l) => l.trim() && !/^\s*(import|const \w+ = require)/.test(l)) ?? text;
  return `#${i + 1} ${first.trim().slice(0, 80)}`;
}

/**
 * ESLint-style tables: every `valid` case yields no insecure observation (and the listed cookies, when
 * given); every `invalid` case yields exactly the listed cookie and proxy-trust observations.
 */
export function runTable(name: string, table: { valid: Case[]; invalid: Case[] }): void {
  for (const [i, c] of table.valid.entries()) {
    test(`${name} valid: ${title(c, i)}`, () => {
      const obs = observe(c.code, c.file ?? 'app.js');
      const bad = obs.flatMap((o) => insecurities(o).map((x) => `${'name' in o ? o.name : ''} ${x}`));
      assert.deepEqual(bad, [], 'valid code must produce no insecure observation');
      checkExpectations(obs, c, false);
    });
  }
  for (const [i, c] of table.invalid.entries()) {
    test(`${name} invalid: ${title(c, i)}`, () => {
      const obs = observe(c.code, c.file ?? 'app.js');
      checkExpectations(obs, c, true);
    });
  }
}
