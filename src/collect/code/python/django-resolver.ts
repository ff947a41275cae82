/**
 * Django: settings modules (single `settings.py` or split `settings/base.py` + `production.py`
 * chained by `from .base import *`), the one deployed (named by wsgi.py / asgi.py
 * DJANGO_SETTINGS_MODULE, else named prod* / production, else the only one), and from them the
 * session, CSRF and language cookies, the HTTPS redirect, HSTS and proxy trust.
 *
 * Defaults: defaults.ts (Django 3.2.25 global_settings). Sessions are on when
 * 'django.contrib.sessions.middleware.SessionMiddleware' is in MIDDLEWARE or 'django.contrib.sessions'
 * in INSTALLED_APPS (the two cases of `manage.py check --deploy` W010 / W011,
 * django/core/checks/security/sessions.py); the CSRF cookie needs CsrfViewMiddleware and
 * CSRF_USE_SESSIONS off (django/middleware/csrf.py); SECURE_SSL_REDIRECT and SECURE_HSTS_* act only
 * through SecurityMiddleware (django/middleware/security.py).
 */
import type {
  CodeLocation,
  Observation,
  ProxyTrustObservation,
  SettingObservation,
} from '../../../model/observation.js';
import { proxyInFront } from '../common/deploy.js';
import type { ProjectFacts, Resolver } from '../types.js';
import { cookieObservation } from './cookie-obs.js';
import { DJANGO_DEFAULTS, VERSIONS } from './defaults.js';
import type { PyExpr, PyVal } from './expr.js';
import { factsOf } from './facts.js';
import {
  constString,
  envFiles,
  findLiteral,
  lastPart,
  lifetimeOf,
  resolveTree,
  toAttr,
  toBool,
  toSameSite,
  toStr,
  type DefaultInfo,
  type EnvFile,
  type Origin,
  type Resolution,
  type ValueTree,
} from './resolve-common.js';
import { SettingsIndex, valueExpr, type ModuleEntry } from './settings-chain.js';

const SESSION_MW = 'django.contrib.sessions.middleware.SessionMiddleware';
const SESSION_APP = 'django.contrib.sessions';
const CSRF_MW = 'django.middleware.csrf.CsrfViewMiddleware';
const SECURITY_MW = 'django.middleware.security.SecurityMiddleware';
const DEFAULT: DefaultInfo = { framework: 'django', version: VERSIONS.django };
const DJANGO_MARKERS = [
  'INSTALLED_APPS',
  'MIDDLEWARE',
  'MIDDLEWARE_CLASSES',
  'ROOT_URLCONF',
  'WSGI_APPLICATION',
];

/** A settings module for tests (settings/test.py, test_settings.py ...): findings from it are info. */
export function isTestSettings(m: ModuleEntry): boolean {
  return (
    m.file.inTestCode ||
    /^(test|tests|testing|test_settings|settings_test|tests_settings|ci)$|^test_|_test$/.test(
      lastPart(m.data.module),
    )
  );
}

const PRODUCTION_NAME = /^(prod|production|live|deploy|deployment|prd)(_settings)?$/;

interface DjangoProject {
  idx: SettingsIndex;
  /** Settings modules that run (not merely star-imported), tests excluded. */
  leaves: ModuleEntry[];
  testLeaves: ModuleEntry[];
  production: ModuleEntry | undefined;
  /** The module whose values stand for the deployment (production, else the first leaf). */
  primary: ModuleEntry;
  envs: EnvFile[];
  names: Map<ModuleEntry, string>;
}

