/**
 * Building findings: the fields every finding carries (source, location or URL, framework,
 * classification, redacted and raw evidence), the "in test code → info" principle, and the key
 * under which runRules merges duplicates ("one cookie, one problem, one finding per URL or code
 * location").
 */
import type { Finding, RelatedLocation, Severity } from '../model/finding.js';
import type { Attr, CodeLocation, CookieObservation, Observation } from '../model/observation.js';
import type { RuleMeta } from './types.js';
import { cookieFramework } from './cookie-facts.js';
import { isWhiteSpace, redactKnownValues, redactSetCookie, redactSetCookieValue } from '../cookies/redact.js';

/** How runRules merges a finding with others of the same rule: same key → one finding. */
export interface DedupeInfo {
  key: string;
  /** Lower is preferred as the representative (e.g. the earliest redirect hop). */
  rank: number;
}

/** Where makeFinding records merge keys while runRules runs (nowhere otherwise: nothing reads them). */
let recording: Map<Finding, DedupeInfo> | null = null;

/** Runs `fn`, recording the merge key of every finding made meanwhile. */
export function recordDedupeInfo<T>(fn: () => T): { result: T; info: ReadonlyMap<Finding, DedupeInfo> } {
  const outer = recording;
  const info = new Map<Finding, DedupeInfo>();
  recording = info;
  try {
    return { result: fn(), info };
  } finally {
    recording = outer;
  }
}

export function locationKey(l: CodeLocation | null | undefined): string {
  return l ? `${l.file}:${l.line}:${l.column}` : '';
}

export interface FindingInput {
  meta: RuleMeta;
  observation: Observation;
  severity: Severity;
  message: string;
  browser: string;
  fix: string;
  evidence?: string | null;
  rawEvidence?: string | null;
  cookie?: string | null;
  location?: CodeLocation | null;
  url?: string | null;
  framework?: string | null;
  classification?: string;
  snippet?: string;
  related?: RelatedLocation[];
  /** Merge key within the rule (defaults to source + cookie + url + location). */
  dedupeKey?: string;
  dedupeRank?: number;
}

function inTestCode(o: Observation): boolean {
  return 'inTestCode' in o && o.inTestCode === true;
}

/** The helper function that writes the cookie, when no scanned code calls it (CookieObservation.unusedHelper). */
function unusedHelper(o: Observation): string | undefined {
  return o.kind === 'cookie' ? o.unusedHelper : undefined;
}

/** The fields a finding carries only when they say something (makeFinding and cookieFinding). */
function addOptionalFields(
  f: Finding,
  classification: string | undefined,
  snippet: string | undefined,
  related: RelatedLocation[] | undefined,
  rawEvidence: string | null | undefined,
): void {
  if (classification !== undefined) f.classification = classification;
  if (snippet !== undefined) f.snippet = snippet;
  if (related !== undefined && related.length > 0) f.related = related;
  if (rawEvidence !== undefined && rawEvidence !== null && rawEvidence !== f.evidence)
    f.rawEvidence = rawEvidence;
}

/**
 * The fields every finding has (makeFinding and cookieFinding): findings from test code are info
 * and say so.
 */
function baseFinding(
  meta: RuleMeta,
  o: Observation,
  severity: Severity,
  message: string,
  cookie: string | null,
  location: CodeLocation | null,
  url: string | null,
  evidence: string | null,
  fix: string,
  framework: string | null,
  browser: string,
): Finding {
  const test = inTestCode(o);
  const helper = unusedHelper(o);
  return {
    rule: meta.id,
    severity: test || helper !== undefined ? 'info' : severity,
    source: o.source,
    message: test
      ? `${message} (in test code: reported at info)`
      : helper !== undefined
        ? `${message} (written by ${helper}(), which takes the cookie name as a parameter and which no scanned code calls: its callers, such as inline scripts of HTML pages, decide which cookie it is; reported at info)`
        : message,
    cookie,
    location,
    url,
    evidence,
    fix,
    framework,
    browser,
  };
}

