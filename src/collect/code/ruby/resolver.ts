/**
 * Rails / Rack resolver: per application (the folder holding its `config/`), per environment.
 *
 * Environments are `development` and `production` plus every `config/environments/<env>.rb`
 * (`test` is the test suite's and left out). A setting applies in an environment when it is made in
 * config/application.rb or config.ru, in that environment's file (or one it `require_relative`s), in an
 * initializer, or under `if Rails.env.<env>?`; later stages of Rails' boot win (application, then
 * the environment file, then initializers). Values that differ between environments become
 * env-dependent attributes with the value in each; the value reported is production's.
 *
 * What decides each attribute, and the defaults, are in defaults.ts.
 */
import { classifyCookie } from '../../../cookies/classify.js';
import type {
  Attr,
  CodeLocation,
  CookieLifetime,
  CookieObservation,
  Observation,
  Provenance,
  SameSiteValue,
} from '../../../model/observation.js';
import type { CodeFact, FileFacts, ProjectFacts, Resolver, SettingValue } from '../types.js';
import {
  RACK_SESSION_KEY,
  RACK_TESTED,
  RAILS_SESSION_DEFAULTS,
  RAILS_TESTED,
  defaultHstsSeconds,
  loadDefaultsSameSite,
} from './defaults.js';
import {
  railsRootOf,
  type RailsCookieDetail,
  type RailsSessionDetail,
  type RailsSettingDetail,
  type RailsVia,
} from './extractor.js';
import { prefixOf, persistentLifetime, sameSiteKeyword } from '../common/cookie.js';
import { evalEnvTest, testVariables } from '../common/envtest.js';

type Scalar = string | number | boolean | null;
type SettingFact = Extract<CodeFact, { type: 'setting' }>;
type SessionFact = Extract<CodeFact, { type: 'session-enabled' }>;
type CookieFact = Extract<CodeFact, { type: 'cookie-set' }>;

interface Located<F> {
  fact: F;
  file: FileFacts;
}

interface App {
  root: string;
  name: string | null;
  nameAt: { location: CodeLocation; evidence: string; file: FileFacts } | null;
  settings: Located<SettingFact>[];
  sessions: Located<SessionFact>[];
  cookies: Located<CookieFact>[];
  inherits: Map<string, string>;
  envFiles: Map<string, FileFacts>;
  /** Whether anything says this is a Rails app (an application class, config/environments, a Rails setting). */
  rails: boolean;
}

/** One environment's value of an attribute, with what decided it. */
interface EnvValue<T> {
  value: T | 'unknown';
  location?: CodeLocation;
  evidence?: string;
  /** Nothing in the code decided it: a framework default. */
  isDefault: boolean;
  note?: string;
  file?: string;
  /** Why the value is unknown. */
  reason?: string;
}

const RANK: Record<RailsVia, number> = { application: 0, other: 1, environment: 2, initializer: 3 };
const PRODUCTION = /^(prod|production|live|prd)$/i;

function versionPair(spec: string | null | undefined): [number, number] | null {
  const m = spec ? /(\d+)\.(\d+)/.exec(spec) : null;
  return m ? [Number(m[1]), Number(m[2])] : null;
}

/** The Rails version from Gemfile.lock (railties, rails or actionpack), else a Gemfile requirement. */
function railsVersion(project: ProjectFacts): string | null {
  let best: { v: string; locked: boolean } | null = null;
  for (const f of project.files)
    for (const x of f.facts)
      if (
        x.type === 'dependency' &&
        x.ecosystem === 'rubygems' &&
        ['rails', 'railties', 'actionpack'].includes(x.name) &&
        x.version
      ) {
        if (!best || (x.locked && !best.locked)) best = { v: x.version, locked: x.locked === true };
      }
  return best?.v ?? null;
}

