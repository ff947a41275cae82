/**
 * `cookieguard check` throughput: collectLive (+ the rules engine when present) on 500 loopback URLs,
 * against the floor: the same requests (HTTPS chain followed by hand + HTTP twin, same concurrency,
 * same TLS trust) made with plain undici (`Agent.request`, the body dumped) and no analysis. Target:
 * ratio <= 1.3. (collectLive itself reads responses through undici's dispatch API, without a stream
 * per response: src/collect/live/client.ts.)
 *
 * The site runs in a child process, so the measured process spends CPU on the client only. Each
 * side first runs WARMUP times (default 8, env BENCH_WARMUP), alternately, until V8 has optimised
 * the code it runs (by --trace-opt, V8 compiles 95-103 functions, check's and undici's, in each of
 * the first two runs of check, 15-20 in the fourth and fifth, at most ten from the sixth on); then
 * ROUNDS (default 21, env BENCH_ROUNDS) times alternately, and medians are compared, for wall time
 * and for the client process's CPU time. The per-round ratios (each tool round against the floor
 * round just before it) are printed too, with their quartiles: on a shared 2-core machine the speed
 * drifts between runs, and pairs measured side by side show it.
 *
 * No full GC is forced between rounds: a forced GC makes V8 drop optimised code whose assumptions
 * involve objects it collected, so every round after one recompiles (70-80 functions, 350-700 ms of
 * compiler time per round here, undici's as well as check's) and measures the compiler rather than
 * the work. BENCH_FORCE_GC=1 restores that regime for comparison. The start-up cost a single CLI
 * invocation pays is measured separately, in fresh processes (BENCH_COLD_RUNS).
 *
 * Peak memory is the highest RSS sampled every 10 ms during each side's rounds, plus the process
 * VmHWM.
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Agent } from 'undici';
import tls from 'node:tls';
import type { Observation } from '../src/model/observation.js';
import { collectLive } from '../src/collect/live/index.js';

const URLS = 500;
const CONCURRENCY = 8;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 21);
const WARMUP = Math.max(1, Number(process.env.BENCH_WARMUP ?? 8));
const FORCE_GC = process.env.BENCH_FORCE_GC === '1';
/** Fresh-process runs of each side (env BENCH_COLD_RUNS; 0 skips them). */
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 3);
const BODY = 30 * 1024;

interface SiteInfo {
  httpsOrigin: string;
  httpOrigin: string;
  caFile: string;
  caPem: string;
}

// ---------------------------------------------------------------------------------------------
// The site (child process)

