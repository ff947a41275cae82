/** `cookieguard har FILE...`: audit recorded browser traffic (HAR 1.2 from Chrome, Firefox, Playwright). */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { HarConfig } from '../config/types.js';
import type { Finding } from '../model/finding.js';
import type { CookieObservation } from '../model/observation.js';
import type { cookieEvidence } from '../rules/build.js';
import { UserError } from '../model/errors.js';
import { DEFAULT_MAX_HAR_BYTES } from '../collect/har/limits.js';
import { describeFsError, parseBytes } from './args.js';
import type { AuditOutcome } from './emit.js';
import { createProgress } from './progress.js';

export interface HarFlags {
  maxSize?: string;
}

export interface ResolvedHar {
  /** As given (for messages), each checked to be a readable file. */
  files: string[];
  maxBytes: number;
}

/** `--max-size`: bytes, or with k, m or g (powers of 1024). */
export function parseMaxSize(raw: string): number {
  const m = /^\s*(\d+)\s*(g|gb|gib)\s*$/i.exec(raw);
  if (m && Number(m[1]) > 0) return Number(m[1]) * 1024 ** 3;
  return parseBytes(raw, '--max-size');
}

export function resolveHar(rawFiles: string[], flags: HarFlags, config: HarConfig = {}): ResolvedHar {
  if (rawFiles.length === 0) throw new UserError('no HAR file given: cookieguard har FILE...');
  const maxBytes =
    flags.maxSize !== undefined ? parseMaxSize(flags.maxSize) : (config.maxSize ?? DEFAULT_MAX_HAR_BYTES);
  // Every file is checked before any is read: a typo in the last name fails at once.
  for (const f of rawFiles) {
    try {
      const st = statSync(resolve(f));
      if (st.isDirectory()) throw new UserError(`cannot read ${f}: it is a directory, not a HAR file`);
    } catch (e) {
      if (e instanceof UserError) throw e;
      throw new UserError(`cannot read ${f}: ${describeFsError(e)}`);
    }
  }
  return { files: [...new Set(rawFiles)], maxBytes };
}

export async function runHar(resolved: ResolvedHar, io: { quiet: boolean }): Promise<AuditOutcome> {
  const { collectHar, REBUILT_NOTE } = await import('../collect/har/index.js');
  const { runRules } = await import('../rules/index.js');
  const { cookieEvidence } = await import('../rules/build.js');
  const progress = createProgress(process.stderr, { enabled: !io.quiet, noun: 'entries', minTotal: 2 });
  let har;
  try {
    har = await collectHar(resolved.files, {
      maxBytes: resolved.maxBytes,
      onProgress: (file, entries) => progress.update(entries, entries, file),
    });
  } finally {
    progress.finish();
  }
  // Nothing read at all: nothing to report either.
  if (har.fatal !== null && har.entries === 0) throw new UserError(har.fatal);
  const findings = runRules(har.observations);
  if (har.rebuilt.length > 0) markRebuilt(findings, har.rebuilt, cookieEvidence, REBUILT_NOTE);
  return {
    findings,
    errors: har.errors,
    observations: har.observations,
    srcRoot: null,
    fatal: har.fatal,
  };
}

/** Findings about a cookie whose header was rebuilt from the HAR's cookie list say so in their evidence. */
function markRebuilt(
  findings: Finding[],
  rebuilt: readonly CookieObservation[],
  evidenceOf: typeof cookieEvidence,
  note: string,
): void {
  const keys = new Set<string>();
  for (const c of rebuilt) {
    const ev = evidenceOf(c);
    keys.add(`${c.delivery?.url ?? ''}\u0000${c.name}\u0000${ev.rawEvidence ?? ''}`);
  }
  for (const f of findings) {
    if (f.source !== 'har' || f.cookie === null) continue;
    if (!keys.has(`${f.url ?? ''}\u0000${f.cookie}\u0000${f.rawEvidence ?? ''}`)) continue;
    f.evidence = f.evidence !== null ? `${f.evidence}\n${note}` : note;
    if (f.rawEvidence !== undefined) f.rawEvidence = `${f.rawEvidence}\n${note}`;
  }
}
