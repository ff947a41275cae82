/**
 * Lessons from the real-world corpus (realworld/), each as a small project of our own with the same
 * shape: the whole scan path (collectCode, then runRules) on test/fixtures/scan-realworld/<name>/,
 * findings compared as `rule severity cookie file:line` rows.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectCode } from '../../src/collect/code/index.js';
import type { Finding } from '../../src/model/finding.js';
import type { Observation } from '../../src/model/observation.js';
import { runRules } from '../../src/rules/index.js';

export const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/scan-realworld/', import.meta.url));

export function row(f: Finding): string {
  return `${f.rule} ${f.severity} ${f.cookie ?? '-'} ${f.location ? `${f.location.file}:${f.location.line}` : '-'}`;
}

export interface Scanned {
  findings: Finding[];
  observations: Observation[];
  rows: string[];
}

export async function scanFixture(name: string, workers = 0): Promise<Scanned> {
  const r = await collectCode([join(FIXTURES, name)], { workers });
  assert.deepEqual(r.errors, [], `${name}: scan errors`);
  const findings = runRules(r.observations);
  return { findings, observations: r.observations, rows: findings.map(row).sort() };
}

/** The finding of a rule and cookie (exactly one). */
export function findingOf(s: Scanned, rule: string, cookie: string | null): Finding {
  const fs = s.findings.filter((f) => f.rule === rule && f.cookie === cookie);
  assert.equal(fs.length, 1, `${rule} ${cookie}: ${fs.length} findings`);
  return fs[0]!;
}
