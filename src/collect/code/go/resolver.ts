/**
 * Go: facts of the go-cookies extractor → cookie observations, with provenance.
 *
 * Defaults (zero values unless the library sets one; each read from the library's source):
 * - net/http `http.Cookie`: Secure false, HttpOnly false, SameSite not written, no Path/Domain, a
 *   session cookie unless MaxAge > 0 or Expires is set (Go 1.19 net/http/cookie.go `(*Cookie).String`).
 * - gin `c.SetCookie`: the seven arguments; SameSite from `c.SetSameSite`, zero (not written) by default
 *   (gin context.go SetCookie).
 * - gorilla/sessions `NewCookieStore` / `NewFilesystemStore` (1.2.1, Debian golang-github-gorilla-sessions-dev,
 *   store.go): `Options{Path: "/", MaxAge: 86400 * 30}`: Secure false, HttpOnly false, SameSite not written.
 *   Assigning `store.Options = &sessions.Options{...}` replaces the whole struct: a field left out is its zero
 *   value (so Path "" and MaxAge 0 when not given).
 * - gin-contrib/sessions cookie store: wraps gorilla's NewCookieStore (same defaults; `store.Options(...)`
 *   replaces them as a whole).
 * - alexedwards/scs v2 `scs.New()` (session.go): Name "session", HttpOnly true, Path "/", Persist true,
 *   SameSite Lax, Secure false; lifetime 24 hours.
 * - gorilla/csrf `csrf.Protect` (csrf.go parseOptions, options.go): Secure true, HttpOnly true, SameSite Lax,
 *   MaxAge 12 hours, cookie name "_gorilla_csrf".
 *
 * A value from `os.Getenv` comparisons is resolved per environment from the project's .env files (and,
 * when none sets the variable, for the value the code compares with and for the variable unset). Anything
 * else the file does not show is unknown (cookie-config-unresolved at info for session cookies).
 */
import { classifyCookie } from '../../../cookies/classify.js';
import { MAX_LIFETIME_SECONDS } from '../../../cookies/setcookie.js';
import type {
  Attr,
  CodeLocation,
  CookieClassification,
  CookieLifetime,
  CookieObservation,
  Observation,
  Provenance,
  SameSiteValue,
} from '../../../model/observation.js';
import { evalEnvTest, testVariables, type EnvVars } from '../common/envtest.js';
import type { CodeFact, EnvTest, FileFacts, ProjectFacts, Resolver, SettingValue } from '../types.js';
import { goModuleVersion } from './gomod.js';

type Scalar = string | number | boolean | null;

interface Default {
  framework: string;
  version?: string;
  note?: string;
}

function prefixOf(name: string): CookieObservation['prefix'] {
  const l = name.slice(0, 9).toLowerCase();
  if (l.startsWith('__secure-')) return '__Secure-';
  if (l.startsWith('__host-')) return '__Host-';
  return null;
}

// --- environments ----------------------------------------------------------------------------------------

const UNSET = 'variables unset';

interface EnvSet {
  name: string;
  vars: EnvVars;
  files: string[];
}

