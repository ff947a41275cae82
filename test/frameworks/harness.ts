/**
 * Harness of the framework truth matrix: starts the small apps of test/fixtures/frameworks on
 * ephemeral loopback ports (PHP's built-in server, Flask's werkzeug server and Django's runserver
 * under Debian's /usr/bin/python3, Node apps with the project's node_modules), records what a real
 * cookie jar stores from their responses, and runs the real CLI (`bin/cookieguard.js scan|check
 * --format json`) as separate processes. Everything is bounded in time; every process is stopped
 * with its process group.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CookieJar } from 'tough-cookie';
import { pickPort, stopProcess, trackProcess, waitForPort } from '../helpers/nginx.js';
import {
  variantsOf as variantsOfGroup,
  type Group,
  type Runtime,
  type Truth,
  type Variant,
} from './matrix.js';

/** The repository root (this file runs as dist/test/frameworks/harness.js). */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'frameworks');
export const CLI = join(ROOT, 'bin', 'cookieguard.js');
/** Debian's interpreter, where python3-flask and python3-django live (not a pyenv/venv python3 on PATH). */
export const PYTHON = '/usr/bin/python3';

const START_TIMEOUT_MS = 20_000;
const REQUEST_TIMEOUT_MS = 10_000;
const CLI_TIMEOUT_MS = 60_000;

function quietRun(cmd: string, args: string[]): { ok: boolean; out: string } {
  try {
    const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 15_000 });
    return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() };
  } catch (err) {
    return { ok: false, out: String(err) };
  }
}

/** Why a runtime cannot run here (the tests of that framework are skipped with this message), or null. */
export function runtimeMissing(runtime: Runtime): string | null {
  switch (runtime) {
    case 'php':
      return quietRun('php', ['-v']).ok
        ? null
        : 'php not found (apt-get install php-cli, or scripts/setup.sh --test)';
    case 'flask':
      if (!existsSync(PYTHON)) return `${PYTHON} not found (apt-get install python3-flask)`;
      return quietRun(PYTHON, ['-c', 'import flask']).ok
        ? null
        : `${PYTHON} cannot import flask (apt-get install python3-flask, or scripts/setup.sh --test)`;
    case 'django':
      if (!existsSync(PYTHON)) return `${PYTHON} not found (apt-get install python3-django)`;
      return quietRun(PYTHON, ['-c', 'import django']).ok
        ? null
        : `${PYTHON} cannot import django (apt-get install python3-django, or scripts/setup.sh --test)`;
    case 'node':
      return null;
    case 'jetty':
      return jettyMissing();
    // Ruby on Rails / Rack (issue 13): Debian's ruby-rails and ruby-webrick, served by rackup.
    case 'rails':
      return quietRun('ruby', [
        '-e',
        'require "rails"; require "action_controller/railtie"; require "webrick"',
      ]).ok && quietRun('rackup', ['--version']).ok
        ? null
        : 'ruby with rails and webrick not found (apt-get install ruby-rails ruby-webrick, or scripts/setup.sh --test)';
    case 'go':
      return goMissing();
  }
}

