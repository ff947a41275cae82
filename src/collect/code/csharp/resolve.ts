/**
 * The ASP.NET resolver: per application (the folder of the nearest .csproj, else the scanned root) and
 * per hosting environment (Development / Staging / Production and any other name the code or an
 * appsettings.{Environment}.json file names), the cookies ASP.NET Core and classic ASP.NET set and
 * their attributes, with provenance; the app's HSTS and HTTPS redirect; whether it trusts its proxy's
 * X-Forwarded-Proto where a cookie's Secure follows the request (SameAsRequest); session ids in URLs
 * (classic `cookieless`). Defaults and their sources: defaults.ts.
 */
import { classifyCookie } from '../../../cookies/classify.js';
import { MAX_LIFETIME_SECONDS } from '../../../cookies/setcookie.js';
import type {
  Attr,
  CodeLocation,
  CookieLifetime,
  CookieObservation,
  Observation,
  Provenance,
  SameSiteValue,
  SecureValue,
} from '../../../model/observation.js';
import { proxyInFront } from '../common/deploy.js';
import { envValuesOf } from '../common/dotenv.js';
import type { ProjectFacts, Resolver } from '../types.js';
import {
  ANTIFORGERY_DEFAULTS,
  PLAIN_BUILDER,
  CLASSIC,
  CLASSIC_FORMS_COOKIE,
  CLASSIC_SESSION_COOKIE,
  CORE,
  HSTS_DEFAULT_MAX_AGE,
  SESSION_DEFAULTS,
  authDefaults,
  cookieOptionsSameSite,
  coreMajorOf,
  majorOfPackage,
  type BuilderDefaults,
} from './defaults.js';
import {
  ASPNET,
  aspnetFacts,
  condText,
  envNamesOf,
  holdsIn,
  type AppSettingsFact,
  type AppendFact,
  type CsVal,
  type EnvCond,
  type MiddlewareFact,
  type OptionsFact,
  type ProjectFileFact,
  type WebConfigFact,
} from './facts.js';

const BASE_ENVS = ['Development', 'Staging', 'Production'];
const PRODUCTION = 'Production';

function dirOf(file: string): string {
  const i = file.lastIndexOf('/');
  return i === -1 ? '' : file.slice(0, i);
}

function under(dir: string, file: string): boolean {
  return dir === '' || file.startsWith(dir + '/');
}

interface Located<T> {
  data: T;
  file: string;
  inTest: boolean;
  location: CodeLocation;
  evidence: string;
}

/** One application: its facts. */
interface App {
  /** The whole project (deployment evidence is looked up in it). */
  facts: ProjectFacts;
  /** String constants of the project by name (names declared with two values are left out). */
  constants: Map<string, string>;
  dir: string;
  project: ProjectFileFact | null;
  options: Located<OptionsFact>[];
  middleware: Located<MiddlewareFact>[];
  appends: Located<AppendFact>[];
  appsettings: Located<AppSettingsFact>[];
  envs: string[];
  major: number | null;
  version: string | undefined;
}

function appsOf(project: ProjectFacts): App[] {
  const projects = aspnetFacts<ProjectFileFact>(project, 'aspnet-project').filter((p) => !p.file.inTestCode);
  const dirs = [...new Set(projects.map((p) => dirOf(p.file.file)))].sort((a, b) => b.length - a.length);
  const appDirOf = (file: string) => dirs.find((d) => under(d, file)) ?? '';
  const constants = new Map<string, string>();
  const clash = new Set<string>();
  for (const c of aspnetFacts<{ name: string; value: string }>(project, 'aspnet-constant')) {
    const prev = constants.get(c.data.name);
    if (prev !== undefined && prev !== c.data.value) clash.add(c.data.name);
    constants.set(c.data.name, c.data.value);
  }
  for (const n of clash) constants.delete(n);
  const apps = new Map<string, App>();
  const get = (file: string): App => {
    const d = appDirOf(file);
    let a = apps.get(d);
    if (!a) {
      const pf = projects.find((p) => dirOf(p.file.file) === d)?.data ?? null;
      a = {
        facts: project,
        constants,
        dir: d,
        project: pf,
        options: [],
        middleware: [],
        appends: [],
        appsettings: [],
        envs: [],
        major: null,
        version: undefined,
      };
      apps.set(d, a);
    }
    return a;
  };
  const loc = <T>(x: {
    file: { file: string; inTestCode: boolean };
    data: T;
    location: CodeLocation;
    evidence: string;
  }): Located<T> => ({
    data: x.data,
    file: x.file.file,
    inTest: x.file.inTestCode,
    location: x.location,
    evidence: x.evidence,
  });
  for (const x of aspnetFacts<OptionsFact>(project, 'aspnet-options')) get(x.file.file).options.push(loc(x));
  for (const x of aspnetFacts<MiddlewareFact>(project, 'aspnet-middleware'))
    get(x.file.file).middleware.push(loc(x));
  for (const x of aspnetFacts<AppendFact>(project, 'aspnet-append')) get(x.file.file).appends.push(loc(x));
  for (const x of aspnetFacts<AppSettingsFact>(project, 'aspnet-appsettings')) {
    if (x.file.inTestCode) continue;
    const d = appDirOf(x.file.file);
    if (apps.has(d) || d === '') get(x.file.file).appsettings.push(loc(x));
  }
  for (const a of apps.values()) {
    const names = new Set(BASE_ENVS);
    const add = (c: EnvCond | undefined) => envNamesOf(c).forEach((n) => names.add(n));
    for (const o of a.options) {
      add(o.data.guard);
      for (const s of o.data.settings) {
        add(s.guard);
        addValEnvs(s.val, names);
      }
    }
    for (const m of a.middleware) add(m.data.guard);
    for (const x of a.appends) {
      add(x.data.guard);
      for (const st of x.data.settings) {
        add(st.guard);
        addValEnvs(st.val, names);
      }
    }
    for (const s of a.appsettings) if (s.data.environment) names.add(s.data.environment);
    // Case-insensitive environment names: keep the first spelling.
    const seen = new Set<string>();
    a.envs = [...names].filter((n) =>
      seen.has(n.toLowerCase()) ? false : (seen.add(n.toLowerCase()), true),
    );
    const tfm = a.project?.targetFramework ?? null;
    a.major = coreMajorOf(tfm);
    if (a.major === null) {
      const pkg = a.project?.packages.find((p) =>
        /^Microsoft\.AspNetCore(\.App|\.All|\.Mvc)?$/i.test(p.name),
      );
      a.major = majorOfPackage(pkg?.version);
    }
    a.version = tfm ? `${CORE} (${tfm})` : undefined;
  }
  return [...apps.values()];
}