/** The environments in which to evaluate `test`: the .env files' environments, else one per compared value and unset. */
function environmentsFor(project: ProjectFacts, test: EnvTest): EnvSet[] {
  const variables = testVariables(test);
  const base: EnvVars = {};
  const baseFiles: string[] = [];
  const named = new Map<string, EnvSet>();
  for (const f of project.files) {
    if (f.inTestCode) continue;
    for (const fact of f.facts) {
      if (fact.type !== 'env-file' || fact.template) continue;
      if (!variables.some((v) => v in fact.variables)) continue;
      if (fact.environment === 'default' || fact.environment === 'local') {
        for (const v of variables) if (v in fact.variables) base[v] = fact.variables[v];
        baseFiles.push(f.file);
      } else {
        const e = named.get(fact.environment) ?? { name: fact.environment, vars: {}, files: [] };
        for (const v of variables) if (v in fact.variables) e.vars[v] = fact.variables[v];
        e.files.push(f.file);
        named.set(fact.environment, e);
      }
    }
  }
  const out: EnvSet[] = [];
  if (baseFiles.length > 0) out.push({ name: 'default', vars: { ...base }, files: baseFiles });
  for (const e of named.values())
    out.push({ name: e.name, vars: { ...base, ...e.vars }, files: [...baseFiles, ...e.files] });
  // The values the code itself compares with: the environment it was written for.
  const compared: [string, string][] = [];
  const walk = (t: EnvTest) => {
    if (t.op === 'eq' || t.op === 'ne') compared.push([t.variable, t.value]);
    else if (t.op === 'in') for (const v of t.values) compared.push([t.variable, v]);
    else if (t.op === 'not') walk(t.test);
    else if (t.op === 'and' || t.op === 'or') t.tests.forEach(walk);
  };
  walk(test);
  for (const [variable, value] of compared) {
    if (out.some((e) => e.vars[variable] === value)) continue;
    out.push({ name: `${variable}=${value}`, vars: { ...base, [variable]: value }, files: [] });
  }
  if (
    baseFiles.length === 0 &&
    !variables.every((v) => out.some((e) => e.vars[v] !== undefined && e.files.length > 0))
  )
    out.push({ name: UNSET, vars: {}, files: [] });
  return out;
}

// --- values → attributes ------------------------------------------------------------------------------

interface Setting {
  value: SettingValue;
  location?: CodeLocation;
  evidence?: string;
}

type Resolved =
  | { kind: 'const'; value: Scalar }
  | { kind: 'env'; perEnvironment: Record<string, Scalar | 'unknown'>; condition: string; files: string[] }
  | { kind: 'unknown'; reason: string };

function resolveValue(project: ProjectFacts, v: SettingValue): Resolved {
  if (v.kind === 'literal') return { kind: 'const', value: v.value };
  if (v.kind === 'conditional' && v.test) {
    const perEnvironment: Record<string, Scalar | 'unknown'> = {};
    const files = new Set<string>();
    for (const e of environmentsFor(project, v.test)) {
      const r = evalEnvTest(v.test, e.vars);
      perEnvironment[e.name] =
        r === undefined ? 'unknown' : r ? (v.whenTrue ?? true) : (v.whenFalse ?? false);
      e.files.forEach((f) => files.add(f));
    }
    return { kind: 'env', perEnvironment, condition: v.condition, files: [...files] };
  }
  if (v.kind === 'env')
    return { kind: 'unknown', reason: `it is read from the environment variable ${v.variable}` };
  if (v.kind === 'conditional') return { kind: 'unknown', reason: `it depends on ${v.condition}` };
  return { kind: 'unknown', reason: v.kind === 'unknown' ? `${v.expression}: ${v.reason}` : 'unresolved' };
}

function attr<T>(
  project: ProjectFacts,
  s: Setting | undefined,
  dflt: Scalar,
  def: Default,
  convert: (v: Scalar) => T,
  at: { location: CodeLocation; evidence: string },
): Attr<T> {
  if (!s) {
    const provenance: Provenance = {
      kind: 'framework-default',
      framework: def.framework,
      ...(def.version ? { version: def.version } : {}),
      ...(def.note ? { note: def.note } : {}),
    };
    return { value: convert(dflt), provenance, location: at.location, evidence: at.evidence };
  }
  const base = { location: s.location ?? at.location, evidence: s.evidence ?? at.evidence };
  const r = resolveValue(project, s.value);
  if (r.kind === 'const') return { value: convert(r.value), provenance: { kind: 'explicit' }, ...base };
  if (r.kind === 'unknown')
    return { value: 'unknown', provenance: { kind: 'unknown', reason: r.reason }, ...base };
  const perEnvironment: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r.perEnvironment))
    perEnvironment[k] = v === 'unknown' ? 'unknown' : convert(v);
  const values = new Set(Object.values(perEnvironment).map((x) => JSON.stringify(x)));
  const value =
    values.size === 1 && !values.has('"unknown"') ? (Object.values(perEnvironment)[0] as T) : 'unknown';
  return {
    value,
    provenance: {
      kind: 'env-dependent',
      condition: r.condition,
      perEnvironment,
      ...(r.files.length > 0 ? { resolvedFrom: r.files } : {}),
    },
    ...base,
  };
}