/** Versions of what the matrix runs, read now (not from the table). */
export function readVersions(libraries: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const lib of libraries) {
    if (lib === 'jetty' || lib === 'servlet-api') {
      out[lib] = javaLibraryVersion(lib);
    } else if (lib === 'php') {
      const r = quietRun('php', ['-r', 'echo PHP_VERSION;']);
      out.php = r.ok ? r.out : 'unavailable';
    } else if (lib === 'flask' || lib === 'django') {
      // importlib.metadata: the installed distribution's version (Flask 2.2 still has __version__, 3.x not).
      const r = quietRun(PYTHON, ['-c', `import importlib.metadata as m; print(m.version('${lib}'))`]);
      out[lib] = r.ok ? r.out : 'unavailable';
    } else if (lib === 'rails' || lib === 'rack') {
      // Ruby on Rails / Rack (issue 13): the gem versions Ruby loads.
      const expr =
        lib === 'rails' ? 'require "rails"; print Rails.version' : 'require "rack"; print Rack.release';
      const r = quietRun('ruby', ['-e', expr]);
      out[lib] = r.ok ? r.out : 'unavailable';
    } else if (lib === 'go' || lib === 'gorilla/sessions') {
      out[lib] = goVersionOf(lib);
    } else {
      try {
        const pkg = JSON.parse(readFileSync(join(ROOT, 'node_modules', lib, 'package.json'), 'utf8')) as {
          version?: string;
        };
        out[lib] = pkg.version ?? 'unknown';
      } catch {
        out[lib] = 'unavailable';
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Apps

export interface RunningApp {
  port: number;
  /** stdout + stderr so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

// Serves the Flask app of the current directory on PORT with werkzeug's development server.
const FLASK_LAUNCHER = [
  'import logging, os, sys',
  'sys.path.insert(0, os.getcwd())',
  'from werkzeug.serving import run_simple',
  'from app import app',
  "logging.getLogger('werkzeug').setLevel(logging.ERROR)",
  "run_simple('127.0.0.1', int(os.environ['PORT']), app, use_reloader=False, use_debugger=False)",
].join('\n');

function command(v: Variant, dir: string, port: number, tmp: string): { cmd: string; args: string[] } {
  switch (v.runtime) {
    case 'php': {
      // Only the app's own php.ini (or none at all: PHP's built-in defaults); sessions stored in a temp dir.
      const ini = join(dir, 'php.ini');
      const iniArgs = existsSync(ini) ? ['-c', ini] : ['-n'];
      return {
        cmd: 'php',
        args: [
          ...iniArgs,
          '-d',
          `session.save_path=${tmp}`,
          '-S',
          `127.0.0.1:${port}`,
          '-t',
          join(dir, 'public'),
        ],
      };
    }
    case 'flask':
      return { cmd: PYTHON, args: ['-c', FLASK_LAUNCHER] };
    case 'django':
      return { cmd: PYTHON, args: ['manage.py', 'runserver', '--noreload', `127.0.0.1:${port}`] };
    case 'node':
      return { cmd: process.execPath, args: ['app.js'] };
    case 'jetty':
      throw new Error('jetty apps are started by startJettyApp');
    // Ruby on Rails / Rack (issue 13): the fixture's config.ru under WEBrick (Rails' root is HOME, a temp dir).
    case 'rails':
      return { cmd: 'rackup', args: ['-s', 'webrick', '-o', '127.0.0.1', '-p', String(port), 'config.ru'] };
    case 'go':
      return { cmd: goBinaries.get(v.dir)!, args: [] };
  }
}

/** Start one variant's app on a free loopback port and wait (bounded) until it accepts connections. */
export async function startApp(v: Variant): Promise<RunningApp> {
  if (v.runtime === 'jetty') return startJettyApp(v);
  const dir = join(FIXTURES, v.dir);
  if (v.runtime === 'go') await buildGo(v.dir);
  let lastError: Error | null = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await pickPort();
    const tmp = mkdtempSync(join(tmpdir(), 'cookieguard-app-'));
    const { cmd, args } = command(v, dir, port, tmp);
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: tmp,
      LANG: 'C.UTF-8',
      PORT: String(port),
      PYTHONDONTWRITEBYTECODE: '1',
      PYTHONUNBUFFERED: '1',
      PHP_INI_SCAN_DIR: '',
      ...(v.env ?? {}),
    };
    const child: ChildProcess = spawn(cmd, args, {
      cwd: dir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    trackProcess(child);
    let output = '';
    const keep = (d: Buffer): void => {
      if (output.length < 20_000) output += d.toString('utf8');
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    let exited: string | null = null;
    child.once('exit', (code, signal) => (exited = `${v.id}: ${cmd} exited (${signal ?? code})`));
    child.once('error', (e) => (exited = `${v.id}: ${cmd} could not start: ${e.message}`));
    const stop = async (): Promise<void> => {
      await stopProcess(child);
      rmSync(tmp, { recursive: true, force: true });
    };
    try {
      await waitForPort(port, START_TIMEOUT_MS, () => (exited ? `${exited}\n${output}` : null), child.pid);
      return { port, output: () => output, stop };
    } catch (err) {
      await stop();
      lastError = err instanceof Error ? err : new Error(String(err));
      if (!/address already in use|EADDRINUSE|Errno 98|port is already in use/i.test(lastError.message))
        break;
    }
  }
  throw lastError ?? new Error(`${v.id}: could not start`);
}

// ---------------------------------------------------------------------------------------------
// Go (i13-go): each fixture is a main package built once per test process, offline, in GOPATH mode
// against the sources Debian's Go library packages install under /usr/share/gocode (no module proxy,
// no network). The build cache lives in a temporary folder shared by the builds of one process.

const GOPATH_DEBIAN = '/usr/share/gocode';
let goTmp: string | null = null;
const goBinaries = new Map<string, string>();
const goBuilds = new Map<string, Promise<void>>();

function goEnv(): Record<string, string> {
  if (goTmp === null) {
    goTmp = mkdtempSync(join(tmpdir(), 'cookieguard-go-'));
    process.once('exit', () => rmSync(goTmp!, { recursive: true, force: true }));
  }
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: goTmp,
    GO111MODULE: 'off',
    GOPATH: `${GOPATH_DEBIAN}:${join(goTmp, 'gopath')}`,
    GOCACHE: join(goTmp, 'cache'),
    GOFLAGS: '',
    GOPROXY: 'off',
    CGO_ENABLED: '0',
  };
}

function goMissing(): string | null {
  if (!quietRun('go', ['version']).ok)
    return 'go not found (apt-get install golang-go, or scripts/setup.sh --test)';
  if (!existsSync(join(GOPATH_DEBIAN, 'src/github.com/gorilla/sessions')))
    return `${GOPATH_DEBIAN}/src/github.com/gorilla/sessions not found (apt-get install golang-github-gorilla-sessions-dev, or scripts/setup.sh --test)`;
  return null;
}

function goVersionOf(lib: string): string {
  if (lib === 'go') {
    const r = quietRun('go', ['env', 'GOVERSION']);
    return r.ok ? r.out.replace(/^go/, '') : 'unavailable';
  }
  const r = quietRun('dpkg-query', ['-W', '-f', '${Version}', 'golang-github-gorilla-sessions-dev']);
  return r.ok && r.out ? r.out.replace(/-[^-]*$/, '') : 'unavailable';
}

/** `go build` of one fixture (bounded: 180 s, a cold cache on a loaded 2-core machine). */
function buildGo(dir: string): Promise<void> {
  let p = goBuilds.get(dir);
  if (p) return p;
  p = new Promise<void>((resolve, reject) => {
    const env = goEnv();
    const out = join(goTmp!, `${dir}.bin`);
    const child = spawn('go', ['build', '-o', out, '.'], {
      cwd: join(FIXTURES, dir),
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout.on('data', (d: Buffer) => (log += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (log += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`go build ${dir}: ${e.message}`));
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      if (code === 0) {
        goBinaries.set(dir, out);
        resolve();
      } else reject(new Error(`go build ${dir} failed (exit ${code}): ${log.trim()}`));
    });
  });
  goBuilds.set(dir, p);
  return p;
}

// ---------------------------------------------------------------------------------------------
// The truth: what a cookie jar stores

export interface JarRecord extends Truth {
  status: number;
  /** Set-Cookie headers received (values redacted: they are printed in failure messages). */
  setCookies: string[];
}

function get(url: string, ca?: string): Promise<{ status: number; setCookies: string[] }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const mod = u.protocol === 'https:' ? https : http;
    const req = mod.get(
      u,
      { ...(ca ? { ca } : {}), agent: false, headers: { 'user-agent': 'matrix-jar', accept: 'text/html' } },
      (res) => {
        res.resume();
        res.on('end', () => {
          const sc = res.headers['set-cookie'] ?? [];
          resolve({ status: res.statusCode ?? 0, setCookies: sc });
        });
        res.on('error', reject);
      },
    );
    req.setTimeout(REQUEST_TIMEOUT_MS, () =>
      req.destroy(new Error(`no response from ${url} within ${REQUEST_TIMEOUT_MS} ms`)),
    );
    req.on('error', reject);
  });
}

/**
 * GET `url` once with a fresh tough-cookie jar and report what it stored under `cookie`. The jar
 * refuses Secure cookies from http:// even on loopback (`allowSecureOnLocal: false`): loopback here
 * stands for a remote host, and RFC 6265bis §5.7 step 14 ("secure-only-flag ... not secure
 * protocol: ignore the cookie") is what Safari applies to localhost too.
 */
export async function jarTruth(url: string, cookie: string, ca?: string): Promise<JarRecord> {
  const res = await get(url, ca);
  const jar = new CookieJar(undefined, { allowSecureOnLocal: false, rejectPublicSuffixes: true });
  for (const raw of res.setCookies) await jar.setCookie(raw, url, { ignoreError: true });
  const stored = jar.serializeSync()?.cookies.find((c) => c.key === cookie);
  const setCookies = res.setCookies.map((s) => s.replace(/^([^=;]*=)[^;]*/, '$1<redacted>'));
  if (!stored) return { status: res.status, setCookies, stored: false };
  const expires = stored.expires as unknown;
  return {
    status: res.status,
    setCookies,
    stored: true,
    secure: stored.secure === true,
    httpOnly: stored.httpOnly === true,
    persistent: (expires !== undefined && expires !== 'Infinity') || stored.maxAge !== undefined,
  };
}

/** The fields of `expected` that `actual` gets wrong, as text (empty when they agree). */
export function truthDiff(actual: Truth, expected: Truth): string[] {
  const out: string[] = [];
  for (const k of ['stored', 'secure', 'httpOnly', 'persistent'] as const) {
    if (expected[k] !== undefined && actual[k] !== expected[k])
      out.push(`${k}: expected ${String(expected[k])}, the jar says ${String(actual[k])}`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The CLI

export interface JsonFinding {
  rule: string;
  severity: string;
  source: string;
  message: string;
  cookie: string | null;
  location: { file: string; line: number; column: number } | null;
  url: string | null;
  evidence: string | null;
}

export interface CliRun {
  code: number | null;
  findings: JsonFinding[];
  errors: { message: string; url?: string }[];
  stderr: string;
}

/** Run `node bin/cookieguard.js ARGS --format json` (bounded) and parse its report. */
export function runCli(args: string[], timeoutMs = CLI_TIMEOUT_MS): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args, '--format', 'json'], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      try {
        const report = JSON.parse(stdout) as { findings: JsonFinding[]; errors: { message: string }[] };
        resolve({ code, findings: report.findings, errors: report.errors, stderr });
      } catch {
        reject(
          new Error(
            `cookieguard ${args.join(' ')} gave no JSON report (exit ${code}): ${stderr.trim() || stdout.slice(0, 500)}`,
          ),
        );
      }
    });
  });
}

