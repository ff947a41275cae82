/**
 * `response.set_cookie(...)` in Flask/Werkzeug, Django and Starlette/FastAPI code: one cookie
 * observation per call, missing keywords taken from the framework's defaults (defaults.ts). The
 * framework is the one the file imports; failing that, the only Python web framework the project
 * shows (facts or requirements). Secure and HttpOnly default to False in all three; SameSite
 * differs (Starlette 'lax', the others none), so it stays unknown when the framework is unknown.
 */
import type { Observation } from '../../../model/observation.js';
import type { ConstantKind, ProjectFacts, Resolver } from '../types.js';
import { cookieObservation } from './cookie-obs.js';
import { DJANGO_DEFAULTS, SET_COOKIE_DEFAULTS, SET_COOKIE_VERSION } from './defaults.js';
import { evaluate, newEvalContext, type PyExpr } from './expr.js';
import { factsOf } from './facts.js';
import {
  constString,
  envFiles,
  pypiVersion,
  resolveTree,
  toAttr,
  toBool,
  toSameSite,
  toStr,
  type Origin,
} from './resolve-common.js';
import { settingsFieldsOf } from './pydantic-resolve.js';
import { SettingsIndex } from './settings-chain.js';
import { kwResolution } from './starlette-resolver.js';

type Fw = 'flask' | 'django' | 'starlette';

function projectFramework(project: ProjectFacts): Fw | null {
  const seen = new Set<Fw>();
  if (factsOf(project, 'flask-app').length > 0 || pypiVersion(project, 'flask') !== undefined)
    seen.add('flask');
  if (factsOf(project, 'django-settings-ref').length > 0 || pypiVersion(project, 'django') !== undefined)
    seen.add('django');
  if (
    factsOf(project, 'starlette-session').length > 0 ||
    pypiVersion(project, 'fastapi') !== undefined ||
    pypiVersion(project, 'starlette') !== undefined
  ) {
    seen.add('starlette');
  }
  return seen.size === 1 ? [...seen][0]! : null;
}

export function resolveSetCookie(project: ProjectFacts): Observation[] {
  const envs = envFiles(project);
  const fields = settingsFieldsOf(project);
  const out: Observation[] = [];
  let guessed: Fw | null | undefined;
  for (const { file, data } of factsOf(project, 'set-cookie')) {
    let fw = data.framework;
    if (!fw) {
      if (guessed === undefined) guessed = projectFramework(project);
      fw = guessed;
    }
    // A raw header, a SimpleCookie morsel or dump_cookie writes only the attributes given.
    const raw = data.api !== undefined && data.api !== 'set_cookie';
    const defaults = raw ? RAW_DEFAULTS : SET_COOKIE_DEFAULTS[fw ?? 'flask'];
    const dflt = raw
      ? {
          framework:
            data.api === 'header'
              ? 'the Set-Cookie header'
              : data.api === 'SimpleCookie'
                ? 'http.cookies.SimpleCookie'
                : 'werkzeug dump_cookie',
        }
      : { framework: fw ?? 'python', version: fw ? SET_COOKIE_VERSION[fw] : undefined };
    const at: Origin = { location: data.location, evidence: data.evidence, snippet: data.snippet };
    const r = (k: string) => kwResolution(data.args, data.splat, k, defaults[k] ?? null, at, envs, fields);
    const secure = toAttr(r('secure'), toBool, dflt);
    const httpOnly = toAttr(r('httponly'), toBool, dflt);
    let ssRes = r('samesite');
    if (!fw && !raw && !data.args.samesite)
      ssRes = {
        kind: 'unknown',
        reason: 'the framework (and so its SameSite default) is not known',
        origin: at,
      };
    const sameSite = {
      ...toAttr(ssRes, toSameSite, dflt),
      ...(ssRes.kind === 'constant' && typeof ssRes.value === 'string' ? { raw: ssRes.value } : {}),
    };
    const keyArg = data.args.key;
    let name = keyArg ? constString(r('key')) : null;
    if (name === null && keyArg && fw === 'django') name = djangoSettingName(project, keyArg.evidence);
    if (name === null) name = keyArg ? `<${keyArg.evidence}>` : '<unknown>';
    const domainRes = data.args.domain ? r('domain') : null;
    const domain =
      domainRes && !(domainRes.kind === 'constant' && domainRes.value === null)
        ? toAttr(domainRes, toStr, dflt)
        : undefined;
    // Lifetime and deletion from max_age / expires.
    const num = (k: string): number | null | undefined => {
      const a = data.args[k];
      if (!a) return undefined;
      const v = evaluate(a.expr, newEvalContext());
      return v.ok && typeof v.v === 'number' ? v.v : v.ok && v.v === null ? null : NaN;
    };
    const maxAge = num('max_age');
    const expires = num('expires');
    const deletion = maxAge === 0 || (typeof maxAge === 'number' && maxAge < 0) || expires === 0;
    const lifetime =
      maxAge === undefined && expires === undefined
        ? ({ kind: 'session' } as const)
        : typeof maxAge === 'number' && !Number.isNaN(maxAge) && maxAge > 0
          ? ({
              kind: 'persistent',
              seconds: maxAge,
              ...(maxAge > 400 * 86400 ? { capped: true } : {}),
            } as const)
          : ({ kind: 'unknown' } as const);
    out.push(
      cookieObservation({
        name,
        framework: fw ?? 'flask',
        secure,
        httpOnly,
        sameSite,
        ...(domain ? { domain } : {}),
        path: toAttr(r('path'), toStr, dflt),
        lifetime,
        location: data.location,
        snippet: data.snippet,
        inTestCode: file.inTestCode,
        deletion,
        api: data.api ?? 'set_cookie',
        ...(constantOf(data.args.value?.expr) ? { constantValue: constantOf(data.args.value?.expr)! } : {}),
      }),
    );
    if (!fw) {
      const o = out[out.length - 1]!;
      if (o.kind === 'cookie') delete o.framework;
    }
  }
  return out;
}

