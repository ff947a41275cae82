/**
 * Project-level reasoning for JavaScript / TypeScript: turns the facts of every file into observations.
 *
 * - A session middleware configuration becomes one cookie observation; options it does not set take the
 *   library's default (provenance `framework-default`, located where sessions are enabled).
 * - A cookie set by code becomes one cookie observation (`setBy: 'script'` for browser-side code).
 * - Values read from the environment, or chosen by an environment condition, are `env-dependent`, with the
 *   value in each environment the `.env*` files (or NODE_ENV) reveal; values the collector cannot resolve
 *   are `unknown` and never judged insecure.
 * - Secure cookies in an app that cannot see HTTPS behind a proxy (no `trust proxy`, `proxy: true`,
 *   `app.proxy`, `trustProxy`, and no TLS in the app itself) give a proxy-trust observation.
 */
import type {
  Attr,
  CodeLocation,
  CookieClassification,
  CookieLifetime,
  CookieObservation,
  Observation,
  Provenance,
  ProxyTrustObservation,
  SameSiteValue,
  SecureValue,
  SettingObservation,
} from '../../../model/observation.js';
import { posix } from 'node:path';
import { classifyCookie } from '../../../cookies/classify.js';
import type {
  CodeFact,
  ConstantKind,
  FactGuard,
  FileFacts,
  ProjectFacts,
  Resolver,
  SettingValue,
} from '../types.js';
import { testVariables } from '../common/envtest.js';
import {
  Environments,
  evalIn,
  testOf,
  UNSET,
  valueIn,
  variablesOf,
  type Environment,
} from './environments.js';
import { SESSION_DEFAULTS, SET_DEFAULTS, type ApiDefaults } from './defaults.js';
import { langOf } from './context.js';
import { ExportIndex } from './exports-index.js';
import { PackageIndex } from './packages.js';
import { proxyInFront } from '../common/deploy.js';
import { HELPER_CALL_KEY, type CookieSetDetail, type HelperCall, type HelperCallData } from './helpers.js';
import { APP_KEY, type AppDetail } from './detect-transport.js';
import { ENV_LOAD_KEY, type EnvLoadData } from './detect-exports.js';

type SessionFact = Extract<CodeFact, { type: 'session-enabled' }>;
type SettingFact = Extract<CodeFact, { type: 'setting' }>;
type CookieSetFact = Extract<CodeFact, { type: 'cookie-set' }>;
type Scalar = string | number | boolean | null;

/** A setting as the resolver reads it: its value and where it was written. */
interface SettingRef {
  value: SettingValue;
  location: CodeLocation;
  evidence: string;
  /** The file the value was written in, when not the configuring file (values imported from a module). */
  file?: string;
}

/**
 * Replaces values imported from other modules (unknown values with a `ref`) by what those modules
 * export: a whole options object (`*` / `cookie.*`) or one value. Keys written in the configuring file
 * win over the imported object's. Chains of imports are followed a few levels.
 */
function substituteImports(settings: Map<string, SettingRef>, file: string, index: ExportIndex): void {
  if (index.empty) return;
  for (let round = 0; round < 4; round++) {
    let changed = false;
    for (const [key, s] of [...settings]) {
      if (s.value.kind !== 'unknown' || !s.value.ref) continue;
      const from = s.file ?? file;
      if (key === '*' || key.endsWith('.*')) {
        const obj = index.object(from, s.value.ref);
        if (!obj) continue;
        const prefix = key.slice(0, -1);
        settings.delete(key);
        for (const [k, v] of obj) if (!settings.has(prefix + k)) settings.set(prefix + k, v);
        changed = true;
      } else {
        const v = index.scalar(from, s.value.ref);
        if (!v) continue;
        settings.set(key, { value: v.value, location: s.location, evidence: s.evidence, file: v.file });
        changed = true;
      }
    }
    if (!changed) return;
  }
}

const MAX_SECONDS = 400 * 24 * 3600;

// ---------------------------------------------------------------------------------------------------
// normalisation of raw values to attribute values (what the library does with them)

/**
 * The extractor already turned truthy strings into `true` for libraries without an 'auto' mode, so a
 * literal 'auto' always means "follows the request" (`secure: 'auto'`, `secure: req.secure`).
 */
function normSecure(v: Scalar): SecureValue | 'unknown' {
  return v === 'auto' ? 'auto' : Boolean(v);
}

function normBool(v: Scalar): boolean {
  return Boolean(v);
}

/** sameSite: true = Strict (jshttp/cookie), false = not set; strings are matched case-insensitively. */
function normSameSite(v: Scalar): SameSiteValue | 'unknown' {
  if (v === true) return 'strict';
  if (v === false || v === null || v === '') return 'unset';
  const s = String(v).toLowerCase();
  if (s === 'strict' || s === 'lax' || s === 'none') return s;
  if (s === 'auto') return 'unknown'; // express-session 1.19: None over HTTPS, Lax over HTTP
  return 'invalid';
}

function normString(v: Scalar): string | 'unknown' {
  return v === null ? 'unknown' : String(v);
}

// ---------------------------------------------------------------------------------------------------

interface AttrInput<T> {
  setting?: SettingRef;
  /** An unresolved expression may set this option. */
  wildcard?: SettingRef;
  dflt: T | 'unknown';
  dfltProvenance: Provenance;
  dfltLocation: CodeLocation;
  dfltEvidence: string;
  normalize: (v: Scalar) => T | 'unknown';
}

class AttrBuilder {
  constructor(readonly envs: Environments) {}

