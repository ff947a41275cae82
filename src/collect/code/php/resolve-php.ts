/**
 * Plain PHP sessions and cookies, project-wide.
 *
 * Which setting wins for a session started by session_start() S (PHP_INI_ALL settings; php-src
 * main/php_ini.c, ext/session/session.c, PHP 8.2):
 *   1. S's own options array (session_start(['cookie_secure' => ...]))
 *   2. run-time settings executed before S: ini_set(), session_set_cookie_params(), session_name()
 *      earlier in S's file, in files it includes before S, or in the file that includes S's file
 *      before the include; ini_set() after S does nothing for S ("Session ini settings cannot be
 *      changed when a session is active"). A run-time setting in a file no include links to S is
 *      assumed to run first when it is the only one; several that disagree make the value unknown.
 *   3. per-directory settings: .user.ini (CGI/FastCGI) or .htaccess php_flag/php_value (mod_php)
 *      in S's directory or a parent, nearest first
 *   4. php.ini (and conf.d/*.ini) kept in the repository; several for different environments
 *      (docker/prod/php.ini, php.development.ini ...) make the value environment-dependent
 *   5. PHP's built-in default (session.cookie_secure=0, cookie_httponly=0, cookie_samesite="")
 * session.auto_start=1 starts the session before any script runs: only 3-5 apply.
 */
import type {
  Attr,
  CodeLocation,
  CookieClassification,
  CookieObservation,
  Observation,
  ProxyTrustObservation,
  SameSiteValue,
  SecureValue,
  SessionIdInUrlObservation,
  SettingObservation,
} from '../../../model/observation.js';
import type { ConstantKind, FileFacts, ProjectFacts, Resolver } from '../types.js';
import { expiryLike } from './code.js';
import { cookieSites, type CookieSite } from './wrappers.js';
import type {
  PhpConfigArray,
  PhpConfigGetter,
  PhpCookieDetail,
  PhpIncludeDetail,
  PhpLocalCallDetail,
  PhpSchemeFunction,
  PhpRefererFunction,
} from './code.js';
import {
  attrOf,
  interpret,
  numberOf,
  relativeSeconds,
  resolveCond,
  resolveDeferred,
  SchemeFunctions,
  secureCollapse,
  type Interp,
  type InterpretContext,
  type RequestSource,
  type Semantics,
} from './interpret.js';
import { SESSION_INI_DEFAULTS } from './keys.js';
import { prefixOf } from '../common/cookie.js';
import {
  baseOf,
  byLocation,
  classifyFor,
  deploymentEvidence,
  terminatesTls,
  defaultAttr,
  dirOf,
  envFiles,
  explicit,
  lifetimeOfSeconds,
  sameSiteOf,
  unknownAttr,
  type EnvFile,
} from './resolve-common.js';
import {
  atoi,
  iniBool,
  phpTruthy,
  toIniString,
  type Cond,
  type Literal,
  type PhpFunctionInfo,
  type PhpSettingDetail,
  type PhpValue,
} from './values.js';

const RUNTIME_VIAS = new Set(['ini_set', 'session_set_cookie_params', 'session_name']);
const PERDIR_VIAS = new Set(['.user.ini', 'htaccess']);
const TYPED_VIAS = new Set(['session_set_cookie_params', 'session_name']);

export interface PhpSetting {
  key: string;
  via: string;
  value: PhpValue;
  location: CodeLocation;
  evidence: string;
  ff: FileFacts;
  objectId?: string;
  /** ini detail: the value was written without quotes. */
  unquoted?: boolean;
  /** The function the setting is made in (its parameters' defaults apply). */
  fn?: PhpFunctionInfo;
}

interface Start {
  ff: FileFacts;
  location: CodeLocation;
  evidence: string;
  objectId: string;
  autoStart: boolean;
  optionsUnknown: boolean;
  synthetic?: boolean;
}

type Decision =
  | { kind: 'setting'; s: PhpSetting; note?: string }
  | { kind: 'default' }
  | { kind: 'unknown'; reason: string; location?: CodeLocation; evidence?: string }
  | { kind: 'env-choice'; options: { label: string; s: PhpSetting | null }[]; condition: string };

interface Event {
  pos: CodeLocation;
  setting?: PhpSetting;
  include?: string;
  paramsUnknown?: boolean;
  /** A call of a function of the same file: the events of its body run here. */
  localCall?: PhpLocalCallDetail['body'];
}

export interface PhpModel {
  settings: PhpSetting[];
  starts: Start[];
  events: Map<string, Event[]>;
  /** Files some scanned file includes. */
  included: Set<string>;
  fileFacts: Map<string, FileFacts>;
  constants: Map<string, PhpValue[]>;
  env: EnvFile[];
  trustedProxies: { location: CodeLocation; value: PhpValue }[];
  /** Request-scheme helpers (is_ssl() ...). */
  functions: SchemeFunctions;
  /** Folders holding a composer.json / composer.lock. */
  composerDirs: Set<string>;
  project: ProjectFacts;
}

