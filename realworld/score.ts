/**
 * Scores a `scan` JSON report against a reviewed truth file (realworld/README.md says how).
 * Pure: no I/O, so that the scoring itself is tested (test/realworld/score.test.ts).
 */

export type Severity = 'high' | 'medium' | 'low' | 'info';
const SEVERITIES: readonly Severity[] = ['high', 'medium', 'low', 'info'];

export interface TruthLocation {
  file: string;
  line: number;
}

export interface TruthFinding {
  id: string;
  rule: string;
  rules?: string[];
  severity: Severity;
  cookie: string | null;
  at: TruthLocation[];
  code?: string;
  why?: string;
  optional?: boolean;
}

export interface TruthUnresolved {
  setting: string;
  at: TruthLocation[];
  why?: string;
}

export interface TruthTrap {
  at: TruthLocation;
  code?: string;
  why?: string;
  not?: { rule?: string; cookie?: string | null };
}

export interface Truth {
  project: string;
  repo: string;
  commit: string;
  language: 'php' | 'python' | 'javascript';
  frameworks?: string[];
  scan?: string;
  summary?: string;
  findings: TruthFinding[];
  unresolved: TruthUnresolved[];
  traps: TruthTrap[];
}

/** The part of a JSON report finding the scorer reads. */
export interface ReportedFinding {
  rule: string;
  severity: Severity;
  cookie: string | null;
  message: string;
  location: { file: string; line: number; column?: number } | null;
}

/** Lines a reported location may be away from a truth location and still match. */
export const LINE_SLACK = 2;

export class TruthError extends Error {}

function str(v: unknown, what: string): string {
  if (typeof v !== 'string' || v === '') throw new TruthError(`${what} must be a non-empty string`);
  return v;
}