  build<T>(input: AttrInput<T>, guard: FactGuard | undefined): Attr<T> {
    const base = this.buildUnguarded(input);
    if (!guard || !guard.test) return base;
    // the whole configuration only applies where the guard holds (unknown where the guard is)
    const read = [
      ...new Set([...testVariables(guard.test), ...(input.setting ? variablesOf(input.setting.value) : [])]),
    ];
    const test = input.setting ? testOf(input.setting.value) : undefined;
    const perEnvironment: Record<string, unknown> = {};
    const envs: Environment[] = [];
    for (const e of this.envs.forVariables(read, test ? { test } : {})) {
      const holds = evalIn(guard.test, e);
      if (holds === false) continue;
      envs.push(e);
      perEnvironment[e.name] = holds === undefined ? 'unknown' : this.valueInEnv(input, e);
    }
    const inner = base.provenance.kind === 'env-dependent' ? ` and ${base.provenance.condition}` : '';
    return {
      value: pickValue(perEnvironment) as T | 'unknown',
      provenance: {
        kind: 'env-dependent',
        condition: `${guard.condition}${inner}`,
        perEnvironment,
        resolvedFrom: [...new Set(envs.flatMap((e) => e.files))],
      },
      location: base.location,
      evidence: base.evidence,
    } as Attr<T>;
  }

  private valueInEnv<T>(input: AttrInput<T>, env: Environment): T | 'unknown' {
    if (!input.setting) return input.wildcard ? 'unknown' : input.dflt;
    const raw = valueIn(input.setting.value, env.vars, env.assumeHttps);
    if (raw === undefined) return 'unknown';
    if (raw === null) return input.dflt;
    return input.normalize(raw);
  }

  private buildUnguarded<T>(input: AttrInput<T>): Attr<T> {
    const s = input.setting;
    if (!s) {
      if (input.wildcard) {
        return {
          value: 'unknown',
          provenance: { kind: 'unknown', reason: reasonOf(input.wildcard.value) },
          location: input.wildcard.location,
          evidence: input.wildcard.evidence,
        };
      }
      return {
        value: input.dflt,
        provenance: input.dfltProvenance,
        location: input.dfltLocation,
        evidence: input.dfltEvidence,
      };
    }
    const v = s.value;
    if (v.kind === 'literal') {
      if (v.value === null)
        return {
          value: input.dflt,
          provenance: input.dfltProvenance,
          location: s.location,
          evidence: s.evidence,
        };
      return {
        value: input.normalize(v.value),
        provenance: { kind: 'explicit' },
        location: s.location,
        evidence: s.evidence,
      };
    }
    if (v.kind === 'unknown') {
      return {
        value: 'unknown',
        provenance: { kind: 'unknown', reason: reasonOf(v) },
        location: s.location,
        evidence: s.evidence,
      };
    }
    // env / conditional
    const read = variablesOf(v);
    const test = testOf(v);
    const envs = this.envs.forVariables(read, test ? { test } : {});
    const perEnvironment: Record<string, unknown> = {};
    for (const e of envs) perEnvironment[e.name] = this.valueInEnv(input, e);
    if (v.kind === 'conditional' && !v.test) {
      // a condition the collector could name but not evaluate
      if (v.trueIn)
        for (const env of v.trueIn)
          perEnvironment[env] =
            v.whenTrue === undefined
              ? 'unknown'
              : v.whenTrue === null
                ? input.dflt
                : input.normalize(v.whenTrue);
    }
    const condition = v.kind === 'env' ? v.expression : v.condition;
    // nothing sets the variables and the code's default is safe (`secure: process.env.INSECURE !== 'true'`):
    // that default is what runs, not a switch to report
    const only = Object.entries(perEnvironment);
    if (only.length === 1 && only[0][0] === UNSET && isSafeDefault(only[0][1]))
      return {
        value: only[0][1] as T,
        provenance: { kind: 'explicit' },
        location: s.location,
        evidence: s.evidence,
      };
    return {
      value: pickValue(perEnvironment) as T | 'unknown',
      provenance: {
        kind: 'env-dependent',
        condition,
        perEnvironment,
        resolvedFrom: [...new Set(envs.flatMap((e) => e.files))],
      },
      location: s.location,
      evidence: s.evidence,
    };
  }
}

/** A value that asks for nothing: Secure (or following the request), HttpOnly, a SameSite policy. */
function isSafeDefault(v: unknown): boolean {
  return v === true || v === 'auto' || v === 'lax' || v === 'strict';
}

function reasonOf(v: SettingValue): string {
  if (v.kind === 'unknown') return `${v.expression}: ${v.reason}`;
  return 'not a constant';
}

/** The value in production when resolved, else the common value of every environment, else unknown. */
function pickValue(perEnvironment: Record<string, unknown>): unknown {
  const prod = Object.keys(perEnvironment).find((k) => /^(prod|production|live)$/i.test(k));
  if (prod && perEnvironment[prod] !== 'unknown') return perEnvironment[prod];
  const values = [...new Set(Object.values(perEnvironment).map((x) => JSON.stringify(x)))];
  if (values.length === 1) return JSON.parse(values[0]);
  return 'unknown';
}

function prefixOf(name: string): '__Secure-' | '__Host-' | null {
  const l = name.slice(0, 9).toLowerCase();
  if (l === '__secure-') return '__Secure-';
  if (l.startsWith('__host-')) return '__Host-';
  return null;
}

function lifetimeOf(maxAge: SettingRef | undefined, d: ApiDefaults, expires?: SettingRef): CookieLifetime {
  // js-cookie, jquery.cookie, ngx-cookie-service: `expires` is a number of days
  if (!maxAge && expires && d.maxAgeUnit === 'days') return lifetimeOf(expires, d);
  if (!maxAge && expires)
    return expires.value.kind === 'literal' && expires.value.value === null
      ? d.lifetime
      : { kind: 'unknown' };
  if (!maxAge) return d.lifetime;
  const v = maxAge.value;
  if (v.kind !== 'literal') return { kind: 'unknown' };
  if (v.value === null) return d.lifetime;
  if (v.value === 'session') return { kind: 'session' };
  if (typeof v.value !== 'number') return { kind: 'unknown' };
  const seconds = Math.round(
    d.maxAgeUnit === 'ms' ? v.value / 1000 : d.maxAgeUnit === 'days' ? v.value * 86400 : v.value,
  );
  const at = { location: maxAge.location, evidence: maxAge.evidence };
  return seconds > MAX_SECONDS
    ? { kind: 'persistent', seconds, capped: true, ...at }
    : { kind: 'persistent', seconds, ...at };
}

