/**
 * Builders of hand-written observations and an ESLint-style case-table runner for the rules.
 *
 *   runRuleCases(rule, { valid: [...], invalid: [...] })
 *
 * `valid` cases must produce no finding from the rule; `invalid` cases must produce exactly the
 * listed findings (in the engine's stable order), each with the rule's id, the severity, cookie,
 * URL and location given, and a non-empty one-line message, browser explanation and fix.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding, Severity } from '../../src/model/finding.js';
import type {
  Attr,
  CodeLocation,
  CookieCategory,
  CookieLifetime,
  CookieObservation,
  HstsObservation,
  HttpTwinObservation,
  MalformedHeaderObservation,
  Observation,
  PageObservation,
  ParseIssue,
  Provenance,
  ProxyTrustObservation,
  RejectionReason,
  SameSiteValue,
  SecureValue,
  SessionIdInUrlObservation,
  SettingObservation,
  SourceKind,
  TlsObservation,
} from '../../src/model/observation.js';
import type { Rule } from '../../src/rules/types.js';
import { compareFindings, runRules } from '../../src/rules/index.js';

// ---------------------------------------------------------------------------------------------
// Attributes

export const OBSERVED: Provenance = { kind: 'observed' };

export function observed<T>(value: T): Attr<T> {
  return { value, provenance: OBSERVED };
}

export function explicit<T>(value: T, evidence?: string, location?: CodeLocation): Attr<T> {
  return {
    value,
    provenance: { kind: 'explicit' },
    ...(evidence ? { evidence } : {}),
    ...(location ? { location } : {}),
  };
}

export function frameworkDefault<T>(
  value: T,
  framework: string,
  note?: string,
  location?: CodeLocation,
): Attr<T> {
  return {
    value,
    provenance: { kind: 'framework-default', framework, ...(note ? { note } : {}) },
    ...(location ? { location } : {}),
  };
}

export function envDependent<T>(
  value: NoInfer<T> | 'unknown',
  condition: string,
  perEnvironment: Record<string, unknown>,
  opts: { evidence?: string; location?: CodeLocation; resolvedFrom?: string[] } = {},
): Attr<T> {
  return {
    value,
    provenance: {
      kind: 'env-dependent',
      condition,
      perEnvironment,
      ...(opts.resolvedFrom ? { resolvedFrom: opts.resolvedFrom } : {}),
    },
    ...(opts.evidence ? { evidence: opts.evidence } : {}),
    ...(opts.location ? { location: opts.location } : {}),
  };
}

export function unknownAttr<T>(
  reason = 'not resolvable',
  opts: { evidence?: string; location?: CodeLocation } = {},
): Attr<T> {
  return {
    value: 'unknown',
    provenance: { kind: 'unknown', reason },
    ...(opts.evidence ? { evidence: opts.evidence } : {}),
    ...(opts.location ? { location: opts.location } : {}),
  };
}

export function loc(file: string, line: number, column = 1): CodeLocation {
  return { file, line, column };
}

// ---------------------------------------------------------------------------------------------
// Cookies

export interface CookieSpec {
  name: string;
  source?: SourceKind;
  secure?: SecureValue | Attr<SecureValue>;
  httpOnly?: boolean | Attr<boolean>;
  sameSite?: SameSiteValue | (Attr<SameSiteValue> & { raw?: string });
  sameSiteRaw?: string;
  domain?: string | Attr<string>;
  path?: string | Attr<string>;
  lifetime?: CookieLifetime;
  category?: CookieCategory;
  reason?: string;
  vendor?: string;
  classFramework?: string;
  framework?: string;
  deletion?: boolean;
  setBy?: 'server' | 'script';
  // live
  url?: string;
  requestedUrl?: string;
  hop?: number;
  redirect?: boolean;
  status?: number;
  raw?: string;
  value?: string;
  rejectedBy?: RejectionReason[];
  parseIssues?: ParseIssue[];
  size?: number;
  // code
  location?: CodeLocation;
  snippet?: string;
  inTestCode?: boolean;
}

function isAttr<T>(v: unknown): v is Attr<T> {
  return typeof v === 'object' && v !== null && 'provenance' in v;
}

const DEFAULT_REASON: Record<CookieCategory, string> = {
  session: 'a common name for a session identifier',
  csrf: 'a CSRF token cookie read by scripts',
  preference: 'a preference cookie',
  analytics: 'an analytics cookie',
  infrastructure: 'a load-balancer affinity cookie',
  unknown: 'not recognised',
};

/**
 * A cookie observation. With `url` it is live (attributes observed, delivery from the URL's
 * scheme); without, it comes from code (attributes explicit unless an Attr is given).
 */