function analyse(project: ProjectFacts): DjangoProject | null {
  const idx = new SettingsIndex(project, DJANGO_DEFAULTS);
  const refs = factsOf(project, 'django-settings-ref');
  const envs = envFiles(project);
  const django = new Set<ModuleEntry>();
  for (const m of idx.modules) if (m.data.assigns.some((a) => DJANGO_MARKERS.includes(a.key))) django.add(m);
  const named = new Set<ModuleEntry>();
  for (const r of refs) {
    const m = idx.find(r.data.module);
    if (m) {
      django.add(m);
      named.add(m);
    }
  }
  for (const e of envs) {
    const v = e.vars.DJANGO_SETTINGS_MODULE;
    const m = v ? idx.find(v) : undefined;
    if (m) {
      django.add(m);
      named.add(m);
    }
  }
  // Modules that star-import a Django settings module are settings modules too (production.py).
  for (let grew = true; grew;) {
    grew = false;
    for (const m of idx.modules) {
      if (django.has(m)) continue;
      if (
        m.data.starImports.some((s) => {
          const t = idx.find(s.module);
          return t !== undefined && django.has(t);
        })
      ) {
        django.add(m);
        grew = true;
      }
    }
  }
  if (django.size === 0) return null;
  let all = [...django].filter((m) => named.has(m) || !idx.importers(m).some((i) => django.has(i)));
  // Modules that all star-import each other (a loop): none is a leaf; judge each of them.
  if (all.length === 0) {
    all = [...django];
    for (const m of all) idx.chain(m);
  }
  const leaves = all.filter((m) => !isTestSettings(m));
  const testLeaves = all.filter((m) => isTestSettings(m));
  if (leaves.length === 0 && testLeaves.length === 0) return null;

  // What production runs: a deployment file (Dockerfile ENV, Procfile, app.json / app.yaml) names
  // it more surely than wsgi.py's setdefault, which it overrides.
  const deployRef =
    refs.find((r) => r.data.deployment === true && !r.file.inTestCode && idx.find(r.data.module)) ??
    refs.find((r) => /^(wsgi|asgi)\.py$/.test(r.data.via) && !r.file.inTestCode && idx.find(r.data.module));
  let production = deployRef ? idx.find(deployRef.data.module) : undefined;
  if (production && isTestSettings(production)) production = undefined;
  // wsgi.py's setdefault naming a development module (`settings.dev`) is the developers' default,
  // not what production runs, when a module named for production exists.
  // Likewise a module that the production-named one builds on (`production.py` star-imports
  // `base.py`, wsgi.py defaults to base): production is the module named for it.
  if (production && deployRef?.data.deployment !== true) {
    const chosen = production;
    const prodNamed = leaves.filter((m) => m !== chosen && PRODUCTION_NAME.test(lastPart(m.data.module)));
    if (
      !PRODUCTION_NAME.test(lastPart(chosen.data.module)) &&
      prodNamed.length > 0 &&
      (DEVELOPMENT_NAME.test(lastPart(chosen.data.module)) ||
        prodNamed.some((m) => idx.chain(m).includes(chosen)))
    )
      production = undefined;
  }
  if (!production) {
    const fromEnv = envs.find(
      (e) => /^(prod|production|live|prd)$/i.test(e.name) && e.vars.DJANGO_SETTINGS_MODULE,
    );
    production = fromEnv ? idx.find(fromEnv.vars.DJANGO_SETTINGS_MODULE!) : undefined;
  }
  if (!production) production = leaves.find((m) => PRODUCTION_NAME.test(lastPart(m.data.module)));
  if (!production && leaves.length === 1) production = leaves[0];
  if (production && !leaves.includes(production)) leaves.push(production);
  const primary = production ?? leaves[0] ?? testLeaves[0]!;

  // Environment names: the module's last part, made unique; the production module is 'production'.
  const names = new Map<ModuleEntry, string>();
  for (const m of [...leaves, ...testLeaves]) {
    let n = m === production ? 'production' : lastPart(m.data.module);
    if (m !== production && /^(prod|production|live|prd)$/i.test(n)) n = m.data.module;
    if ([...names.values()].includes(n)) n = m.data.module;
    names.set(m, n);
  }
  return { idx, leaves, testLeaves, production, primary, envs, names };
}

/** Settings modules named for development. */
const DEVELOPMENT_NAME = /^(dev|devel|develop|development|local)$/i;

function topOf(m: ModuleEntry): CodeLocation {
  return { file: m.file.file, line: 1, column: 1 };
}

/** The value of a key over the given modules: one module, or a switch naming each. */
function treeFor(p: DjangoProject, key: string, modules: ModuleEntry[], defaultOrigin: Origin): ValueTree {
  const one = (m: ModuleEntry): ValueTree =>
    p.idx.valueOf(m, key) ?? {
      kind: 'expr',
      expr: valueExpr(DJANGO_DEFAULTS[key] ?? null, `${key} (default)`),
      origin: { ...defaultOrigin, isDefault: true },
    };
  if (modules.length === 1) return one(modules[0]!);
  return {
    kind: 'switch',
    label: 'the settings module in use (DJANGO_SETTINGS_MODULE)',
    cases: modules.map((m) => ({ name: p.names.get(m) ?? m.data.module, vt: one(m) })),
  };
}