const toBool = (v: Scalar): boolean => v === true || v === 1 || v === 'true';
const toStr = (v: Scalar): string => (v === null ? '' : String(v));
function toSameSite(v: Scalar): SameSiteValue {
  if (v === null || v === '' || v === 'Default' || v === 0) return 'unset';
  if (typeof v !== 'string') return 'invalid';
  const s = v.toLowerCase();
  return s === 'lax' || s === 'strict' || s === 'none' ? s : 'invalid';
}

function lifetimeOf(
  project: ProjectFacts,
  maxAge: Setting | undefined,
  expires: Setting | undefined,
): CookieLifetime {
  const m = maxAge ? resolveValue(project, maxAge.value) : null;
  if (m?.kind === 'const' && typeof m.value === 'number' && m.value > 0) {
    return {
      kind: 'persistent',
      seconds: m.value,
      ...(m.value > MAX_LIFETIME_SECONDS ? { capped: true } : {}),
      ...(maxAge?.location ? { location: maxAge.location } : {}),
      ...(maxAge?.evidence ? { evidence: maxAge.evidence } : {}),
    };
  }
  if (expires) return { kind: 'unknown' };
  if (!m || (m.kind === 'const' && (m.value === 0 || m.value === null))) return { kind: 'session' };
  return { kind: 'unknown' };
}

// --- cookies set by code ------------------------------------------------------------------------------

type CookieSet = Extract<CodeFact, { type: 'cookie-set' }>;

const API_FRAMEWORK: Record<string, string> = { 'http.Cookie': 'go', gin: 'gin', echo: 'echo' };

function cookieSetObservation(project: ProjectFacts, file: FileFacts, f: CookieSet): CookieObservation {
  const framework = API_FRAMEWORK[f.api ?? ''] ?? 'go';
  const def: Default =
    f.api === 'gin'
      ? { framework: 'gin', version: goModuleVersion(project, 'github.com/gin-gonic/gin') }
      : { framework: 'net/http', note: 'the zero value of the http.Cookie field' };
  const at = { location: f.location, evidence: f.evidence };
  const s = (k: string): Setting | undefined =>
    f.options[k]
      ? {
          value: f.options[k]!,
          location: f.optionSites?.[k]?.location,
          evidence: f.optionSites?.[k]?.evidence,
        }
      : undefined;
  const nameExpr = (f.detail as { nameExpr?: string } | undefined)?.nameExpr;
  const name = f.name ?? `<${nameExpr ?? 'unknown'}>`;
  const o: CookieObservation = {
    kind: 'cookie',
    source: 'code',
    name,
    secure: attr(project, s('secure'), false, def, toBool, at),
    httpOnly: attr(project, s('httponly'), false, def, toBool, at),
    sameSite: attr(project, s('samesite'), null, def, toSameSite, at),
    lifetime: lifetimeOf(project, s('maxage'), s('expires')),
    prefix: prefixOf(name),
    classification: classifyCookie(name, undefined, {
      framework,
      setBy: 'server',
      ...(f.constantValue ? { constantValue: f.constantValue } : {}),
    }),
    deletion: f.deletion === true,
    setBy: 'server',
    framework,
    location: f.location,
    snippet: f.evidence,
    inTestCode: file.inTestCode,
    api: f.api ?? 'http.Cookie',
  };
  const domain = s('domain');
  if (domain && !(domain.value.kind === 'literal' && domain.value.value === ''))
    o.domain = attr(project, domain, null, def, toStr, at);
  const path = s('path');
  if (path) o.path = attr(project, path, null, def, toStr, at);
  return o;
}

// --- session libraries --------------------------------------------------------------------------------

type SessionEnabled = Extract<CodeFact, { type: 'session-enabled' }>;
type SettingFact = Extract<CodeFact, { type: 'setting' }>;

interface LibDefaults {
  label: string;
  module: string[];
  name: string | null;
  values: Record<string, Scalar>;
  category: 'session' | 'csrf';
}

