/** `cookieguard scan [PATH...]`: static audit of source code and configuration. */
import type { ScanConfig } from '../config/types.js';
import { checkScanPath, parseBytes, parsePositiveInt } from './args.js';
import type { AuditOutcome } from './emit.js';
import { createProgress } from './progress.js';

export interface ScanFlags {
  include?: string[];
  exclude?: string[];
  maxFileSize?: string;
  workers?: string;
}

export interface ResolvedScan {
  paths: string[];
  include?: string[];
  exclude?: string[];
  maxFileBytes?: number;
  workers?: number;
}

/** Flags over config; --include / --exclude add to the config's lists. */
export function resolveScan(rawPaths: string[], flags: ScanFlags, config: ScanConfig = {}): ResolvedScan {
  const paths = (rawPaths.length > 0 ? rawPaths : ['.']).map((p) => checkScanPath(p));
  const r: ResolvedScan = { paths };
  const include = [...(config.include ?? []), ...(flags.include ?? [])];
  const exclude = [...(config.exclude ?? []), ...(flags.exclude ?? [])];
  if (include.length > 0) r.include = include;
  if (exclude.length > 0) r.exclude = exclude;
  const max =
    flags.maxFileSize !== undefined ? parseBytes(flags.maxFileSize, '--max-file-size') : config.maxFileSize;
  if (max !== undefined) r.maxFileBytes = max;
  const workers = flags.workers !== undefined ? parsePositiveInt(flags.workers, '--workers') : config.workers;
  if (workers !== undefined) r.workers = workers;
  return r;
}

export async function runScan(resolved: ResolvedScan, io: { quiet: boolean }): Promise<AuditOutcome> {
  const progress = createProgress(process.stderr, { enabled: !io.quiet, noun: 'files', minTotal: 50 });
  // Loaded here, after the arguments were validated: a bad argument never waits for the parsers.
  const { collectCode } = await import('../collect/code/index.js');
  const { runRules } = await import('../rules/index.js');
  let code;
  try {
    code = await collectCode(resolved.paths, {
      include: resolved.include,
      exclude: resolved.exclude,
      maxFileBytes: resolved.maxFileBytes,
      workers: resolved.workers,
      onProgress: (done, total) => progress.update(done, total),
    });
  } finally {
    progress.finish();
  }
  const findings = runRules(code.observations);
  // Every certain edit travels with its finding (SARIF `fixes`), whether or not --fix applies it.
  const { planFixes } = await import('../fix/plan.js');
  const fixPlan = planFixes(findings, code.root);
  for (const p of fixPlan.fixes) p.finding.codeFix = p.fix;
  return {
    findings,
    errors: code.errors,
    observations: code.observations,
    srcRoot: code.root,
    fatal: null,
    fixPlan,
  };
}