function resolveKey(
  p: DjangoProject,
  key: string,
  modules: ModuleEntry[],
  defaultOrigin: Origin,
  map?: (v: PyVal) => PyVal,
): Resolution {
  return resolveTree(treeFor(p, key, modules, defaultOrigin), p.envs, undefined, map);
}

/**
 * The string items a list setting holds whatever its conditions decide: appends only add, so an item
 * of the list every branch starts from is in it (`MIDDLEWARE.append(...)` under an `if` leaves
 * SessionMiddleware in place). Null when nothing certain is known.
 */
function certainItems(vt: ValueTree): Set<string> | null {
  const ofExpr = (e: PyExpr, depth: number): Set<string> | null => {
    if (depth > 60) return null;
    switch (e.k) {
      case 'seq': {
        const out = new Set<string>();
        for (const i of e.items) if (i.k === 'lit' && typeof i.v === 'string') out.add(i.v);
        return out;
      }
      case 'ref':
        return ofExpr(e.e, depth + 1);
      case 'arith': {
        if (e.op !== '+') return null;
        const l = ofExpr(e.l, depth + 1);
        const r = ofExpr(e.r, depth + 1);
        if (l === null && r === null) return null;
        return new Set([...(l ?? []), ...(r ?? [])]);
      }
      case 'if': {
        const a = ofExpr(e.then, depth + 1);
        const b = ofExpr(e.else, depth + 1);
        if (a === null || b === null) return null;
        return new Set([...a].filter((x) => b.has(x)));
      }
      default:
        return null;
    }
  };
  if (vt.kind === 'opaque') return null;
  if (vt.kind === 'expr') return ofExpr(vt.expr, 0);
  const sets: Set<string>[] = [];
  for (const c of vt.cases) {
    const s = certainItems(c.vt);
    if (s === null) return null;
    sets.push(s);
  }
  const [first, ...rest] = sets;
  if (first === undefined) return null;
  return new Set([...first].filter((x) => rest.every((s) => s.has(x))));
}

/**
 * A list setting of one module, as constants, with where each entry is written. When conditions
 * leave the list open, `items` holds what it certainly contains and `partial` is set.
 */
function listOf(
  p: DjangoProject,
  m: ModuleEntry,
  key: string,
): { items: string[] | 'unknown' | 'unset'; partial?: boolean; locate: (v: string) => CodeLocation | null } {
  const vt = p.idx.valueOf(m, key);
  const locate = (v: string) => {
    for (const a of p.idx.assignsOf(m, key).reverse()) {
      const l = findLiteral(a.expr, v);
      if (l) return l;
    }
    return null;
  };
  if (!vt) return { items: 'unset', locate };
  const r = resolveTree(vt, p.envs);
  if (r.kind === 'constant' && Array.isArray(r.value))
    return { items: r.value.filter((x): x is string => typeof x === 'string'), locate };
  const certain = certainItems(vt);
  if (certain !== null) return { items: [...certain], partial: true, locate };
  return { items: 'unknown', locate };
}

interface Enabled {
  state: boolean | 'unknown';
  location: CodeLocation;
  evidence: string;
}

function middlewareOf(p: DjangoProject, m: ModuleEntry) {
  const mw = listOf(p, m, 'MIDDLEWARE');
  return mw.items === 'unset' ? listOf(p, m, 'MIDDLEWARE_CLASSES') : mw;
}

function sessionsEnabled(p: DjangoProject, m: ModuleEntry): Enabled {
  const mw = middlewareOf(p, m);
  const apps = listOf(p, m, 'INSTALLED_APPS');
  if (Array.isArray(mw.items) && mw.items.includes(SESSION_MW)) {
    return {
      state: true,
      location: mw.locate(SESSION_MW) ?? topOf(m),
      evidence: `'${SESSION_MW}' in MIDDLEWARE`,
    };
  }
  if (Array.isArray(apps.items) && apps.items.includes(SESSION_APP)) {
    return {
      state: true,
      location: apps.locate(SESSION_APP) ?? topOf(m),
      evidence: `'${SESSION_APP}' in INSTALLED_APPS`,
    };
  }
  const unknown =
    mw.items === 'unknown' || apps.items === 'unknown' || mw.partial === true || apps.partial === true;
  return { state: unknown ? 'unknown' : false, location: topOf(m), evidence: m.data.module };
}