/** The CA of the matrix written to a file for `check --ca`. */
export function writeCaFile(certPem: string): { file: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'cookieguard-matrix-ca-'));
  const file = join(dir, 'ca.pem');
  writeFileSync(file, certPem);
  return { file, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Line (1-based) of the first line of `file` (under the variant's directory) that contains `text`. */
export function lineOf(dir: string, file: string, text: string): number {
  const lines = readFileSync(join(FIXTURES, dir, file), 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(text));
  if (i < 0) throw new Error(`${dir}/${file} has no line containing ${JSON.stringify(text)}`);
  return i + 1;
}

/**
 * Run `task` over `items` with at most `limit` at once; results in input order. Every item is run
 * (or has failed) before the promise settles; the first failure is then thrown.
 */
export async function pool<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  const failures: unknown[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      try {
        out[i] = await task(items[i]!);
      } catch (err) {
        failures.push(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failures.length > 0) throw failures[0];
  return out;
}

// ---------------------------------------------------------------------------------------------
// Java servlets on Jetty 9.4 (issue 13): one JVM per test file serves every jetty variant of the
// group, each on its own loopback port (test/fixtures/frameworks/jetty-launcher/Launcher.java, run
// in the JDK's source-file mode; it compiles each app's src/main/java with the JDK's compiler). The
// JVM stops when the last of its apps is stopped.

/** Debian's jars (jetty9, libservlet-api-java): what the launcher needs on its class path. */
const JAVA_LIB = '/usr/share/java';
const JETTY_JARS = ['server', 'servlet', 'webapp', 'xml', 'security', 'util', 'http', 'io'].map(
  (m) => `jetty9-${m}.jar`,
);
const SERVLET_JAR = 'servlet-api.jar';
const JVM_START_TIMEOUT_MS = 75_000;

function jettyMissing(): string | null {
  if (!quietRun('java', ['-version']).ok || !quietRun('javac', ['-version']).ok)
    return 'java / javac not found (apt-get install openjdk-17-jdk-headless, or scripts/setup.sh --test)';
  const missing = [...JETTY_JARS, SERVLET_JAR].filter((j) => !existsSync(join(JAVA_LIB, j)));
  return missing.length === 0
    ? null
    : `${missing.join(', ')} not in ${JAVA_LIB} (apt-get install jetty9 libservlet-api-java, or scripts/setup.sh --test)`;
}

/** Version of a Debian Java library from its versioned jar name (jetty9-server-9.4.57.v20241219.jar). */
function javaLibraryVersion(lib: 'jetty' | 'servlet-api'): string {
  const prefix = lib === 'jetty' ? 'jetty9-server-' : 'servlet-api-';
  try {
    const jar = readdirSync(JAVA_LIB).find((f) => f.startsWith(prefix) && /^\d/.test(f.slice(prefix.length)));
    return jar ? jar.slice(prefix.length, -'.jar'.length) : 'unavailable';
  } catch {
    return 'unavailable';
  }
}

interface JettyJvm {
  ports: Map<string, number>;
  output(): string;
  stop(): Promise<void>;
  users: number;
}

const jvms = new Map<string, Promise<JettyJvm>>();

async function launchJvm(group: Group): Promise<JettyJvm> {
  const variants = variantsOfGroup(group).filter((x) => x.runtime === 'jetty');
  const work = mkdtempSync(join(tmpdir(), 'cookieguard-jetty-'));
  const cp = [...JETTY_JARS, SERVLET_JAR].map((j) => join(JAVA_LIB, j)).join(':');
  const launcher = join(FIXTURES, 'jetty-launcher', 'Launcher.java');
  const child: ChildProcess = spawn(
    'java',
    [
      '-Xshare:auto',
      '-XX:TieredStopAtLevel=1',
      '-Dorg.eclipse.jetty.util.log.class=org.eclipse.jetty.util.log.StdErrLog',
      '-Dorg.eclipse.jetty.LEVEL=WARN',
      '-cp',
      cp,
      launcher,
      work,
      ...variants.map((x) => `${x.id}=${join(FIXTURES, x.dir)}`),
    ],
    {
      cwd: work,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: work, LANG: 'C.UTF-8' },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    },
  );
  trackProcess(child);
  let output = '';
  const ports = new Map<string, number>();
  const stop = async (): Promise<void> => {
    child.stdin?.end();
    await stopProcess(child);
    rmSync(work, { recursive: true, force: true });
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`jetty (${group}) not ready within ${JVM_START_TIMEOUT_MS} ms:\n${output}`)),
        JVM_START_TIMEOUT_MS,
      );
      child.stderr!.on('data', (d: Buffer) => {
        if (output.length < 20_000) output += d.toString('utf8');
      });
      let lines = '';
      child.stdout!.on('data', (d: Buffer) => {
        lines += d.toString('utf8');
        for (const m of lines.matchAll(/^READY (\S+) (\d+)$/gm)) ports.set(m[1]!, Number(m[2]));
        if (/^ALL READY$/m.test(lines)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`jetty (${group}) exited (${signal ?? code}):\n${output}`));
      });
      child.once('error', (e) => {
        clearTimeout(timer);
        reject(new Error(`jetty (${group}) could not start: ${e.message}`));
      });
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return { ports, output: () => output, stop, users: 0 };
}

async function startJettyApp(v: Variant): Promise<RunningApp> {
  let p = jvms.get(v.group);
  if (!p) {
    p = launchJvm(v.group);
    jvms.set(v.group, p);
  }
  const jvm = await p;
  const port = jvm.ports.get(v.id);
  if (port === undefined) throw new Error(`${v.id}: the jetty launcher did not start it\n${jvm.output()}`);
  jvm.users++;
  let stopped = false;
  return {
    port,
    output: jvm.output,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      if (--jvm.users === 0) {
        jvms.delete(v.group);
        await jvm.stop();
      }
    },
  };
}
