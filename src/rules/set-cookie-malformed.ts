/**
 * set-cookie-malformed: a Set-Cookie header browsers cannot turn into the cookie the code meant.
 * Three cases, one finding each:
 * - a header from which no cookie comes out at all (MalformedHeaderObservation), or a cookie
 *   browsers drop for its syntax (rejection SyntaxError / DisallowedCharacter);
 * - a cookie browsers keep, but not as written: the same attribute repeated with different values
 *   (the last one wins, RFC 6265bis storage model), `Secure=false` / `HttpOnly=false` (the value is
 *   ignored: the flag IS set, §5.6.5/§5.6.6), a Path not starting with `/` (the default path is
 *   used, §5.6.4), an Expires or Max-Age browsers cannot parse (ignored, §5.6.1/§5.6.2), an
 *   attribute value over 1024 bytes (ignored), a misspelt attribute (`HttpOnl`, `SameStie`: ignored).
 * Attributes are read from the raw header (split as §5.6 does); the Set-Cookie parser's issue codes
 * are used for what only it can see.
 */
import type { Finding, Severity } from '../model/finding.js';
import type { CookieObservation, ParseIssue } from '../model/observation.js';
import type { Rule, RuleMeta } from './types.js';
import { cookieFinding, makeFinding } from './build.js';
import * as browser from './browser.js';
import {
  cookieSeverity,
  describeCookie,
  judgedCookies,
  otherRejections,
  rawAttributes,
  REJECTION_WORDS,
} from './cookie-facts.js';
import type { RawAttribute } from './cookie-facts.js';
import { isWhiteSpace, redactSetCookie, setCookieNameColon } from '../cookies/redact.js';
import { REF } from './references.js';

export const meta: RuleMeta = {
  id: 'set-cookie-malformed',
  title: 'Malformed Set-Cookie header',
  description:
    'A Set-Cookie header browsers cannot parse (no cookie is stored) or parse differently from what was meant: a ' +
    'repeated attribute with different values (the last one wins), Secure=false or HttpOnly=false (the flag is set ' +
    'anyway), a relative Path, an unparseable Expires or Max-Age, an over-long attribute value or a misspelt attribute ' +
    '(all ignored).',
  defaultSeverity: 'medium',
  sources: ['live', 'browser', 'har'],
  severityLogic:
    'medium when browsers drop the cookie (session cookies; lowered for others) or no cookie comes out of the header; ' +
    'low when the cookie is kept but not as written (session, CSRF and unrecognised cookies; info for preference, ' +
    'analytics and infrastructure cookies)',
  references: [REF.storageModel, REF.spec],
  rejections: ['SyntaxError', 'DisallowedCharacter'],
};

const KNOWN = ['expires', 'max-age', 'domain', 'path', 'secure', 'httponly', 'samesite', 'partitioned'];
const HARMLESS = new Set([...KNOWN, 'priority', 'comment', 'version']);
/** Parser issue codes that mean the cookie is not kept as written. */
const MEANINGFUL_CODES = new Set<ParseIssue['code']>([
  'invalid-expires',
  'invalid-max-age',
  'attribute-too-long',
  'no-equals',
  'empty-name',
  'invalid-name',
  'non-ascii',
  'control-character',
]);

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** The known attribute an unknown name is probably a typo of (`HttpOnl`, `http_only`, `SameStie`). */
export function misspeltAttribute(name: string): string | undefined {
  const n = name.toLowerCase();
  if (HARMLESS.has(n) || n.length > 32) return undefined;
  const squashed = n.replace(/[-_\s]/g, '');
  for (const k of KNOWN) {
    if (squashed === k.replace('-', '')) return k;
    const limit = k.length >= 6 ? 2 : 1;
    if (editDistance(n, k) <= limit) return k;
  }
  return undefined;
}

const DISPLAY: Record<string, string> = {
  expires: 'Expires',
  'max-age': 'Max-Age',
  domain: 'Domain',
  path: 'Path',
  secure: 'Secure',
  httponly: 'HttpOnly',
  samesite: 'SameSite',
  partitioned: 'Partitioned',
};

/** What in the raw header makes browsers keep something other than what was written. */
export function rawProblems(raw: string): string[] {
  return [...(collectRawProblems(raw) ?? [])];
}