/**
 * Attributes decided on another line than the cookie's own (an option's line, a module's export) carry that
 * line as their code excerpt: a finding about them shows the code that decides them.
 */
function withSnippets(obs: CookieObservation): CookieObservation {
  const own = obs.location;
  for (const a of [obs.secure, obs.httpOnly, obs.sameSite, obs.domain, obs.path]) {
    if (!a || !a.location || !a.evidence) continue;
    if (own && a.location.file === own.file && a.location.line === own.line) continue;
    a.snippet = a.evidence;
  }
  return obs;
}

function truthyMaybe(v: SettingValue): boolean {
  if (v.kind === 'literal') return Boolean(v.value) && v.value !== 'false';
  return true; // not resolvable: never reported
}

// ---------------------------------------------------------------------------------------------------

interface Site {
  file: FileFacts;
}

export function resolveJavaScript(project: ProjectFacts): Observation[] {
  const packages = new PackageIndex(project);
  const index = new ExportIndex(project, packages);
  const envs = new Environments(project, packages, loadedEnvFiles(project, packages));
  // each package (and folder) sees its own .env files: one builder per distinct view
  const builders = new Map<Environments, AttrBuilder>();
  const attrsFor = (file: string): AttrBuilder => {
    const e = envs.scoped(file);
    let b = builders.get(e);
    if (!b) builders.set(e, (b = new AttrBuilder(e)));
    return b;
  };
  const out: Observation[] = [];

  const sessions: (Site & { fact: SessionFact; settings: Map<string, SettingRef> })[] = [];
  const sets: (Site & { fact: CookieSetFact })[] = [];
  const transport: (Site & { fact: SettingFact })[] = [];
  const deps = new Map<string, string | null>();

  for (const file of project.files) {
    for (const fact of file.facts)
      if (fact.type === 'dependency' && fact.ecosystem === 'npm') deps.set(fact.name, fact.version);
    if (langOf(file.file) === null) continue;
    const bySession = new Map<string, Map<string, SettingRef>>();
    for (const fact of file.facts) {
      if (fact.type === 'setting' && fact.scope?.objectId) {
        const m = bySession.get(fact.scope.objectId) ?? new Map<string, SettingRef>();
        m.set(fact.key, { value: fact.value, location: fact.location, evidence: fact.evidence });
        bySession.set(fact.scope.objectId, m);
      } else if (
        fact.type === 'setting' &&
        ['express', 'koa', 'fastify', 'node', 'ngx-cookie'].includes(fact.framework)
      ) {
        transport.push({ file, fact });
      }
    }
    for (const fact of file.facts) {
      if (fact.type === 'session-enabled' && SESSION_DEFAULTS[fact.api ?? fact.framework] && fact.objectId) {
        sessions.push({ file, fact, settings: bySession.get(fact.objectId) ?? new Map() });
      } else if (fact.type === 'cookie-set' && fact.api && SET_DEFAULTS[fact.api]) {
        sets.push({ file, fact });
      }
    }
  }

  const cookies: JudgedCookie[] = [];

  for (const { file, fact, settings } of sessions) {
    substituteImports(settings, file.file, index);
    const api = fact.api ?? fact.framework;
    const d = SESSION_DEFAULTS[api];
    const obs = sessionCookie(attrsFor(file.file), file, fact, settings, d, api, deps);
    cookies.push({ obs, api, settings, file: file.file, app: appOfFact(fact) });
    out.push(obs);
  }

  const helperCalls = crossFileHelperCalls(project, index);
  for (const { file, fact } of expandHelpers(sets, helperCalls)) {
    const d = SET_DEFAULTS[fact.api!];
    const settings = new Map<string, SettingRef>();
    // ngx-cookie: the options of CookieModule.forRoot(...) in the same package are every put()'s defaults
    if (fact.api === 'ngx-cookie')
      for (const t of transport)
        if (
          t.fact.framework === 'ngx-cookie' &&
          packages.packageOf(t.file.file) === packages.packageOf(file.file)
        )
          settings.set(t.fact.key, {
            value: t.fact.value,
            location: t.fact.location,
            evidence: t.fact.evidence,
          });
    for (const [key, value] of Object.entries(fact.options)) {
      const site = fact.optionSites?.[key] ?? { location: fact.location, evidence: fact.evidence };
      settings.set(key, { value, location: site.location, evidence: site.evidence });
    }
    substituteImports(settings, file.file, index);
    const obs = setCookie(attrsFor(file.file), file, fact, settings, d);
    cookies.push({ obs, api: fact.api!, settings, file: file.file, app: appOfFact(fact) });
    out.push(obs);
  }

  out.push(...proxyTrust(project, cookies, transport, packages));
  for (const { file, fact } of transport) {
    if (fact.key === 'https-server' || fact.framework === 'ngx-cookie') continue;
    const a = attrsFor(file.file).build<unknown>(
      {
        setting: { value: fact.value, location: fact.location, evidence: fact.evidence },
        dflt: false,
        dfltProvenance: {
          kind: 'framework-default',
          framework: fact.framework,
          note: 'proxy headers are not trusted by default',
        },
        dfltLocation: fact.location,
        dfltEvidence: fact.evidence,
        normalize: (v) => v,
      },
      undefined,
    );
    const s: SettingObservation = {
      kind: 'setting',
      source: 'code',
      framework: fact.framework,
      key: 'trust-proxy',
      value: a.value,
      provenance: a.provenance,
      location: fact.location,
      evidence: fact.evidence,
      snippet: fact.evidence,
      inTestCode: file.inTestCode,
    };
    out.push(s);
  }
  return out.sort(byLocation);
}