async function serveSite(): Promise<void> {
  const { makeTestCa, LOOPBACK_NAMES } = await import('../test/helpers/tls.js');
  const { startTestSite } = await import('../test/helpers/servers.js');
  const ca = await makeTestCa('cookieguard bench CA');
  const body = `<!doctype html><html><body>${'<p>lorem ipsum dolor sit amet</p>'.repeat(BODY / 33)}</body></html>`;
  const pageHeaders = (n: number) => ({
    'content-type': 'text/html; charset=utf-8',
    'strict-transport-security': 'max-age=31536000; includeSubDomains',
    'set-cookie': [
      `sessionid=${n.toString(16).padStart(32, 'a')}; Path=/; Secure; HttpOnly; SameSite=Lax`,
      `csrftoken=${'c'.repeat(32)}; Path=/; Secure; SameSite=Strict; Max-Age=31449600`,
      `_ga=GA1.1.${n}.1700000000; Path=/; Domain=127.0.0.1; Max-Age=63072000`,
    ],
  });
  const site = await startTestSite({
    cert: await ca.issue(LOOPBACK_NAMES),
    https: {
      '*': (req) => {
        const [, , id, rest] = req.path.split('/');
        const n = Number(id);
        // One page in four answers with a redirect first (a login-style hop that sets a cookie).
        if (n % 4 === 0 && rest !== 'landing') {
          return {
            status: 302,
            headers: { location: `/page/${n}/landing`, 'set-cookie': 'next=1; Path=/; Secure; HttpOnly' },
          };
        }
        return { headers: pageHeaders(n), body };
      },
    },
    // The twin redirects to HTTPS; one in ten sets a cookie before doing so.
    http: {
      '*': (req) => ({
        status: 301,
        headers: {
          location: `{https}${req.url}`,
          ...(Number(req.path.split('/')[2]) % 10 === 0 ? { 'set-cookie': 'lb=abc; Path=/' } : {}),
        },
      }),
    },
  });
  const info: SiteInfo = {
    httpsOrigin: site.httpsOrigin,
    httpOrigin: site.httpOrigin,
    caFile: ca.caFile,
    caPem: ca.caPem,
  };
  process.send!(info);
  process.on('disconnect', () => {
    void site.close().then(() => {
      ca.cleanup();
      process.exit(0);
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The floor: the same requests, plain undici, no analysis

// The request headers collectLive sends (without the cookies it replays along a chain).
const FLOOR_HEADERS = {
  'user-agent': 'cookieguard/bench',
  accept: 'text/html,application/xhtml+xml,*/*;q=0.8',
};

// Same trust as the tool (default roots + the bench CA), built once like the tool does.
let floorContext: tls.SecureContext | undefined;

async function floor(urls: string[], site: SiteInfo): Promise<number> {
  floorContext ??= tls.createSecureContext({ ca: [...tls.rootCertificates, site.caPem] });
  const agent = new Agent({
    connect: { secureContext: floorContext, timeout: 10_000 },
    headersTimeout: 10_000,
    bodyTimeout: 10_000,
  });
  const twinOrigin = new URL(site.httpOrigin);
  let requests = 0;
  const chain = async (start: URL, stopAtHttps: boolean): Promise<void> => {
    let url = start;
    for (let hop = 0; hop <= 10; hop++) {
      const res = await agent.request({
        origin: url.origin,
        path: url.pathname + url.search,
        method: 'GET',
        headers: FLOOR_HEADERS,
      });
      requests++;
      await res.body.dump({ limit: 1024 * 1024 });
      const loc = res.headers.location;
      if (res.statusCode < 300 || res.statusCode >= 400 || typeof loc !== 'string') return;
      url = new URL(loc, url);
      if (stopAtHttps && url.protocol === 'https:') return;
    }
  };
  let next = 0;
  const worker = async () => {
    while (next < urls.length) {
      const u = new URL(urls[next++]!);
      await Promise.all([chain(u, false), chain(new URL(u.pathname + u.search, twinOrigin), true)]);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  await agent.destroy();
  return requests;
}

// ---------------------------------------------------------------------------------------------
// The tool

type RunRules = (obs: readonly Observation[]) => unknown[];
let runRules: RunRules | null = null;
let rulesNote = '';

async function loadRules(): Promise<void> {
  try {
    const modPath = '../src/rules/index.js';
    const mod = (await import(modPath)) as { runRules?: RunRules };
    if (typeof mod.runRules === 'function') runRules = mod.runRules;
    else rulesNote = 'rules engine has no runRules export: skipped';
  } catch (err) {
    rulesNote = `rules engine not available (${(err as Error).message.split('\n')[0]}): skipped`;
  }
}

async function tool(
  urls: string[],
  site: SiteInfo,
): Promise<{ observations: number; findings: number; errors: number; rulesMs: number }> {
  const r = await collectLive(urls, { ca: [site.caFile], http: site.httpOrigin, concurrency: CONCURRENCY });
  const t0 = performance.now();
  const findings = runRules ? runRules(r.observations).length : 0;
  return {
    observations: r.observations.length,
    findings,
    errors: r.errors.length,
    rulesMs: performance.now() - t0,
  };
}

// ---------------------------------------------------------------------------------------------

function vmHwmMb(): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

async function measure<T>(
  fn: () => Promise<T>,
): Promise<{ ms: number; cpuMs: number; peakRssMb: number; result: T }> {
  if (FORCE_GC) (globalThis as { gc?: () => void }).gc?.();
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await fn();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, peakRssMb: peak / 1024 / 1024, result };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--serve'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const site = await new Promise<SiteInfo>((resolve, reject) => {
    child.once('message', (m) => resolve(m as SiteInfo));
    child.once('exit', (code) => reject(new Error(`site process exited (${code})`)));
  });
  try {
    await loadRules();
    const urls = Array.from({ length: URLS }, (_, i) => `${site.httpsOrigin}/page/${i}?ref=bench`);

    // Warm-up until the JIT has settled (see the header), then alternate.
    let warmFloor = 0;
    let warmTool: Awaited<ReturnType<typeof tool>> | undefined;
    for (let i = 0; i < WARMUP; i++) {
      warmFloor = await floor(urls, site);
      warmTool = await tool(urls, site);
    }
    if (!warmTool) throw new Error('no warm-up run');
    if (warmTool.errors > 0)
      throw new Error(`collectLive reported ${warmTool.errors} errors on the bench site`);

    const floorMs: number[] = [];
    const toolMs: number[] = [];
    const floorCpu: number[] = [];
    const toolCpu: number[] = [];
    const rulesMs: number[] = [];
    let floorPeak = 0;
    let toolPeak = 0;
    for (let i = 0; i < ROUNDS; i++) {
      const f = await measure(() => floor(urls, site));
      floorMs.push(f.ms);
      floorCpu.push(f.cpuMs);
      floorPeak = Math.max(floorPeak, f.peakRssMb);
      const t = await measure(() => tool(urls, site));
      toolMs.push(t.ms);
      toolCpu.push(t.cpuMs);
      rulesMs.push(t.result.rulesMs);
      toolPeak = Math.max(toolPeak, t.peakRssMb);
    }
    const fm = median(floorMs);
    const tm = median(toolMs);
    const ratio = tm / fm;
    const cpuRatio = median(toolCpu) / median(floorCpu);
    const hwm = vmHwmMb();
    console.log(
      `URLs: ${URLS}, concurrency ${CONCURRENCY}, ${warmFloor} requests per run, body ${BODY / 1024} KB; ` +
        `${WARMUP} warm-up and ${ROUNDS} measured runs of each side${FORCE_GC ? ', a full GC forced before each (BENCH_FORCE_GC)' : ''}`,
    );
    console.log(
      `collectLive${runRules ? ' + runRules' : ''}: ${warmTool.observations} observations, ${warmTool.findings} findings`,
    );
    if (rulesNote) console.log(`note: ${rulesNote}`);
    console.log(
      `floor (plain undici, no analysis): median ${fm.toFixed(0)} ms  [${floorMs.map((x) => x.toFixed(0)).join(', ')}]`,
    );
    console.log(
      `cookieguard check:                  median ${tm.toFixed(0)} ms  [${toolMs.map((x) => x.toFixed(0)).join(', ')}]`,
    );
    if (runRules) {
      const collectOnly = median(toolMs.map((t, i) => t - rulesMs[i]!));
      console.log(`  of which runRules:                median ${median(rulesMs).toFixed(0)} ms`);
      console.log(`ratio collectLive alone: ${(collectOnly / fm).toFixed(2)}`);
    }
    console.log(`ratio: ${ratio.toFixed(2)} (target <= 1.3)${ratio <= 1.3 ? '' : '  ABOVE TARGET'}`);
    const paired = toolMs.map((t, i) => t / floorMs[i]!).sort((a, b) => a - b);
    const q = (p: number) => paired[Math.min(paired.length - 1, Math.floor(p * paired.length))]!;
    console.log(
      `per-round ratios: median ${median(paired).toFixed(2)}, quartiles ${q(0.25).toFixed(2)}-${q(0.75).toFixed(2)}, range ${paired[0]!.toFixed(2)}-${paired.at(-1)!.toFixed(2)}`,
    );
    console.log(
      `client CPU time: floor ${median(floorCpu).toFixed(0)} ms, check ${median(toolCpu).toFixed(0)} ms (ratio ${cpuRatio.toFixed(2)}; the site runs in another process)`,
    );
    if (COLD_RUNS > 0) {
      const cold = coldRuns(site);
      console.log(
        `cold process (one run in a fresh process, like one CLI invocation; median of ${COLD_RUNS}): floor ${cold.floor.toFixed(0)} ms, check ${cold.tool.toFixed(0)} ms, ratio ${(cold.tool / cold.floor).toFixed(2)}`,
      );
    }
    console.log(
      `peak RSS: floor ${floorPeak.toFixed(0)} MB, check ${toolPeak.toFixed(0)} MB` +
        (hwm !== null ? `; process VmHWM ${hwm.toFixed(0)} MB` : ''),
    );
  } finally {
    child.disconnect();
  }
}

/**
 * One cold run in a fresh process (`--cold floor|tool`, the site in BENCH_SITE): what a single
 * `cookieguard check` invocation costs, JIT and heap cold. Prints the milliseconds of the run
 * (after the modules are loaded).
 */
async function coldRun(side: string): Promise<void> {
  const site = JSON.parse(process.env.BENCH_SITE ?? '{}') as SiteInfo;
  const urls = Array.from({ length: URLS }, (_, i) => `${site.httpsOrigin}/page/${i}?ref=bench`);
  if (side === 'tool') await loadRules();
  const t0 = performance.now();
  if (side === 'tool') await tool(urls, site);
  else await floor(urls, site);
  console.log((performance.now() - t0).toFixed(1));
}

/** Median of COLD_RUNS alternating cold runs of each side. */
function coldRuns(site: SiteInfo): { floor: number; tool: number } {
  const self = fileURLToPath(import.meta.url);
  const env = { ...process.env, BENCH_SITE: JSON.stringify(site) };
  const run = (side: string): number =>
    Number(execFileSync(process.execPath, [self, '--cold', side], { env, encoding: 'utf8' }).trim());
  const f: number[] = [];
  const t: number[] = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    f.push(run('floor'));
    t.push(run('tool'));
  }
  return { floor: median(f), tool: median(t) };
}

const coldIndex = process.argv.indexOf('--cold');
if (process.argv.includes('--serve')) {
  await serveSite();
} else if (coldIndex !== -1) {
  await coldRun(process.argv[coldIndex + 1] ?? 'floor');
} else {
  await main();
}
