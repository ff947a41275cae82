/**
 * `npm run bench -- browser`: `check --browser`'s page loading on 50 loopback HTTPS pages (each
 * with a script that writes a cookie and fetches a JSON file, and an image), against the plain-HTTP
 * check of the same 50 URLs (collectLive, same concurrency) measured in the same run as the
 * baseline. Printed: pages per second of each (median of ROUNDS), the ratio, the browser's start-up
 * time, and peak memory: the RSS of every process of the run's Chromium (found by its
 * --user-data-dir in /proc) plus this node process, sampled every 50 ms.
 *
 * Asserted (exit 1 otherwise): one browser process for the whole run (at every sample, exactly one
 * process of that profile without --type=, always the same pid), and every page observed.
 *
 * The site runs in this process (loopback); on a shared machine the numbers drift between runs,
 * the ratio against the baseline measured alongside is what to compare.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import https from 'node:https';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { BrowserRun, findChromium } from '../src/collect/browser/index.js';
import { collectLive } from '../src/collect/live/index.js';
import { LOOPBACK_NAMES, makeTestCa } from '../test/helpers/tls.js';

const PAGES = 50;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

interface Proc {
  pid: number;
  /** Resident set size, and proportional set size (shared pages divided among their sharers). */
  rss: number;
  pss: number;
  browser: boolean;
  cmd: string;
}

/**
 * The run's Chromium processes: every process whose command line holds `--user-data-dir=DIR` and
 * every descendant of one (renderers and utilities do not all repeat the flag). `browser`: a
 * process without --type=, i.e. a browser process.
 */
function profileProcesses(dir: string): Proc[] {
  const all = new Map<number, { ppid: number; cmd: string; exe: string; rss: number; pss: number }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const status = readFileSync(`/proc/${name}/status`, 'utf8');
      const ppid = Number(/PPid:\s+(\d+)/.exec(status)?.[1] ?? 0);
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      // Chromium rewrites its command line into one space-separated string: match text, not argv items.
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ');
      let exe = '';
      try {
        exe = readlinkSync(`/proc/${name}/exe`);
      } catch {
        /* not ours to read */
      }
      let pss = kb;
      try {
        pss = Number(/Pss:\s+(\d+)/.exec(readFileSync(`/proc/${name}/smaps_rollup`, 'utf8'))?.[1] ?? kb);
      } catch {
        /* no smaps_rollup: RSS */
      }
      all.set(Number(name), { ppid, cmd, exe, rss: kb * 1024, pss: pss * 1024 });
    } catch {
      /* gone meanwhile */
    }
  }
  const inRun = (pid: number, depth = 0): boolean => {
    const p = all.get(pid);
    if (!p || depth > 16) return false;
    return p.cmd.includes(`--user-data-dir=${dir}`) || inRun(p.ppid, depth + 1);
  };
  const out: Proc[] = [];
  for (const [pid, p] of all)
    if (inRun(pid))
      out.push({
        pid,
        rss: p.rss,
        pss: p.pss,
        cmd: p.cmd,
        // Debian's /usr/bin/chromium is a shell script that may stay as the browser's parent: not a browser.
        // An empty command line is a helper that is exiting (a zombie): not a browser either.
        browser: p.cmd.trim() !== '' && !p.cmd.includes(' --type=') && !/\/(?:ba|da)?sh$/.test(p.exe),
      });
  return out;
}