function addValEnvs(v: CsVal, names: Set<string>): void {
  if (v.k === 'cond') {
    envNamesOf(v.cond, names);
    addValEnvs(v.then, names);
    addValEnvs(v.else, names);
  }
}

// --- per-environment evaluation -----------------------------------------------------------------

/** A value decided in one environment, with the setting that decided it (none: the default). */
interface Decided {
  val: CsVal | null;
  site?: { location: CodeLocation; evidence: string };
  why?: string;
  /** `o.Cookie = new CookieBuilder { ... }` came last and did not set this property: a plain CookieBuilder's default. */
  replaced?: boolean;
}

function valIn(v: CsVal, env: string): CsVal {
  if (v.k !== 'cond') return v;
  const h = holdsIn(v.cond, env);
  if (h === null) return { k: 'unknown', text: v.text, reason: `depends on ${condText(v.cond)}` };
  return valIn(h ? v.then : v.else, env);
}

function guardHolds(g: EnvCond | undefined, env: string): boolean | null {
  return g === undefined ? true : holdsIn(g, env);
}

function andGuard(a: EnvCond | undefined, b: EnvCond | undefined): EnvCond | undefined {
  if (!a) return b;
  if (!b) return a;
  return { op: 'and', a, b };
}

/** appsettings value of `section:prop` in an environment (appsettings.{env}.json over appsettings.json). */
function sectionValue(
  app: App,
  section: string,
  prop: string,
  env: string,
): { val: CsVal; site: { location: CodeLocation; evidence: string } } | null | undefined {
  const key = `${section}:${prop.replace(/\./g, ':')}`.toLowerCase();
  if (app.appsettings.length === 0) return undefined;
  let found: { val: CsVal; site: { location: CodeLocation; evidence: string } } | null = null;
  for (const s of [...app.appsettings].sort(
    (a, b) => (a.data.environment ? 1 : 0) - (b.data.environment ? 1 : 0),
  )) {
    if (s.data.environment && s.data.environment.toLowerCase() !== env.toLowerCase()) continue;
    const v = s.data.values[key];
    if (v)
      found = { val: v.val, site: { location: { file: s.file, line: v.line, column: 1 }, evidence: v.text } };
  }
  return found;
}

/**
 * The value of `prop` in `env` after every configuration in `facts` (in source order): the last write
 * that applies; a write under a condition the scanner cannot decide makes it unknown.
 */
function decide(app: App, facts: Located<OptionsFact>[], prop: string, env: string): Decided {
  let out: Decided = { val: null };
  for (const f of facts) {
    const fg = guardHolds(f.data.guard, env);
    if (fg === false) continue;
    const writes: { val: CsVal; site: { location: CodeLocation; evidence: string }; guard?: EnvCond }[] = [];
    if (f.data.opaque !== undefined)
      writes.push({
        val: {
          k: 'unknown',
          text: f.data.opaque,
          reason: `the options are configured by \`${f.data.opaque}\`, which the scanner does not follow`,
        },
        site: { location: f.location, evidence: f.evidence },
      });
    if (f.data.section !== undefined) {
      const sv = sectionValue(app, f.data.section, prop, env);
      if (sv === undefined)
        writes.push({
          val: {
            k: 'unknown',
            text: f.data.section,
            reason: `bound from the configuration section "${f.data.section}", and no appsettings*.json file is in the tree`,
          },
          site: { location: f.location, evidence: f.evidence },
        });
      else if (sv) writes.push(sv);
    }
    const builder = prop.startsWith('Cookie.') ? 'Cookie' : null;
    for (const s of f.data.settings)
      if (s.prop === prop || s.prop === builder)
        writes.push({
          val: s.val,
          site: { location: s.location, evidence: s.evidence },
          ...(s.guard ? { guard: s.guard } : {}),
        });
    for (const w of writes) {
      const g = guardHolds(w.guard, env);
      if (g === false) continue;
      if (g === null || fg === null) {
        const cond = andGuard(f.data.guard, w.guard)!;
        out = {
          val: { k: 'unknown', text: w.site.evidence, reason: `set under \`${condText(cond)}\`` },
          site: w.site,
        };
        continue;
      }
      if (w.val.k === 'enum' && w.val.type === 'CookieBuilder')
        out = { val: null, site: w.site, replaced: true };
      else out = { val: constantOf(app, valIn(w.val, env)), site: w.site };
    }
  }
  return out;
}

