/**
 * Facts the ASP.NET extractors hand to the ASP.NET resolver (`other` facts of framework 'aspnet').
 * Everything here is plain data (structured-clone safe: it crosses worker threads).
 */
import type { CodeLocation } from '../../../model/observation.js';
import type { CodeFact, FileFacts, ProjectFacts } from '../types.js';

export const ASPNET = 'aspnet';

/**
 * A condition on the hosting environment (ASPNETCORE_ENVIRONMENT; Production when unset):
 * `env.IsDevelopment()`, `IsEnvironment("Staging")`, `!`, `&&`, `||`; anything else is `unknown`.
 */
export type EnvCond =
  | { op: 'is'; env: string }
  | { op: 'not'; c: EnvCond }
  | { op: 'and' | 'or'; a: EnvCond; b: EnvCond }
  | { op: 'unknown'; text: string };

/** A value written in C# (or bound from appsettings / web.config). */
export type CsVal =
  | { k: 'bool'; v: boolean }
  /** An enum member: `CookieSecurePolicy.Always` → type 'CookieSecurePolicy', v 'Always'; several for flags. */
  | { k: 'enum'; type: string; v: string[] }
  | { k: 'str'; v: string }
  /** A number; TimeSpan values in seconds. */
  | { k: 'num'; v: number }
  | { k: 'null' }
  /** `Request.IsHttps`: true exactly when the request arrived over HTTPS (as the app sees it). */
  | { k: 'https'; text: string }
  /** A point in time relative to now (`DateTimeOffset.UtcNow.AddDays(-1)`): in the past or not. */
  | { k: 'time'; past: boolean }
  /** `cond ? a : b` where cond tests the environment. */
  | { k: 'cond'; cond: EnvCond; then: CsVal; else: CsVal; text: string }
  | { k: 'unknown'; text: string; reason: string };

/** One property written, with where. */
export interface CsSetting {
  /** Path below the options object: 'Cookie.SecurePolicy', 'Secure', 'MaxAge' ... */
  prop: string;
  val: CsVal;
  location: CodeLocation;
  evidence: string;
  /** The statement is inside `if (<env test>)`. */
  guard?: EnvCond;
}

/** Which options object a configuration call configures. */
export type OptionsKind =
  | 'session' // SessionOptions (AddSession)
  | 'auth' // CookieAuthenticationOptions (AddCookie, ConfigureApplicationCookie, AddIdentity)
  | 'antiforgery' // AntiforgeryOptions
  | 'policy' // CookiePolicyOptions
  | 'hsts' // HstsOptions
  | 'forwarded'; // ForwardedHeadersOptions

/** `other` fact key 'aspnet-options': a call that registers or configures an options object. */
export interface OptionsFact {
  kind: OptionsKind;
  /** The call: 'AddSession', 'AddCookie', 'Configure<SessionOptions>', 'UseCookiePolicy' ... */
  call: string;
  /** Authentication scheme (auth): its cookie is `.AspNetCore.<scheme>`; null when not a literal. */
  scheme?: string | null;
  /** The call registers the feature (AddSession, AddCookie, AddAntiforgery, AddIdentity), not only configures it. */
  registers: boolean;
  settings: CsSetting[];
  /** The options come from something the scanner cannot read (a method group, a variable). */
  opaque?: string;
  /** Bound from configuration: `GetSection("Session")` → 'Session'. */
  section?: string;
  location: CodeLocation;
  evidence: string;
  guard?: EnvCond;
}

/** `other` fact key 'aspnet-middleware': UseHsts, UseHttpsRedirection, UseForwardedHeaders, UseCookiePolicy, an app entry. */
export interface MiddlewareFact {
  name: 'UseHsts' | 'UseHttpsRedirection' | 'UseForwardedHeaders' | 'UseCookiePolicy' | 'app';
  location: CodeLocation;
  evidence: string;
  guard?: EnvCond;
}

/** `other` fact key 'aspnet-append': `Response.Cookies.Append(name, value, options)`. */
export interface AppendFact {
  name: string | null;
  nameText: string;
  /** The value is a constant literal (holds no per-user secret). */
  constantValue?: 'string' | 'number' | 'boolean';
  /** No CookieOptions given: every attribute is CookieOptions' default. */
  settings: CsSetting[];
  opaque?: string;
  location: CodeLocation;
  evidence: string;
  guard?: EnvCond;
}