export function buildPhpModel(project: ProjectFacts): PhpModel {
  const settings: PhpSetting[] = [];
  const starts: Start[] = [];
  const events = new Map<string, Event[]>();
  const fileFacts = new Map<string, FileFacts>();
  const constants = new Map<string, PhpValue[]>();
  const trustedProxies: PhpModel['trustedProxies'] = [];
  const functions = new SchemeFunctions();
  const composerDirs = new Set<string>();
  const unknownOptions = new Set<string>();
  const pushEvent = (file: string, e: Event): void => {
    const list = events.get(file);
    if (list) list.push(e);
    else events.set(file, [e]);
  };
  for (const ff of project.files) fileFacts.set(ff.file, ff);
  for (const { fact } of project.all()) {
    if (fact.type === 'other' && fact.framework === 'php' && fact.key === 'session-start-options-unknown') {
      unknownOptions.add((fact.data as { objectId: string }).objectId);
    }
  }
  for (const { file: ff, fact } of project.all()) {
    if (fact.type === 'dependency' && fact.ecosystem === 'composer') composerDirs.add(dirOf(ff.file));
    if (fact.type === 'setting' && fact.framework === 'php') {
      const d = fact.detail as (PhpSettingDetail & { quoted?: boolean }) | undefined;
      const s: PhpSetting = {
        key: fact.key,
        via: fact.via ?? 'php.ini',
        value: d?.value ?? { kind: 'unknown', expression: fact.evidence, reason: 'no detail' },
        location: fact.location,
        evidence: fact.evidence,
        ff,
      };
      if (fact.scope?.objectId) s.objectId = fact.scope.objectId;
      if (d && d.quoted === false) s.unquoted = true;
      if (d?.fn) s.fn = d.fn;
      settings.push(s);
      if (RUNTIME_VIAS.has(s.via)) pushEvent(ff.file, { pos: s.location, setting: s });
    } else if (fact.type === 'session-enabled' && fact.framework === 'php') {
      const objectId = fact.objectId ?? `${ff.file}:${fact.location.line}`;
      starts.push({
        ff,
        location: fact.location,
        evidence: fact.evidence,
        objectId,
        autoStart: objectId.startsWith('auto_start@'),
        optionsUnknown: unknownOptions.has(objectId),
      });
    } else if (fact.type === 'other' && fact.framework === 'php') {
      if (fact.key === 'include')
        pushEvent(ff.file, { pos: fact.location, include: (fact.data as PhpIncludeDetail).target });
      else if (fact.key === 'cookie-params-unknown')
        pushEvent(ff.file, { pos: fact.location, paramsUnknown: true });
      else if (fact.key === 'local-call')
        pushEvent(ff.file, { pos: fact.location, localCall: (fact.data as PhpLocalCallDetail).body });
      else if (fact.key === 'constant') {
        const d = fact.data as { name: string; value: PhpValue };
        // A namespaced constant (`define('App\\HTTPS', ...)`) is used by its short name inside its namespace.
        const names = d.name.includes('\\') ? [d.name, d.name.slice(d.name.lastIndexOf('\\') + 1)] : [d.name];
        for (const n of names) {
          const list = constants.get(n);
          if (list) list.push(d.value);
          else constants.set(n, [d.value]);
        }
      } else if (fact.key === 'trusted-proxies') {
        trustedProxies.push({ location: fact.location, value: (fact.data as { value: PhpValue }).value });
      } else if (fact.key === 'scheme-function' && !ff.inTestCode) {
        const d = fact.data as PhpSchemeFunction;
        functions.add(d.name, d.cls, d.source);
      } else if (fact.key === 'referer-function' && !ff.inTestCode) {
        const d = fact.data as PhpRefererFunction;
        functions.addReferer(d.name, d.cls);
      } else if (fact.key === 'config-getter' && !ff.inTestCode) {
        functions.addConfigGetter(fact.data as PhpConfigGetter);
      } else if (fact.key === 'config-array' && !ff.inTestCode) {
        functions.addConfigArray(ff.file, (fact.data as PhpConfigArray).entries);
      }
    }
  }
  for (const list of events.values()) list.sort((a, b) => byLocation(a.pos, b.pos));
  const included = new Set<string>();
  for (const list of events.values())
    for (const e of list) if (e.include !== undefined) included.add(e.include);
  starts.sort((a, b) => byLocation(a.location, b.location));
  return {
    settings,
    starts,
    events,
    included,
    fileFacts,
    constants,
    env: envFiles(project),
    trustedProxies,
    functions,
    composerDirs,
    project,
  };
}

// ---------------------------------------------------------------------------------------------
// Which setting decides a key for a session start

function before(a: CodeLocation, b: CodeLocation): boolean {
  return a.line < b.line || (a.line === b.line && a.column < b.column);
}

/** Run-time events executed before `until` in `file`, following includes (bounded). */
function executedBefore(
  m: PhpModel,
  file: string,
  until: CodeLocation | null,
  seen: Set<string>,
  depth: number,
): Event[] {
  if (depth > 6 || seen.has(file)) return [];
  seen.add(file);
  const out: Event[] = [];
  for (const e of m.events.get(file) ?? []) {
    if (until && !before(e.pos, until)) break;
    if (e.include !== undefined) out.push(...executedBefore(m, e.include, null, seen, depth + 1));
    else if (e.localCall) out.push(...eventsOfBody(m, file, e.localCall, 0));
    else out.push(e);
  }
  return out;
}

/** The events of a function body of `file` (its settings, and the bodies of the local functions it calls). */
function eventsOfBody(m: PhpModel, file: string, body: PhpLocalCallDetail['body'], depth: number): Event[] {
  if (depth > 4) return [];
  const out: Event[] = [];
  for (const e of m.events.get(file) ?? []) {
    if (before(e.pos, body.start) || !before(e.pos, body.end)) continue;
    if (e.localCall) out.push(...eventsOfBody(m, file, e.localCall, depth + 1));
    else if (e.include === undefined) out.push(e);
  }
  return out;
}

/** Files that include `file`, with the include's position. */
function includers(m: PhpModel, file: string): { file: string; pos: CodeLocation }[] {
  const out: { file: string; pos: CodeLocation }[] = [];
  for (const [f, list] of m.events)
    for (const e of list) if (e.include === file) out.push({ file: f, pos: e.pos });
  return out;
}

function runtimeDecision(m: PhpModel, start: Start, key: string, cookieKey: boolean): Decision | null {
  const own = executedBefore(m, start.ff.file, start.location, new Set(), 0);
  const callers = includers(m, start.ff.file);
  let prefix: Event[] = [];
  let callerNote = '';
  if (callers.length > 0) {
    const lists = callers.map((c) => executedBefore(m, c.file, c.pos, new Set([start.ff.file]), 1));
    const lastFor = (l: Event[]): string => {
      const s = [...l].reverse().find((e) => e.setting?.key === key)?.setting;
      return s ? `${s.location.file}:${s.location.line}` : '';
    };
    const keys = new Set(lists.map(lastFor));
    if (keys.size === 1) prefix = lists[0]!;
    else {
      return {
        kind: 'unknown',
        reason: `${key} is set differently by the files that include ${start.ff.file} (${callers.map((c) => c.file).join(', ')})`,
      };
    }
    if (prefix.length)
      callerNote = ` (in ${callers.map((c) => c.file).join(', ')}, which include${callers.length > 1 ? '' : 's'} ${start.ff.file})`;
  }
  const seq = [...prefix, ...own];
  for (let i = seq.length - 1; i >= 0; i--) {
    const e = seq[i]!;
    if (e.paramsUnknown && cookieKey) {
      return {
        kind: 'unknown',
        reason: 'session_set_cookie_params() is called with values the scanner cannot resolve',
        location: e.pos,
      };
    }
    if (e.setting && e.setting.key === key) {
      const d: Decision = { kind: 'setting', s: e.setting };
      if (e.setting.ff.file !== start.ff.file)
        d.note = callerNote || ` (in ${e.setting.ff.file}, included before session_start())`;
      return d;
    }
  }
  // Not linked by includes: run-time settings in files that no scanned file includes (their reach is
  // not known: auto_prepend_file, a computed include path) and that are not after a session_start.
  // A file that is included somewhere applies through those includes only.
  const firstStartIn = new Map<string, CodeLocation>();
  for (const s of m.starts)
    if (!s.autoStart && !firstStartIn.has(s.ff.file)) firstStartIn.set(s.ff.file, s.location);
  // Only within the start's composer project: another application's settings never run for it.
  const project = composerRootOf(m, start.ff.file);
  const global = m.settings.filter((s) => {
    if (s.key !== key || !RUNTIME_VIAS.has(s.via) || s.ff.file === start.ff.file) return false;
    if (m.included.has(s.ff.file) || composerRootOf(m, s.ff.file) !== project) return false;
    const fs = firstStartIn.get(s.ff.file);
    return !fs || before(s.location, fs);
  });
  if (global.length === 0) return null;
  const distinct = new Map<string, PhpSetting>();
  for (const s of global) {
    const k = JSON.stringify(s.value);
    if (!distinct.has(k)) distinct.set(k, s);
  }
  if (distinct.size === 1) {
    return {
      kind: 'setting',
      s: global[0]!,
      note: ` (in ${global[0]!.ff.file}; assumed to run before session_start() in ${start.ff.file})`,
    };
  }
  return {
    kind: 'unknown',
    reason: `${key} is set differently in ${global.map((s) => `${s.location.file}:${s.location.line}`).join(', ')}; which runs before session_start() in ${start.ff.file} is not visible in the code`,
  };
}