/** A finding with the common fields filled in; findings from test code are info and say so. */
export function makeFinding(input: FindingInput): Finding {
  const f = baseFinding(
    input.meta,
    input.observation,
    input.severity,
    input.message,
    input.cookie ?? null,
    input.location ?? null,
    input.url ?? null,
    input.evidence ?? null,
    input.fix,
    input.framework ?? null,
    input.browser,
  );
  addOptionalFields(f, input.classification, input.snippet, input.related, input.rawEvidence);
  if (recording !== null) {
    const key =
      input.dedupeKey ??
      [
        f.source,
        f.cookie ?? '',
        f.url ?? '',
        locationKey(f.location),
        f.cookie === null ? f.message : '',
      ].join('\u0000');
    recording.set(f, { key, rank: input.dedupeRank ?? 0 });
  }
  return f;
}

/** Evidence of a cookie: the redacted Set-Cookie header (live), or the code that decided `attr`. */
export function cookieEvidence(
  c: CookieObservation,
  attr?: Attr<unknown>,
): { evidence: string | null; rawEvidence: string | null } {
  if (c.raw !== undefined) {
    if (startsWithSetCookieName(c.raw)) return { evidence: redactSetCookie(c.raw), rawEvidence: c.raw };
    return { evidence: redactSetCookieValue(c.raw), rawEvidence: `Set-Cookie: ${c.raw}` };
  }
  const text = attr?.evidence ?? firstLine(c.snippet) ?? null;
  if (text === null) return { evidence: null, rawEvidence: null };
  return { evidence: redactKnownValues(text, [c.value]), rawEvidence: text };
}

const SET_COOKIE_NAME = /^\s*set-cookie\s*:/i;

function startsWithSetCookieName(raw: string): boolean {
  // Only 's', 'S' or white space can start a match: skip the regular expression for `name=value`.
  const ch = raw.charCodeAt(0);
  return (ch === 0x73 || ch === 0x53 || isWhiteSpace(ch)) && SET_COOKIE_NAME.test(raw);
}

function firstLine(s: string | undefined): string | undefined {
  if (s === undefined) return undefined;
  const line = s.split(/\r?\n/).find((l) => l.trim() !== '');
  return line?.trim();
}

export interface CookieFindingInput {
  meta: RuleMeta;
  cookie: CookieObservation;
  severity: Severity;
  message: string;
  browser: string;
  fix: string;
  /** The attribute the finding is about: its code location and evidence are preferred. */
  attr?: Attr<unknown>;
  evidence?: { evidence: string | null; rawEvidence: string | null };
  related?: RelatedLocation[];
  /** The finding is the browser's block itself: no "(Chromium blocked it, ...)" suffix. */
  reportsBlock?: boolean;
}

/**
 * check --browser: a finding about a cookie Chromium blocked says so, with Chromium's own reason
 * (or that a script's write was not kept), whichever rule reports it, except a finding that is
 * the block itself (`reportsBlock`: its message already says it).
 */
function withBrowserVerdict(message: string, b: NonNullable<CookieObservation['blockedByBrowser']>): string {
  const why =
    b.reasons.length > 0 ? `its reason: ${b.reasons.join(', ')}` : 'it was not in its jar after the write';
  return `${message} (Chromium blocked it, ${why})`;
}

/**
 * A finding about one cookie. Live: `url` is where it was delivered and duplicates merge per
 * (rule, cookie, requested URL), keeping the earliest hop. Code: `location` is the attribute's
 * location if known, else the observation's, and duplicates merge per (rule, cookie, location).
 */
export function cookieFinding(input: CookieFindingInput): Finding {
  // Not through makeFinding and a FindingInput: a run makes a thousand of these.
  const c = input.cookie;
  const location = input.attr?.location ?? c.location ?? null;
  const ev = input.evidence ?? cookieEvidence(c, input.attr);
  const d = c.delivery;
  const f = baseFinding(
    input.meta,
    c,
    input.severity,
    c.blockedByBrowser === undefined || input.reportsBlock === true
      ? input.message
      : withBrowserVerdict(input.message, c.blockedByBrowser),
    c.name ?? null,
    location,
    d?.url ?? null,
    ev.evidence ?? null,
    input.fix,
    cookieFramework(c) ?? null,
    input.browser,
  );
  addOptionalFields(
    f,
    c.classification.reason,
    input.attr?.snippet ?? c.snippet,
    input.related,
    ev.rawEvidence,
  );
  if (recording !== null) {
    const key = `${c.source}\u0000${c.name}\u0000${d ? d.requestedUrl || d.url : ''}\u0000${d ? '' : locationKey(location)}`;
    recording.set(f, { key, rank: d?.hop ?? 0 });
  }
  return f;
}