function middlewareHas(p: DjangoProject, m: ModuleEntry, name: string): boolean | 'unknown' {
  const mw = middlewareOf(p, m);
  if (mw.items === 'unknown') return 'unknown';
  if (mw.items === 'unset') return false;
  if (mw.items.includes(name)) return true;
  return mw.partial === true ? 'unknown' : false;
}

/** True when the module chain (or, for tests, the module itself) sets any of the keys. */
function setsAny(p: DjangoProject, m: ModuleEntry, prefix: string, ownOnly = false): boolean {
  const mods = ownOnly ? [m] : p.idx.chain(m);
  return mods.some((x) => x.data.assigns.some((a) => a.key.startsWith(prefix)));
}

type CookieKind = 'SESSION' | 'CSRF' | 'LANGUAGE';

function cookieFor(
  p: DjangoProject,
  kind: CookieKind,
  modules: ModuleEntry[],
  enabledAt: Origin,
  inTestCode: boolean,
): Observation {
  const key = (k: string) => `${kind}_COOKIE_${k}`;
  const res = (k: string, map?: (v: PyVal) => PyVal) => resolveKey(p, k, modules, enabledAt, map);
  const secure = toAttr(res(key('SECURE')), toBool, DEFAULT);
  const httpOnly = toAttr(res(key('HTTPONLY')), toBool, DEFAULT);
  const ssRes = res(key('SAMESITE'));
  const sameSite = {
    ...toAttr(ssRes, toSameSite, DEFAULT),
    ...(ssRes.kind === 'constant' && typeof ssRes.value === 'string' ? { raw: ssRes.value } : {}),
  };
  const name = constString(res(key('NAME'))) ?? String(DJANGO_DEFAULTS[key('NAME')]);
  const domainRes = res(key('DOMAIN'));
  const pathRes = res(key('PATH'));
  let lifetime = lifetimeOf(res(key('AGE')));
  if (kind === 'SESSION') {
    const close = res('SESSION_EXPIRE_AT_BROWSER_CLOSE');
    if (close.kind === 'constant' && toBool(close.value)) lifetime = { kind: 'session' };
    else if (close.kind !== 'constant') lifetime = { kind: 'unknown' };
  }
  const domain = !(domainRes.kind === 'constant' && domainRes.value === null)
    ? toAttr(domainRes, toStr, DEFAULT)
    : undefined;
  return cookieObservation({
    name,
    framework: 'django',
    secure,
    httpOnly,
    sameSite,
    ...(domain ? { domain } : {}),
    path: toAttr(pathRes, toStr, DEFAULT),
    lifetime,
    location: secure.location ?? enabledAt.location,
    snippet:
      secure.provenance.kind === 'framework-default'
        ? enabledAt.evidence
        : (secure.evidence ?? enabledAt.evidence),
    inTestCode,
  });
}

