/**
 * Real PHP as the oracle: run `php -n` (no system php.ini) with a given ini file and code, bounded
 * in time. Tests skip themselves (with a reason) when php-cli is missing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PHP_AVAILABLE = spawnSync('php', ['-v'], { timeout: 10_000 }).status === 0;

/** Run PHP code (without `<?php`) with `ini` as the only ini file; returns stdout. */
export function runPhp(code: string, ini = ''): string {
  return runPhpRaw(code, ini).stdout;
}

/** Same, with stdout and stderr (ini syntax errors are reported on stderr at startup). */
export function runPhpRaw(code: string, ini = ''): { stdout: string; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cg-php-'));
  try {
    const iniPath = join(dir, 'test.ini');
    writeFileSync(iniPath, ini);
    const r = spawnSync('php', ['-n', '-c', iniPath, '-d', 'display_errors=stderr', '-r', code], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    if (r.error) throw r.error;
    return { stdout: r.stdout, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Run many snippets in one PHP process: each prints one JSON line. */
export function runPhpBatch(snippets: string[], ini = ''): unknown[] {
  const code = snippets.map((s) => `echo json_encode((function () { ${s} })()), "\\n";`).join('\n');
  return runPhp(code, ini)
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as unknown);
}
