/**
 * Real framework apps for the `cookieguard dev` tests, each started as its own process on an
 * ephemeral loopback port from test/fixtures/dev: Express + express-session (node_modules), Flask
 * and Django (Debian's python3-flask / python3-django, run with /usr/bin/python3), plain PHP
 * sessions (php -S). Start-up is bounded; stop() kills the process.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { ROOT } from './helpers.js';

export const FIXTURES = join(ROOT, 'test', 'fixtures', 'dev');
export const PYTHON = '/usr/bin/python3';

export interface App {
  port: number;
  origin: string;
  output(): string;
  stop(): Promise<void>;
}

export function hasPython(module: string): boolean {
  return spawnSync(PYTHON, ['-c', `import ${module}`], { timeout: 30_000 }).status === 0;
}

export function hasPhp(): boolean {
  return spawnSync('php', ['--version'], { timeout: 30_000 }).status === 0;
}

async function startProcess(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  portLine: RegExp,
  timeoutMs = 30_000,
): Promise<App> {
  const child: ChildProcess = spawn(cmd, args, {
    env: { ...process.env, ...env },
    cwd: FIXTURES,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const deadline = Date.now() + timeoutMs;
  let port = 0;
  while (port === 0) {
    const m = portLine.exec(out);
    if (m) port = Number(m[1]);
    else if (child.exitCode !== null) throw new Error(`${cmd} exited (${child.exitCode}): ${out}`);
    else if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${cmd} did not start in time: ${out}`);
    } else await new Promise((r) => setTimeout(r, 25));
  }
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    output: () => out,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    },
  };
}

export function startExpressApp(env: NodeJS.ProcessEnv = {}): Promise<App> {
  return startProcess(process.execPath, [join(FIXTURES, 'express-app.cjs')], env, /listening (\d+)/);
}

export function startFlaskApp(env: NodeJS.ProcessEnv = {}): Promise<App> {
  return startProcess(
    PYTHON,
    [join(FIXTURES, 'flask_app.py')],
    { PYTHONDONTWRITEBYTECODE: '1', ...env },
    /listening (\d+)/,
  );
}

export function startDjangoApp(env: NodeJS.ProcessEnv = {}): Promise<App> {
  return startProcess(
    PYTHON,
    [join(FIXTURES, 'django_app.py')],
    { PYTHONDONTWRITEBYTECODE: '1', ...env },
    /listening (\d+)/,
  );
}

export function startPhpApp(): Promise<App> {
  return startProcess(
    'php',
    ['-S', '127.0.0.1:0', '-t', join(FIXTURES, 'php')],
    {},
    /Development Server \(http:\/\/127\.0\.0\.1:(\d+)\) started/,
  );
}
