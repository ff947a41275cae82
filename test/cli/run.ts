/**
 * Runs the real command line (`node bin/cookieguard.js ...`) as a child process, asynchronously so
 * that loopback servers in the test process keep answering. Bounded: killed after `timeoutMs`.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** dist/test/cli/ -> repository root. */
export const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
export const bin = resolve(repoRoot, 'bin', 'cookieguard.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<CliResult> {
  return new Promise((done, fail) => {
    const env = { ...process.env };
    delete env.COOKIEGUARD_DEBUG;
    delete env.FORCE_COLOR;
    Object.assign(env, opts.env);
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: opts.cwd ?? repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      fail(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

/** The stderr of a failed run: exactly one `cookieguard: ...` line, no stack trace. */
export function oneErrorLine(stderr: string): string | null {
  const lines = stderr.split('\n').filter((l) => l !== '');
  if (lines.length !== 1) return null;
  if (!lines[0]!.startsWith('cookieguard: ')) return null;
  if (/\n\s+at /.test(stderr) || /\.js:\d+/.test(stderr)) return null;
  return lines[0]!;
}