/** `other` fact key 'aspnet-appsettings': cookie-related keys of an appsettings*.json file. */
export interface AppSettingsFact {
  /** null for appsettings.json; 'Production' for appsettings.Production.json. */
  environment: string | null;
  /** Lower-cased ':'-joined key path → value and line. */
  values: Record<string, { val: CsVal; line: number; text: string }>;
}

/** `other` fact key 'aspnet-project': a .csproj file. */
export interface ProjectFileFact {
  /** net8.0, netcoreapp3.1, net48, v4.7.2 ... (the first of TargetFrameworks). */
  targetFramework: string | null;
  /** Sdk="Microsoft.NET.Sdk.Web" */
  sdk: string | null;
  packages: { name: string; version: string | null }[];
}

/** `other` fact key 'aspnet-webconfig': settings of a classic ASP.NET web.config (or a transform of it). */
export interface WebConfigFact {
  /** null for web.config itself, 'Release' for web.Release.config (an XDT transform). */
  transform: string | null;
  /** 'httpCookies.requireSSL', 'forms.requireSSL', 'sessionState.cookieless' ... → value, where. */
  values: Record<string, { value: string; location: CodeLocation; evidence: string }>;
  /** The file holds `<system.web>` (a classic ASP.NET configuration). */
  systemWeb: boolean;
}

type AspNetFactKey =
  | 'aspnet-options'
  | 'aspnet-middleware'
  | 'aspnet-append'
  | 'aspnet-appsettings'
  | 'aspnet-project'
  | 'aspnet-webconfig'
  /** `const string Name = "value"`: data { name, value }. */
  | 'aspnet-constant';

export function otherFact(
  key: AspNetFactKey,
  data: unknown,
  location: CodeLocation,
  evidence: string,
): CodeFact {
  return { type: 'other', framework: ASPNET, key, data, location, evidence };
}

/** The ASP.NET facts of one key in the project, with their files. */
export function aspnetFacts<T>(
  project: ProjectFacts,
  key: AspNetFactKey,
): { file: FileFacts; data: T; location: CodeLocation; evidence: string }[] {
  const out: { file: FileFacts; data: T; location: CodeLocation; evidence: string }[] = [];
  for (const file of project.files) {
    for (const f of file.facts) {
      if (f.type === 'other' && f.framework === ASPNET && f.key === key)
        out.push({ file, data: f.data as T, location: f.location, evidence: f.evidence });
    }
  }
  return out;
}

/** Whether `cond` holds in the environment `env`; null when it cannot be told. */
export function holdsIn(cond: EnvCond, env: string): boolean | null {
  switch (cond.op) {
    case 'is':
      // Environment names are compared without case (HostEnvironmentEnvExtensions.IsEnvironment).
      return cond.env.toLowerCase() === env.toLowerCase();
    case 'not': {
      const v = holdsIn(cond.c, env);
      return v === null ? null : !v;
    }
    case 'and': {
      const a = holdsIn(cond.a, env);
      const b = holdsIn(cond.b, env);
      if (a === false || b === false) return false;
      return a === null || b === null ? null : true;
    }
    case 'or': {
      const a = holdsIn(cond.a, env);
      const b = holdsIn(cond.b, env);
      if (a === true || b === true) return true;
      return a === null || b === null ? null : false;
    }
    default:
      return null;
  }
}

/** Environment names a condition mentions. */
export function envNamesOf(cond: EnvCond | undefined, out: Set<string> = new Set()): Set<string> {
  if (!cond) return out;
  if (cond.op === 'is') out.add(cond.env);
  else if (cond.op === 'not') envNamesOf(cond.c, out);
  else if (cond.op === 'and' || cond.op === 'or') {
    envNamesOf(cond.a, out);
    envNamesOf(cond.b, out);
  }
  return out;
}

export function condText(cond: EnvCond): string {
  switch (cond.op) {
    case 'is':
      return `environment is ${cond.env}`;
    case 'not':
      return cond.c.op === 'is' ? `environment is not ${cond.c.env}` : `not (${condText(cond.c)})`;
    case 'and':
      return `${condText(cond.a)} and ${condText(cond.b)}`;
    case 'or':
      return `${condText(cond.a)} or ${condText(cond.b)}`;
    default:
      return cond.text;
  }
}
