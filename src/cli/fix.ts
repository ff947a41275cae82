/** `scan --fix` / `scan --fix --dry-run`: plan, apply (or diff), and say what was left and why. */
import { applyIgnores } from '../config/ignore.js';
import type { IgnoreEntry } from '../config/types.js';
import type { Finding } from '../model/finding.js';
import { applyFixes } from '../fix/apply.js';
import { planFixes, type Unfixed } from '../fix/plan.js';
import type { AuditOutcome } from './emit.js';

/** Lines of "not fixed" reasons printed before the rest is counted. */
const MAX_REASONS = 20;

export function runFix(
  outcome: AuditOutcome,
  ignore: readonly IgnoreEntry[],
  opts: { dryRun: boolean; quiet: boolean; say: (line: string) => void },
): { diff: string; changed: number; remaining: Finding[] } {
  // An ignored finding is an accepted risk: it is not changed either. The plan is the scan's.
  const { kept } = applyIgnores(outcome.findings, ignore);
  const keep = new Set(kept);
  const plan = outcome.fixPlan ?? planFixes(outcome.findings, outcome.srcRoot);
  const ignored: Unfixed[] = plan.fixes
    .filter((p) => !keep.has(p.finding))
    .map((p) => ({ finding: p.finding, reason: "accepted by the config's ignore list" }));
  const fixes = plan.fixes.filter((p) => keep.has(p.finding));
  const unfixed = plan.unfixed.filter((u) => keep.has(u.finding));
  const result = applyFixes(fixes, outcome.srcRoot!, { write: !opts.dryRun });
  const fixed = new Set(result.applied.map((p) => p.finding));
  const remaining = kept.filter((f) => !fixed.has(f));
  if (!opts.quiet) {
    const n = result.applied.length;
    const verb = opts.dryRun ? 'would fix' : 'fixed';
    opts.say(
      n === 0
        ? 'no finding has a safe mechanical fix'
        : `${verb} ${n} finding${n === 1 ? '' : 's'} in ${result.files.length} file${result.files.length === 1 ? '' : 's'}: ${result.files.join(', ')}`,
    );
    const left = [...unfixed, ...result.refused, ...ignored];
    left.slice(0, MAX_REASONS).forEach((u) => {
      const at = u.finding.location
        ? `${u.finding.location.file}:${u.finding.location.line}`
        : (u.finding.url ?? '');
      opts.say(`not fixed: ${at} ${u.finding.rule} (${u.finding.cookie ?? 'site-wide'}): ${u.reason}`);
    });
    if (left.length > MAX_REASONS) opts.say(`not fixed: ${left.length - MAX_REASONS} more`);
  }
  return { diff: result.diff, changed: result.files.length, remaining };
}