function appsOf(project: ProjectFacts): App[] {
  const apps = new Map<string, App>();
  const app = (root: string): App => {
    let a = apps.get(root);
    if (!a) {
      a = {
        root,
        name: null,
        nameAt: null,
        settings: [],
        sessions: [],
        cookies: [],
        inherits: new Map(),
        envFiles: new Map(),
        rails: false,
      };
      apps.set(root, a);
    }
    return a;
  };
  for (const file of project.files) {
    for (const fact of file.facts) {
      if (fact.type === 'setting' && fact.framework === 'rails') {
        const a = app((fact.detail as RailsSettingDetail).root);
        a.settings.push({ fact, file });
        a.rails = true;
        if (fact.scope?.environment && fact.via === 'environment')
          a.envFiles.set(fact.scope.environment, file);
      } else if (
        fact.type === 'session-enabled' &&
        (fact.framework === 'rails' || fact.framework === 'rack')
      ) {
        const a = app((fact.detail as RailsSessionDetail).root);
        a.sessions.push({ fact, file });
        if (fact.framework === 'rails') a.rails = true;
      } else if (fact.type === 'cookie-set' && fact.framework === 'rails') {
        app((fact.detail as RailsCookieDetail).root).cookies.push({ fact, file });
      } else if (fact.type === 'other' && fact.framework === 'rails') {
        const d = fact.data as { root: string; name?: string; env?: string; from?: string };
        const a = app(d.root);
        if (fact.key === 'rails-app' && d.name && !a.nameAt) {
          a.name = d.name;
          a.nameAt = { location: fact.location, evidence: fact.evidence, file };
          a.rails = true;
        } else if (fact.key === 'rails-env-inherits' && d.env && d.from) {
          a.inherits.set(d.env, d.from);
          a.envFiles.set(d.env, file);
        }
      }
    }
  }
  // Environment files with no setting of interest still name an environment.
  for (const p of project.paths ?? []) {
    const m = /^(.*?)(?:^|\/)?config\/environments\/([^/]+)\.rb$/.exec(p);
    if (!m) continue;
    const root = railsRootOf(p);
    const a = apps.get(root);
    if (a && !a.envFiles.has(m[2]!))
      a.envFiles.set(m[2]!, { file: p, language: 'ruby', facts: [], inTestCode: false });
  }
  return [...apps.values()].sort((x, y) => (x.root < y.root ? -1 : 1));
}

function environmentsOf(app: App): string[] {
  const envs = new Set(['development', 'production', ...app.envFiles.keys()]);
  envs.delete('test');
  return [...envs].sort();
}

/** Environments whose settings apply in `env` (itself and those it require_relative's), outermost first. */
function lineage(app: App, env: string): string[] {
  const out = [env];
  for (let e = app.inherits.get(env); e && !out.includes(e); e = app.inherits.get(e)) out.unshift(e);
  return out;
}

function applies(app: App, env: string, scopeEnv: string | undefined): number {
  if (scopeEnv === undefined) return 0;
  const l = lineage(app, env);
  const i = l.indexOf(scopeEnv);
  return i < 0 ? -1 : i;
}

/** The facts that apply in `env`, in the order Rails runs them (the last one wins). */
function ordered<F extends SettingFact | SessionFact>(
  app: App,
  env: string,
  items: Located<F>[],
  envOf: (f: F) => string | undefined,
  viaOf: (f: Located<F>) => RailsVia,
): Located<F>[] {
  return items
    .map((it) => ({ it, depth: applies(app, env, envOf(it.fact)) }))
    .filter((x) => x.depth >= 0)
    .sort((a, b) => {
      const ra = RANK[viaOf(a.it)] + a.depth / 10;
      const rb = RANK[viaOf(b.it)] + b.depth / 10;
      if (ra !== rb) return ra - rb;
      if (a.it.file.file !== b.it.file.file) return a.it.file.file < b.it.file.file ? -1 : 1;
      return a.it.fact.location.line - b.it.fact.location.line;
    })
    .map((x) => x.it);
}

function settingIn(app: App, env: string, key: string): Located<SettingFact> | undefined {
  return ordered(
    app,
    env,
    app.settings.filter((s) => s.fact.key === key),
    (f) => f.scope?.environment,
    (s) => (s.fact.via as RailsVia | undefined) ?? 'other',
  ).at(-1);
}