function isAncestorDir(dir: string, of: string): boolean {
  return dir === '' || of === dir || of.startsWith(dir + '/');
}

function perDirDecision(m: PhpModel, fileDir: string, key: string): Decision | null {
  const cands = m.settings.filter(
    (s) => s.key === key && PERDIR_VIAS.has(s.via) && isAncestorDir(dirOf(s.ff.file), fileDir),
  );
  if (!cands.length) return null;
  cands.sort(
    (a, b) => dirOf(b.ff.file).length - dirOf(a.ff.file).length || byLocation(b.location, a.location),
  );
  return { kind: 'setting', s: cands[0]! };
}

/** Environment a php.ini belongs to, from its path: docker/prod/php.ini, php.production.ini, php-dev.ini. */
export function iniEnvironment(file: string): string | null {
  for (const seg of file.toLowerCase().split(/[/._-]+/)) {
    if (seg === 'prod' || seg === 'production' || seg === 'live') return 'production';
    if (seg === 'dev' || seg === 'development' || seg === 'local') return 'development';
    if (seg === 'staging' || seg === 'stage') return 'staging';
    if (seg === 'test' || seg === 'testing' || seg === 'ci') return 'test';
  }
  return null;
}

/** php.ini precedence: a conf.d/*.ini after the php.ini beside it, alphabetically; the last line wins. */
function iniOrder(a: PhpSetting, b: PhpSetting): number {
  const ka = (baseOf(a.ff.file) === 'php.ini' ? '0' : '1') + a.ff.file;
  const kb = (baseOf(b.ff.file) === 'php.ini' ? '0' : '1') + b.ff.file;
  if (ka !== kb) return ka < kb ? -1 : 1;
  return a.location.line - b.location.line;
}

/**
 * php.ini files for a session of the folder `dir`: those of its composer project and of the folders above
 * it (a repository-wide docker/php.ini), not those of another application of the tree.
 */