const LIBS: Record<string, LibDefaults> = {
  'gorilla-sessions': {
    label: 'gorilla/sessions',
    module: ['github.com/gorilla/sessions'],
    name: null,
    values: { secure: false, httponly: false, samesite: null, path: '/', maxage: 86400 * 30, domain: '' },
    category: 'session',
  },
  'gin-sessions': {
    label: 'gin-contrib/sessions',
    module: ['github.com/gin-contrib/sessions'],
    name: null,
    values: { secure: false, httponly: false, samesite: null, path: '/', maxage: 86400 * 30, domain: '' },
    category: 'session',
  },
  scs: {
    label: 'alexedwards/scs',
    module: ['github.com/alexedwards/scs'],
    name: 'session',
    values: { secure: false, httponly: true, samesite: 'Lax', path: '/', domain: '', persist: true },
    category: 'session',
  },
  'gorilla-csrf': {
    label: 'gorilla/csrf',
    module: ['github.com/gorilla/csrf'],
    name: '_gorilla_csrf',
    values: { secure: true, httponly: true, samesite: 'Lax', path: '', maxage: 12 * 3600, domain: '' },
    category: 'csrf',
  },
};

/** Zero values a replaced Options struct gives the fields it leaves out. */
const ZERO: Record<string, Scalar> = {
  secure: false,
  httponly: false,
  samesite: null,
  path: '',
  maxage: 0,
  domain: '',
};