async function main(): Promise<void> {
  let chromium: string;
  try {
    chromium = findChromium();
  } catch (e) {
    console.log(`browser bench skipped: ${(e as Error).message}`);
    return;
  }
  const ca = await makeTestCa('cookieguard bench CA');
  const cert = await ca.issue(LOOPBACK_NAMES);
  const page = (n: number): string =>
    `<!doctype html><html><head><title>page ${n}</title></head><body><h1>Page ${n}</h1>` +
    `${'<p>lorem ipsum dolor sit amet</p>'.repeat(100)}<img src="/img.png" alt="">` +
    `<script>document.cookie = "seen_${n}=1; Path=/; Secure"; fetch("/data.json").then((r) => r.json()).catch(() => {});</script>` +
    `</body></html>`;
  const server = https.createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
    const m = /^\/p\/(\d+)$/.exec(req.url ?? '');
    if (m) {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'set-cookie': 'sid=abcdef0123456789; Secure; HttpOnly; Path=/',
        'strict-transport-security': 'max-age=31536000',
      });
      res.end(page(Number(m[1])));
    } else if (req.url === '/data.json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    } else {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(Buffer.alloc(64));
    }
  });
  const twin = http.createServer((req, res) => {
    res.writeHead(301, { location: `${origin}${req.url ?? '/'}` });
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  await new Promise<void>((r) => twin.listen(0, '127.0.0.1', r));
  const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const httpOrigin = `http://127.0.0.1:${(twin.address() as AddressInfo).port}`;
  const urls = Array.from({ length: PAGES }, (_, i) => `${origin}/p/${i}`);

  // Baseline: the plain-HTTP check of the same URLs.
  const liveTimes: number[] = [];
  for (let r = 0; r < ROUNDS + 1; r++) {
    const t0 = performance.now();
    const res = await collectLive(urls, { ca: [ca.caFile], http: httpOrigin, concurrency: CONCURRENCY });
    const t = performance.now() - t0;
    if (res.errors.length > 0) throw new Error(`live check failed: ${res.errors[0]!.message}`);
    if (r > 0) liveTimes.push(t); // the first round warms up
  }

  // The browser: one launch, then ROUNDS rounds of 50 pages, CONCURRENCY tabs at once.
  const t0 = performance.now();
  const run = await BrowserRun.launch({ chromium, ignoreCertificateErrors: true, timeoutMs: 30_000 });
  const launchMs = performance.now() - t0;
  let peak = 0;
  let peakPss = 0;
  const browserPids = new Set<number>();
  let maxBrowserProcesses = 0;
  let maxProcesses = 0;
  const sample = (): void => {
    const procs = profileProcesses(run.userDataDir);
    const main = procs.filter((p) => p.browser);
    for (const p of main) browserPids.add(p.pid);
    if (process.env.BENCH_DEBUG && main.length > 1)
      console.log(main.map((p) => `${p.pid} ${p.cmd.slice(0, 120)}`).join('\n'));
    maxBrowserProcesses = Math.max(maxBrowserProcesses, main.length);
    maxProcesses = Math.max(maxProcesses, procs.length);
    peak = Math.max(peak, procs.reduce((s, p) => s + p.rss, 0) + process.memoryUsage().rss);
    peakPss = Math.max(peakPss, procs.reduce((s, p) => s + p.pss, 0) + process.memoryUsage().rss);
  };
  const timer = setInterval(sample, 50);
  const browserTimes: number[] = [];
  let observedScriptCookies = 0;
  try {
    for (let r = 0; r < ROUNDS + 1; r++) {
      let next = 0;
      let scriptCookies = 0;
      const t1 = performance.now();
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < urls.length) {
            const url = urls[next++]!;
            const p = await run.visit(url, { documentCookies: false });
            if (p.errors.length > 0) throw new Error(`${url}: ${p.errors[0]!.message}`);
            scriptCookies += p.observations.filter((o) => o.kind === 'cookie' && o.setBy === 'script').length;
          }
        }),
      );
      const t = performance.now() - t1;
      if (r > 0) browserTimes.push(t);
      observedScriptCookies = scriptCookies;
      sample();
    }
  } finally {
    clearInterval(timer);
    await run.close();
    server.closeAllConnections();
    twin.closeAllConnections();
    server.close();
    twin.close();
    ca.cleanup();
  }

  const liveMs = median(liveTimes);
  const browserMs = median(browserTimes);
  const livePps = (PAGES / liveMs) * 1000;
  const browserPps = (PAGES / browserMs) * 1000;
  console.log(`pages: ${PAGES}, concurrency ${CONCURRENCY}, rounds ${ROUNDS} (medians)`);
  console.log(`plain-HTTP check (baseline): ${livePps.toFixed(1)} pages/s (${liveMs.toFixed(0)} ms)`);
  console.log(`--browser page loads:        ${browserPps.toFixed(1)} pages/s (${browserMs.toFixed(0)} ms)`);
  console.log(`ratio (browser time / plain-HTTP time): ${(browserMs / liveMs).toFixed(1)}x`);
  console.log(`browser start-up: ${launchMs.toFixed(0)} ms`);
  console.log(
    `peak memory (Chromium's processes + node): ${(peak / 1024 / 1024).toFixed(0)} MiB summed RSS (counts shared pages once per process), ` +
      `${(peakPss / 1024 / 1024).toFixed(0)} MiB summed PSS; processes of the profile at most ${maxProcesses}`,
  );
  console.log(
    `browser processes: ${browserPids.size} distinct pid(s), at most ${maxBrowserProcesses} at once`,
  );
  let ok = true;
  if (browserPids.size !== 1 || maxBrowserProcesses !== 1) {
    console.error('FAIL: expected one browser process for the whole run');
    ok = false;
  }
  if (observedScriptCookies !== PAGES) {
    console.error(
      `FAIL: ${observedScriptCookies} script cookies observed in the last round, expected ${PAGES}`,
    );
    ok = false;
  }
  process.exit(ok ? 0 : 1);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