function transport(
  p: DjangoProject,
  modules: ModuleEntry[],
  primary: ModuleEntry,
  inTestCode: boolean,
): Observation[] {
  const out: Observation[] = [];
  // An unset SECURE_* setting is located at SecurityMiddleware, the middleware that would act on it.
  const securityAt = middlewareOf(p, primary).locate(SECURITY_MW);
  const top: Origin = securityAt
    ? {
        location: securityAt,
        evidence: `'${SECURITY_MW}' in MIDDLEWARE (${primary.data.module}; SECURE_* not set)`,
      }
    : { location: topOf(primary), evidence: `${primary.data.module} (settings module; SECURE_* not set)` };
  const security = middlewareHas(p, primary, SECURITY_MW);
  const mwAssign =
    p.idx.assignsOf(primary, 'MIDDLEWARE').at(-1) ?? p.idx.assignsOf(primary, 'MIDDLEWARE_CLASSES').at(-1);

  // SECURE_SSL_REDIRECT
  const redirect = resolveKey(p, 'SECURE_SSL_REDIRECT', modules, top);
  const redirectAttr = toAttr(redirect, toBool, DEFAULT);
  const setting: SettingObservation = {
    kind: 'setting',
    source: 'code',
    framework: 'django',
    key: 'ssl-redirect',
    value: redirectAttr.value,
    provenance: redirectAttr.provenance,
    location: redirectAttr.location ?? top.location,
    evidence: redirectAttr.evidence ?? top.evidence,
    inTestCode,
  };
  if (security === false && redirectAttr.value === true && mwAssign) {
    // SecurityMiddleware is what redirects: without it SECURE_SSL_REDIRECT does nothing.
    setting.value = false;
    setting.provenance = { kind: 'explicit' };
    setting.location = mwAssign.location;
    setting.evidence = `MIDDLEWARE lacks '${SECURITY_MW}', so SECURE_SSL_REDIRECT = True has no effect`;
  }
  if (redirect.origin.snippet) setting.snippet = redirect.origin.snippet;
  out.push(setting);

  // HSTS
  const seconds = resolveKey(p, 'SECURE_HSTS_SECONDS', modules, top);
  const sub = resolveKey(p, 'SECURE_HSTS_INCLUDE_SUBDOMAINS', modules, top);
  const preload = resolveKey(p, 'SECURE_HSTS_PRELOAD', modules, top);
  const secAttr = toAttr(seconds, (v) => v, DEFAULT);
  if (seconds.kind === 'constant') {
    let maxAge =
      typeof seconds.value === 'number'
        ? seconds.value
        : typeof seconds.value === 'string' && /^\d+$/.test(seconds.value)
          ? Number(seconds.value)
          : null;
    let evidence = seconds.origin.evidence;
    let location = seconds.origin.location;
    if (security === false && maxAge && mwAssign) {
      maxAge = 0;
      evidence = `MIDDLEWARE lacks '${SECURITY_MW}', so SECURE_HSTS_SECONDS has no effect`;
      location = mwAssign.location;
    }
    const includeSub = sub.kind === 'constant' && toBool(sub.value);
    const pre = preload.kind === 'constant' && toBool(preload.value);
    if (maxAge !== null) {
      out.push({
        kind: 'hsts',
        source: 'code',
        url: '',
        headers: [],
        parsed:
          maxAge > 0
            ? { maxAge, includeSubDomains: includeSub, preload: pre, errors: [], valid: true }
            : null,
        location,
        evidence: seconds.origin.isDefault
          ? `${primary.data.module}: SECURE_HSTS_SECONDS is not set (default 0)`
          : evidence,
        framework: 'django',
      });
    }
  } else {
    // Env-dependent or unknown: recorded as a setting, which the HSTS rules do not judge.
    out.push({
      kind: 'setting',
      source: 'code',
      framework: 'django',
      key: 'hsts-seconds',
      value: secAttr.value,
      provenance: secAttr.provenance,
      location: seconds.origin.location,
      evidence: seconds.origin.evidence,
      inTestCode,
    });
  }
  return out;
}

function proxyTrust(
  p: DjangoProject,
  project: ProjectFacts,
  session: Observation | null,
): ProxyTrustObservation | null {
  const m = p.primary;
  if (p.idx.setsKey(m, 'SECURE_PROXY_SSL_HEADER')) {
    const hdr = resolveKey(p, 'SECURE_PROXY_SSL_HEADER', [m], { location: topOf(m), evidence: '' });
    if (!(hdr.kind === 'constant' && hdr.value === null)) return null;
  }
  // Heuristic: only when a proxy in front is evident. USE_X_FORWARDED_HOST / _PORT are only set
  // behind a proxy; deployment files (common/deploy.ts) show one. Without such evidence the app
  // may terminate TLS itself and nothing is wrong.
  const fwd = ['USE_X_FORWARDED_HOST', 'USE_X_FORWARDED_PORT']
    .map((k) => ({ k, r: resolveKey(p, k, [m], { location: topOf(m), evidence: '' }) }))
    .find((x) => x.r.kind === 'constant' && toBool(x.r.value));
  const evidence = fwd ? `${fwd.k} = True` : proxyInFront(project, 'python');
  if (!evidence) return null;
  const redirect = resolveKey(p, 'SECURE_SSL_REDIRECT', [m], { location: topOf(m), evidence: '' });
  const redirectOn = redirect.kind === 'constant' && toBool(redirect.value);
  const secureOn = session?.kind === 'cookie' && session.secure.value === true;
  if (!redirectOn && !secureOn) return null;
  const at = redirectOn
    ? redirect.origin
    : session?.kind === 'cookie' && session.secure.location
      ? { location: session.secure.location, evidence: session.secure.evidence ?? '' }
      : null;
  if (!at) return null;
  const consequence = redirectOn
    ? 'SECURE_SSL_REDIRECT redirects every proxied request to HTTPS again (a redirect loop), since Django sees plain HTTP'
    : 'Django still sends the Secure session cookie, but request.is_secure() is False behind the proxy: ' +
      'absolute URLs (password-reset links) use http://, and Django 4.0+ rejects HTTPS form posts whose Origin does not match (CSRF)';
  return {
    kind: 'proxy-trust',
    source: 'code',
    framework: 'django',
    cookie: session?.kind === 'cookie' ? session.name : 'sessionid',
    situation: 'secure-without-trust',
    location: at.location,
    evidence: `${at.evidence}; SECURE_PROXY_SSL_HEADER is not set`,
    consequence,
    proxyEvidence: evidence,
    inTestCode: false,
  };
}