export function cookie(spec: CookieSpec): CookieObservation {
  const live = spec.url !== undefined;
  const source: SourceKind = spec.source ?? (live ? 'live' : 'code');
  const wrap = <T>(v: T | Attr<T>): Attr<T> => (isAttr<T>(v) ? v : live ? observed(v) : explicit(v));
  const lower = spec.name.toLowerCase();
  const prefix: CookieObservation['prefix'] = lower.startsWith('__secure-')
    ? '__Secure-'
    : lower.startsWith('__host-')
      ? '__Host-'
      : null;
  const category = spec.category ?? 'session';
  const sameSite = wrap<SameSiteValue>(spec.sameSite ?? 'lax') as Attr<SameSiteValue> & { raw?: string };
  if (spec.sameSiteRaw !== undefined) sameSite.raw = spec.sameSiteRaw;
  const c: CookieObservation = {
    kind: 'cookie',
    source,
    name: spec.name,
    secure: wrap<SecureValue>(spec.secure ?? true),
    httpOnly: wrap<boolean>(spec.httpOnly ?? true),
    sameSite,
    lifetime: spec.lifetime ?? { kind: 'session' },
    prefix,
    classification: {
      category,
      reason: spec.reason ?? DEFAULT_REASON[category],
      ...(spec.vendor ? { vendor: spec.vendor } : {}),
      ...(spec.classFramework ? { framework: spec.classFramework } : {}),
    },
    deletion: spec.deletion ?? false,
    setBy: spec.setBy ?? 'server',
  };
  if (spec.domain !== undefined) c.domain = wrap<string>(spec.domain);
  if (spec.path !== undefined) c.path = wrap<string>(spec.path);
  if (spec.framework !== undefined) c.framework = spec.framework;
  if (spec.value !== undefined) c.value = spec.value;
  if (live) {
    const url = spec.url!;
    c.delivery = {
      url,
      scheme: url.startsWith('https:') ? 'https' : 'http',
      status: spec.status ?? (spec.redirect ? 302 : 200),
      hop: spec.hop ?? 0,
      requestedUrl: spec.requestedUrl ?? url,
      redirect: spec.redirect ?? false,
      probe: 'https',
    };
    c.raw = spec.raw ?? `${spec.name}=${spec.value ?? 'v4lue'}; Path=/`;
    c.rejectedBy = spec.rejectedBy ?? [];
    c.parseIssues = spec.parseIssues ?? [];
    if (spec.size !== undefined) c.size = spec.size;
  } else {
    if (spec.rejectedBy !== undefined) c.rejectedBy = spec.rejectedBy;
    if (spec.raw !== undefined) c.raw = spec.raw;
    c.location = spec.location ?? loc('app/config.js', 10, 3);
    if (spec.snippet !== undefined) c.snippet = spec.snippet;
    if (spec.inTestCode !== undefined) c.inTestCode = spec.inTestCode;
  }
  return c;
}

// ---------------------------------------------------------------------------------------------
// Site facts

export function hsts(
  url: string,
  header: string | null,
  parsed?: Partial<HstsObservation['parsed']> | null,
): HstsObservation {
  const p =
    parsed === null
      ? null
      : {
          maxAge: 31536000,
          includeSubDomains: true,
          preload: false,
          errors: [],
          valid: true,
          ...(parsed ?? {}),
        };
  return {
    kind: 'hsts',
    source: 'live',
    url,
    headers: header === null ? [] : [header],
    parsed: header === null ? null : p,
  };
}