function loc(v: unknown, what: string): TruthLocation {
  if (typeof v !== 'object' || v === null) throw new TruthError(`${what} must be { file, line }`);
  const o = v as Record<string, unknown>;
  const line = o.line;
  if (typeof line !== 'number' || !Number.isInteger(line) || line < 1)
    throw new TruthError(`${what}.line must be a positive integer`);
  return { file: str(o.file, `${what}.file`).replace(/^\.\//, ''), line };
}

function locs(v: unknown, what: string): TruthLocation[] {
  const list = Array.isArray(v) ? v : [v];
  if (list.length === 0) throw new TruthError(`${what} needs at least one location`);
  return list.map((x, i) => loc(x, `${what}[${i}]`));
}

function severity(v: unknown, what: string): Severity {
  if (!SEVERITIES.includes(v as Severity))
    throw new TruthError(`${what} must be one of ${SEVERITIES.join(', ')}`);
  return v as Severity;
}

/** Checks a parsed truth file's shape; throws TruthError naming the first problem. */
export function validateTruth(raw: unknown, name: string): Truth {
  if (typeof raw !== 'object' || raw === null) throw new TruthError(`${name}: not a mapping`);
  const t = raw as Record<string, unknown>;
  const project = str(t.project, `${name}: project`);
  const commit = str(t.commit, `${name}: commit`);
  if (!/^[0-9a-f]{40}$/.test(commit)) throw new TruthError(`${name}: commit must be 40 lowercase hex digits`);
  const language = t.language;
  if (language !== 'php' && language !== 'python' && language !== 'javascript')
    throw new TruthError(`${name}: language must be php, python or javascript`);
  const ids = new Set<string>();
  const findings = ((t.findings ?? []) as unknown[]).map((f, i): TruthFinding => {
    const w = `${name}: findings[${i}]`;
    const o = f as Record<string, unknown>;
    const id = str(o.id, `${w}.id`);
    if (ids.has(id)) throw new TruthError(`${w}: id ${id} is used twice`);
    ids.add(id);
    const cookie = o.cookie === null || o.cookie === undefined ? null : String(o.cookie);
    const out: TruthFinding = {
      id,
      rule: str(o.rule, `${w}.rule`),
      severity: severity(o.severity, `${w}.severity`),
      cookie,
      at: locs(o.at, `${w}.at`),
    };
    if (Array.isArray(o.rules)) out.rules = o.rules.map((r, j) => str(r, `${w}.rules[${j}]`));
    if (typeof o.code === 'string') out.code = o.code;
    if (typeof o.why === 'string') out.why = o.why;
    if (o.optional === true) out.optional = true;
    return out;
  });
  const unresolved = ((t.unresolved ?? []) as unknown[]).map((u, i): TruthUnresolved => {
    const o = u as Record<string, unknown>;
    const w = `${name}: unresolved[${i}]`;
    const out: TruthUnresolved = { setting: str(o.setting, `${w}.setting`), at: locs(o.at, `${w}.at`) };
    if (typeof o.why === 'string') out.why = o.why;
    return out;
  });
  const traps = ((t.traps ?? []) as unknown[]).map((x, i): TruthTrap => {
    const o = x as Record<string, unknown>;
    const w = `${name}: traps[${i}]`;
    const out: TruthTrap = { at: loc(o.at, `${w}.at`) };
    if (typeof o.code === 'string') out.code = o.code;
    if (typeof o.why === 'string') out.why = o.why;
    if (typeof o.not === 'object' && o.not !== null) {
      const n = o.not as Record<string, unknown>;
      out.not = {};
      if (typeof n.rule === 'string') out.not.rule = n.rule;
      if (n.cookie !== undefined) out.not.cookie = n.cookie === null ? null : String(n.cookie);
    }
    return out;
  });
  const truth: Truth = {
    project,
    repo: str(t.repo, `${name}: repo`),
    commit,
    language,
    findings,
    unresolved,
    traps,
  };
  if (Array.isArray(t.frameworks)) truth.frameworks = t.frameworks.map(String);
  if (typeof t.scan === 'string' && t.scan !== '.' && t.scan !== '') truth.scan = t.scan.replace(/\/+$/, '');
  if (typeof t.summary === 'string') truth.summary = t.summary;
  return truth;
}

function globRegExp(pattern: string): RegExp {
  const body = pattern
    .split('*')
    .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 'i');
}

/**
 * A name turned into a pattern: `<...>` placeholders and `*` match anything. A name that is one
 * placeholder as a whole may hold `>` itself (`<$this->key.'_as'>`, the code of a computed name).
 */
function namePattern(name: string): string {
  if (/^<.*>$/s.test(name)) return '*';
  return name.replace(/<[^<>]*>/g, '*');
}

/** Cookie names compared case-insensitively, with `*` and `<...>` placeholders as wildcards on either side. */
export function cookieMatches(truth: string | null, reported: string | null): boolean {
  if (truth === null || reported === null) return truth === reported;
  const t = namePattern(truth);
  const r = namePattern(reported);
  return globRegExp(t).test(r) || globRegExp(r).test(t);
}

function atMatches(at: readonly TruthLocation[], reported: ReportedFinding): boolean {
  const l = reported.location;
  if (l === null) return false;
  return at.some((a) => a.file === l.file && Math.abs(a.line - l.line) <= LINE_SLACK);
}

function ruleMatches(f: TruthFinding, rule: string): boolean {
  return f.rule === rule || (f.rules?.includes(rule) ?? false);
}

export function findingMatches(f: TruthFinding, r: ReportedFinding): boolean {
  return ruleMatches(f, r.rule) && cookieMatches(f.cookie, r.cookie) && atMatches(f.at, r);
}

const atLeastMedium = (s: Severity) => s === 'high' || s === 'medium';
const atLeastLow = (s: Severity) => s !== 'info';

export interface Pair {
  truth: TruthFinding;
  reported: ReportedFinding;
}

export interface ProjectScore {
  /** Required high/medium entries. */
  expected: TruthFinding[];
  /** Required high/medium entries matched by a high/medium finding. */
  found: Pair[];
  /** Required high/medium entries not found (or found only at low/info). */
  missed: { truth: TruthFinding; reportedAs?: ReportedFinding }[];
  /** Reported findings at low or above that match no entry, with the trap they fell into, if any. */
  falseAlarms: { reported: ReportedFinding; trap?: TruthTrap }[];
  /** Reported findings at low or above that matched an entry (any severity, optional ones too). */
  matched: Pair[];
  /** Matched pairs whose severities differ. */
  severityDiffs: Pair[];
  /** `unresolved` entries and whether a `cookie-config-unresolved` finding covers each. */
  unresolved: { truth: TruthUnresolved; found: boolean }[];
  /** `cookie-config-unresolved` findings that no `unresolved` entry names. */
  extraUnresolved: ReportedFinding[];
  /** Reported findings at or above low. */
  reportedCount: number;
}

const UNRESOLVED_RULE = 'cookie-config-unresolved';

function trapFor(traps: readonly TruthTrap[], r: ReportedFinding): TruthTrap | undefined {
  const l = r.location;
  if (l === null) return undefined;
  return traps.find(
    (t) =>
      t.at.file === l.file &&
      Math.abs(t.at.line - l.line) <= LINE_SLACK &&
      (t.not?.rule === undefined || t.not.rule === r.rule) &&
      (t.not?.cookie === undefined || cookieMatches(t.not.cookie, r.cookie)),
  );
}

/**
 * Pairs findings with truth entries, one to one. Required high/medium entries are served first, by
 * findings that are high/medium themselves, so that a stray low finding cannot take the place of
 * the finding that recall is about.
 */
export function scoreProject(truth: Truth, reported: readonly ReportedFinding[]): ProjectScore {
  const judged = reported.filter((r) => r.rule !== UNRESOLVED_RULE);
  const taken = new Set<number>();
  const pairs = new Map<TruthFinding, ReportedFinding>();
  const take = (entries: readonly TruthFinding[], accept: (r: ReportedFinding) => boolean) => {
    for (const f of entries) {
      if (pairs.has(f)) continue;
      const i = judged.findIndex((r, k) => !taken.has(k) && accept(r) && findingMatches(f, r));
      if (i >= 0) {
        taken.add(i);
        pairs.set(f, judged[i]!);
      }
    }
  };
  const expected = truth.findings.filter((f) => !f.optional && atLeastMedium(f.severity));
  take(expected, (r) => atLeastMedium(r.severity));
  take(truth.findings, () => true);

  const found: Pair[] = [];
  const missed: ProjectScore['missed'] = [];
  for (const f of expected) {
    const r = pairs.get(f);
    if (r !== undefined && atLeastMedium(r.severity)) found.push({ truth: f, reported: r });
    else missed.push(r === undefined ? { truth: f } : { truth: f, reportedAs: r });
  }
  const matched: Pair[] = [];
  for (const [f, r] of pairs) if (atLeastLow(r.severity)) matched.push({ truth: f, reported: r });
  const falseAlarms: ProjectScore['falseAlarms'] = [];
  judged.forEach((r, k) => {
    if (taken.has(k) || !atLeastLow(r.severity)) return;
    const trap = trapFor(truth.traps, r);
    falseAlarms.push(trap === undefined ? { reported: r } : { reported: r, trap });
  });
  const severityDiffs = [...pairs]
    .filter(([f, r]) => f.severity !== r.severity)
    .map(([f, r]) => ({ truth: f, reported: r }));

  const unresolvedReported = reported.filter((r) => r.rule === UNRESOLVED_RULE);
  const usedUnresolved = new Set<ReportedFinding>();
  const unresolved = truth.unresolved.map((u) => {
    const hit = unresolvedReported.find(
      (r) =>
        !usedUnresolved.has(r) &&
        r.location !== null &&
        u.at.some((a) => a.file === r.location!.file && Math.abs(a.line - r.location!.line) <= LINE_SLACK),
    );
    if (hit) usedUnresolved.add(hit);
    return { truth: u, found: hit !== undefined };
  });
  const extraUnresolved = unresolvedReported.filter((r) => !usedUnresolved.has(r));
  return {
    expected,
    found,
    missed,
    falseAlarms,
    matched,
    severityDiffs,
    unresolved,
    extraUnresolved,
    reportedCount: judged.filter((r) => atLeastLow(r.severity)).length,
  };
}

export interface Totals {
  projects: number;
  expected: number;
  found: number;
  falseAlarms: number;
  matched: number;
  reported: number;
  unresolvedExpected: number;
  unresolvedFound: number;
}

export function emptyTotals(): Totals {
  return {
    projects: 0,
    expected: 0,
    found: 0,
    falseAlarms: 0,
    matched: 0,
    reported: 0,
    unresolvedExpected: 0,
    unresolvedFound: 0,
  };
}

export function addScore(t: Totals, s: ProjectScore): void {
  t.projects += 1;
  t.expected += s.expected.length;
  t.found += s.found.length;
  t.falseAlarms += s.falseAlarms.length;
  t.matched += s.matched.length;
  t.reported += s.reportedCount;
  t.unresolvedExpected += s.unresolved.length;
  t.unresolvedFound += s.unresolved.filter((u) => u.found).length;
}

/** Recall of high/medium entries (1 when none is expected), precision over findings at low or above. */
export function ratios(t: Totals): { recall: number; precision: number; alarmsPerProject: number } {
  return {
    recall: t.expected === 0 ? 1 : t.found / t.expected,
    precision: t.reported === 0 ? 1 : t.matched / t.reported,
    alarmsPerProject: t.projects === 0 ? 0 : t.falseAlarms / t.projects,
  };
}