/** Calls of exported cookie helpers from other files, by the helper's file and function name. */
function crossFileHelperCalls(project: ProjectFacts, index: ExportIndex): Map<string, HelperCallData[]> {
  const out = new Map<string, HelperCallData[]>();
  for (const f of project.files) {
    for (const fact of f.facts) {
      if (fact.type !== 'other' || fact.key !== HELPER_CALL_KEY) continue;
      const d = fact.data as HelperCallData;
      const target = index.resolveModule(f.file, d.module);
      if (!target) continue;
      const key = `${target}\u0000${d.name}`;
      const list = out.get(key);
      if (list) list.push(d);
      else out.set(key, [d]);
    }
  }
  return out;
}

const CATEGORY_RANK: Record<string, number> = {
  session: 0,
  csrf: 1,
  unknown: 2,
  preference: 3,
  analytics: 4,
  infrastructure: 5,
};

/**
 * A cookie written by a helper function (its name is a parameter) stands for the cookies its calls write (in
 * the helper's file, and from files importing it). The helper's code decides the attributes: one finding
 * there, about the most sensitive cookie the calls write (a credential before a preference), naming the
 * others. Calls that delete (empty value, non-positive lifetime) are not judged. A helper nobody calls stays
 * one cookie with a computed name, marked so (`uncalled`): its findings are info, since the pages that may
 * call it (inline scripts, other repositories) are not scanned and no cookie is known.
 */
function expandHelpers<T extends { file: FileFacts; fact: CookieSetFact }>(
  sets: T[],
  crossFile: Map<string, HelperCallData[]>,
): T[] {
  const out: T[] = [];
  for (const entry of sets) {
    const helper = (entry.fact.detail as CookieSetDetail | undefined)?.helper;
    if (!helper) {
      out.push(entry);
      continue;
    }
    const calls: HelperCall[] = [...helper.calls];
    if (helper.exported)
      for (const d of crossFile.get(`${entry.file.file}\u0000${helper.fn}`) ?? []) {
        const name = d.args[helper.nameParam];
        const value = helper.valueParam !== undefined ? d.args[helper.valueParam] : undefined;
        calls.push({
          name: name ? name.text : '<cookie name>',
          ...(value?.valueFrom ? { valueFrom: value.valueFrom } : {}),
          ...(value?.constant ? { constantValue: value.constant } : {}),
          ...(value && value.empty && d.args.some((a) => a.nonPositive) ? { deletion: true } : {}),
          location: d.location,
          evidence: d.evidence,
        });
      }
    if (calls.length === 0) {
      const detail: CookieSetDetail = { ...(entry.fact.detail as CookieSetDetail), uncalled: helper.fn };
      out.push({ ...entry, fact: { ...entry.fact, detail } });
      continue;
    }
    const byName = new Map<string, HelperCall[]>();
    for (const c of calls) byName.set(c.name, [...(byName.get(c.name) ?? []), c]);
    const candidates: { name: string; constant?: ConstantKind; valueFrom?: string; rank: number }[] = [];
    for (const [name, group] of byName) {
      const live = group.filter((c) => !c.deletion);
      if (live.length === 0) continue;
      const constant = live.every((c) => c.constantValue) ? live[0].constantValue : undefined;
      const valueFrom = live.find((c) => c.valueFrom)?.valueFrom;
      const c = classification(name, entry.fact.framework, entry.fact.setBy, undefined, constant, valueFrom);
      candidates.push({
        name,
        ...(constant ? { constant } : {}),
        ...(valueFrom ? { valueFrom } : {}),
        rank: CATEGORY_RANK[c.category] ?? 9,
      });
    }
    const { constantValue: _c, detail: _d, ...rest } = entry.fact;
    if (candidates.length === 0) {
      out.push({ ...entry, fact: { ...rest, deletion: true } });
      continue;
    }
    const best = [...candidates].sort((a, b) => a.rank - b.rank)[0];
    const others = candidates.filter((c) => c !== best).map((c) => c.name);
    const detail: CookieSetDetail = {
      ...(best.valueFrom ? { valueFrom: best.valueFrom } : {}),
      via: helper.fn,
      ...(others.length ? { alsoFor: others } : {}),
    };
    out.push({
      ...entry,
      fact: { ...rest, name: best.name, ...(best.constant ? { constantValue: best.constant } : {}), detail },
    });
  }
  return out;
}

/**
 * Env files the code loads itself (`process.loadEnvFile('.env.example')`): paths relative to the working
 * directory are taken from the loading file's package folder (where `npm start` runs).
 */