function sessionIn(app: App, env: string, framework: string): Located<SessionFact> | undefined {
  return ordered(
    app,
    env,
    app.sessions.filter((s) => s.fact.framework === framework),
    (f) => (f.guard?.test && f.guard.test.op === 'eq' ? f.guard.test.value : undefined),
    (s) => {
      if (/(?:^|\/)config\/environments\//.test(s.file.file)) return 'environment';
      if (/(?:^|\/)config\/initializers\//.test(s.file.file)) return 'initializer';
      return 'application';
    },
  ).at(-1);
}

/** A setting value in one environment. */
function valueIn(v: SettingValue, env: string): { value: Scalar | 'unknown'; reason?: string } {
  switch (v.kind) {
    case 'literal':
      return { value: v.value };
    case 'conditional': {
      if (!v.test) return { value: 'unknown', reason: `${v.condition} cannot be evaluated` };
      const vars = testVariables(v.test).filter((x) => x !== 'RAILS_ENV');
      if (vars.length > 0)
        return {
          value: 'unknown',
          reason: `${v.condition} reads ${vars.join(', ')}, which the scanner cannot know`,
        };
      const r = evalEnvTest(v.test, { RAILS_ENV: env });
      if (r === undefined) return { value: 'unknown', reason: `${v.condition} cannot be evaluated` };
      const out = r ? v.whenTrue : v.whenFalse;
      return out === undefined
        ? { value: 'unknown', reason: `${v.condition}: value not known` }
        : { value: out };
    }
    case 'env':
      return { value: 'unknown', reason: `read from the environment variable ${v.variable}` };
    case 'unknown':
      return { value: 'unknown', reason: v.reason };
  }
}

function truthy(v: Scalar): boolean {
  return v !== false && v !== null;
}

function sameSiteOf(v: Scalar): SameSiteValue {
  if (v === null || v === false) return 'unset';
  return typeof v === 'string' ? sameSiteKeyword(v) : 'invalid';
}

/** Combines one attribute's per-environment values into an Attr with provenance. */
function combine<T>(
  perEnv: Map<string, EnvValue<T>>,
  framework: string,
  version: string,
  what: string,
): Attr<T> {
  // Development at a framework default (development.rb sets nothing about it) is the developer's machine,
  // not a deployment: a value only production.rb turns on (Rails 7.1+'s stock `config.force_ssl = true`)
  // is not reported as depending on the environment. An explicit development value (`secure:
  // Rails.env.production?`, `config.force_ssl = false`) is.
  let entries = [...perEnv.entries()];
  if (entries.length > 1) entries = entries.filter(([k, e]) => !(k === 'development' && e.isDefault));
  const prod = entries.find(([k]) => PRODUCTION.test(k)) ?? entries[0]!;
  const [, p] = prod;
  const site = {
    ...(p.location ? { location: p.location } : {}),
    ...(p.evidence ? { evidence: p.evidence } : {}),
  };
  const known = entries.filter(([, e]) => e.value !== 'unknown');
  if (known.length === 0)
    return {
      value: 'unknown',
      provenance: { kind: 'unknown', reason: p.reason ?? `${what} could not be resolved` },
      ...site,
    };
  const same = entries.every(([, e]) => e.value === p.value);
  if (same) {
    const provenance: Provenance = p.isDefault
      ? { kind: 'framework-default', framework, version, ...(p.note ? { note: p.note } : {}) }
      : { kind: 'explicit' };
    return { value: p.value, provenance, ...site };
  }
  const perEnvironment: Record<string, unknown> = {};
  for (const [k, e] of entries) perEnvironment[k] = e.value;
  const deciders = [
    ...new Set(entries.filter(([, e]) => !e.isDefault && e.evidence).map(([, e]) => `\`${e.evidence}\``)),
  ];
  const files = [
    ...new Set(entries.map(([, e]) => e.file).filter((f): f is string => f !== undefined)),
  ].sort();
  const condition = `the Rails environment (RAILS_ENV): ${deciders.length > 0 ? deciders.join(', ') : what}`;
  return {
    value: p.value,
    provenance: {
      kind: 'env-dependent',
      condition,
      perEnvironment,
      ...(files.length > 0 ? { resolvedFrom: files } : {}),
    },
    ...site,
  };
}

interface SiteFacts {
  forceSsl: EnvValue<boolean>;
  secureCookies: boolean | 'unknown';
  redirect: boolean | 'unknown';
  hstsSeconds: number | 'unknown';
  sameSiteDefault: EnvValue<SameSiteValue>;
}

/** force_ssl, ssl_options and the SameSite default in one environment. */
function siteIn(
  app: App,
  env: string,
  version: [number, number] | null,
  fallback: { location: CodeLocation; evidence: string } | null,
): SiteFacts {
  const f = settingIn(app, env, 'force_ssl');
  let forceSsl: EnvValue<boolean>;
  if (f) {
    const r = valueIn(f.fact.value, env);
    forceSsl = {
      value: r.value === 'unknown' ? 'unknown' : truthy(r.value),
      location: f.fact.location,
      evidence: f.fact.evidence,
      isDefault: false,
      file: f.file.file,
      ...(r.reason ? { reason: `config.force_ssl: ${r.reason}` } : {}),
    };
  } else {
    const envFile = app.envFiles.get(env);
    forceSsl = {
      value: false,
      ...(fallback
        ? {
            location: fallback.location,
            evidence: `${fallback.evidence}: config.force_ssl is not set (default false)`,
          }
        : {}),
      ...(envFile
        ? {
            location: { file: envFile.file, line: 1, column: 1 },
            evidence: `${envFile.file}: config.force_ssl is not set (default false)`,
            file: envFile.file,
          }
        : {}),
      isDefault: true,
      note: 'config.force_ssl is off unless the app turns it on',
    };
  }
  const ssl = settingIn(app, env, 'ssl_options');
  const d = (ssl?.fact.detail as RailsSettingDetail | undefined)?.ssl;
  const boolOf = (v: SettingValue | undefined, dflt: boolean): boolean | 'unknown' => {
    if (!v) return d?.splat ? 'unknown' : dflt;
    const r = valueIn(v, env);
    return r.value === 'unknown' ? 'unknown' : truthy(r.value);
  };
  const secureCookies = boolOf(d?.secureCookies, true);
  const redirect = d?.redirect ? boolOf(d.redirect, true) : d?.splat ? 'unknown' : true;
  let hstsSeconds: number | 'unknown' = defaultHstsSeconds(version);
  if (d?.hsts) {
    const r = valueIn(d.hsts, env);
    hstsSeconds = r.value === 'unknown' ? 'unknown' : r.value === false ? 0 : hstsSeconds;
  } else if (d?.hstsExpires) {
    const r = valueIn(d.hstsExpires, env);
    hstsSeconds = typeof r.value === 'number' ? r.value : 'unknown';
  } else if (d?.splat) hstsSeconds = 'unknown';

  // SameSite of cookies written through the cookie jar.
  const prot = settingIn(app, env, 'cookies_same_site_protection');
  let sameSiteDefault: EnvValue<SameSiteValue>;
  if (prot) {
    const r = valueIn(prot.fact.value, env);
    sameSiteDefault = {
      value: r.value === 'unknown' ? 'unknown' : sameSiteOf(r.value),
      location: prot.fact.location,
      evidence: prot.fact.evidence,
      isDefault: false,
      file: prot.file.file,
    };
  } else {
    const ld = settingIn(app, env, 'load_defaults');
    const v = ld ? valueIn(ld.fact.value, env).value : null;
    if (
      ld &&
      v !== 'unknown' &&
      v !== null &&
      (typeof v === 'number' || typeof v === 'string') &&
      loadDefaultsSameSite(v)
    )
      sameSiteDefault = {
        value: 'lax',
        location: ld.fact.location,
        evidence: ld.fact.evidence,
        isDefault: true,
        note: `config.load_defaults ${v} sets cookies_same_site_protection = :lax (Rails 6.1+)`,
        file: ld.file.file,
      };
    else
      sameSiteDefault = {
        value: 'unset',
        ...(fallback ?? {}),
        isDefault: true,
        note: 'no SameSite attribute unless config.load_defaults 6.1+ or cookies_same_site_protection',
      };
  }
  return { forceSsl, secureCookies, redirect, hstsSeconds, sameSiteDefault };
}

function lifetimeOf(
  v: SettingValue | undefined,
  env: string,
  at: { location: CodeLocation; evidence: string } | undefined,
): CookieLifetime {
  if (!v) return { kind: 'session' };
  const r = valueIn(v, env).value;
  if (r === null) return { kind: 'session' };
  if (typeof r === 'number')
    return persistentLifetime(r, at ? { location: at.location, evidence: at.evidence } : {});
  return { kind: 'unknown' };
}

const TWENTY_YEARS = 20 * 31556952;
/** How `domain: :all` is shown: the domain depends on the request's host. */
const ALL_DOMAINS = "the request host's parent domain (domain: :all)";

export function resolveRails(project: ProjectFacts): Observation[] {
  const out: Observation[] = [];
  const versionSpec = railsVersion(project);
  const version = versionPair(versionSpec);
  const railsVer = versionSpec ?? RAILS_TESTED;
  for (const app of appsOf(project)) {
    const envs = environmentsOf(app);
    const fallback = app.nameAt ? { location: app.nameAt.location, evidence: app.nameAt.evidence } : null;
    const site = new Map(envs.map((e) => [e, siteIn(app, e, version, fallback)]));
    const appLabel = app.root === '' ? '.' : app.root;

    // ---------------------------------------------------------------- the Rails session cookie
    const railsSessions = app.sessions.filter((s) => s.fact.framework === 'rails');
    if (app.rails && (railsSessions.length > 0 || app.nameAt)) {
      const secure = new Map<string, EnvValue<boolean>>();
      const httpOnly = new Map<string, EnvValue<boolean>>();
      const sameSite = new Map<string, EnvValue<SameSiteValue>>();
      let anyOn = false;
      let first: Located<SessionFact> | undefined;
      let name: string | null = null;
      let lifetime: CookieLifetime = { kind: 'session' };
      let domain: Attr<string> | undefined;
      for (const env of envs) {
        const s = sessionIn(app, env, 'rails');
        const d = s?.fact.detail as RailsSessionDetail | undefined;
        const st = site.get(env)!;
        // No session cookie in this environment: it has no value of any attribute.
        if (d?.store === 'disabled') continue;
        anyOn = true;
        if (s && (!first || PRODUCTION.test(env))) first = s;
        const at = s ? { location: s.fact.location, evidence: s.fact.evidence } : fallback;
        const opts = d?.options ?? {};
        const forceOn = st.forceSsl.value === true && st.secureCookies === true;
        // secure
        const so = opts.secure;
        if (so) {
          const r = valueIn(so.value, env);
          if (forceOn && r.value !== true)
            secure.set(env, {
              ...st.forceSsl,
              value: true,
              note: 'config.force_ssl marks every cookie Secure',
            });
          else
            secure.set(env, {
              value: r.value === 'unknown' ? 'unknown' : truthy(r.value),
              location: so.location,
              evidence: so.evidence,
              isDefault: false,
              file: s!.file.file,
              ...(r.reason ? { reason: `secure: ${r.reason}` } : {}),
            });
        } else if (d?.splat && !forceOn) {
          secure.set(env, {
            value: 'unknown',
            ...(at ?? {}),
            isDefault: false,
            reason: 'session_store options passed with **',
          });
        } else if (st.forceSsl.value === 'unknown') {
          secure.set(env, { ...st.forceSsl, value: 'unknown' });
        } else if (forceOn) {
          secure.set(env, { ...st.forceSsl, value: true });
        } else if (st.forceSsl.value === true && st.secureCookies === 'unknown') {
          secure.set(env, {
            value: 'unknown',
            isDefault: false,
            reason: 'config.ssl_options secure_cookies could not be resolved',
          });
        } else {
          // Not Secure: the decisive line is force_ssl where it is written (even = false), else the session store.
          const dec = !st.forceSsl.isDefault
            ? st.forceSsl
            : { ...(at ?? {}), ...(st.forceSsl.file && !at ? st.forceSsl : {}) };
          secure.set(env, {
            value: RAILS_SESSION_DEFAULTS.secure,
            ...(dec.location ? { location: dec.location } : {}),
            ...(dec.evidence ? { evidence: dec.evidence } : {}),
            isDefault: st.forceSsl.isDefault,
            note:
              st.forceSsl.value === true
                ? 'config.ssl_options has secure_cookies: false'
                : 'Rails session cookies are Secure only with config.force_ssl or secure: true',
            ...(st.forceSsl.file ? { file: st.forceSsl.file } : {}),
          });
        }
        // httponly
        const ho = opts.httponly;
        if (ho) {
          const r = valueIn(ho.value, env);
          httpOnly.set(env, {
            value: r.value === 'unknown' ? 'unknown' : truthy(r.value),
            location: ho.location,
            evidence: ho.evidence,
            isDefault: false,
          });
        } else
          httpOnly.set(env, {
            value: RAILS_SESSION_DEFAULTS.httponly,
            ...(at ?? {}),
            isDefault: true,
            note: 'Rack session cookies are HttpOnly by default',
          });
        // same_site
        const ss = opts.same_site;
        if (ss) {
          const r = valueIn(ss.value, env);
          sameSite.set(env, {
            value: r.value === 'unknown' ? 'unknown' : sameSiteOf(r.value),
            location: ss.location,
            evidence: ss.evidence,
            isDefault: false,
          });
        } else sameSite.set(env, st.sameSiteDefault);
        if (name === null || PRODUCTION.test(env)) {
          const key = opts.key;
          const k = key ? valueIn(key.value, env).value : null;
          name = typeof k === 'string' ? k : app.name ? `_${app.name}_session` : '_<app>_session';
          lifetime = lifetimeOf(opts.expire_after?.value, env, opts.expire_after);
          const dm = opts.domain;
          const dv = dm ? valueIn(dm.value, env).value : null;
          // `domain: :all` is the parent domain of each request's host (the last two labels, three for
          // hosts like example.co.uk: CookieJar#handle_options, cookies.rb 6.1).
          domain =
            dm && typeof dv === 'string'
              ? {
                  value: dv === 'all' ? ALL_DOMAINS : dv,
                  provenance: { kind: 'explicit' },
                  location: dm.location,
                  evidence: dm.evidence,
                }
              : undefined;
        }
      }
      if (anyOn) {
        const loc = first?.fact.location ?? app.nameAt?.location;
        const file = first?.file ?? app.nameAt?.file;
        const sec = combine(secure, 'rails', railsVer, 'Secure');
        const o: CookieObservation = {
          kind: 'cookie',
          source: 'code',
          name: name ?? '_<app>_session',
          secure: sec,
          httpOnly: combine(httpOnly, 'rails', railsVer, 'HttpOnly'),
          sameSite: combine(sameSite, 'rails', railsVer, 'SameSite'),
          lifetime,
          prefix: prefixOf(name ?? ''),
          classification: classifyCookie(name ?? '_app_session', undefined, {
            framework: 'rails',
            setBy: 'server',
          }),
          deletion: false,
          setBy: 'server',
          framework: 'rails',
          app: appLabel,
          api: 'session',
          ...(loc ? { location: sec.location ?? loc } : {}),
          inTestCode: file?.inTestCode ?? false,
        };
        if (o.classification.category !== 'session' && o.classification.category !== 'csrf')
          o.classification = {
            category: 'session',
            reason: `the session cookie of the Rails app (${first ? 'config.session_store' : "Rails' default cookie store"})`,
            framework: 'rails',
            confidence: 'high',
          };
        if (domain) o.domain = domain;
        out.push(o);
      }
    }

    // ---------------------------------------------------------------- Rack::Session::Cookie
    for (const s of app.sessions.filter((x) => x.fact.framework === 'rack')) {
      const d = s.fact.detail as RailsSessionDetail;
      const insideRails = d.store === 'rack-cookie-in-rails';
      const secure = new Map<string, EnvValue<boolean>>();
      const httpOnly = new Map<string, EnvValue<boolean>>();
      const sameSite = new Map<string, EnvValue<SameSiteValue>>();
      const at = { location: s.fact.location, evidence: s.fact.evidence };
      const rackEnvs = app.rails ? envs : ['production'];
      for (const env of rackEnvs) {
        const st = site.get(env)!;
        const forceOn = insideRails && st.forceSsl.value === true && st.secureCookies === true;
        const so = d.options.secure;
        if (forceOn) secure.set(env, { ...st.forceSsl, value: true });
        else if (so) {
          const r = valueIn(so.value, env);
          secure.set(env, {
            value: r.value === 'unknown' ? 'unknown' : truthy(r.value),
            location: so.location,
            evidence: so.evidence,
            isDefault: false,
            file: s.file.file,
            ...(r.reason ? { reason: `secure: ${r.reason}` } : {}),
          });
        } else if (d.splat)
          secure.set(env, { value: 'unknown', ...at, isDefault: false, reason: 'options passed with **' });
        else
          secure.set(env, {
            value: RAILS_SESSION_DEFAULTS.secure,
            ...at,
            isDefault: true,
            note: 'Rack::Session::Cookie is not Secure unless secure: true',
          });
        const ho = d.options.httponly;
        if (ho) {
          const r = valueIn(ho.value, env);
          httpOnly.set(env, {
            value: r.value === 'unknown' ? 'unknown' : truthy(r.value),
            location: ho.location,
            evidence: ho.evidence,
            isDefault: false,
          });
        } else
          httpOnly.set(env, {
            value: RAILS_SESSION_DEFAULTS.httponly,
            ...at,
            isDefault: true,
            note: 'Rack session cookies are HttpOnly by default',
          });
        const ss = d.options.same_site;
        if (ss) {
          const r = valueIn(ss.value, env);
          sameSite.set(env, {
            value: r.value === 'unknown' ? 'unknown' : sameSiteOf(r.value),
            location: ss.location,
            evidence: ss.evidence,
            isDefault: false,
          });
        } else sameSite.set(env, { value: 'unset', ...at, isDefault: true });
      }
      const key = d.options.key ? valueIn(d.options.key.value, 'production').value : null;
      const name = typeof key === 'string' ? key : RACK_SESSION_KEY;
      const sec = combine(secure, 'rack', RACK_TESTED, 'Secure');
      const o: CookieObservation = {
        kind: 'cookie',
        source: 'code',
        name,
        secure: sec,
        httpOnly: combine(httpOnly, 'rack', RACK_TESTED, 'HttpOnly'),
        sameSite: combine(sameSite, 'rack', RACK_TESTED, 'SameSite'),
        lifetime: lifetimeOf(d.options.expire_after?.value, 'production', d.options.expire_after),
        prefix: prefixOf(name),
        classification: {
          category: 'session',
          reason: 'the session cookie of Rack::Session::Cookie',
          framework: 'rack',
          confidence: 'high',
        },
        deletion: false,
        setBy: 'server',
        framework: 'rack',
        app: appLabel,
        api: 'session',
        location: sec.location ?? s.fact.location,
        inTestCode: s.file.inTestCode,
      };
      const dm = d.options.domain;
      const dv = dm ? valueIn(dm.value, 'production').value : null;
      if (dm && typeof dv === 'string')
        o.domain = {
          value: dv,
          provenance: { kind: 'explicit' },
          location: dm.location,
          evidence: dm.evidence,
        };
      out.push(o);
    }

    // ---------------------------------------------------------------- cookies[...] = ...
    for (const { fact, file } of app.cookies) {
      if (fact.name === null) continue;
      const d = fact.detail as RailsCookieDetail;
      const secure = new Map<string, EnvValue<boolean>>();
      const httpOnly = new Map<string, EnvValue<boolean>>();
      const sameSite = new Map<string, EnvValue<SameSiteValue>>();
      const at = { location: fact.location, evidence: fact.evidence };
      const site_ = (k: string) => fact.optionSites?.[k] ?? at;
      const cookieEnvs = app.rails ? envs : ['production'];
      for (const env of cookieEnvs) {
        const st = site.get(env)!;
        const forceOn = st.forceSsl.value === true && st.secureCookies === true;
        const so = fact.options.secure;
        if (forceOn) secure.set(env, { ...st.forceSsl, value: true });
        else if (so) {
          const r = valueIn(so, env);
          secure.set(env, {
            value: r.value === 'unknown' ? 'unknown' : truthy(r.value),
            ...site_('secure'),
            isDefault: false,
            file: file.file,
            ...(r.reason ? { reason: `secure: ${r.reason}` } : {}),
          });
        } else if (st.forceSsl.value === 'unknown') secure.set(env, { ...st.forceSsl, value: 'unknown' });
        else
          secure.set(env, {
            value: false,
            ...at,
            isDefault: true,
            note: 'cookies[] are not Secure unless secure: true or config.force_ssl',
          });
        const ho = fact.options.httponly;
        if (ho) {
          const r = valueIn(ho, env);
          httpOnly.set(env, {
            value: r.value === 'unknown' ? 'unknown' : truthy(r.value),
            ...site_('httponly'),
            isDefault: false,
          });
        } else
          httpOnly.set(env, {
            value: false,
            ...at,
            isDefault: true,
            note: 'cookies[] are not HttpOnly unless httponly: true',
          });
        const ss = fact.options.same_site;
        if (ss) {
          const r = valueIn(ss, env);
          sameSite.set(env, {
            value: r.value === 'unknown' ? 'unknown' : sameSiteOf(r.value),
            ...site_('same_site'),
            isDefault: false,
          });
        } else if (fact.api === 'response.set_cookie')
          sameSite.set(env, { value: 'unset', ...at, isDefault: true });
        else sameSite.set(env, st.sameSiteDefault);
      }
      const sec = combine(secure, 'rails', railsVer, 'Secure');
      const lifetime: CookieLifetime = d.permanent
        ? persistentLifetime(TWENTY_YEARS, { location: fact.location, evidence: fact.evidence })
        : lifetimeOf(fact.options.expires, 'production', fact.optionSites?.expires);
      const o: CookieObservation = {
        kind: 'cookie',
        source: 'code',
        name: fact.name,
        secure: sec,
        httpOnly: combine(httpOnly, 'rails', railsVer, 'HttpOnly'),
        sameSite: combine(sameSite, 'rails', railsVer, 'SameSite'),
        lifetime,
        prefix: prefixOf(fact.name),
        classification: classifyCookie(fact.name, undefined, {
          framework: 'rails',
          setBy: 'server',
          ...(fact.constantValue ? { constantValue: fact.constantValue } : {}),
        }),
        deletion: fact.deletion === true,
        setBy: 'server',
        framework: 'rails',
        app: appLabel,
        api: fact.api ?? 'cookies',
        location: fact.location,
        inTestCode: file.inTestCode,
      };
      const dm = fact.options.domain;
      const dv = dm ? valueIn(dm, 'production').value : null;
      if (dm && typeof dv === 'string')
        o.domain = {
          value: dv === 'all' ? ALL_DOMAINS : dv,
          provenance: { kind: 'explicit' },
          ...site_('domain'),
        };
      out.push(o);
    }

    // ---------------------------------------------------------------- HTTPS redirect and HSTS
    if (!app.rails) continue;
    const redirect = new Map<string, EnvValue<boolean>>();
    const hsts = new Map<string, EnvValue<number>>();
    for (const env of envs) {
      const st = site.get(env)!;
      const f = st.forceSsl;
      const base = {
        ...(f.location ? { location: f.location } : {}),
        ...(f.evidence ? { evidence: f.evidence } : {}),
        isDefault: f.isDefault,
        ...(f.file ? { file: f.file } : {}),
      };
      if (f.value === 'unknown') {
        redirect.set(env, { ...base, value: 'unknown' });
        hsts.set(env, { ...base, value: 'unknown' });
      } else {
        redirect.set(env, {
          ...base,
          value: f.value && st.redirect !== 'unknown' ? st.redirect : f.value ? 'unknown' : false,
          ...(f.isDefault ? { note: 'config.force_ssl is off by default' } : {}),
        });
        hsts.set(env, { ...base, value: f.value ? st.hstsSeconds : 0 });
      }
    }
    const r = combine(redirect, 'rails', railsVer, 'the HTTPS redirect');
    if (r.location) {
      out.push({
        kind: 'setting',
        source: 'code',
        framework: 'rails',
        key: 'ssl-redirect',
        value: r.value,
        provenance: r.provenance,
        location: r.location,
        ...(r.evidence ? { evidence: r.evidence } : {}),
        inTestCode: false,
      });
      const h = combine(hsts, 'rails', railsVer, 'HSTS');
      if (h.provenance.kind === 'explicit' || h.provenance.kind === 'framework-default') {
        const maxAge = typeof h.value === 'number' ? h.value : 0;
        out.push({
          kind: 'hsts',
          source: 'code',
          url: '',
          headers: [],
          parsed:
            maxAge > 0 ? { maxAge, includeSubDomains: true, preload: false, errors: [], valid: true } : null,
          location: h.location ?? r.location,
          ...(h.evidence ? { evidence: h.evidence } : {}),
          framework: 'rails',
        });
      } else {
        out.push({
          kind: 'setting',
          source: 'code',
          framework: 'rails',
          key: 'hsts-seconds',
          value: h.value,
          provenance: h.provenance,
          location: h.location ?? r.location,
          ...(h.evidence ? { evidence: h.evidence } : {}),
          inTestCode: false,
        });
      }
    }
  }
  return out;
}

export const railsResolver: Resolver = { name: 'rails', resolve: resolveRails };
