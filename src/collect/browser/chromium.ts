/**
 * Finding and starting the system's Chromium for `check --browser`. Nothing is downloaded: the
 * binary is --chromium PATH or the first of chromium, chromium-browser, google-chrome,
 * google-chrome-stable on PATH. The browser runs headless with a fresh temporary profile
 * (--user-data-dir), deleted when the run ends, also on an error or SIGINT / SIGTERM.
 *
 * The browser is started here (not by Playwright's launcher) so that the run owns exactly one
 * browser process with exactly these flags; Playwright (playwright-core, no browser download)
 * connects to it over the DevTools protocol on a loopback port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { UserError } from '../../model/errors.js';

/** Names looked up on PATH, in this order. */
export const CHROMIUM_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

function isExecutableFile(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The Chromium binary to use: `given` (--chromium PATH), else the first of CHROMIUM_NAMES on PATH.
 * Throws a UserError with one line naming the Debian package when there is none.
 */
export function findChromium(given?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (given !== undefined && given !== '') {
    const looksLikePath = given.includes('/') || isAbsolute(given);
    const candidates = looksLikePath ? [resolve(given)] : pathCandidates([given], env);
    const found = candidates.find(isExecutableFile);
    if (!found) throw new UserError(`--chromium ${given}: not an executable file`);
    return found;
  }
  const found = pathCandidates(CHROMIUM_NAMES, env).find(isExecutableFile);
  if (!found)
    throw new UserError(
      `--browser needs Chromium and none was found on PATH (${CHROMIUM_NAMES.join(', ')}): install the Debian package chromium (apt-get install chromium) or give --chromium PATH`,
    );
  return found;
}

function pathCandidates(names: string[], env: NodeJS.ProcessEnv): string[] {
  const dirs = (env.PATH ?? '').split(delimiter).filter((d) => d !== '');
  const out: string[] = [];
  for (const name of names) for (const d of dirs) out.push(join(d, name));
  return out;
}

/** The flags every run starts Chromium with (besides --user-data-dir and the debugging port). */
export const BASE_FLAGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--mute-audio',
  '--password-store=basic',
  '--use-mock-keychain',
];

export interface ChromiumProcess {
  /** ws:// URL of the browser's DevTools endpoint (loopback). */
  wsEndpoint: string;
  pid: number;
  userDataDir: string;
  /** Kill the browser (if still running) and delete the profile. Safe to call more than once. */
  dispose(): Promise<void>;
  /** Synchronous variant for signal and exit handlers. */
  disposeSync(): void;
}

const live = new Set<ChromiumProcess>();
let handlersInstalled = false;

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  // The profile is deleted whatever ends the process: the normal end (dispose), an error that
  // exits, or a signal. The signal handlers only clean up and then exit as the signal would.
  process.on('exit', () => {
    for (const c of live) c.disposeSync();
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      for (const c of live) c.disposeSync();
      process.exit(sig === 'SIGINT' ? 130 : sig === 'SIGTERM' ? 143 : 129);
    });
  }
}

/**
 * Start Chromium headless with a fresh profile and wait (up to `timeoutMs`) for its DevTools endpoint.
 * `extraArgs` are appended (tests map host names to loopback with --host-resolver-rules).
 */
export async function startChromium(
  executable: string,
  opts: { timeoutMs: number; extraArgs?: readonly string[] },
): Promise<ChromiumProcess> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'cookieguard-chromium-'));
  const args = [
    ...BASE_FLAGS,
    `--user-data-dir=${userDataDir}`,
    '--remote-debugging-address=127.0.0.1',
    '--remote-debugging-port=0',
    ...(opts.extraArgs ?? []),
    'about:blank',
  ];
  let child: ChildProcess;
  try {
    // Its own process group: the browser's helpers (zygote, renderers, utilities) end with it.
    child = spawn(executable, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  } catch (e) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw new UserError(`cannot start ${executable}: ${e instanceof Error ? e.message : String(e)}`);
  }
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  const kill = (): void => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* the group is gone */
    }
  };
  const proc: ChromiumProcess = {
    wsEndpoint: '',
    pid: child.pid ?? -1,
    userDataDir,
    disposeSync() {
      kill();
      live.delete(proc);
      try {
        rmSync(userDataDir, { recursive: true, force: true, maxRetries: 3 });
      } catch {
        /* best effort in an exit handler */
      }
    },
    async dispose() {
      live.delete(proc);
      if (!exited) {
        const gone = new Promise<void>((r) => child.once('exit', () => r()));
        kill();
        await Promise.race([gone, new Promise((r) => setTimeout(r, 5000).unref())]);
      } else kill();
      // A helper process may still write into the profile for a moment: retry the removal (bounded).
      for (let attempt = 0; ; attempt++) {
        try {
          rmSync(userDataDir, { recursive: true, force: true });
          return;
        } catch (e) {
          if (attempt >= 40) throw e;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    },
  };
  installHandlers();
  live.add(proc);
  try {
    proc.wsEndpoint = await waitForEndpoint(child, opts.timeoutMs, executable);
  } catch (e) {
    await proc.dispose();
    throw e;
  }
  return proc;
}

function waitForEndpoint(child: ChildProcess, timeoutMs: number, executable: string): Promise<string> {
  return new Promise((resolveP, reject) => {
    let buf = '';
    const done = (err: Error | null, ws?: string): void => {
      clearTimeout(timer);
      child.stderr?.removeListener('data', onData);
      child.removeListener('exit', onExit);
      child.removeListener('error', onError);
      // Keep draining stderr so that Chromium never blocks on a full pipe.
      child.stderr?.resume();
      if (err) reject(err);
      else resolveP(ws!);
    };
    const onData = (d: Buffer): void => {
      buf += d.toString('utf8');
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(buf);
      if (m) done(null, m[1]!);
      else if (buf.length > 64 * 1024) buf = buf.slice(-4096);
    };
    const lastLine = (): string =>
      buf
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '')
        .at(-1)
        ?.slice(0, 200) ?? '';
    const onExit = (code: number | null): void =>
      done(
        new UserError(
          `${executable} exited (code ${code}) before it was ready${lastLine() ? `: ${lastLine()}` : ''}`,
        ),
      );
    const onError = (e: Error): void => done(new UserError(`cannot start ${executable}: ${e.message}`));
    const timer = setTimeout(
      () => done(new UserError(`${executable} did not start within ${timeoutMs} ms`)),
      timeoutMs,
    );
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}