function loadedEnvFiles(project: ProjectFacts, packages: PackageIndex): Set<string> {
  const out = new Set<string>();
  for (const f of project.files) {
    if (f.inTestCode) continue;
    for (const fact of f.facts) {
      if (fact.type !== 'other' || fact.key !== ENV_LOAD_KEY) continue;
      const d = fact.data as EnvLoadData;
      const from = d.relativeTo === 'file' ? posix.dirname(f.file) : packages.packageOf(f.file);
      const p = posix.normalize(posix.join(from === '.' ? '' : from, d.path));
      if (!p.startsWith('../') && !posix.isAbsolute(p)) out.add(p.replace(/^\.\//, ''));
    }
  }
  return out;
}

function byLocation(a: Observation, b: Observation): number {
  const la = 'location' in a ? a.location : undefined;
  const lb = 'location' in b ? b.location : undefined;
  if (!la || !lb) return 0;
  if (la.file !== lb.file) return la.file < lb.file ? -1 : 1;
  return la.line - lb.line || la.column - lb.column;
}

function classification(
  name: string,
  framework: string,
  setBy: 'server' | 'script',
  sessionOf?: string,
  constantValue?: ConstantKind,
  valueFrom?: string,
): CookieClassification {
  const c = classifyCookie(name, undefined, {
    framework,
    setBy,
    ...(constantValue ? { constantValue } : {}),
  });
  // the code that sets it says what the value is: `res.cookie('access', token)`, `jwt.sign(...)`
  if (valueFrom && !constantValue && c.category === 'unknown')
    return {
      category: 'session',
      reason: `its value is ${valueFrom}, a token or session identifier (the code that sets it)`,
      framework,
      confidence: 'medium',
    };
  const flow = oauthFlow(name, c);
  if (flow) return flow;
  if (sessionOf && c.category !== 'session') {
    return {
      category: 'session',
      reason: `${name} is the session cookie of ${sessionOf}`,
      framework,
      confidence: 'high',
    };
  }
  return fromOtherFramework(name, framework, c);
}

/** Framework ids of one family: a name known for one of them is at home in the others. */
const FAMILY: Record<string, string> = {
  express: 'node',
  'express-session': 'node',
  'cookie-session': 'node',
  koa: 'node',
  'koa-session': 'node',
  fastify: 'node',
  next: 'next',
  'next-auth': 'next',
};

/**
 * A name known as another framework's cookie (`remember_token` is Flask-Login's) set here by this code
 * (`res.cookie('remember_token', ...)`): the reason says so, so that nobody reads the finding as being
 * about that framework; the fix is this code's.
 */
function fromOtherFramework(name: string, framework: string, c: CookieClassification): CookieClassification {
  if (c.confidence !== 'high') return c;
  const known = classifyCookie(name).framework;
  if (!known || known === framework || (FAMILY[known] ?? known) === (FAMILY[framework] ?? framework))
    return c;
  return { ...c, reason: `${c.reason}; here ${framework} code sets it, so its defaults and fix apply` };
}

/**
 * OAuth / OpenID Connect round-trip cookies (`<provider>_oauth_state`, `oauth_nonce`, `pkce_code_verifier`,
 * `oidc_flow`) live minutes and protect one sign-in against CSRF (RFC 6749 section 10.12): CSRF cookies, not
 * login sessions, whatever the word "oauth" in their name suggests.
 */
function oauthFlow(name: string, c: CookieClassification): CookieClassification | null {
  if (c.category !== 'session' || c.confidence === 'high') return null;
  const words = name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
  if (!words.some((w) => /^(?:oauth2?|oidc|openid|pkce|sso)$/.test(w))) return null;
  if (!words.some((w) => /^(?:state|nonce|verifier|challenge|flow|csrf)$/.test(w))) return null;
  if (words.some((w) => /^(?:token|jwt|session|sid|auth)$/.test(w))) return null;
  return {
    category: 'csrf',
    reason: `name ${name} names an OAuth sign-in round-trip value (state, nonce, PKCE verifier): it protects one login against CSRF and is not a login session`,
    ...(c.framework ? { framework: c.framework } : {}),
    confidence: 'medium',
  };
}

function sessionCookie(
  attrs: AttrBuilder,
  file: FileFacts,
  fact: SessionFact,
  settings: Map<string, SettingRef>,
  d: ApiDefaults,
  api: string,
  deps: Map<string, string | null>,
): CookieObservation {
  const prefixes = api === '@fastify/secure-session' ? ['cookieOptions.', 'cookie.'] : [d.prefix];
  const get = (key: string): SettingRef | undefined => {
    for (const p of prefixes) {
      const s = settings.get(p + key);
      if (s) return s;
    }
    return undefined;
  };
  const wildcard = settings.get('*') ?? prefixes.map((p) => settings.get(p + '*')).find((x) => x);
  const where = { location: fact.location, evidence: fact.evidence };
  const dflt = (note: string): Provenance => ({
    kind: 'framework-default',
    framework: d.framework,
    ...(d.version ? { version: `${d.library} ${d.version}` } : {}),
    note,
  });

  // cookie name: the first name option that is set, else the library's default
  const nameKeys = {
    'express-session': ['name', 'key'],
    'cookie-session': ['name'],
    'koa-session': ['key'],
    'next-auth': ['cookies.sessionToken.name'],
    '@fastify/secure-session': ['cookieName', 'sessionName'],
  }[api] ?? ['cookieName'];
  let name: string | undefined;
  for (const k of nameKeys) {
    const s = settings.get(k);
    if (!s) continue;
    if (s.value.kind === 'literal' && typeof s.value.value === 'string' && s.value.value !== '')
      name = s.value.value;
    else if (s.value.kind !== 'literal') name = `<${s.value.expression}>`;
    if (name !== undefined) break;
  }
  name ??= fact.cookieName ?? d.name ?? '<cookie name>';
  if (api === 'next-auth' && !settings.get('cookies.sessionToken.name')) {
    if (deps.has('next-auth') && /^\D*5/.test(deps.get('next-auth') ?? '')) name = 'authjs.session-token';
  }

  // Secure
  let secureSetting = get('secure');
  if (api === 'next-auth') {
    // useSecureCookies decides both the Secure flag and the __Secure- prefix of the session token
    const use = settings.get('useSecureCookies');
    if (!secureSetting && use) secureSetting = use;
  }
  let secure = attrs.build<SecureValue>(
    {
      setting: secureSetting,
      wildcard,
      dflt: d.secure,
      dfltProvenance: dflt(d.secureNote),
      dfltLocation: where.location,
      dfltEvidence: where.evidence,
      normalize: normSecure,
    },
    fact.guard,
  );
  if (api === 'next-auth' && secure.provenance.kind === 'framework-default')
    secure = nextAuthUrlSecure(attrs.envs, secure);
  if (
    api === 'next-auth' &&
    secure.value === true &&
    !settings.get('cookies.sessionToken.name') &&
    !prefixOf(name)
  )
    name = `__Secure-${name}`;
  if (api === 'iron-session' && name === '<cookie name>') name = '<cookieName>';

  const httpOnly = attrs.build<boolean>(
    {
      setting: get('httpOnly'),
      wildcard,
      dflt: d.httpOnly,
      dfltProvenance: dflt(`${d.library} defaults httpOnly to ${d.httpOnly}`),
      dfltLocation: where.location,
      dfltEvidence: where.evidence,
      normalize: normBool,
    },
    fact.guard,
  );
  const sameSiteSetting = get('sameSite');
  const sameSite = attrs.build<SameSiteValue>(
    {
      setting: sameSiteSetting,
      wildcard,
      dflt: d.sameSite,
      dfltProvenance: dflt(
        d.sameSite === 'unset'
          ? `${d.library} sets no SameSite by default`
          : `${d.library} defaults sameSite to ${d.sameSite}`,
      ),
      dfltLocation: where.location,
      dfltEvidence: where.evidence,
      normalize: normSameSite,
    },
    fact.guard,
  ) as Attr<SameSiteValue> & { raw?: string };
  if (sameSiteSetting?.value.kind === 'literal' && typeof sameSiteSetting.value.value === 'string')
    sameSite.raw = sameSiteSetting.value.value;

  const obs: CookieObservation = {
    kind: 'cookie',
    source: 'code',
    name,
    secure,
    httpOnly,
    sameSite,
    lifetime: sessionLifetime(api, settings, get('maxAge'), d, get('expires')),
    prefix: prefixOf(name),
    classification: classification(name, d.framework, 'server', d.library),
    deletion: false,
    setBy: 'server',
    framework: d.framework,
    api,
    location: fact.location,
    snippet: fact.evidence,
    inTestCode: file.inTestCode,
  };
  const domain = get('domain');
  if (domain)
    obs.domain = attrs.build<string>(
      {
        setting: domain,
        dflt: 'unknown',
        dfltProvenance: { kind: 'explicit' },
        dfltLocation: domain.location,
        dfltEvidence: domain.evidence,
        normalize: normString,
      },
      fact.guard,
    );
  const path = get('path');
  if (path || d.path)
    obs.path = attrs.build<string>(
      {
        setting: path,
        wildcard,
        dflt: d.path ?? 'unknown',
        dfltProvenance: dflt(`${d.library} defaults path to ${d.path}`),
        dfltLocation: where.location,
        dfltEvidence: where.evidence,
        normalize: normString,
      },
      fact.guard,
    );
  return withSnippets(obs);
}

/**
 * The lifetime of a session cookie. NextAuth's is `session.maxAge` (30 days by default): a defaulted one is
 * located at the `session` options object when there is one.
 */
function sessionLifetime(
  api: string,
  settings: Map<string, SettingRef>,
  maxAge: SettingRef | undefined,
  d: ApiDefaults,
  expires?: SettingRef,
): CookieLifetime {
  if (api !== 'next-auth') return lifetimeOf(maxAge, d, expires);
  const own = settings.get('session.maxAge') ?? maxAge;
  const l = lifetimeOf(own, d);
  const strategy = settings.get('session.strategy');
  if (!own && strategy && l.kind === 'persistent')
    return { ...l, location: strategy.location, evidence: strategy.evidence };
  return l;
}

/**
 * NextAuth's default `useSecureCookies` follows the site URL (next-auth 4 reads NEXTAUTH_URL; Auth.js 5 the
 * request, or AUTH_URL when set): when a production .env file gives an http:// URL, the session cookie is
 * not Secure there. Other default cases stay 'auto'.
 */
function nextAuthUrlSecure(envs: Environments, dflt: Attr<SecureValue>): Attr<SecureValue> {
  const perEnvironment: Record<string, unknown> = {};
  const found = envs.forVariables(['AUTH_URL', 'NEXTAUTH_URL']);
  for (const e of found) {
    const url = e.vars.AUTH_URL ?? e.vars.NEXTAUTH_URL;
    if (url === undefined) continue;
    perEnvironment[e.name] = url === '<redacted>' ? 'unknown' : /^https:\/\//i.test(url.trim());
  }
  const prodInsecure = Object.entries(perEnvironment).some(
    ([k, v]) => /^(prod|production|live)$/i.test(k) && v === false,
  );
  if (!prodInsecure) return dflt;
  return {
    value: pickValue(perEnvironment) as SecureValue | 'unknown',
    provenance: {
      kind: 'env-dependent',
      condition:
        'the site URL (NEXTAUTH_URL / AUTH_URL) starts with https:// (NextAuth useSecureCookies default)',
      perEnvironment,
      resolvedFrom: [...new Set(found.flatMap((e) => e.files))],
    },
    ...(dflt.location ? { location: dflt.location } : {}),
    ...(dflt.evidence ? { evidence: dflt.evidence } : {}),
  };
}

function setCookie(
  attrs: AttrBuilder,
  file: FileFacts,
  fact: CookieSetFact,
  settings: Map<string, SettingRef>,
  d: ApiDefaults,
): CookieObservation {
  const wildcard = settings.get('*');
  const where = { location: fact.location, evidence: fact.evidence };
  const script = fact.setBy === 'script';
  const dflt = (note: string): Provenance => ({
    kind: 'framework-default',
    framework: d.framework,
    ...(d.version ? { version: `${d.library} ${d.version}` } : {}),
    note,
  });
  let name = fact.name ?? '<cookie name>';

  // Hono: prefix 'secure' | 'host' adds the prefix and forces Secure (Path=/ and no Domain for host)
  const prefixOpt = settings.get('prefix');
  let forcedSecure: SettingRef | undefined;
  let forcedPath: SettingRef | undefined;
  let dropDomain = false;
  if (
    prefixOpt &&
    prefixOpt.value.kind === 'literal' &&
    (prefixOpt.value.value === 'secure' || prefixOpt.value.value === 'host')
  ) {
    const host = prefixOpt.value.value === 'host';
    name = `${host ? '__Host-' : '__Secure-'}${name}`;
    forcedSecure = { ...prefixOpt, value: { kind: 'literal', value: true } };
    if (host) {
      forcedPath = { ...prefixOpt, value: { kind: 'literal', value: '/' } };
      dropDomain = true;
    }
  }
  // ngx-cookie-service: sameSite None forces Secure
  const sameSiteSetting = settings.get('sameSite');
  if (
    fact.api === 'ngx-cookie-service' &&
    sameSiteSetting?.value.kind === 'literal' &&
    String(sameSiteSetting.value.value).toLowerCase() === 'none'
  )
    forcedSecure = { ...sameSiteSetting, value: { kind: 'literal', value: true } };

  const secure = attrs.build<SecureValue>(
    {
      setting: forcedSecure ?? settings.get('secure'),
      wildcard,
      dflt: d.secure,
      dfltProvenance: dflt(d.secureNote),
      dfltLocation: where.location,
      dfltEvidence: where.evidence,
      normalize: normSecure,
    },
    fact.guard,
  );
  const httpOnly: Attr<boolean> = script
    ? {
        value: false,
        provenance: {
          kind: 'framework-default',
          framework: 'browser-js',
          note: 'a cookie set by script (document.cookie) can never be HttpOnly',
        },
        location: where.location,
        evidence: where.evidence,
      }
    : attrs.build<boolean>(
        {
          setting: settings.get('httpOnly'),
          wildcard,
          dflt: d.httpOnly,
          dfltProvenance: dflt(
            d.httpOnly
              ? `${d.library} defaults httpOnly to true`
              : `${d.library} sets no HttpOnly unless httpOnly: true is given`,
          ),
          dfltLocation: where.location,
          dfltEvidence: where.evidence,
          normalize: normBool,
        },
        fact.guard,
      );
  const sameSite = attrs.build<SameSiteValue>(
    {
      setting: sameSiteSetting,
      wildcard,
      dflt: d.sameSite,
      dfltProvenance: dflt(
        d.sameSite === 'unset'
          ? `${d.library} sets no SameSite unless sameSite is given`
          : `${d.library} defaults sameSite to ${d.sameSite}`,
      ),
      dfltLocation: where.location,
      dfltEvidence: where.evidence,
      normalize: normSameSite,
    },
    fact.guard,
  ) as Attr<SameSiteValue> & { raw?: string };
  if (sameSiteSetting?.value.kind === 'literal' && typeof sameSiteSetting.value.value === 'string')
    sameSite.raw = sameSiteSetting.value.value;

  const detail = fact.detail as CookieSetDetail | undefined;
  let cls = classification(name, d.framework, fact.setBy, undefined, fact.constantValue, detail?.valueFrom);
  // a name that only suggests a session, and a value the code builds as JSON data: not an identifier
  if (detail?.valueData && cls.category === 'session' && cls.confidence !== 'high')
    cls = {
      category: 'unknown',
      reason: `name ${name} suggests a session, but its value is ${detail.valueData}: data, not a session identifier or credential`,
      ...(cls.framework ? { framework: cls.framework } : {}),
      confidence: 'low',
    };
  if (detail?.via)
    cls = {
      ...cls,
      reason: `${cls.reason}; written through ${detail.via}()${detail.alsoFor ? `, which also writes ${detail.alsoFor.join(', ')}` : ''}`,
    };
  const obs: CookieObservation = {
    kind: 'cookie',
    source: 'code',
    name,
    secure,
    httpOnly,
    sameSite,
    lifetime: lifetimeOf(settings.get('maxAge'), d, settings.get('expires')),
    prefix: prefixOf(name),
    classification: cls,
    deletion: fact.deletion ?? false,
    setBy: fact.setBy,
    framework: d.framework === 'express' && fact.framework ? fact.framework : d.framework,
    ...(fact.api ? { api: fact.api } : {}),
    location: fact.location,
    snippet: fact.evidence,
    inTestCode: file.inTestCode,
    ...(detail?.uncalled ? { unusedHelper: detail.uncalled } : {}),
  };
  const domain = settings.get('domain');
  if (domain && !dropDomain) {
    const a = attrs.build<string>(
      {
        setting: domain,
        dflt: 'unknown',
        dfltProvenance: { kind: 'explicit' },
        dfltLocation: domain.location,
        dfltEvidence: domain.evidence,
        normalize: normString,
      },
      fact.guard,
    );
    if (!(domain.value.kind === 'literal' && domain.value.value === null)) obs.domain = a;
  }
  const path = forcedPath ?? settings.get('path');
  if (path || d.path) {
    const a = attrs.build<string>(
      {
        setting: path,
        wildcard,
        dflt: d.path ?? 'unknown',
        dfltProvenance: dflt(`${d.library} defaults path to ${d.path}`),
        dfltLocation: where.location,
        dfltEvidence: where.evidence,
        normalize: normString,
      },
      fact.guard,
    );
    if (!(path && path.value.kind === 'literal' && path.value.value === null && !d.path)) obs.path = a;
  }
  return withSnippets(obs);
}

// ---------------------------------------------------------------------------------------------------
// proxy trust

const KOA_TRUST = 'neither app.proxy = true nor new Koa({ proxy: true })';
const KOA_THROWS =
  "ctx.request.secure stays false and the cookies module throws 'Cannot send secure cookie over unencrypted connection' (pillarjs/cookies 0.9.1): the cookie is never set";

/** Per API: which trust setting is missing, what happens to a Secure cookie, and to one that follows the request. */
const TRUST: Record<string, { trust: string; secure?: string; auto: string }> = {
  'express-session': {
    trust: "neither app.set('trust proxy', ...) nor the session option proxy: true",
    secure:
      'express-session then sees plain HTTP and silently never sets the cookie (expressjs/session 1.19.0 index.js: "only send secure cookies via https")',
    auto: "express-session's secure: 'auto' then resolves to false and the cookie goes out without Secure",
  },
  'cookie-session': {
    trust: "no app.set('trust proxy', ...)",
    secure:
      "req.protocol stays 'http' and the cookies module throws 'Cannot send secure cookie over unencrypted connection' (pillarjs/cookies 0.9.1): the cookie is never set",
    auto: "req.protocol stays 'http', so cookie-session sends the cookie without Secure",
  },
  'koa-session': {
    trust: KOA_TRUST,
    secure: KOA_THROWS,
    auto: 'ctx.request.secure stays false, so the cookie goes out without Secure',
  },
  'ctx.cookies.set': {
    trust: KOA_TRUST,
    secure: KOA_THROWS,
    auto: 'ctx.request.secure stays false, so the cookie goes out without Secure',
  },
  '@fastify/session': {
    trust: 'no server option trustProxy',
    secure:
      "request.protocol stays 'http' and @fastify/session silently never sets a Secure cookie (fastify/session 11.1.2 index.js)",
    auto: "request.protocol stays 'http', so secure: 'auto' resolves to false and the cookie goes out without Secure",
  },
  'reply.setCookie': {
    trust: 'no server option trustProxy',
    auto: "request.protocol stays 'http', so secure: 'auto' resolves to false and the cookie goes out without Secure",
  },
  'res.cookie': {
    trust: "no app.set('trust proxy', ...)",
    auto: 'req.secure stays false, so the cookie goes out without Secure',
  },
};

/** A cookie observation with what proxy trust needs: its API, options, file and app. */
interface JudgedCookie {
  obs: CookieObservation;
  api: string;
  settings: Map<string, SettingRef>;
  file: string;
  /** The app (created in `file`) it belongs to, when known. */
  app?: string;
}

function appOfFact(fact: { detail?: unknown }): string | undefined {
  const d = fact.detail as AppDetail | undefined;
  return d && typeof d.app === 'string' ? d.app : undefined;
}

/**
 * Which trust and TLS settings apply to a cookie: those of its own package (in a workspace each package is
 * its own app), and within the package those of its own app. A package that creates no app of its own (a
 * library configuring the session of an app made elsewhere) takes the settings of the whole project.
 */
function settingScope(
  project: ProjectFacts,
  packages: PackageIndex,
): (t: { file: FileFacts; fact: SettingFact }, c: JudgedCookie) => boolean {
  const withApps = new Set<string>();
  for (const f of project.files) {
    if (f.inTestCode) continue;
    if (f.facts.some((x) => x.type === 'other' && x.key === APP_KEY))
      withApps.add(packages.packageOf(f.file));
  }
  return (t, c) => {
    const cp = packages.packageOf(c.file);
    if (packages.packageOf(t.file.file) !== cp) return !withApps.has(cp);
    const tApp = appOfFact(t.fact);
    if (tApp !== undefined && c.app !== undefined) return tApp === c.app && t.file.file === c.file;
    return true;
  };
}

function proxyTrust(
  project: ProjectFacts,
  cookies: JudgedCookie[],
  transport: { file: FileFacts; fact: SettingFact }[],
  packages: PackageIndex,
): ProxyTrustObservation[] {
  const deployment = proxyInFront(project, 'nodejs');
  const applies = settingScope(project, packages);
  const out: ProxyTrustObservation[] = [];
  const seen = new Set<string>();
  for (const cookie of cookies) {
    const { obs, api, settings } = cookie;
    // TLS terminates in the app itself (https.createServer(options, app)): nothing to trust
    if (transport.some((t) => t.fact.key === 'https-server' && applies(t, cookie))) continue;
    const trusted = (framework: string, key: string): boolean =>
      transport.some(
        (t) =>
          t.fact.framework === framework &&
          t.fact.key === key &&
          truthyMaybe(t.fact.value) &&
          applies(t, cookie),
      );
    const ev = TRUST[api];
    if (!ev || obs.deletion) continue;
    const s = obs.secure;
    const values =
      s.provenance.kind === 'env-dependent' ? Object.values(s.provenance.perEnvironment) : [s.value];
    // Secure configured: never set behind the proxy. Follows the request: set without Secure behind a
    // proxy, which only matters when the repository shows one (and for session cookies).
    const secureCase = ev.secure !== undefined && values.includes(true);
    const autoCase =
      !secureCase &&
      values.includes('auto') &&
      deployment !== undefined &&
      obs.classification.category === 'session';
    if (!secureCase && !autoCase) continue;
    let ok: boolean;
    if (api === 'express-session') {
      const proxy = settings.get('proxy');
      if (proxy && proxy.value.kind === 'literal' && proxy.value.value !== null)
        ok = truthyMaybe(proxy.value);
      else ok = (proxy !== undefined && proxy.value.kind !== 'literal') || trusted('express', 'trust proxy');
    } else if (api === 'cookie-session' || api === 'res.cookie') ok = trusted('express', 'trust proxy');
    else if (api === 'koa-session' || api === 'ctx.cookies.set') ok = trusted('koa', 'proxy');
    else ok = trusted('fastify', 'trustProxy');
    if (ok) continue;
    // one observation per cookie name and app (per package for cookies set outside a known app)
    const scope = `${packages.packageOf(cookie.file)}\u0000${cookie.app ? `${cookie.file}:${cookie.app}` : ''}`;
    const key = `${obs.framework}\u0000${obs.name}\u0000${obs.inTestCode ? 1 : 0}\u0000${scope}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const why = secureCase
      ? s.provenance.kind === 'framework-default'
        ? 'Secure by default'
        : 'configured Secure'
      : s.provenance.kind === 'framework-default'
        ? "Secure only when the request is HTTPS (the library's default)"
        : 'Secure only when the request is HTTPS';
    const behind = deployment
      ? ` (the repository shows one: ${deployment})`
      : ' (load balancer, ingress, PaaS router)';
    out.push({
      kind: 'proxy-trust',
      source: 'code',
      framework: obs.framework ?? api,
      cookie: obs.name,
      situation: secureCase ? 'secure-without-trust' : 'auto-without-trust',
      location: s.location ?? obs.location!,
      evidence:
        `${obs.name} is ${why}, but the project sets ${ev.trust}: behind a TLS-terminating proxy${behind} ` +
        `the app receives plain HTTP, and ${secureCase ? ev.secure : ev.auto}.`,
      snippet: s.evidence ?? obs.snippet ?? '',
      ...(obs.inTestCode ? { inTestCode: true } : {}),
      consequence: secureCase
        ? 'the cookie is never set behind a TLS-terminating proxy, so users are never logged in'
        : 'the session cookie is sent without Secure although users browse over HTTPS',
      ...(deployment ? { proxyEvidence: deployment } : {}),
    });
  }
  return out;
}

export const jsResolver: Resolver = {
  name: 'javascript',
  resolve: resolveJavaScript,
};