export function codeHsts(
  framework: string,
  maxAge: number | null,
  opts: { valid?: boolean; errors?: string[]; evidence?: string; location?: CodeLocation } = {},
): HstsObservation {
  return {
    kind: 'hsts',
    source: 'code',
    url: '',
    headers: [],
    parsed: {
      maxAge,
      includeSubDomains: false,
      preload: false,
      errors: opts.errors ?? [],
      valid: opts.valid ?? true,
    },
    framework,
    location: opts.location ?? loc('settings.py', 20),
    ...(opts.evidence ? { evidence: opts.evidence } : {}),
  };
}

export function setting(
  framework: string,
  key: string,
  value: unknown,
  opts: { provenance?: Provenance; evidence?: string; location?: CodeLocation; inTestCode?: boolean } = {},
): SettingObservation {
  return {
    kind: 'setting',
    source: 'code',
    framework,
    key,
    value,
    provenance: opts.provenance ?? { kind: 'explicit' },
    location: opts.location ?? loc('settings.py', 12),
    ...(opts.evidence ? { evidence: opts.evidence } : {}),
    ...(opts.inTestCode !== undefined ? { inTestCode: opts.inTestCode } : {}),
  };
}

export function httpTwin(url: string, opts: Partial<HttpTwinObservation> = {}): HttpTwinObservation {
  return {
    kind: 'http-twin',
    source: 'live',
    url,
    requestedUrl: url.replace(/^http:/, 'https:'),
    reachable: true,
    status: 200,
    redirectsToHttps: false,
    servesContent: true,
    chain: [{ url, scheme: 'http', status: 200, location: null, setCookies: [], hsts: [] }],
    ...opts,
  };
}

export function sessionIdInUrlObs(
  where: SessionIdInUrlObservation['where'],
  url: string,
  parameter: string,
  opts: Partial<SessionIdInUrlObservation> = {},
): SessionIdInUrlObservation {
  return {
    kind: 'session-id-in-url',
    source: where === 'config' ? 'code' : 'live',
    url,
    where,
    parameter,
    ...opts,
  };
}

export function proxyTrust(
  situation: string,
  opts: Partial<ProxyTrustObservation> = {},
): ProxyTrustObservation {
  return {
    kind: 'proxy-trust',
    source: situation === 'secure-without-trust' ? 'code' : 'live',
    framework: 'express-session',
    cookie: 'connect.sid',
    situation,
    ...opts,
  };
}

export function tls(url: string, authorized: boolean, opts: Partial<TlsObservation> = {}): TlsObservation {
  return { kind: 'tls', source: 'live', url, authorized, insecureAllowed: false, ...opts };
}

export function malformedHeader(url: string, raw: string, problem: string): MalformedHeaderObservation {
  return { kind: 'malformed-header', source: 'live', url, header: 'Set-Cookie', raw, problem };
}

export function page(url: string, opts: Partial<PageObservation> = {}): PageObservation {
  return { kind: 'page', source: 'crawl', url, insecureSubresources: [], insecureFormActions: [], ...opts };
}

// ---------------------------------------------------------------------------------------------
// Case tables

type Matcher = string | RegExp;

export interface ExpectedFinding {
  severity: Severity;
  cookie?: string | null;
  url?: string | null;
  location?: Partial<CodeLocation> | null;
  message?: Matcher | Matcher[];
  browser?: Matcher | Matcher[];
  fix?: Matcher | Matcher[];
  evidence?: Matcher | Matcher[] | null;
  framework?: string | null;
}

export interface ValidCase {
  name: string;
  observations: Observation[];
}

export interface InvalidCase {
  name: string;
  observations: Observation[];
  findings: ExpectedFinding[];
}