export function resolveDjango(project: ProjectFacts): Observation[] {
  const p = analyse(project);
  if (!p) return [];
  const out: Observation[] = [];
  const groups: { modules: ModuleEntry[]; primary: ModuleEntry; inTestCode: boolean; ownOnly: boolean }[] =
    [];
  if (p.leaves.length > 0)
    groups.push({
      modules: p.leaves,
      primary: p.primary,
      inTestCode: p.primary.file.inTestCode,
      ownOnly: false,
    });
  for (const t of p.testLeaves)
    groups.push({ modules: [t], primary: t, inTestCode: true, ownOnly: p.leaves.length > 0 });

  let mainSession: Observation | null = null;
  for (const g of groups) {
    const m = g.primary;
    // A test settings module next to real ones is only reported for what it sets itself.
    const sessions = sessionsEnabled(p, m);
    const sessionAt: Origin = { location: sessions.location, evidence: sessions.evidence };
    const wantSession =
      (sessions.state === true && (!g.ownOnly || setsAny(p, m, 'SESSION_COOKIE_', true))) ||
      (sessions.state === 'unknown' && setsAny(p, m, 'SESSION_COOKIE_', g.ownOnly));
    if (wantSession) {
      const s = cookieFor(p, 'SESSION', g.modules, sessionAt, g.inTestCode);
      out.push(s);
      if (!g.ownOnly && groups[0] === g) mainSession = s;
    }
    const csrf = middlewareHas(p, m, CSRF_MW);
    const useSessions = resolveKey(p, 'CSRF_USE_SESSIONS', [m], sessionAt);
    // No CSRF cookie when the token lives in the session in every environment that resolves.
    const csrfInCookie = !(
      (useSessions.kind === 'constant' && toBool(useSessions.value)) ||
      (useSessions.kind === 'env' &&
        Object.values(useSessions.perEnvironment).every((v) => v !== 'unknown' && toBool(v)))
    );
    if (
      csrfInCookie &&
      ((csrf === true && (!g.ownOnly || setsAny(p, m, 'CSRF_COOKIE_', true))) ||
        (csrf === 'unknown' && setsAny(p, m, 'CSRF_COOKIE_', g.ownOnly)))
    ) {
      const mw = middlewareOf(p, m);
      const at: Origin = { location: mw.locate(CSRF_MW) ?? topOf(m), evidence: `'${CSRF_MW}' in MIDDLEWARE` };
      out.push(cookieFor(p, 'CSRF', g.modules, at, g.inTestCode));
    }
    const i18n = factsOf(project, 'django-i18n').find((f) => !f.file.inTestCode);
    // Django sets its language cookie only in django.views.i18n.set_language: LANGUAGE_COOKIE_*
    // settings alone configure a cookie nothing sets (a project's own set_cookie is judged there).
    if ((i18n && !g.ownOnly) || (g.ownOnly && setsAny(p, m, 'LANGUAGE_COOKIE_', true))) {
      const at: Origin = i18n
        ? { location: i18n.data.location, evidence: i18n.data.what }
        : { location: topOf(m), evidence: m.data.module };
      out.push(cookieFor(p, 'LANGUAGE', g.modules, at, g.inTestCode));
    }
    // Transport settings are judged for the deployed module: development modules legitimately lack HSTS.
    if (!g.ownOnly)
      out.push(...transport(p, g.inTestCode || !p.production ? g.modules : [p.production], m, g.inTestCode));
  }
  const trust = p.leaves.length > 0 ? proxyTrust(p, project, mainSession) : null;
  if (trust) out.push(trust);
  return out;
}

export const djangoResolver: Resolver = { name: 'django', resolve: resolveDjango };
