import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, chmodSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyFixes } from '../../src/fix/apply.js';
import type { PlannedFix } from '../../src/fix/plan.js';
import type { Finding } from '../../src/model/finding.js';

const dir = mkdtempSync(join(tmpdir(), 'cg-apply-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

function planned(line: number, column: number, endColumn: number, replacement: string): PlannedFix {
  const finding = { rule: 'cookie-missing-secure' } as Finding;
  return {
    finding,
    fix: {
      description: 'x',
      file: 'php.ini',
      startLine: line,
      startColumn: column,
      endLine: line,
      endColumn,
      replacement,
    },
  };
}

test('applyFixes: written in place (mode kept, no temporary file left); a fix on a line the file no longer has is refused', () => {
  const file = join(dir, 'php.ini');
  writeFileSync(file, 'a = 1\nsession.cookie_secure = Off\n');
  chmodSync(file, 0o600);
  const ok = planned(2, 25, 28, 'On');
  const gone = planned(9, 1, 2, 'x');
  const r = applyFixes([ok, gone], dir, { write: true });
  assert.deepEqual(r.applied, [ok]);
  assert.deepEqual(
    r.refused.map((u) => u.reason),
    ['the file changed since it was scanned'],
  );
  assert.equal(readFileSync(file, 'utf8'), 'a = 1\nsession.cookie_secure = On\n');
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.deepEqual(readdirSync(dir), ['php.ini']);
});