const SECURE = KNOWN.indexOf('secure');
const HTTPONLY = KNOWN.indexOf('httponly');
const PATH = KNOWN.indexOf('path');

/**
 * The index in KNOWN of `s[start, end)` lowercased, or -1. ASCII letters are folded in place; a
 * name with other characters is lowercased as a string, like the attribute names it is compared to.
 */
function knownIndex(s: string, start: number, end: number): number {
  const len = end - start;
  for (let k = 0; k < KNOWN.length; k++) {
    const name = KNOWN[k]!;
    if (name.length !== len) continue;
    let j = 0;
    for (; j < len; j++) {
      let ch = s.charCodeAt(start + j);
      if (ch >= 0x80) return KNOWN.indexOf(s.slice(start, end).toLowerCase());
      if (ch >= 0x41 && ch <= 0x5a) ch |= 0x20;
      if (ch !== name.charCodeAt(j)) break;
    }
    if (j === len) return k;
  }
  return -1;
}

/**
 * rawProblems, or undefined when there is none. The problems depend on the attributes only (what
 * follows the name-value pair), which a site sends the same way in response after response: they
 * are worked out once per distinct attributes text (a bounded cache).
 */
function collectRawProblems(raw: string): readonly string[] | undefined {
  const semi = raw.indexOf(';', setCookieNameColon(raw) + 1);
  if (semi === -1) return undefined; // no attributes
  const attributes = raw.slice(semi);
  let problems = problemsByAttributes.get(attributes);
  if (problems === undefined) {
    problems = scanAttributes(attributes) ?? null;
    if (problemsByAttributes.size >= 1024) problemsByAttributes.clear();
    problemsByAttributes.set(attributes, problems);
  }
  return problems ?? undefined;
}

const problemsByAttributes = new Map<string, readonly string[] | null>();

/**
 * The problems of the attributes of a header (from the `;` that ends its name-value pair), or
 * undefined: scanned in place, with rawAttributes' split and trimming (RFC 6265bis §5.6), and only
 * the text a problem quotes sliced out.
 */
function scanAttributes(raw: string): string[] | undefined {
  let problems: string[] | undefined;
  let semi = 0;
  let seen = 0;
  let repeated = false;
  while (semi !== -1) {
    const partStart = semi + 1;
    let partEnd = partStart;
    let eq = -1;
    for (; partEnd < raw.length; partEnd++) {
      const ch = raw.charCodeAt(partEnd);
      if (ch === 0x3b) break; // ';'
      if (ch === 0x3d && eq === -1) eq = partEnd; // '='
    }
    semi = partEnd < raw.length ? partEnd : -1;
    // name = trimmed [partStart, eq or partEnd), value = trimmed (eq, partEnd) or null
    let ns = partStart;
    let ne = eq === -1 ? partEnd : eq;
    while (ns < ne && isWhiteSpace(raw.charCodeAt(ns))) ns++;
    while (ne > ns && isWhiteSpace(raw.charCodeAt(ne - 1))) ne--;
    let vs = eq + 1;
    let ve = partEnd;
    if (eq !== -1) {
      while (vs < ve && isWhiteSpace(raw.charCodeAt(vs))) vs++;
      while (ve > vs && isWhiteSpace(raw.charCodeAt(ve - 1))) ve--;
    }
    if (ns === ne && (eq === -1 || vs === ve)) continue; // an empty attribute
    const k = knownIndex(raw, ns, ne);
    if (k === -1) {
      const name = raw.slice(ns, ne);
      const typo = misspeltAttribute(name);
      if (typo !== undefined) {
        (problems ??= []).push(
          `"${name}" is not an attribute browsers know (${DISPLAY[typo]} misspelt?): it is ignored`,
        );
      }
      continue;
    }
    if (seen & (1 << k)) repeated = true;
    seen |= 1 << k;
    if ((k === SECURE || k === HTTPONLY) && eq !== -1 && vs < ve) {
      let ts = partStart;
      let te = partEnd;
      while (ts < te && isWhiteSpace(raw.charCodeAt(ts))) ts++;
      while (te > ts && isWhiteSpace(raw.charCodeAt(te - 1))) te--;
      (problems ??= []).push(
        `"${raw.slice(ts, te)}": browsers ignore the value, the cookie IS ${DISPLAY[KNOWN[k]!]}`,
      );
    }
    if (k === PATH && eq !== -1 && (vs === ve || raw.charCodeAt(vs) !== 0x2f)) {
      (problems ??= []).push(
        `Path=${raw.slice(vs, ve)} does not start with "/": browsers use the default path instead`,
      );
    }
  }
  if (repeated) {
    for (const p of repeatedAttributeProblems(rawAttributes(raw))) (problems ??= []).push(p);
  }
  return problems;
}