function sessionObservations(project: ProjectFacts): Observation[] {
  const out: Observation[] = [];
  const stores: { file: FileFacts; fact: SessionEnabled }[] = [];
  const settings = new Map<string, { file: FileFacts; fact: SettingFact }[]>();
  const names = new Map<string, { name: string; location: CodeLocation; evidence: string }[]>();
  const replaced = new Map<string, { fields: string[]; location: CodeLocation; evidence: string }>();
  const allSettings: { file: FileFacts; fact: SettingFact }[] = [];
  for (const { file, fact } of project.all()) {
    if (fact.type === 'session-enabled' && LIBS[fact.framework] && fact.objectId) stores.push({ file, fact });
    else if (fact.type === 'setting' && LIBS[fact.framework] && fact.scope?.objectId) {
      const l = settings.get(fact.scope.objectId) ?? [];
      l.push({ file, fact });
      settings.set(fact.scope.objectId, l);
      allSettings.push({ file, fact });
    } else if (fact.type === 'other' && fact.key === 'session-name' && LIBS[fact.framework]) {
      const d = fact.data as { objectId: string; name: string };
      const l = names.get(d.objectId) ?? [];
      l.push({ name: d.name, location: fact.location, evidence: fact.evidence });
      names.set(d.objectId, l);
    } else if (fact.type === 'other' && fact.key === 'options-replaced' && LIBS[fact.framework]) {
      const d = fact.data as { objectId: string; fields: string[] };
      replaced.set(d.objectId, { fields: d.fields, location: fact.location, evidence: fact.evidence });
    }
  }
  const storeIds = new Set(stores.map((s) => s.fact.objectId!));
  for (const { file, fact } of stores) {
    const lib = LIBS[fact.framework]!;
    const id = fact.objectId!;
    // Settings on this store; settings on an object no store claims go to the only store of the library.
    const sameLib = stores.filter((s) => s.fact.framework === fact.framework);
    const own = [...(settings.get(id) ?? [])];
    if (sameLib.length === 1) {
      for (const s of allSettings)
        if (!storeIds.has(s.fact.scope!.objectId!) && s.fact.framework === fact.framework) own.push(s);
    }
    own.sort((a, b) =>
      a.fact.location.file === b.fact.location.file ? a.fact.location.line - b.fact.location.line : 0,
    );
    const rep = replaced.get(id);
    const bySetting = new Map<string, Setting>();
    for (const s of own)
      bySetting.set(s.fact.key, {
        value: s.fact.value,
        location: s.fact.location,
        evidence: s.fact.evidence,
      });
    const version = goModuleVersion(project, ...lib.module);
    const defaults: Record<string, Scalar> = rep ? { ...lib.values, ...ZERO } : lib.values;
    const def: Default = rep
      ? {
          framework: lib.label,
          ...(version ? { version } : {}),
          note: 'left out of the Options struct that replaced the defaults: its zero value',
        }
      : { framework: lib.label, ...(version ? { version } : {}) };
    const at = { location: fact.location, evidence: fact.evidence };
    // Names: the Name settings, the names sessions are got with, else the library's default.
    const storeNames: { name: string; location: CodeLocation }[] = [];
    for (const s of own) {
      const v = s.fact.value;
      if (
        s.fact.key === 'name' &&
        v.kind === 'literal' &&
        typeof v.value === 'string' &&
        !storeNames.some((n) => n.name === v.value)
      )
        storeNames.push({ name: v.value, location: s.fact.location });
    }
    const sameLibNames =
      sameLib.length === 1
        ? [...names.entries()].filter(([k]) => !storeIds.has(k)).flatMap(([, v]) => v)
        : [];
    for (const n of [...(names.get(id) ?? []), ...sameLibNames])
      if (!storeNames.some((x) => x.name === n.name)) storeNames.push({ name: n.name, location: n.location });
    if (storeNames.length === 0)
      storeNames.push({ name: lib.name ?? `<${lib.label} session>`, location: fact.location });
    const detail = fact.detail as { spread?: boolean } | undefined;
    for (const n of storeNames) {
      const a = <T>(k: string, convert: (v: Scalar) => T): Attr<T> => {
        if (detail?.spread && !bySetting.has(k))
          return {
            value: 'unknown',
            provenance: {
              kind: 'unknown',
              reason: 'options are passed as a spread slice the scanner cannot read',
            },
            location: fact.location,
            evidence: fact.evidence,
          };
        return attr(project, bySetting.get(k), defaults[k] ?? null, def, convert, at);
      };
      const classification: CookieClassification = {
        category: lib.category,
        reason: `${n.name} is the ${lib.category === 'csrf' ? 'CSRF token cookie' : 'session cookie'} of ${lib.label} (${fact.api ?? 'store'})`,
        framework: fact.framework,
        confidence: 'high',
      };
      const maxAgeSet = bySetting.get('maxage');
      let lifetime: CookieLifetime;
      if (fact.framework === 'scs') {
        const p = bySetting.get('persist');
        const persist = p ? resolveValue(project, p.value) : { kind: 'const' as const, value: true };
        lifetime =
          persist.kind === 'const' && persist.value === false
            ? { kind: 'session' }
            : persist.kind === 'const'
              ? { kind: 'persistent', seconds: 86400 }
              : { kind: 'unknown' };
      } else {
        lifetime = lifetimeOf(
          project,
          maxAgeSet ?? { value: { kind: 'literal', value: defaults.maxage ?? 0 }, location: fact.location },
          undefined,
        );
      }
      const o: CookieObservation = {
        kind: 'cookie',
        source: 'code',
        name: n.name,
        secure: a('secure', toBool),
        httpOnly: a('httponly', toBool),
        sameSite: a('samesite', toSameSite),
        lifetime,
        prefix: prefixOf(n.name),
        classification,
        deletion: false,
        setBy: 'server',
        framework: fact.framework,
        location: fact.location,
        snippet: fact.evidence,
        inTestCode: file.inTestCode,
        api: fact.api ?? fact.framework,
      };
      const dom = bySetting.get('domain');
      if (dom && !(dom.value.kind === 'literal' && dom.value.value === ''))
        o.domain = attr(project, dom, null, def, toStr, at);
      const path = a('path', toStr);
      o.path = path;
      out.push(o);
    }
  }
  return out;
}

export function resolveGo(project: ProjectFacts): Observation[] {
  const out: Observation[] = [];
  for (const { file, fact } of project.all()) {
    if (fact.type === 'cookie-set' && fact.framework === 'go')
      out.push(cookieSetObservation(project, file, fact));
  }
  out.push(...sessionObservations(project));
  return out;
}

export const goResolver: Resolver = { name: 'go', resolve: resolveGo };