/**
 * `settings.LANGUAGE_COOKIE_NAME` (django.conf.settings): the value every settings module of the
 * project agrees on, else Django's default when none sets it; null when they differ or it is
 * computed.
 */
function djangoSettingName(project: ProjectFacts, expression: string): string | null {
  const m = /^(?:django\.conf\.)?settings\.([A-Z][A-Z0-9_]*)$/.exec(expression.trim());
  if (!m) return null;
  const key = m[1]!;
  const idx = new SettingsIndex(project, DJANGO_DEFAULTS);
  const values = new Set<string>();
  for (const mod of idx.modules) {
    if (mod.file.inTestCode) continue;
    const vt = idx.valueOf(mod, key);
    if (!vt) continue;
    const res = resolveTree(vt, []);
    const vs =
      res.kind === 'constant' ? [res.value] : res.kind === 'env' ? Object.values(res.perEnvironment) : [];
    if (vs.length === 0) return null;
    for (const v of vs) {
      if (typeof v !== 'string' || (res.kind === 'env' && v === 'unknown')) return null;
      values.add(v);
    }
  }
  if (values.size > 1) return null;
  if (values.size === 1) return [...values][0]!;
  const d = DJANGO_DEFAULTS[key];
  return typeof d === 'string' ? d : null;
}

/** What a cookie gets when an attribute is not written at all (a raw header, a morsel). */
const RAW_DEFAULTS: Record<string, null | boolean> = {
  secure: false,
  httponly: false,
  samesite: null,
  path: null,
};

/** The kind of a value written as a literal (the extractor keeps its type, never its text). */
function constantOf(e: PyExpr | undefined): ConstantKind | undefined {
  if (!e || e.k !== 'lit') return undefined;
  if (typeof e.v === 'number') return 'number';
  if (typeof e.v === 'boolean') return 'boolean';
  if (typeof e.v === 'string' && e.v !== '') return 'string';
  return undefined;
}

export const setCookieResolver: Resolver = { name: 'python-set-cookie', resolve: resolveSetCookie };