function appendName(app: App, text: string): string {
  const c = constantOf(app, { k: 'unknown', text, reason: '' });
  return c.k === 'str' ? c.v : `<${text}>`;
}

/** An identifier or `Type.Name` that names a string constant of the project (one value) → that value. */
function constantOf(app: App, v: CsVal): CsVal {
  if (v.k !== 'unknown' || !/^[A-Za-z_][\w.]*$/.test(v.text)) return v;
  const c = app.constants.get(v.text.slice(v.text.lastIndexOf('.') + 1));
  return c === undefined ? v : { k: 'str', v: c };
}

// --- value conversions --------------------------------------------------------------------------

function enumName(v: CsVal): string | null {
  if (v.k === 'enum' && v.v.length === 1) return v.v[0]!.toLowerCase();
  if (v.k === 'str') return v.v.trim().toLowerCase();
  if (v.k === 'num') return String(v.v);
  return null;
}

function securePolicy(v: CsVal): SecureValue | 'unknown' {
  const n = enumName(v);
  // CookieSecurePolicy: SameAsRequest = 0, Always = 1, None = 2 (Http.Abstractions/src/CookieSecurePolicy.cs).
  if (n === 'always' || n === '1') return true;
  if (n === 'sameasrequest' || n === '0') return 'auto';
  if (n === 'none' || n === '2') return false;
  return 'unknown';
}

function boolOf(v: CsVal): boolean | 'unknown' {
  if (v.k === 'bool') return v.v;
  if (v.k === 'https') return 'unknown';
  if (v.k === 'str' && /^(true|false)$/i.test(v.v.trim())) return v.v.trim().toLowerCase() === 'true';
  return 'unknown';
}

const SAMESITE_RANK: Record<string, number> = { unset: -1, none: 0, lax: 1, strict: 2 };

function sameSiteOf(v: CsVal): SameSiteValue | 'unknown' {
  const n = enumName(v);
  // SameSiteMode: Unspecified = -1, None = 0, Lax = 1, Strict = 2.
  if (n === 'lax' || n === '1') return 'lax';
  if (n === 'strict' || n === '2') return 'strict';
  if (n === 'none' || n === '0') return 'none';
  if (n === 'unspecified' || n === '-1') return 'unset';
  if (n === null) return 'unknown';
  return 'invalid';
}

// --- building attributes --------------------------------------------------------------------------

interface PerEnv<T> {
  value: T | 'unknown';
  site?: { location: CodeLocation; evidence: string };
  /** Unknown: why. */
  reason?: string;
  /** The value is the framework's default (no setting decided it). */
  isDefault: boolean;
}

/**
 * An attribute in one environment from the setting that decided it (its value through `conv`, its
 * site, and, for a value the scanner cannot compute, why); `plain` when the options' cookie builder was
 * replaced (`o.Cookie = new CookieBuilder { ... }`) and this property left out; else the default.
 */
function perEnv<T>(
  d: Decided,
  conv: (v: CsVal) => T | 'unknown',
  dflt: T | 'unknown',
  plain?: T | 'unknown',
): PerEnv<T> {
  if (d.val)
    return {
      value: conv(d.val),
      isDefault: false,
      site: d.site,
      ...(d.val.k === 'unknown' ? { reason: d.val.reason } : {}),
    };
  if (d.replaced && plain !== undefined) return { value: plain, isDefault: false, site: d.site };
  return { value: dflt, isDefault: true };
}

