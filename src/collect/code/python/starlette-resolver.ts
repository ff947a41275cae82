/**
 * Starlette / FastAPI SessionMiddleware: one cookie observation per registration. The cookie is
 * always HttpOnly (starlette/middleware/sessions.py writes `httponly` unconditionally), Secure only
 * with https_only=True, SameSite from same_site ('lax'). Defaults: defaults.ts.
 *
 * No proxy-trust observation: https_only writes `; secure` whatever the request scheme, so the
 * cookie is set behind a TLS proxy with or without uvicorn's --proxy-headers.
 */
import type { Observation } from '../../../model/observation.js';
import type { ProjectFacts, Resolver } from '../types.js';
import { cookieObservation } from './cookie-obs.js';
import { STARLETTE_SESSION_DEFAULTS, VERSIONS } from './defaults.js';
import { factsOf, type KwArg } from './facts.js';
import {
  constString,
  envFiles,
  lifetimeOf,
  resolveExpr,
  toAttr,
  toBool,
  toSameSite,
  toStr,
  type DefaultInfo,
  type EnvFile,
  type Origin,
  type Resolution,
} from './resolve-common.js';
import { valueExpr } from './settings-chain.js';
import { settingsFieldsOf, withSettingsFields, type SettingsFields } from './pydantic-resolve.js';

const DEFAULT: DefaultInfo = { framework: 'starlette', version: VERSIONS.starlette };

/** The value of a keyword argument, its default when absent, unknown when **kwargs may carry it. */
export function kwResolution(
  kwargs: Record<string, KwArg>,
  splat: boolean,
  key: string,
  dflt: unknown,
  at: Origin,
  envs: EnvFile[],
  fields?: SettingsFields,
): Resolution {
  const kw = kwargs[key];
  if (kw) {
    const expr = fields ? withSettingsFields(kw.expr, fields) : kw.expr;
    return resolveExpr(expr, { location: kw.location, evidence: kw.evidence }, envs);
  }
  if (splat) return { kind: 'unknown', reason: `${key} may be passed through *args / **kwargs`, origin: at };
  return resolveExpr(valueExpr(dflt as never, `${key} (default)`), { ...at, isDefault: true }, envs);
}

export function resolveStarlette(project: ProjectFacts): Observation[] {
  const envs = envFiles(project);
  const fields = settingsFieldsOf(project);
  const out: Observation[] = [];
  for (const { file, data } of factsOf(project, 'starlette-session')) {
    const at: Origin = { location: data.location, evidence: data.evidence, snippet: data.snippet };
    const r = (k: string) =>
      kwResolution(data.kwargs, data.splat, k, STARLETTE_SESSION_DEFAULTS[k] ?? null, at, envs, fields);
    const secure = toAttr(r('https_only'), toBool, DEFAULT);
    const ss = r('same_site');
    const sameSite = {
      ...toAttr(ss, toSameSite, DEFAULT),
      ...(ss.kind === 'constant' && typeof ss.value === 'string' ? { raw: ss.value } : {}),
    };
    const domainRes = r('domain');
    const domain =
      domainRes.kind === 'constant' && domainRes.value === null
        ? undefined
        : toAttr(domainRes, toStr, DEFAULT);
    out.push(
      cookieObservation({
        name: constString(r('session_cookie')) ?? 'session',
        framework: 'starlette',
        secure,
        httpOnly: {
          value: true,
          provenance: {
            kind: 'framework-default',
            framework: 'starlette',
            version: VERSIONS.starlette,
            note: 'SessionMiddleware always sets HttpOnly',
          },
          location: data.location,
          evidence: data.evidence,
        },
        sameSite,
        ...(domain ? { domain } : {}),
        path: toAttr(r('path'), toStr, DEFAULT),
        lifetime: lifetimeOf(r('max_age')),
        location: secure.location ?? data.location,
        snippet: data.snippet,
        inTestCode: file.inTestCode,
      }),
    );
  }
  return out;
}

export const starletteResolver: Resolver = { name: 'starlette', resolve: resolveStarlette };