function check(
  text: string | null | undefined,
  m: Matcher | Matcher[],
  field: string,
  caseName: string,
): void {
  for (const one of Array.isArray(m) ? m : [m]) {
    assert.ok(text !== null && text !== undefined, `${caseName}: ${field} is empty`);
    if (typeof one === 'string')
      assert.ok(
        text.includes(one),
        `${caseName}: ${field} ${JSON.stringify(text)} lacks ${JSON.stringify(one)}`,
      );
    else assert.match(text, one, `${caseName}: ${field}`);
  }
}

/** Assertions every finding must satisfy, whatever the rule. */
export function assertWellFormed(f: Finding, caseName: string): void {
  assert.ok(f.message.trim().length > 0, `${caseName}: empty message`);
  assert.ok(!/[\r\n]/.test(f.message), `${caseName}: message is not one line: ${f.message}`);
  assert.ok((f.browser ?? '').trim().length > 0, `${caseName}: empty browser text`);
  assert.ok((f.fix ?? '').trim().length > 0, `${caseName}: empty fix`);
}

/** Cookie values must never appear in evidence or message (only in rawEvidence). */
export function assertNoValues(f: Finding, observations: readonly Observation[], caseName: string): void {
  for (const o of observations) {
    if (o.kind !== 'cookie' || o.value === undefined || o.value.length < 4) continue;
    assert.ok(!(f.evidence ?? '').includes(o.value), `${caseName}: evidence leaks the value of ${o.name}`);
    assert.ok(!f.message.includes(o.value), `${caseName}: message leaks the value of ${o.name}`);
  }
}

export function runRuleCases(rule: Rule, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  for (const c of cases.valid) {
    test(`${rule.meta.id} valid: ${c.name}`, () => {
      const findings = rule.check(c.observations, { observations: c.observations });
      assert.deepEqual(
        findings.map((f) => `${f.rule} ${f.severity} ${f.message}`),
        [],
        `${c.name}: expected no finding`,
      );
    });
  }
  for (const c of cases.invalid) {
    test(`${rule.meta.id} invalid: ${c.name}`, () => {
      const findings = rule.check(c.observations, { observations: c.observations }).sort(compareFindings);
      assert.equal(
        findings.length,
        c.findings.length,
        `${c.name}: expected ${c.findings.length} finding(s), got ${JSON.stringify(
          findings.map((f) => f.message),
          null,
          1,
        )}`,
      );
      findings.forEach((f, i) => {
        const e = c.findings[i]!;
        const name = `${c.name} #${i}`;
        assert.equal(f.rule, rule.meta.id, name);
        assert.equal(f.severity, e.severity, `${name}: severity (message: ${f.message})`);
        if (e.cookie !== undefined) assert.equal(f.cookie, e.cookie, `${name}: cookie`);
        if (e.url !== undefined) assert.equal(f.url, e.url, `${name}: url`);
        if (e.framework !== undefined) assert.equal(f.framework, e.framework, `${name}: framework`);
        if (e.location === null) assert.equal(f.location, null, `${name}: location`);
        else if (e.location !== undefined) {
          assert.ok(f.location, `${name}: location missing`);
          for (const [k, v] of Object.entries(e.location)) {
            assert.equal((f.location as unknown as Record<string, unknown>)[k], v, `${name}: location.${k}`);
          }
        }
        if (e.message !== undefined) check(f.message, e.message, 'message', name);
        if (e.browser !== undefined) check(f.browser, e.browser, 'browser', name);
        if (e.fix !== undefined) check(f.fix, e.fix, 'fix', name);
        if (e.evidence === null) assert.equal(f.evidence, null, `${name}: evidence`);
        else if (e.evidence !== undefined) check(f.evidence, e.evidence, 'evidence', name);
        assertWellFormed(f, name);
        assertNoValues(f, c.observations, name);
      });
      // The engine reports the rule's findings for the same observations (after merging duplicates).
      const engine = runRules(c.observations).filter((f) => f.rule === rule.meta.id);
      assert.ok(
        engine.length > 0 && engine.length <= findings.length,
        `${c.name}: runRules reports ${engine.length}`,
      );
    });
  }
}
