/**
 * The end of every audit command: apply the config's ignore list, scrub secrets, render the report
 * in the chosen format, write it, and turn the outcome into the exit code of spec/findings.md.
 */
import type { Finding, Report, ReportError } from '../model/finding.js';
import type { Observation } from '../model/observation.js';
import { applyIgnores, describeEntry } from '../config/ignore.js';
import type { IgnoreEntry } from '../config/types.js';
import { render } from '../report/index.js';
import type { FailOn, Format } from '../report/types.js';
import { reachesThreshold } from '../report/types.js';
import type { RuleMeta } from '../rules/types.js';
import type { FixPlan } from '../fix/plan.js';
import { VERSION } from '../version.js';
import { writeFileAtomic, writeStdout, useColor } from './output.js';
import { scrubErrors, scrubFindings, scrubString, secretsOf } from './secrets.js';
import { splitByBaseline } from '../report/baseline.js';

export interface CommonOptions {
  format: Format;
  /** Absolute path, or undefined for stdout. */
  output?: string;
  failOn: FailOn;
  showValues: boolean;
  /** False with --no-color. */
  color: boolean;
  quiet: boolean;
  /** --explain / --verbose: the long text report. */
  explain?: boolean;
  /** --baseline: the findings of the earlier report (its path as given, for messages). */
  baseline?: { file: string; findings: readonly Finding[] };
}

export interface AuditOutcome {
  findings: Finding[];
  errors: ReportError[];
  /** Everything collected (for secret scrubbing). */
  observations: readonly Observation[];
  /** Absolute root that code locations are relative to. */
  srcRoot: string | null;
  /** Set when the command could not do its job (e.g. no URL reachable): printed, exit 2. */
  fatal: string | null;
  /** Values the user gave that must not be echoed (--cookie / --header values). */
  userSecrets?: readonly string[];
  /** Findings already suppressed by an ignore list before this run (the parts of a `merge`). */
  suppressedBefore?: number;
  /** scan: the fixes planned for `findings` (made by --fix, offered as `codeFix` otherwise). */
  fixPlan?: FixPlan;
}

export interface EmitContext {
  ignore: readonly IgnoreEntry[];
  rules: readonly RuleMeta[];
  env?: NodeJS.ProcessEnv;
  warn: (line: string) => void;
}

export function exitCodeFor(findings: readonly Finding[], failOn: FailOn): 0 | 1 {
  return findings.some((f) => reachesThreshold(f.severity, failOn)) ? 1 : 0;
}

/** The findings of a run sorted the way every report and exit code sees them. */
export interface Sorted {
  /** Not accepted by the config's ignore list. */
  kept: Finding[];
  /** How many the ignore list accepted. */
  suppressed: number;
  /** Ignore entries past their date (their findings are in `kept`). */
  expired: IgnoreEntry[];
  /** `kept` not in the baseline: what is reported and decides the exit code. */
  fresh: Finding[];
  /** `kept` in the baseline; null without --baseline. */
  unchanged: Finding[] | null;
  exitCode: 0 | 1;
}

/**
 * The config's ignore list, then the baseline, then --fail-on: what every audit command (and
 * `scan --fix --dry-run`, which writes no report) exits with. `secrets` as from secretsOf.
 */
export function sortFindings(
  findings: readonly Finding[],
  ignore: readonly IgnoreEntry[],
  opts: Pick<CommonOptions, 'failOn' | 'baseline'>,
  secrets: readonly string[],
): Sorted {
  const { kept, suppressed, expired } = applyIgnores(findings, ignore);
  // Matched in the form reports are written in (values redacted), whether or not this one shows them:
  // a baseline written without --show-values holds URLs with <redacted> in place of session ids.
  const split = opts.baseline
    ? splitByBaseline(kept, opts.baseline.findings, (s) => scrubString(s, secrets))
    : null;
  const fresh = split ? split.fresh : kept;
  return {
    kept,
    suppressed,
    expired,
    fresh,
    unchanged: split ? split.unchanged : null,
    exitCode: exitCodeFor(fresh, opts.failOn),
  };
}

export async function emitReport(
  outcome: AuditOutcome,
  opts: CommonOptions,
  ctx: EmitContext,
): Promise<number> {
  const secrets = secretsOf(outcome.observations, outcome.userSecrets ?? []);
  const sorted = sortFindings(outcome.findings, ctx.ignore, opts, secrets);
  const { suppressed, expired } = sorted;
  if (!opts.quiet) {
    for (const e of expired) {
      ctx.warn(
        `warning: ignore entry ${describeEntry(e)} expired on ${e.expires}; its findings are reported again`,
      );
    }
    const known = new Set(ctx.rules.map((r) => r.id));
    if (known.size > 0) {
      for (const e of ctx.ignore) {
        if (!known.has(e.rule))
          ctx.warn(`warning: ignore entry names an unknown rule ${JSON.stringify(e.rule)}`);
      }
    }
  }

  let findings = sorted.fresh;
  let unchanged = sorted.unchanged ?? [];
  let errors = outcome.errors;
  if (!opts.showValues) {
    findings = scrubFindings(findings, secrets);
    unchanged = scrubFindings(unchanged, secrets);
    errors = scrubErrors(errors, secrets);
  }

  const report: Report = { version: 1, tool: { name: 'cookieguard', version: VERSION }, findings, errors };
  const color = useColor({
    colorFlag: opts.color && opts.format === 'text',
    toFile: opts.output !== undefined,
    isTTY: process.stdout.isTTY === true,
    env: ctx.env ?? process.env,
  });
  const text = render(opts.format, report, {
    showValues: opts.showValues,
    color,
    failOn: opts.failOn,
    suppressed: suppressed + (outcome.suppressedBefore ?? 0),
    rules: ctx.rules,
    srcRoot: outcome.srcRoot,
    executionSuccessful: outcome.fatal === null,
    explain: opts.explain === true,
    // Wrap to the terminal when the report goes to one; 80 columns in files and pipes.
    width: opts.output === undefined && process.stdout.isTTY === true ? (process.stdout.columns ?? 80) : 80,
    ...(sorted.unchanged ? { baseline: { unchanged } } : {}),
  });
  if (opts.output !== undefined) writeFileAtomic(opts.output, text);
  else await writeStdout(text);

  if (outcome.fatal !== null) {
    ctx.warn(outcome.fatal);
    return 2;
  }
  return sorted.exitCode;
}