function iniDecision(m: PhpModel, key: string, dir: string): Decision | null {
  const project = composerRootOf(m, `${dir}/x`.replace(/^\//, ''));
  const all = m.settings
    .filter((s) => s.key === key && s.via === 'php.ini' && appliesTo(composerRootOf(m, s.ff.file), project))
    .sort(iniOrder);
  if (!all.length) return null;
  const groups = new Map<string | null, PhpSetting[]>();
  for (const s of all) {
    const env = iniEnvironment(s.ff.file);
    const g = groups.get(env);
    if (g) g.push(s);
    else groups.set(env, [s]);
  }
  const base = groups.get(null);
  const envs = [...groups.keys()].filter((k): k is string => k !== null);
  if (envs.length === 0) {
    const distinct = new Set(base!.map((s) => JSON.stringify(s.value)));
    const dirs = new Set(base!.map((s) => dirOf(s.ff.file)));
    if (distinct.size > 1 && dirs.size > 1) {
      return {
        kind: 'env-choice',
        condition: `which php.ini is deployed (${[...new Set(base!.map((s) => s.ff.file))].join(', ')})`,
        options: base!.map((s) => ({ label: s.ff.file, s })),
      };
    }
    return { kind: 'setting', s: base![base!.length - 1]! };
  }
  const options: { label: string; s: PhpSetting | null }[] = envs.map((env) => {
    const g = groups.get(env)!;
    return { label: env, s: g[g.length - 1]! };
  });
  const baseLast = base ? base[base.length - 1]! : null;
  if (!options.some((o) => o.label === 'production') || !options.some((o) => o.label !== 'production')) {
    options.push({ label: 'other environments', s: baseLast });
  }
  if (options.length === 1) return { kind: 'setting', s: options[0]!.s! };
  return { kind: 'env-choice', condition: 'the php.ini of each environment', options };
}

/**
 * The decision for a key, noting the lower-precedence setting it overrides when that one says
 * something else (`ini_set()` over php.ini, session_start() options over ini_set() ...).
 */
export function decide(m: PhpModel, start: Start, key: string): Decision {
  const d = decideRaw(m, start, key);
  if (d.kind !== 'setting') return d;
  const lower = [
    perDirDecision(m, dirOf(start.ff.file), key),
    iniDecision(m, key, dirOf(start.ff.file)),
  ].find(
    (x): x is Extract<Decision, { kind: 'setting' }> =>
      !!x && x.kind === 'setting' && x.s !== d.s && levelOf(x.s.via) > levelOf(d.s.via),
  );
  if (lower && JSON.stringify(lower.s.value) !== JSON.stringify(d.s.value)) {
    d.note = `${d.note ?? ''} (overrides ${lower.s.location.file}:${lower.s.location.line}: ${lower.s.evidence})`;
  }
  return d;
}

/** Precedence level: lower runs later and wins. */
function levelOf(via: string): number {
  if (via === 'session_start') return 1;
  if (RUNTIME_VIAS.has(via)) return 2;
  if (PERDIR_VIAS.has(via)) return 3;
  return 4;
}

function decideRaw(m: PhpModel, start: Start, key: string): Decision {
  const cookieKey = key.startsWith('session.cookie_');
  if (!start.autoStart) {
    const opt = m.settings.filter(
      (s) => s.via === 'session_start' && s.objectId === start.objectId && s.key === key,
    );
    if (opt.length) return { kind: 'setting', s: opt[opt.length - 1]! };
    if (start.optionsUnknown) {
      return {
        kind: 'unknown',
        reason: 'session_start() options could not be resolved',
        location: start.location,
        evidence: start.evidence,
      };
    }
    const r = runtimeDecision(m, start, key, cookieKey);
    if (r) return r;
  }
  return (
    perDirDecision(m, dirOf(start.ff.file), key) ??
    iniDecision(m, key, dirOf(start.ff.file)) ?? { kind: 'default' }
  );
}

/** The ini-level decision (no session_start in sight): per-directory files at the root, then php.ini. */
export function decideIniOnly(m: PhpModel, key: string, dir = ''): Decision {
  return perDirDecision(m, dir, key) ?? iniDecision(m, key, dir) ?? { kind: 'default' };
}

// ---------------------------------------------------------------------------------------------
// Attributes

function boolSem(via: string): Semantics<boolean> {
  return TYPED_VIAS.has(via) ? (v: Literal) => phpTruthy(v) : (v: Literal) => iniBool(toIniString(v));
}
const strSem: Semantics<string> = (v) => toIniString(v);
function intSem(via: string): Semantics<number> {
  return (v) => (TYPED_VIAS.has(via) && typeof v === 'number' ? Math.trunc(v) : atoi(toIniString(v)));
}

function envFor(m: PhpModel, file: string): EnvFile[] {
  const d = dirOf(file);
  return m.env.filter((e) => isAncestorDir(e.dir, d));
}

/**
 * How values of a file are interpreted: its .env files, the project's constants and request-scheme
 * helpers and, inside a function, the parameters' defaults (what runs unless a call passes something else).
 */
export function ctxFor(m: PhpModel, file: string, fn?: PhpFunctionInfo): InterpretContext {
  const ctx: InterpretContext = { envFiles: envFor(m, file), constants: m.constants, functions: m.functions };
  if (fn) {
    ctx.bindings = fn.params.map((p) => p.default);
    ctx.selfClass = fn.cls;
  }
  return ctx;
}

export interface DecidedAttr<T> {
  attr: Attr<T | 'auto'>;
  /** The request-scheme source when the value follows the request. */
  request?: RequestSource;
  isDefault: boolean;
}

function settingInterp<T>(
  m: PhpModel,
  s: PhpSetting,
  sem: (via: string) => Semantics<T>,
  dflt: T,
): Interp<T> {
  return interpret(s.value, sem(s.via), ctxFor(m, s.ff.file, s.fn), () => ({ kind: 'value', value: dflt }));
}

export function decisionAttr<T>(
  m: PhpModel,
  d: Decision,
  sem: (via: string) => Semantics<T>,
  dflt: T,
  defaultNote: string,
  collapse?: (entries: { label: string; value: T | 'auto' | 'unknown' }[]) => T | 'auto' | null,
): DecidedAttr<T> {
  if (d.kind === 'default')
    return { attr: defaultAttr<T | 'auto'>(dflt, 'php', defaultNote, undefined), isDefault: true };
  if (d.kind === 'unknown')
    return { attr: unknownAttr<T | 'auto'>(d.reason, d.location, d.evidence), isDefault: false };
  if (d.kind === 'env-choice') {
    const perEnv = d.options.map((o) => {
      const x = o.s ? settingInterp(m, o.s, sem, dflt) : ({ kind: 'value', value: dflt } as Interp<T>);
      const value: T | 'auto' | 'unknown' =
        x.kind === 'value' ? x.value : x.kind === 'auto' ? 'auto' : 'unknown';
      const e: { label: string; value: T | 'auto' | 'unknown'; file?: string; fromDefault: boolean } = {
        label: o.label,
        value,
        fromDefault: false,
      };
      if (o.s) e.file = o.s.ff.file;
      return e;
    });
    const first = d.options.find((o) => o.s)?.s;
    const x: Interp<T> = { kind: 'per-env', condition: d.condition, res: { perEnv } };
    return {
      attr: attrOf(
        x,
        { location: first?.location, evidence: first?.evidence },
        () => defaultAttr<T | 'auto'>(dflt, 'php', defaultNote, undefined),
        collapse,
      ),
      isDefault: false,
    };
  }
  const s = d.s;
  const x = settingInterp(m, s, sem, dflt);
  const evidence = s.evidence + (d.note ?? '');
  const out: DecidedAttr<T> = {
    attr: attrOf(
      x,
      { location: s.location, evidence },
      () => defaultAttr<T | 'auto'>(dflt, 'php', defaultNote, undefined),
      collapse,
    ),
    isDefault: false,
  };
  if (x.kind === 'auto') out.request = x.source;
  return out;
}

function noAuto<T>(a: Attr<T | 'auto'>, what: string): Attr<T> {
  if (a.value === 'auto')
    return {
      ...a,
      value: 'unknown',
      provenance: { kind: 'unknown', reason: `${what} follows the request scheme` },
    } as Attr<T>;
  return a as Attr<T>;
}

// ---------------------------------------------------------------------------------------------
// Observations

const PHP_NOTE = 'PHP built-in default (php-src ext/session/session.c)';

interface SessionConfig {
  name: Attr<string>;
  secure: DecidedAttr<boolean>;
  httpOnly: DecidedAttr<boolean>;
  sameSite: Attr<SameSiteValue> & { raw?: string };
  domain?: Attr<string>;
  path: Attr<string>;
  lifetime: ReturnType<typeof lifetimeOfSeconds>;
}

function sessionConfig(m: PhpModel, decideKey: (key: string) => Decision): SessionConfig {
  const nameD = decisionAttr(
    m,
    decideKey('session.name'),
    () => strSem,
    'PHPSESSID',
    `${PHP_NOTE}: session.name = PHPSESSID`,
  );
  const secure = decisionAttr(
    m,
    decideKey('session.cookie_secure'),
    boolSem,
    false,
    `${PHP_NOTE}: session.cookie_secure = 0`,
    secureCollapse,
  );
  const httpOnly = decisionAttr(
    m,
    decideKey('session.cookie_httponly'),
    boolSem,
    false,
    `${PHP_NOTE}: session.cookie_httponly = 0`,
  );
  const ssDecision = decideKey('session.cookie_samesite');
  const ss = decisionAttr(
    m,
    ssDecision,
    () => strSem,
    '',
    `${PHP_NOTE}: session.cookie_samesite = "" (no SameSite attribute)`,
  );
  const domainD = decisionAttr(m, decideKey('session.cookie_domain'), () => strSem, '', PHP_NOTE);
  const pathD = decisionAttr(m, decideKey('session.cookie_path'), () => strSem, '/', PHP_NOTE);
  const lifeD = decisionAttr(m, decideKey('session.cookie_lifetime'), intSem, 0, PHP_NOTE);

  const ssValue = ss.attr.value;
  const sameSite: Attr<SameSiteValue> & { raw?: string } = {
    ...(ss.attr as unknown as Attr<SameSiteValue>),
    value: ssValue === 'unknown' || ssValue === 'auto' ? 'unknown' : sameSiteOf(ssValue),
  };
  if (typeof ssValue === 'string' && ssValue !== 'unknown' && ssValue !== 'auto' && ssValue !== '')
    sameSite.raw = ssValue;
  if (
    ssDecision.kind === 'setting' &&
    ssValue === '' &&
    ssDecision.s.unquoted &&
    /=\s*none\b/i.test(ssDecision.s.evidence)
  ) {
    sameSite.evidence = `${ssDecision.s.evidence} (PHP reads an unquoted None as an empty value: no SameSite attribute is sent; write "None")`;
  }
  const out: SessionConfig = {
    name: noAuto(nameD.attr, 'session.name'),
    secure,
    httpOnly,
    sameSite,
    path: noAuto(pathD.attr, 'session.cookie_path'),
    lifetime:
      typeof lifeD.attr.value === 'number' ? lifetimeOfSeconds(lifeD.attr.value) : { kind: 'unknown' },
  };
  if (domainD.attr.value !== '' && !domainD.isDefault)
    out.domain = noAuto(domainD.attr, 'session.cookie_domain');
  return out;
}

function nameOf(a: Attr<string>): string {
  return typeof a.value === 'string' && a.value !== 'unknown' && a.value !== '' ? a.value : '<session.name>';
}

function withDefaultLocation<T>(a: Attr<T>, loc: CodeLocation, evidence: string): Attr<T> {
  if (a.location) return a;
  return { ...a, location: loc, evidence: a.evidence ?? evidence };
}

/** Is any trusted proxy configured in code (Request::setTrustedProxies with a non-empty list)? */
export function trustsProxies(list: { value: PhpValue }[]): boolean {
  return list.some(
    (t) =>
      !(t.value.kind === 'literal' && !phpTruthy(t.value.value)) &&
      !(t.value.kind === 'array' && t.value.entries.length === 0 && !t.value.open),
  );
}

export function buildSessionObservations(
  m: PhpModel,
  targets: { start: Start; decideKey: (key: string) => Decision }[],
  framework: string,
): Observation[] {
  const out: Observation[] = [];
  const groups = new Map<string, { starts: Start[]; cfg: SessionConfig }>();
  for (const t of targets) {
    const cfg = sessionConfig(m, t.decideKey);
    const key = JSON.stringify(cfg);
    const g = groups.get(key);
    if (g) g.starts.push(t.start);
    else groups.set(key, { starts: [t.start], cfg });
  }
  for (const { starts, cfg } of groups.values()) {
    const rep = starts.find((s) => !s.ff.inTestCode) ?? starts[0]!;
    const inTestCode = starts.every((s) => s.ff.inTestCode);
    const where =
      starts.length > 1
        ? `${rep.evidence} (and ${starts.length - 1} other session start${starts.length > 2 ? 's' : ''})`
        : rep.evidence;
    const name = nameOf(cfg.name);
    const secure = withDefaultLocation(cfg.secure.attr, rep.location, where) as Attr<SecureValue>;
    const obs: CookieObservation = {
      kind: 'cookie',
      source: 'code',
      name,
      secure,
      httpOnly: withDefaultLocation(
        noAuto(cfg.httpOnly.attr, 'session.cookie_httponly'),
        rep.location,
        where,
      ),
      sameSite: withDefaultLocation(cfg.sameSite, rep.location, where),
      path: cfg.path,
      lifetime: cfg.lifetime,
      prefix: prefixOf(name),
      classification: classifyFor(
        name,
        framework,
        framework === 'php' ? "PHP's session module (session.name)" : framework,
      ),
      deletion: false,
      setBy: 'server',
      framework,
      location: rep.location,
      snippet: rep.evidence,
      inTestCode,
      api: 'session',
    };
    if (cfg.domain) obs.domain = cfg.domain;
    out.push(obs);
    const req = cfg.secure.request;
    if (
      (req === 'server' || (req === 'framework' && !trustsProxies(m.trustedProxies))) &&
      !terminatesTls(m.project, composerRootOf(m, rep.ff.file))
    ) {
      out.push(
        proxyObservation(
          framework,
          name,
          secure.location ?? rep.location,
          secure.evidence ?? rep.evidence,
          inTestCode,
          req,
          deploymentEvidence(m.project, composerRootOf(m, rep.ff.file)),
        ),
      );
    }
  }
  return out;
}

/**
 * Secure follows the request scheme and the app does not trust a proxy: behind a TLS-terminating proxy
 * the cookie is set without Secure. `proxyEvidence` names the repository's evidence of such a proxy
 * (then the finding is medium; low and conditional without it).
 */
export function proxyObservation(
  framework: string,
  cookie: string,
  location: CodeLocation,
  evidence: string,
  inTestCode: boolean,
  source: RequestSource,
  proxyEvidence?: string,
): ProxyTrustObservation {
  const why =
    source === 'server'
      ? "Secure follows $_SERVER['HTTPS'], which is not set when a TLS-terminating proxy forwards plain HTTP (unless the web server maps X-Forwarded-Proto to HTTPS)"
      : 'Secure follows the request scheme, which behind a TLS-terminating proxy is only seen when the proxy is trusted';
  return {
    kind: 'proxy-trust',
    source: 'code',
    framework,
    cookie,
    situation: 'auto-without-trust',
    location,
    evidence: `${evidence}: ${why}`,
    snippet: evidence,
    inTestCode,
    consequence:
      source === 'server'
        ? 'the session cookie is sent without Secure whenever PHP sees plain HTTP, which behind a TLS-terminating proxy is every request'
        : 'the session cookie is sent without Secure whenever the app believes the request is plain HTTP, which behind an untrusted TLS-terminating proxy is every request',
    ...(proxyEvidence ? { proxyEvidence } : {}),
  };
}

/** A setting of the composer project `from` applies to `to`: the same project, or one of its folders above. */
function appliesTo(from: string, to: string): boolean {
  return from === to || from === '' || to.startsWith(from + '/');
}

/** The folder of the composer project a file belongs to (the nearest composer.json above it), else the root. */
export function composerRootOf(m: PhpModel, file: string): string {
  for (let d = dirOf(file); ; d = dirOf(d)) {
    if (m.composerDirs.has(d) || d === '') return d;
  }
}

function urlObservations(
  m: PhpModel,
  targets: { start: Start; decideKey: (key: string) => Decision }[],
  framework: string,
): Observation[] {
  const out: Observation[] = [];
  const seen = new Set<string>();
  for (const t of targets) {
    const onlyD = t.decideKey('session.use_only_cookies');
    const only = decisionAttr(m, onlyD, boolSem, true, PHP_NOTE);
    if (only.attr.value !== false || !only.attr.location) continue;
    const k = `${only.attr.location.file}:${only.attr.location.line}`;
    if (seen.has(k)) continue;
    seen.add(k);
    const trans = decisionAttr(m, t.decideKey('session.use_trans_sid'), boolSem, false, PHP_NOTE);
    const name = nameOf(
      noAuto(
        decisionAttr(m, t.decideKey('session.name'), () => strSem, 'PHPSESSID', PHP_NOTE).attr,
        'session.name',
      ),
    );
    const transNote =
      trans.attr.value === true
        ? 'session.use_trans_sid = 1: PHP also writes the id into links and forms'
        : 'session.use_trans_sid is off: PHP accepts a session id from the URL (session fixation) but does not write it into links';
    const obs: SessionIdInUrlObservation = {
      kind: 'session-id-in-url',
      source: 'code',
      url: '',
      where: 'config',
      parameter: name,
      location: only.attr.location,
      evidence: `${only.attr.evidence ?? 'session.use_only_cookies = 0'}; ${transNote}`,
      framework,
    };
    out.push(obs);
  }
  return out;
}

function settingObservations(m: PhpModel, framework: string): SettingObservation[] {
  const keys: Record<string, string> = {
    'session.use_strict_mode': 'use-strict-mode',
    'session.use_only_cookies': 'use-only-cookies',
    'session.use_trans_sid': 'use-trans-sid',
  };
  const out: SettingObservation[] = [];
  for (const s of m.settings) {
    const k = keys[s.key];
    if (!k) continue;
    const x = settingInterp(m, s, boolSem, SESSION_INI_DEFAULTS[s.key] === '1');
    const a = attrOf(x, { location: s.location, evidence: s.evidence }, () =>
      explicit<boolean | 'auto'>(false, s.location, s.evidence),
    );
    out.push({
      kind: 'setting',
      source: 'code',
      framework,
      key: k,
      value: a.value,
      provenance: a.provenance,
      location: s.location,
      evidence: s.evidence,
      snippet: s.evidence,
      inTestCode: s.ff.inTestCode,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// setcookie() / header('Set-Cookie: ...')

function cookieSetObservations(project: ProjectFacts, m: PhpModel): Observation[] {
  const out: Observation[] = [];
  for (const cs of cookieSites(project, m.constants)) {
    if (cs.deletion) continue;
    const file = cs.file;
    const ctx = ctxFor(m, file.file, cs.fn);
    // Guards on the wrapper's parameters decided with their defaults (`if ($samesite === '')`).
    if (
      cs.guards.some((g) => {
        const c = resolveCond(g, ctx);
        return c.kind === 'const' && !c.value;
      })
    )
      continue;
    const d: PhpCookieDetail = { ...cs.detail, values: {} };
    for (const [k, v] of Object.entries(cs.detail.values)) d.values[k] = resolveDeferred(v, ctx);
    // Through a wrapper, the options form may only now be known.
    if (d.thirdOpen && d.values['expires'] && expiryLike(d.values['expires'])) d.open = false;
    const value = d.values['value'];
    // An empty value, or `time() - YEAR_IN_SECONDS` (constants from other files), a variable holding such a
    // time: a deletion.
    if (
      (value?.kind === 'literal' && (value.value === '' || value.value === null || value.value === false)) ||
      expiresInPast(d.values['expires'], ctx)
    )
      continue;
    const fact = {
      location: cs.location,
      evidence: cs.via.length ? `${cs.evidence} (through ${cs.via.join(' → ')})` : cs.evidence,
      optionSites: cs.optionSites,
      constantValue: cs.via.length ? constantKind(value) : (cs.constantValue ?? constantKind(value)),
    };
    const name = cookieNameOf(cs, ctx, m);
    const site = (k: string): { location: CodeLocation; evidence: string } =>
      fact.optionSites?.[k] ?? { location: fact.location, evidence: fact.evidence };
    const fnNote =
      d.form === 'header' ? 'a Set-Cookie header without this attribute' : `${d.function}() default`;
    const boolOpt = (k: string, what: string): DecidedAttr<boolean> => {
      const v = d.values[k];
      if (!v) {
        if (d.open)
          return {
            attr: unknownAttr(
              `${what} may be set by options the scanner cannot resolve`,
              fact.location,
              fact.evidence,
            ),
            isDefault: false,
          };
        return {
          attr: defaultAttr<boolean | 'auto'>(
            false,
            'php',
            `${fnNote}: ${what} is off`,
            undefined,
            fact.location,
            fact.evidence,
          ),
          isDefault: true,
        };
      }
      const x = interpret(
        v,
        (l) => phpTruthy(l),
        ctx,
        () => ({ kind: 'value', value: false }),
      );
      const r: DecidedAttr<boolean> = {
        attr: attrOf(
          x,
          site(k),
          () => explicit<boolean | 'auto'>(false, site(k).location, site(k).evidence),
          k === 'secure' ? secureCollapse : undefined,
        ),
        isDefault: false,
      };
      if (x.kind === 'auto') r.request = x.source;
      return r;
    };
    const secure = boolOpt('secure', 'Secure');
    const httpOnly = boolOpt('httponly', 'HttpOnly');
    const ssv = d.values['samesite'];
    let sameSite: Attr<SameSiteValue> & { raw?: string };
    if (!ssv) {
      sameSite = d.open
        ? unknownAttr(
            'SameSite may be set by options the scanner cannot resolve',
            fact.location,
            fact.evidence,
          )
        : defaultAttr<SameSiteValue>(
            'unset',
            'php',
            `${fnNote}: no SameSite attribute`,
            undefined,
            fact.location,
            fact.evidence,
          );
    } else {
      const x = interpret(
        ssv,
        (l) => toIniString(l),
        ctx,
        () => ({ kind: 'value', value: '' }),
      );
      const a = attrOf(x, site('samesite'), () =>
        explicit<string | 'auto'>('', site('samesite').location, site('samesite').evidence),
      );
      const raw = a.value;
      sameSite = {
        ...(a as unknown as Attr<SameSiteValue>),
        value: raw === 'unknown' || raw === 'auto' ? 'unknown' : sameSiteOf(raw),
      };
      if (typeof raw === 'string' && raw !== 'unknown' && raw !== 'auto' && raw !== '') sameSite.raw = raw;
    }
    const obs: CookieObservation = {
      kind: 'cookie',
      source: 'code',
      name,
      secure: secure.attr as Attr<SecureValue>,
      httpOnly: noAuto(httpOnly.attr, 'HttpOnly'),
      sameSite,
      lifetime: lifetimeOf(d.values['expires'] ?? d.values['max-age'], d.form === 'header', ctx),
      prefix: prefixOf(name),
      classification: rememberMeGuard(
        credentialValue(classifyFor(name, 'php', undefined, fact.constantValue), value),
        cs.guards,
      ),
      deletion: false,
      setBy: 'server',
      framework: 'php',
      location: fact.location,
      snippet: fact.evidence,
      inTestCode: file.inTestCode,
      api: d.form === 'header' ? 'header' : d.function,
    };
    const dom = d.values['domain'];
    if (dom && dom.kind === 'literal' && typeof dom.value === 'string' && dom.value !== '') {
      obs.domain = explicit(dom.value, site('domain').location, site('domain').evidence);
    } else if (dom && dom.kind === 'conditional') {
      const broad = parentDomainOf(dom);
      if (broad) {
        const where = site('domain');
        obs.domain = explicit(
          broad.domain,
          where.location,
          `${where.evidence} (Domain is ${broad.domain} when ${broad.when.join(' and ')}, host-only otherwise)`,
        );
      }
    }
    const path = d.values['path'];
    if (path && path.kind === 'literal' && typeof path.value === 'string' && path.value !== '') {
      obs.path = explicit(path.value, site('path').location, site('path').evidence);
    }
    out.push(obs);
    const isSession = obs.classification.category === 'session';
    if (
      isSession &&
      (secure.request === 'server' || (secure.request === 'framework' && !trustsProxies(m.trustedProxies))) &&
      !terminatesTls(m.project, composerRootOf(m, file.file))
    ) {
      out.push(
        proxyObservation(
          'php',
          name,
          secure.attr.location ?? fact.location,
          secure.attr.evidence ?? fact.evidence,
          file.inTestCode,
          secure.request,
          deploymentEvidence(m.project, composerRootOf(m, file.file)),
        ),
      );
    }
  }
  return mergeAlternatives(out);
}

/**
 * A Domain chosen at run time between a parent domain written with its leading dot (`'.' . $host`, the
 * explicit request "this domain and every subdomain") and no Domain at all: `$domain = $domain ?: '.' .
 * HOST` in a cookie helper, with exceptions (an IP address host, localhost) the repository cannot
 * decide. The dot is the code's own choice on that path, so the cookie is judged Domain-broad, the
 * condition named. Conditions the scanner can decide (parameters, environment variables) were already
 * folded; any other value on a path (unknown, an environment variable, a call) leaves it unjudged.
 */
function parentDomainOf(v: PhpValue): { domain: string; when: string[] } | null {
  const domains = new Set<string>();
  const when: string[] = [];
  const walk = (x: PhpValue, path: string[], depth: number): boolean => {
    if (depth > 8) return false;
    if (x.kind === 'literal') {
      if (x.value === '' || x.value === null || x.value === false) return true;
      if (typeof x.value === 'string' && x.value.length > 1 && x.value.startsWith('.')) {
        domains.add(x.value);
        when.push(...path);
        return true;
      }
      return false;
    }
    if (x.kind === 'template') {
      const first = x.parts[0];
      if (typeof first !== 'string' || !first.startsWith('.') || first.includes('/')) return false;
      const m = /^(['"])\.\1\s*\.\s*(.+)$/s.exec(x.expression);
      domains.add(first.length > 1 ? `${first}<…>` : `.<${m ? m[2]!.trim() : x.expression}>`);
      when.push(...path);
      return true;
    }
    if (x.kind === 'conditional' && x.cond.kind === 'unknown') {
      const c = x.cond.expression;
      return walk(x.whenTrue, [...path, c], depth + 1) && walk(x.whenFalse, [...path, `not ${c}`], depth + 1);
    }
    return false;
  };
  if (!walk(v, [], 0) || domains.size !== 1) return null;
  return { domain: [...domains][0]!, when: [...new Set(when)] };
}

const COOKIE_ATTRS = ['secure', 'httpOnly', 'sameSite', 'domain', 'path'] as const;

/**
 * Cookies judged at one call through alternative code (two declarations of a function, branches whose
 * conditions stay undecided): one observation, each attribute as they agree on it, else unknown.
 */
function mergeAlternatives(obs: Observation[]): Observation[] {
  const groups = new Map<string, CookieObservation[]>();
  const out: Observation[] = [];
  for (const o of obs) {
    if (o.kind !== 'cookie') {
      out.push(o);
      continue;
    }
    const k = `${o.location?.file}:${o.location?.line}:${o.location?.column}\u0000${o.name}`;
    const g = groups.get(k);
    if (g) g.push(o);
    else {
      groups.set(k, [o]);
      out.push(o);
    }
  }
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    const first = g[0]!;
    for (const a of COOKIE_ATTRS) {
      const values = new Set(g.map((o) => JSON.stringify(o[a]?.value)));
      if (values.size < 2) continue;
      const reason = `the code paths that can set it disagree (${[...values].join(' / ')})`;
      (first as unknown as Record<string, unknown>)[a] = unknownAttr(reason, first.location, first.snippet);
    }
    if (new Set(g.map((o) => JSON.stringify(o.lifetime))).size > 1) first.lifetime = { kind: 'unknown' };
  }
  return out;
}

/**
 * A cookie whose value is computed from a user's password (`$uid . '.' . md5($row['user_password'])`) or is the
 * session id (`session_id()`) is a credential whatever its name (a name read from a setting says
 * nothing): a session cookie.
 */
function credentialValue(c: CookieClassification, v: PhpValue | undefined): CookieClassification {
  if (c.category === 'session' || !v || v.kind === 'literal' || !('expression' in v)) return c;
  const e = v.expression;
  if (/\bsession_id\s*\(\s*\)/i.test(e))
    return { ...c, category: 'session', reason: `its value is the session id (${e})` };
  // A user's stored password (`$row['user_password']`, `$user['password_hash']`), not a password typed
  // for something else (a post's or a page's password: an access grant, not a login).
  if (/user_?(pass|pwd)|\$(user|account|member)\w*\s*(\[\s*['"]|->\s*)\w*(pass|pwd)/i.test(e))
    return {
      ...c,
      category: 'session',
      reason: `its value is computed from the user's password (${e}): whoever holds it is logged in as that user`,
    };
  return c;
}

/**
 * A cookie set only when the user asked to stay logged in (`if ($autologin == 1)`, `if ($remember)`,
 * undecided conditions the call lies under): a remember-me cookie, persistent by design.
 */
function rememberMeGuard(c: CookieClassification, guards: readonly Cond[]): CookieClassification {
  const asked = guards.some(
    (g) =>
      g.kind !== 'const' &&
      // `!(...)`: the else branch of such a test (the guard of the code after it), or a negated test.
      !/^!\s*\(/.test(g.expression.trim()) &&
      !/^empty\s*\(/i.test(g.expression.trim()) &&
      /remember|auto_?login|stay_?(logged|signed)|keep_?(me_?)?(logged|signed)/i.test(g.expression),
  );
  return asked ? { ...c, rememberMe: true } : c;
}

/** What a cookie value written in the code is (its value is never kept), for the classification. */
function constantKind(v: PhpValue | undefined): ConstantKind | undefined {
  if (!v || v.kind !== 'literal') return undefined;
  if (typeof v.value === 'number') return 'number';
  if (typeof v.value === 'boolean') return 'boolean';
  return typeof v.value === 'string' && v.value !== '' ? 'string' : undefined;
}

/**
 * The cookie's name: a literal, a constant defined as one, `session_name()` (the session name the
 * project's settings agree on, else PHP's PHPSESSID), else `<the expression>`.
 */
function cookieNameOf(cs: CookieSite, ctx: InterpretContext, m: PhpModel): string {
  if (cs.name !== null) return cs.name;
  const raw = cs.nameValue;
  if (raw?.kind === 'call' && raw.call.name === 'session_name' && raw.call.cls === null && !raw.args) {
    const names = new Set(
      m.settings
        .filter((s) => s.key === 'session.name')
        .map((s) => (s.value.kind === 'literal' && typeof s.value.value === 'string' ? s.value.value : null)),
    );
    if (names.size === 0) return SESSION_INI_DEFAULTS['session.name']!;
    if (names.size === 1 && [...names][0]) return [...names][0]!;
  }
  const v = raw ? resolveDeferred(raw, ctx) : undefined;
  if (v) {
    const x = interpret<string>(
      v,
      (l) => (typeof l === 'string' && l !== '' ? l : null),
      ctx,
      () => ({
        kind: 'unknown',
        reason: 'empty',
      }),
    );
    if (x.kind === 'value') return x.value;
  }
  const expr = v && 'expression' in v ? v.expression : (cs.detail.nameExpression ?? 'dynamic name');
  return `<${expr}>`;
}

function lifetimeOf(
  v: PhpValue | undefined,
  isMaxAge: boolean,
  ctx: InterpretContext,
): ReturnType<typeof lifetimeOfSeconds> {
  if (!v) return { kind: 'session' };
  const rel = relativeSeconds(v, ctx);
  if (rel !== null) return lifetimeOfSeconds(rel);
  const n = numberOf(v, ctx);
  if (n !== null) {
    if (isMaxAge) return lifetimeOfSeconds(n);
    if (n === 0) return { kind: 'session' };
    return lifetimeOfSeconds(Math.round(n - Date.now() / 1000));
  }
  return { kind: 'unknown' };
}

/** An expiry in the past: `time() - 3600`, `time() - YEAR_IN_SECONDS`, an absolute timestamp before now (not 0). */
function expiresInPast(v: PhpValue | undefined, ctx: InterpretContext): boolean {
  if (!v) return false;
  const rel = relativeSeconds(v, ctx);
  if (rel !== null) return rel <= 0;
  const n = numberOf(v, ctx);
  return n !== null && n > 0 && n * 1000 < Date.now();
}

// ---------------------------------------------------------------------------------------------

/** Is this a Laravel or Symfony application (whose session cookie the framework resolvers report)? */
export function frameworkApp(project: ProjectFacts): 'laravel' | 'symfony' | null {
  for (const { fact } of project.all()) {
    if (fact.type === 'dependency' && fact.ecosystem === 'composer') {
      if (fact.name === 'laravel/framework') return 'laravel';
      if (fact.name === 'symfony/framework-bundle') return 'symfony';
    }
    if (fact.type === 'setting' && fact.framework === 'laravel' && fact.via === 'config/session.php')
      return 'laravel';
    if ((fact.type === 'session-enabled' || fact.type === 'setting') && fact.framework === 'symfony')
      return 'symfony';
  }
  return null;
}

/** Does any run-time session setting (or an options array) run before this start? */
function configuredAtRunTime(m: PhpModel, start: Start): boolean {
  if (start.autoStart) return false;
  if (m.settings.some((s) => s.via === 'session_start' && s.objectId === start.objectId)) return true;
  return executedBefore(m, start.ff.file, start.location, new Set(), 0).some(
    (e) => e.setting !== undefined || e.paramsUnknown === true,
  );
}

/**
 * A bare session_start() in a file whose other session_start() is configured at run time (a session
 * class's init() sets the cookie parameters and starts; its lock() / reopen() starts again later in the
 * same request) reopens that session: PHP keeps the parameters for the request. It is not judged on
 * its own with php.ini defaults.
 */
function reopenedStartsLeftOut(m: PhpModel): Start[] {
  const configured = new Set<string>();
  const bare = new Set<Start>();
  for (const s of m.starts) {
    if (s.autoStart) continue;
    if (configuredAtRunTime(m, s)) configured.add(s.ff.file);
    else bare.add(s);
  }
  return m.starts.filter((s) => !(bare.has(s) && configured.has(s.ff.file)));
}

export function resolvePhp(project: ProjectFacts): Observation[] {
  const m = buildPhpModel(project);
  const out: Observation[] = [];
  let targets = reopenedStartsLeftOut(m).map((start) => ({
    start,
    decideKey: (key: string) => decide(m, start, key),
  }));
  if (targets.length === 0) {
    // No session_start() in sight, but the repository configures PHP's session cookie (php.ini,
    // .user.ini, .htaccess): sessions are started by code we do not see. Laravel and Symfony
    // applications are left to their resolvers (Laravel ignores these settings; Symfony merges them).
    const explicitIni = m.settings
      .filter((s) => (s.via === 'php.ini' || PERDIR_VIAS.has(s.via)) && s.key.startsWith('session.'))
      .sort((a, b) => byLocation(a.location, b.location));
    if (explicitIni.length && !frameworkApp(project)) {
      const at = explicitIni.find((s) => s.key === 'session.cookie_secure') ?? explicitIni[0]!;
      const start: Start = {
        ff: at.ff,
        location: at.location,
        evidence: at.evidence,
        objectId: `ini@${at.ff.file}`,
        autoStart: true,
        optionsUnknown: false,
        synthetic: true,
      };
      targets = [{ start, decideKey: (key: string) => decideIniOnly(m, key, dirOf(at.ff.file)) }];
    }
  }
  out.push(...buildSessionObservations(m, targets, 'php'));
  out.push(...urlObservations(m, targets, 'php'));
  out.push(...settingObservations(m, 'php'));
  out.push(...cookieSetObservations(project, m));
  return oneProxyFindingPerDecision(out);
}

/**
 * Several cookies whose Secure comes from one decision (`'secure' => $secure` in an options array shared
 * by the auth and the logged-in cookie) lose Secure behind a proxy for one reason: one proxy-trust
 * observation per decision site (one consequence, one finding).
 */
function oneProxyFindingPerDecision(obs: Observation[]): Observation[] {
  const seen = new Set<string>();
  return obs.filter((o) => {
    if (o.kind !== 'proxy-trust') return true;
    const k = `${o.location?.file}:${o.location?.line}:${o.location?.column}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export const phpResolver: Resolver = { name: 'php', resolve: resolvePhp };