/** A known attribute given several times with different values: browsers use the last one. */
function repeatedAttributeProblems(attrs: readonly RawAttribute[]): string[] {
  const problems: string[] = [];
  const byName = new Map<string, (string | null)[]>();
  for (const a of attrs) {
    const n = a.name.toLowerCase();
    if (KNOWN.includes(n)) byName.set(n, [...(byName.get(n) ?? []), a.value]);
  }
  for (const [n, values] of byName) {
    if (values.length < 2) continue;
    const norm = values.map((v) =>
      n === 'samesite' || n === 'domain' ? (v ?? '').toLowerCase() : (v ?? ''),
    );
    if (new Set(norm).size > 1) {
      problems.push(
        `${DISPLAY[n]} appears ${values.length} times with different values (${values.map((v) => v ?? '(none)').join(', ')}): browsers use the last one`,
      );
    }
  }
  return problems;
}

const NO_ISSUES: readonly string[] = Object.freeze([]);

function meaningfulIssues(c: CookieObservation): readonly string[] {
  const issues = c.parseIssues;
  if (issues === undefined || issues.length === 0) return NO_ISSUES;
  return issues.filter((i) => MEANINGFUL_CODES.has(i.code)).map((i) => i.message);
}

export const rule: Rule = {
  meta,
  check(observations, ctx) {
    const out: Finding[] = [];
    for (let i = 0; i < observations.length; i++) {
      const o = observations[i]!;
      if (o.kind !== 'malformed-header') continue;
      const isSetCookie = o.header.toLowerCase() === 'set-cookie';
      const raw = `${o.header}: ${o.raw}`;
      out.push(
        makeFinding({
          meta,
          observation: o,
          severity: 'medium',
          message: `A ${o.header} header from ${o.url} is malformed: ${o.problem}`,
          browser: browser.malformed(),
          fix: 'Send one well-formed header per cookie: `Set-Cookie: NAME=VALUE; Path=/; Secure; HttpOnly; SameSite=Lax`, each attribute once',
          evidence: isSetCookie ? redactSetCookie(raw) : raw,
          rawEvidence: raw,
          url: o.url,
        }),
      );
    }
    const judged = judgedCookies(observations, ctx);
    for (let i = 0; i < judged.length; i++) {
      const { cookie: c, primary } = judged[i]!;
      let severity: Severity;
      let message: string;
      if (primary === 'SyntaxError' || primary === 'DisallowedCharacter') {
        const details = meaningfulIssues(c);
        const also = otherRejections(c, primary);
        severity = cookieSeverity('medium', c);
        message =
          `${describeCookie(c)} is dropped by browsers: ${REJECTION_WORDS[primary]}` +
          (details.length > 0 ? ` (${details.join('; ')})` : '') +
          (also.length > 0 ? ` (also: ${also.join('; ')})` : '');
      } else {
        if (primary !== null) continue; // rejected for another reason: that rule reports it
        const fromRaw = c.raw !== undefined ? collectRawProblems(c.raw) : undefined;
        const issues = meaningfulIssues(c);
        if (fromRaw === undefined && issues.length === 0) continue;
        const problems = [...(fromRaw ?? []), ...issues];
        severity = cookieSeverity('low', c);
        message = `${describeCookie(c)} is not stored as written: ${problems.join('; ')}`;
      }
      out.push(
        cookieFinding({
          meta,
          cookie: c,
          severity,
          message: c.delivery ? `${message} (set by ${c.delivery.url})` : message,
          browser: browser.malformed(),
          fix:
            'Write each attribute once, with a valid value: `Set-Cookie: NAME=VALUE; Path=/; Secure; HttpOnly; SameSite=Lax` ' +
            "(flags take no value; Expires is an HTTP-date; Max-Age is an integer); set cookies through the framework's API rather than by hand",
        }),
      );
    }
    return out;
  },
};

export default rule;