/** The cookie policy of an app in each of its environments (computed once per app). */
function policiesOf(app: App): Map<string, Policy | null> {
  return new Map(app.envs.map((env) => [env, policyIn(app, env)]));
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** An attribute from its value in each environment. */
function attrOf<T>(
  per: Map<string, PerEnv<T>>,
  fallback: { location: CodeLocation; evidence: string },
  dflt: { framework: string; version?: string; note?: string },
  prodKey: string = PRODUCTION,
): Attr<T> {
  const prod = per.get(prodKey) ?? [...per.values()][0]!;
  const site = prod.site ?? fallback;
  const values = [...per.values()];
  const allSame = values.every((v) => sameValue(v.value, prod.value) && v.isDefault === prod.isDefault);
  if (allSame) {
    let provenance: Provenance;
    if (prod.value === 'unknown')
      provenance = { kind: 'unknown', reason: prod.reason ?? 'computed at run time' };
    else if (prod.isDefault)
      provenance = {
        kind: 'framework-default',
        framework: dflt.framework,
        ...(dflt.version ? { version: dflt.version } : {}),
        ...(dflt.note ? { note: dflt.note } : {}),
      };
    else provenance = { kind: 'explicit' };
    return { value: prod.value, provenance, location: site.location, evidence: site.evidence };
  }
  const perEnvironment: Record<string, unknown> = {};
  for (const [env, v] of per) perEnvironment[env] = v.value;
  const conds = values.map((v) => v.site?.evidence).filter((e): e is string => e !== undefined);
  return {
    value: prod.value,
    provenance: {
      kind: 'env-dependent',
      condition:
        prodKey === PRODUCTION
          ? `the hosting environment (ASPNETCORE_ENVIRONMENT; Production when unset)${conds.length ? `: ${[...new Set(conds)].slice(0, 3).join('; ')}` : ''}`
          : `the build configuration whose web.config transform is published (${[...per.keys()].join(', ')})`,
      perEnvironment,
    },
    location: site.location,
    evidence: site.evidence,
  };
}

function prefixOf(name: string): '__Secure-' | '__Host-' | null {
  const l = name.toLowerCase();
  if (l.startsWith('__secure-')) return '__Secure-';
  if (l.startsWith('__host-')) return '__Host-';
  return null;
}

function cookieObs(i: {
  name: string;
  secure: Attr<SecureValue>;
  httpOnly: Attr<boolean>;
  sameSite: Attr<SameSiteValue>;
  domain?: Attr<string>;
  lifetime: CookieLifetime;
  location: CodeLocation;
  evidence: string;
  inTestCode: boolean;
  api: string;
  deletion?: boolean;
  constantValue?: 'string' | 'number' | 'boolean';
  app: string;
}): CookieObservation {
  const o: CookieObservation = {
    kind: 'cookie',
    source: 'code',
    name: i.name,
    secure: i.secure,
    httpOnly: i.httpOnly,
    sameSite: i.sameSite,
    lifetime: i.lifetime,
    prefix: prefixOf(i.name),
    classification: classifyCookie(i.name, undefined, {
      framework: ASPNET,
      setBy: 'server',
      ...(i.constantValue ? { constantValue: i.constantValue } : {}),
    }),
    deletion: i.deletion ?? false,
    setBy: 'server',
    framework: ASPNET,
    location: i.location,
    snippet: i.evidence,
    inTestCode: i.inTestCode,
    api: i.api,
    app: i.app || '.',
  };
  if (i.domain) o.domain = i.domain;
  // The framework's own cookies under any name: the session, the authentication ticket, the anti-forgery token.
  const role = BUILDER_ROLES[i.api];
  if (role && o.classification.category !== role.category)
    o.classification = {
      category: role.category,
      reason: `${i.name} is ${role.what}`,
      framework: ASPNET,
      confidence: 'high',
    };
  return o;
}

const BUILDER_ROLES: Record<string, { category: 'session' | 'csrf'; what: string }> = {
  session: { category: 'session', what: "the app's session cookie (AddSession / sessionState)" },
  'cookie-authentication': {
    category: 'session',
    what: 'the cookie authentication ticket (AddCookie / Identity)',
  },
  'forms-authentication': { category: 'session', what: 'the forms authentication ticket' },
  antiforgery: { category: 'csrf', what: 'the anti-forgery cookie (AddAntiforgery)' },
};

// --- the cookie policy ----------------------------------------------------------------------------

interface Policy {
  secure: Decided;
  httpOnly: Decided;
  minSameSite: Decided;
}

/** The cookie policy in an environment (null when `app.UseCookiePolicy()` does not run there). */
function policyIn(app: App, env: string): Policy | null {
  const uses = app.middleware.filter((m) => m.data.name === 'UseCookiePolicy' && !m.inTest);
  if (!uses.some((m) => guardHolds(m.data.guard, env) !== false)) return null;
  const facts = app.options.filter((o) => o.data.kind === 'policy' && !o.inTest);
  return {
    secure: decide(app, facts, 'Secure', env),
    httpOnly: decide(app, facts, 'HttpOnly', env),
    minSameSite: decide(app, facts, 'MinimumSameSitePolicy', env),
  };
}

/** Applies the cookie policy to Secure (it only raises: Always → Secure, SameAsRequest → follows the request). */
function applyPolicySecure(v: PerEnv<SecureValue>, p: Policy | null): PerEnv<SecureValue> {
  if (!p || !p.secure.val) return v;
  const pol = securePolicy(p.secure.val);
  if (pol === 'unknown')
    return v.value === true
      ? v
      : {
          value: 'unknown',
          isDefault: false,
          site: p.secure.site,
          reason: "the cookie policy's Secure is computed at run time",
        };
  if (pol === true) return { value: true, isDefault: false, site: p.secure.site };
  if (pol === 'auto' && v.value === false) return { value: 'auto', isDefault: false, site: p.secure.site };
  return v;
}

function applyPolicyHttpOnly(v: PerEnv<boolean>, p: Policy | null): PerEnv<boolean> {
  if (!p || !p.httpOnly.val) return v;
  const n = enumName(p.httpOnly.val);
  if (n === 'always' || n === '1') return { value: true, isDefault: false, site: p.httpOnly.site };
  return v;
}

function applyPolicySameSite(v: PerEnv<SameSiteValue>, p: Policy | null): PerEnv<SameSiteValue> {
  if (!p || !p.minSameSite.val || v.value === 'unknown' || v.value === 'invalid') return v;
  const min = sameSiteOf(p.minSameSite.val);
  if (min === 'unknown' || min === 'invalid') return v;
  if ((SAMESITE_RANK[min] ?? -1) > (SAMESITE_RANK[v.value] ?? -1))
    return { value: min, isDefault: false, site: p.minSameSite.site };
  return v;
}

// --- cookie builders (session, authentication, antiforgery) -------------------------------------

interface BuilderCookie {
  api: string;
  defaults: BuilderDefaults;
  facts: Located<OptionsFact>[];
  /** Where the cookie is registered (AddSession, AddCookie ...). */
  at: Located<OptionsFact>;
}

function builderCookies(app: App): BuilderCookie[] {
  const out: BuilderCookie[] = [];
  const byKind = (k: OptionsFact['kind']) => app.options.filter((o) => o.data.kind === k);
  const session = byKind('session');
  if (session.length > 0)
    out.push({
      api: 'session',
      defaults: SESSION_DEFAULTS,
      facts: session,
      at: session.find((s) => s.data.registers) ?? session[0]!,
    });
  const anti = byKind('antiforgery');
  if (anti.length > 0)
    out.push({
      api: 'antiforgery',
      defaults: ANTIFORGERY_DEFAULTS,
      facts: anti,
      at: anti.find((s) => s.data.registers) ?? anti[0]!,
    });
  const auth = byKind('auth');
  // A scheme named by a constant of the project (AddCookie(AuthSchemes.Admin)) is its value.
  const schemeOf = (a: Located<OptionsFact>): string => {
    const raw = a.data.scheme ?? `<${a.evidence}>`;
    const inner = /^<(.+)>$/.exec(raw)?.[1];
    const c = inner ? constantOf(app, { k: 'unknown', text: inner, reason: '' }) : null;
    return c?.k === 'str' ? c.v : raw;
  };
  const schemes = new Map<string, Located<OptionsFact>>();
  for (const a of auth) {
    if (a.data.scheme === '' || a.data.scheme === '*') continue;
    const key = schemeOf(a);
    if (!schemes.has(key) || (a.data.registers && !schemes.get(key)!.data.registers)) schemes.set(key, a);
  }
  for (const [scheme, at] of schemes) {
    const facts = auth.filter(
      (a) => a.data.scheme === '*' || (a.data.scheme !== '' && schemeOf(a) === scheme),
    );
    out.push({ api: 'cookie-authentication', defaults: authDefaults(scheme), facts, at });
  }
  return out;
}

function builderObservation(
  app: App,
  b: BuilderCookie,
  proxy: { trusted: (env: string) => boolean },
  policies: Map<string, Policy | null>,
): Observation[] {
  const dflt = { framework: CORE, ...(app.version ? { version: app.version } : {}) };
  const secure = new Map<string, PerEnv<SecureValue>>();
  const httpOnly = new Map<string, PerEnv<boolean>>();
  const sameSite = new Map<string, PerEnv<SameSiteValue>>();
  const names = new Map<string, string>();
  const domains = new Map<string, PerEnv<string>>();
  const registered = (env: string) =>
    b.facts.some(
      (f) =>
        (f.data.registers || b.api !== 'cookie-authentication' || f === b.at) &&
        guardHolds(f.data.guard, env) !== false,
    );
  const envs = app.envs.filter(registered);
  if (envs.length === 0) return [];
  const policyStr = (v: string) => securePolicy({ k: 'str', v });
  const sameSiteStr = (v: string) => sameSiteOf({ k: 'str', v });
  for (const env of envs) {
    const pol = policies.get(env) ?? null;
    const sp = decide(app, b.facts, 'Cookie.SecurePolicy', env);
    const spv = perEnv<SecureValue>(
      sp,
      securePolicy,
      policyStr(b.defaults.securePolicy),
      policyStr(PLAIN_BUILDER.securePolicy),
    );
    secure.set(env, applyPolicySecure(spv, pol));
    const ho = decide(app, b.facts, 'Cookie.HttpOnly', env);
    httpOnly.set(
      env,
      applyPolicyHttpOnly(perEnv(ho, boolOf, b.defaults.httpOnly, PLAIN_BUILDER.httpOnly), pol),
    );
    const ss = decide(app, b.facts, 'Cookie.SameSite', env);
    const ssv = perEnv<SameSiteValue>(
      ss,
      sameSiteOf,
      sameSiteStr(b.defaults.sameSite),
      sameSiteStr(PLAIN_BUILDER.sameSite),
    );
    sameSite.set(env, applyPolicySameSite(ssv, pol));
    const nm = decide(app, b.facts, 'Cookie.Name', env);
    // Options the scanner cannot read (a method group, a section with no file) may rename the cookie;
    // the default name still says what the cookie is.
    const nameText = nm.val?.k === 'unknown' ? nm.val.text : null;
    const opaqueName =
      nameText !== null && b.facts.some((f) => f.data.opaque === nameText || f.data.section === nameText);
    names.set(
      env,
      nm.val && !opaqueName
        ? nm.val.k === 'str'
          ? nm.val.v
          : `<${nm.val.k === 'unknown' ? nm.val.text : 'name'}>`
        : b.defaults.name,
    );
    const dm = decide(app, b.facts, 'Cookie.Domain', env);
    if (dm.val && dm.val.k !== 'null') domains.set(env, perEnv(dm, domainOf, 'unknown'));
  }
  const at = { location: b.at.location, evidence: b.at.evidence };
  const name = names.get(PRODUCTION) ?? [...names.values()][0]!;
  const secureAttr = attrOf(secure, at, dflt);
  const obs = cookieObs({
    name,
    secure: secureAttr,
    httpOnly: attrOf(httpOnly, at, dflt),
    sameSite: attrOf(sameSite, at, dflt),
    ...(domains.size > 0 ? { domain: attrOf(domains, at, dflt) } : {}),
    lifetime: { kind: 'session' },
    location: b.at.location,
    evidence: b.at.evidence,
    inTestCode: b.at.inTest,
    api: b.api,
    app: app.dir,
  });
  const out: Observation[] = [obs];
  // Secure follows the request (SameAsRequest) and the app does not trust X-Forwarded-Proto.
  const prodSecure = secure.get(PRODUCTION)?.value;
  if (prodSecure === 'auto' && !proxy.trusted(PRODUCTION)) out.push(proxyObs(app, obs, secureAttr));
  return out;
}

function proxyObs(app: App, c: CookieObservation, secure: Attr<SecureValue>): Observation {
  const where = (f: string) => under(app.dir, f) || dirOf(f) === '' || app.dir.startsWith(dirOf(f) + '/');
  const proxyEvidence = proxyInFront(app.facts, 'aspnetcore', where);
  return {
    kind: 'proxy-trust',
    source: 'code',
    framework: ASPNET,
    cookie: c.name,
    situation: 'auto-without-trust',
    location: secure.location ?? c.location,
    evidence: `${secure.evidence ?? c.snippet ?? ''}: CookieSecurePolicy.SameAsRequest follows Request.IsHttps, which behind a TLS-terminating proxy is false unless app.UseForwardedHeaders() accepts X-Forwarded-Proto`,
    snippet: secure.evidence ?? c.snippet ?? '',
    inTestCode: c.inTestCode ?? false,
    consequence:
      'the cookie is sent without Secure on every request the app believes is plain HTTP, which behind a TLS-terminating proxy it does not trust is every request',
    ...(proxyEvidence ? { proxyEvidence } : {}),
  };
}

/**
 * Whether the app honours X-Forwarded-Proto in an environment (`envEnabled`: the project's .env files
 * set ASPNETCORE_FORWARDEDHEADERS_ENABLED=true).
 */
function trustsProxy(app: App, envEnabled: boolean): (env: string) => boolean {
  const forwarded = app.options.filter((o) => o.data.kind === 'forwarded');
  return (env: string) => {
    if (envEnabled) return true;
    const used = app.middleware.some(
      (m) => m.data.name === 'UseForwardedHeaders' && guardHolds(m.data.guard, env) !== false,
    );
    if (!used) return false;
    const d = decide(app, forwarded, 'ForwardedHeaders', env);
    if (!d.val) return false; // ForwardedHeaders.None by default
    if (d.val.k === 'enum') return d.val.v.some((v) => v === 'XForwardedProto' || v === 'All');
    if (d.val.k === 'str') return /XForwardedProto|All/i.test(d.val.v);
    return true; // unknown: do not claim it is missing
  };
}

// --- Response.Cookies.Append ----------------------------------------------------------------------

/** CookieOptions.Secure: `Request.IsHttps` follows the request. */
function secureOf(v: CsVal): SecureValue | 'unknown' {
  return v.k === 'https' ? 'auto' : boolOf(v);
}

/** A Domain setting's value ('unknown' unless a string). */
function domainOf(v: CsVal): string {
  return v.k === 'str' ? v.v : 'unknown';
}

function appendObservations(
  app: App,
  trusted: (env: string) => boolean,
  policies: Map<string, Policy | null>,
): Observation[] {
  const out: Observation[] = [];
  const dflt = { framework: CORE, ...(app.version ? { version: app.version } : {}), note: 'CookieOptions' };
  for (const a of app.appends) {
    const f = a.data;
    const pseudo: Located<OptionsFact> = {
      ...a,
      data: {
        kind: 'session',
        call: 'Append',
        registers: true,
        settings: f.settings,
        location: f.location,
        evidence: f.evidence,
        ...(f.opaque !== undefined ? { opaque: f.opaque } : {}),
      },
    };
    const secure = new Map<string, PerEnv<SecureValue>>();
    const httpOnly = new Map<string, PerEnv<boolean>>();
    const sameSite = new Map<string, PerEnv<SameSiteValue>>();
    const domains = new Map<string, PerEnv<string>>();
    let deletion = false;
    let lifetime: CookieLifetime = { kind: 'session' };
    const sameSiteDefault = sameSiteOf({ k: 'str', v: cookieOptionsSameSite(app.major) });
    for (const env of app.envs) {
      const pol = policies.get(env) ?? null;
      const s = decide(app, [pseudo], 'Secure', env);
      secure.set(env, applyPolicySecure(perEnv<SecureValue>(s, secureOf, false), pol));
      const h = decide(app, [pseudo], 'HttpOnly', env);
      httpOnly.set(env, applyPolicyHttpOnly(perEnv(h, boolOf, false), pol));
      const ss = decide(app, [pseudo], 'SameSite', env);
      sameSite.set(env, applyPolicySameSite(perEnv(ss, sameSiteOf, sameSiteDefault), pol));
      const dm = decide(app, [pseudo], 'Domain', env);
      if (dm.val && dm.val.k !== 'null') domains.set(env, perEnv(dm, domainOf, 'unknown'));
      if (env === PRODUCTION) {
        const ex = decide(app, [pseudo], 'Expires', env).val;
        const ma = decide(app, [pseudo], 'MaxAge', env).val;
        if ((ex?.k === 'time' && ex.past) || (ma?.k === 'num' && ma.v <= 0)) deletion = true;
        if (ma?.k === 'num' && ma.v > 0)
          lifetime = {
            kind: 'persistent',
            seconds: ma.v,
            ...(ma.v > MAX_LIFETIME_SECONDS ? { capped: true } : {}),
          };
        else if (ex)
          lifetime =
            ex.k === 'time' && !ex.past
              ? { kind: 'unknown' }
              : ex.k === 'null'
                ? { kind: 'session' }
                : { kind: 'unknown' };
      }
    }
    const at = { location: f.location, evidence: f.evidence };
    const obs = cookieObs({
      name: f.name ?? appendName(app, f.nameText),
      secure: attrOf(secure, at, dflt),
      httpOnly: attrOf(httpOnly, at, dflt),
      sameSite: attrOf(sameSite, at, dflt),
      ...(domains.size > 0 ? { domain: attrOf(domains, at, dflt) } : {}),
      lifetime,
      location: f.location,
      evidence: f.evidence,
      inTestCode: a.inTest,
      api: 'Response.Cookies.Append',
      deletion,
      ...(f.constantValue ? { constantValue: f.constantValue } : {}),
      app: app.dir,
    });
    out.push(obs);
    if (secure.get(PRODUCTION)?.value === 'auto' && !obs.deletion && !trusted(PRODUCTION))
      out.push(proxyObs(app, obs, obs.secure));
  }
  return out;
}

// --- HSTS and HTTPS redirect ------------------------------------------------------------------------

/**
 * HSTS and the HTTPS redirect of an app with an entry point. Their absence is reported only for an
 * app that sets cookies (many ASP.NET Core apps are APIs or workers behind a gateway, where it is noise);
 * an HSTS policy that is configured is judged in every app.
 */
function transportObservations(app: App, setsCookies: boolean): Observation[] {
  const entry = app.middleware.find((m) => m.data.name === 'app' && !m.inTest);
  if (!entry) return [];
  const out: Observation[] = [];
  const inProd = (name: MiddlewareFact['name']) =>
    app.middleware.find(
      (m) => m.data.name === name && !m.inTest && guardHolds(m.data.guard, PRODUCTION) === true,
    );
  const unknownIn = (name: MiddlewareFact['name']) =>
    app.middleware.find(
      (m) => m.data.name === name && !m.inTest && guardHolds(m.data.guard, PRODUCTION) === null,
    );
  const dflt = (note: string): Provenance => ({
    kind: 'framework-default',
    framework: CORE,
    ...(app.version ? { version: app.version } : {}),
    note,
  });
  // HSTS: app.UseHsts() in Production, max-age from AddHsts / Configure<HstsOptions> (default 30 days).
  const hsts = inProd('UseHsts');
  if (hsts) {
    const d = decide(
      app,
      app.options.filter((o) => o.data.kind === 'hsts' && !o.inTest),
      'MaxAge',
      PRODUCTION,
    );
    const explicit = d.val !== null;
    const v = d.val ? (d.val.k === 'num' ? d.val.v : 'unknown') : HSTS_DEFAULT_MAX_AGE;
    out.push({
      kind: 'setting',
      source: 'code',
      framework: ASPNET,
      key: 'hsts-max-age',
      value: v,
      provenance:
        v === 'unknown'
          ? { kind: 'unknown', reason: 'HstsOptions.MaxAge is computed at run time' }
          : explicit
            ? { kind: 'explicit' }
            : dflt('HstsOptions.MaxAge defaults to 30 days'),
      location: d.site?.location ?? hsts.location,
      evidence: d.site?.evidence ?? hsts.evidence,
      inTestCode: false,
    });
  } else if (setsCookies && !unknownIn('UseHsts')) {
    out.push({
      kind: 'setting',
      source: 'code',
      framework: ASPNET,
      key: 'hsts-max-age',
      value: null,
      provenance: dflt('app.UseHsts() is not called in Production'),
      location: entry.location,
      evidence: entry.evidence,
      inTestCode: false,
    });
  }
  const redirect = inProd('UseHttpsRedirection');
  if ((setsCookies && !unknownIn('UseHttpsRedirection')) || redirect)
    out.push({
      kind: 'setting',
      source: 'code',
      framework: ASPNET,
      key: 'ssl-redirect',
      value: redirect !== undefined,
      provenance: redirect ? { kind: 'explicit' } : dflt('app.UseHttpsRedirection() is not called'),
      location: (redirect ?? entry).location,
      evidence: redirect ? redirect.evidence : entry.evidence,
      inTestCode: false,
    });
  return out;
}

// --- classic ASP.NET web.config -------------------------------------------------------------------

function classicObservations(project: ProjectFacts): Observation[] {
  const out: Observation[] = [];
  const all = aspnetFacts<WebConfigFact>(project, 'aspnet-webconfig');
  const bases = all.filter((x) => x.data.transform === null && x.data.systemWeb);
  for (const base of bases) {
    const dir = dirOf(base.file.file);
    const transforms = all.filter((x) => x.data.transform !== null && dirOf(x.file.file) === dir);
    // Build configurations: one per transform; a build without a transform of its own (Debug, when
    // there is no web.Debug.config) publishes web.config as it is.
    const envNames = transforms.map((t) => t.data.transform!);
    if (!envNames.some((n) => /^debug$/i.test(n))) envNames.unshift('web.config');
    const envKey = (env: string) => (env === 'web.config' ? env : `web.${env}.config`);
    const prodEnv =
      envNames.find((n) => /^(release|prod|production)$/i.test(n)) ?? envNames[envNames.length - 1]!;
    const get = (key: string, env: string) => {
      const t = transforms.find((x) => x.data.transform === env)?.data.values[key];
      if (t && t.value !== '') return t;
      if (t && t.value === '') return undefined; // removed by the transform
      return base.data.values[key];
    };
    const dflt = { framework: CLASSIC, note: 'web.config' };
    const attr = <T>(
      key: string,
      conv: (s: string) => T | 'unknown',
      def: T,
      note: string,
      at: { location: CodeLocation; evidence: string },
    ): Attr<T> => {
      const per = new Map<string, PerEnv<T>>();
      for (const env of envNames) {
        const v = get(key, env);
        per.set(
          envKey(env),
          v
            ? { value: conv(v.value), isDefault: false, site: { location: v.location, evidence: v.evidence } }
            : { value: def, isDefault: true },
        );
      }
      // The production build's configuration decides the reported value.
      return attrOf(per, at, { ...dflt, ...(note ? { note } : {}) }, envKey(prodEnv));
    };
    const bool = (s: string): boolean | 'unknown' =>
      /^true$/i.test(s.trim()) ? true : /^false$/i.test(s.trim()) ? false : 'unknown';
    const sameSite = (s: string): SameSiteValue | 'unknown' => sameSiteOf({ k: 'str', v: s });
    const inTest = base.file.inTestCode;
    const has = (k: string) => envNames.some((e) => get(k, e) !== undefined);
    const mode = get('sessionState.mode', prodEnv)?.value;
    // cookieless UseUri / true: the id travels in the URL and no session cookie is set.
    const cookielessSession = /^(useuri|true)$/i.test(
      get('sessionState.cookieless', prodEnv)?.value.trim() ?? '',
    );
    const sessionOn = (mode === undefined || !/^off$/i.test(mode)) && !cookielessSession;
    const cookieName = get('sessionState.cookieName', prodEnv)?.value ?? CLASSIC_SESSION_COOKIE;
    const loc = (k: string) => {
      for (const e of [prodEnv, ...envNames]) {
        const v = get(k, e);
        if (v) return { location: v.location, evidence: v.evidence };
      }
      return { location: base.location, evidence: base.evidence };
    };
    // The session cookie: when the file configures session state or cookies.
    if (
      sessionOn &&
      (has('sessionState.cookieless') ||
        has('sessionState.mode') ||
        has('sessionState.cookieName') ||
        has('httpCookies.requireSSL') ||
        has('httpCookies.httpOnlyCookies'))
    ) {
      const at = has('httpCookies.requireSSL')
        ? loc('httpCookies.requireSSL')
        : loc(has('sessionState.mode') ? 'sessionState.mode' : 'sessionState.cookieless');
      out.push(
        cookieObs({
          name: cookieName,
          secure: attr(
            'httpCookies.requireSSL',
            bool,
            false,
            '<httpCookies requireSSL> defaults to false',
            at,
          ),
          // SessionIDManager always marks the session cookie HttpOnly.
          httpOnly: {
            value: true,
            provenance: {
              kind: 'framework-default',
              framework: CLASSIC,
              note: 'the session cookie is always HttpOnly',
            },
            location: at.location,
          },
          sameSite: has('sessionState.cookieSameSite')
            ? attr('sessionState.cookieSameSite', sameSite, 'lax', '', at)
            : {
                value: 'unknown',
                provenance: { kind: 'unknown', reason: 'depends on the .NET Framework patch level' },
              },
          lifetime: { kind: 'session' },
          location: at.location,
          evidence: at.evidence,
          inTestCode: inTest,
          api: 'session',
          app: dir,
        }),
      );
    }
    // Forms authentication ticket.
    const formsName = get('forms.name', prodEnv)?.value ?? CLASSIC_FORMS_COOKIE;
    const authMode = get('authentication.mode', prodEnv)?.value;
    if ((authMode && /^forms$/i.test(authMode)) || has('forms.requireSSL') || has('forms.name')) {
      const at = has('forms.requireSSL')
        ? loc('forms.requireSSL')
        : loc(authMode ? 'authentication.mode' : 'forms.name');
      out.push(
        cookieObs({
          name: formsName,
          secure: attr(
            'forms.requireSSL',
            bool,
            false,
            '<forms requireSSL> defaults to false; <httpCookies requireSSL> does not apply to the forms ticket',
            at,
          ),
          httpOnly: {
            value: true,
            provenance: {
              kind: 'framework-default',
              framework: CLASSIC,
              note: 'the forms ticket is always HttpOnly',
            },
            location: at.location,
          },
          sameSite: {
            value: 'unknown',
            provenance: { kind: 'unknown', reason: 'depends on the .NET Framework patch level' },
          },
          ...(has('forms.domain') ? { domain: attr('forms.domain', (s) => s, '', '', at) } : {}),
          lifetime: { kind: 'session' },
          location: at.location,
          evidence: at.evidence,
          inTestCode: inTest,
          api: 'forms-authentication',
          app: dir,
        }),
      );
    }
    // Session ids or forms tickets in URLs: cookieless UseUri / true / AutoDetect.
    for (const [key, param] of [
      ['sessionState.cookieless', cookieName],
      ['forms.cookieless', formsName],
    ] as const) {
      const v = get(key, prodEnv);
      if (!v || !/^(useuri|true|autodetect)$/i.test(v.value.trim())) continue;
      out.push({
        kind: 'session-id-in-url',
        source: 'code',
        url: '',
        where: 'config',
        parameter: param,
        location: v.location,
        evidence: `${v.evidence}${/autodetect/i.test(v.value) ? ' (the id goes into the URL for every client that does not return cookies)' : ''}`,
        framework: ASPNET,
      });
    }
  }
  return out;
}

// --- entry ----------------------------------------------------------------------------------------

export function resolveAspNet(project: ProjectFacts): Observation[] {
  const out: Observation[] = [];
  // ASPNETCORE_FORWARDEDHEADERS_ENABLED=true in a committed .env file.
  const forwardedByEnv = envValuesOf(project, 'ASPNETCORE_FORWARDEDHEADERS_ENABLED').some((v) =>
    /^true$/i.test(v.value),
  );
  for (const app of appsOf(project)) {
    const trusted = trustsProxy(app, forwardedByEnv);
    const policies = policiesOf(app);
    const cookies: Observation[] = [];
    for (const b of builderCookies(app)) cookies.push(...builderObservation(app, b, { trusted }, policies));
    cookies.push(...appendObservations(app, trusted, policies));
    out.push(...cookies);
    const setsCookies = cookies.some((o) => o.kind === 'cookie' && !o.deletion && !o.inTestCode);
    out.push(...transportObservations(app, setsCookies));
  }
  out.push(...classicObservations(project));
  return out;
}

export const aspnetResolver: Resolver = { name: 'aspnet', resolve: resolveAspNet };
