/**
 * The login apps of test/fixtures/login, each a real framework with its own login form and CSRF
 * protection, started on an ephemeral loopback port behind a real TLS-terminating nginx whose
 * certificate comes from a CA made for the test. `check --login` runs as a separate process
 * (the real command line) against https://127.0.0.1:NGINX/.
 *
 * Everything is bounded in time; every process runs in its own process group and is stopped.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  nginxMissing,
  pickPort,
  startNginx,
  stopProcess,
  trackProcess,
  waitForPort,
  type RunningNginx,
} from '../helpers/nginx.js';
import { makeTestCa, type TestCa } from '../helpers/tls.js';

export const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'login');
export const PYTHON = '/usr/bin/python3';

/** The password of every fixture's user `alice`: long and unique, so that a leak is found by search. */
export const PASSWORD = 'Zq7-correct-horse-LEAKCHECK-4242';

export type LoginApp = 'django' | 'flask' | 'express' | 'php';

const START_TIMEOUT_MS = 60_000;

function can(cmd: string, args: string[]): boolean {
  try {
    return spawnSync(cmd, args, { timeout: 15_000 }).status === 0;
  } catch {
    return false;
  }
}

/** Why the app cannot run here (its tests are skipped with this), or null. */
export function appMissing(app: LoginApp): string | null {
  const ng = nginxMissing();
  if (ng) return ng;
  switch (app) {
    case 'php':
      return can('php', ['-v'])
        ? null
        : 'php not found (apt-get install php-cli, or scripts/setup.sh --test)';
    case 'django':
      return can(PYTHON, ['-c', 'import django'])
        ? null
        : `${PYTHON} cannot import django (apt-get install python3-django)`;
    case 'flask':
      return can(PYTHON, ['-c', 'import flask, flask_login, flask_wtf'])
        ? null
        : `${PYTHON} cannot import flask, flask_login and flask_wtf (apt-get install python3-flask-login python3-flaskext.wtf)`;
    case 'express':
      return null;
  }
}

const FLASK_LAUNCHER = [
  'import logging, os, sys',
  'sys.path.insert(0, os.getcwd())',
  'from werkzeug.serving import run_simple',
  'from app import app',
  "logging.getLogger('werkzeug').setLevel(logging.ERROR)",
  "run_simple('127.0.0.1', int(os.environ['PORT']), app, use_reloader=False, use_debugger=False)",
].join('\n');

function command(app: LoginApp, port: number, tmp: string): { cmd: string; args: string[]; cwd: string } {
  switch (app) {
    case 'php': {
      const dir = join(FIXTURES, 'php');
      return {
        cmd: 'php',
        args: [
          '-c',
          join(dir, 'php.ini'),
          '-d',
          `session.save_path=${tmp}`,
          '-S',
          `127.0.0.1:${port}`,
          '-t',
          join(dir, 'public'),
        ],
        cwd: dir,
      };
    }
    case 'flask':
      return { cmd: PYTHON, args: ['-c', FLASK_LAUNCHER], cwd: join(FIXTURES, 'flask-login') };
    case 'django':
      return { cmd: PYTHON, args: ['serve.py'], cwd: join(FIXTURES, 'django-admin') };
    case 'express':
      return { cmd: process.execPath, args: ['app.js'], cwd: join(FIXTURES, 'express-session') };
  }
}

export interface RunningLoginApp {
  /** https://127.0.0.1:NGINX (no trailing slash). */
  origin: string;
  /** The app itself, over plain HTTP. */
  appPort: number;
  ca: TestCa;
  output(): string;
  stop(): Promise<void>;
}

/** Start `app` (with `env`, e.g. REGENERATE=1) and an nginx in front of it. */
export async function startLoginApp(
  app: LoginApp,
  env: Record<string, string> = {},
): Promise<RunningLoginApp> {
  const ca = await makeTestCa('cookieguard login test CA');
  const leaf = await ca.issue(['localhost', '127.0.0.1']);
  let child: ChildProcess | null = null;
  let tmp: string | null = null;
  let output = '';
  let nginx: RunningNginx | null = null;
  const stop = async (): Promise<void> => {
    if (nginx) await nginx.stop();
    if (child) await stopProcess(child);
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    ca.cleanup();
  };
  try {
    let port = 0;
    for (let attempt = 0; ; attempt++) {
      port = await pickPort();
      tmp = mkdtempSync(join(tmpdir(), 'cookieguard-login-app-'));
      const { cmd, args, cwd } = command(app, port, tmp);
      if (!existsSync(cwd)) throw new Error(`fixture ${cwd} missing`);
      const c = spawn(cmd, args, {
        cwd,
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: tmp,
          LANG: 'C.UTF-8',
          PORT: String(port),
          PYTHONDONTWRITEBYTECODE: '1',
          PYTHONUNBUFFERED: '1',
          PHP_INI_SCAN_DIR: '',
          LOGIN_PASSWORD: PASSWORD,
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      child = c;
      trackProcess(c);
      const keep = (d: Buffer): void => {
        if (output.length < 20_000) output += d.toString('utf8');
      };
      c.stdout!.on('data', keep);
      c.stderr!.on('data', keep);
      let exited: string | null = null;
      c.once('exit', (code, signal) => (exited = `${app}: ${cmd} exited (${signal ?? code})`));
      c.once('error', (e) => (exited = `${app}: ${cmd} could not start: ${e.message}`));
      try {
        await waitForPort(port, START_TIMEOUT_MS, () => (exited ? `${exited}\n${output}` : null), c.pid);
        break;
      } catch (err) {
        await stopProcess(c);
        child = null;
        rmSync(tmp, { recursive: true, force: true });
        tmp = null;
        if (attempt >= 2 || !/address already in use|EADDRINUSE|Errno 98/i.test(String(err))) throw err;
      }
    }
    nginx = await startNginx({
      certPem: leaf.certPem,
      keyPem: leaf.keyPem,
      servers: [{ upstreamPort: port }],
    });
    return {
      origin: `https://127.0.0.1:${nginx.ports[0]}`,
      appPort: port,
      ca,
      output: () => output,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

export interface JsonReport {
  findings: {
    rule: string;
    severity: string;
    cookie: string | null;
    url: string | null;
    message: string;
    evidence: string | null;
    fix: string;
    framework: string | null;
  }[];
  errors: { message: string; url?: string }[];
}
