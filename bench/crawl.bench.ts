/**
 * `check --crawl` throughput: collectCrawl (+ the rules) over a 200-page loopback site, against
 * bare undici fetching the same pages at the same concurrency with the URL list known in advance
 * (no parsing, no analysis, no link discovery). Target: ratio <= 1.5 (issue 12).
 *
 * Two floors, because a crawled page is checked as `check` checks a URL: its HTTPS request and its
 * plain-HTTP twin (src/collect/crawl/http.ts):
 * - "same requests": every page over HTTPS (body read to its end) and its twin over HTTP, as the
 *   crawl makes them; the ratio against it is the crawl's own cost (reading pages, levels, rules);
 * - "pages only": the 200 HTTPS pages alone, the literal reading of the target; the crawl makes
 *   twice the requests, so this ratio includes the twins.
 *
 * The site runs in a child process, so the measured process spends CPU on the client only. Each
 * side runs WARMUP times (env BENCH_WARMUP, default 5) then ROUNDS times (env BENCH_ROUNDS, default
 * 11), alternately; medians of wall time and of the client's CPU time are compared, and the
 * per-round ratios (each crawl round against the floor rounds just before it) are printed with
 * their quartiles, since on a shared machine the speed drifts between runs.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import tls from 'node:tls';
import { Agent } from 'undici';
import type { Observation } from '../src/model/observation.js';
import { collectCrawl } from '../src/collect/crawl/index.js';

const PAGES = 200;
const FANOUT = 10;
const CONCURRENCY = 8;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 11);
const WARMUP = Math.max(1, Number(process.env.BENCH_WARMUP ?? 5));

interface SiteInfo {
  httpsOrigin: string;
  httpOrigin: string;
  caFile: string;
  caPem: string;
}

// ---------------------------------------------------------------------------------------------
// The site (child process): page i links to pages FANOUT*i+1 .. FANOUT*i+FANOUT (a tree that holds
// the 200 pages within depth 3), and every page has the same navigation bar (links already seen).

function pageHtml(i: number): string {
  const nav = Array.from({ length: 12 }, (_, k) => `<li><a href="/p/${k}">Section ${k}</a></li>`).join('');
  const children: string[] = [];
  for (let c = FANOUT * i + 1; c <= FANOUT * i + FANOUT && c < PAGES; c++)
    children.push(`<li><a href="/p/${c}#top">Page ${c}</a></li>`);
  const para = (k: number) =>
    `<p class="text">Lorem ipsum dolor sit amet, <em>consectetur</em> adipiscing elit ${k}, sed do eiusmod tempor ` +
    `<a href="https://cdn.example/doc/${k}">incididunt</a> ut labore et dolore magna aliqua.</p>`;
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Page ${i}</title>` +
    `<link rel="stylesheet" href="/static/site.css"><link rel="icon" href="/favicon.ico">` +
    `<script src="/static/app.js" defer></script><script>window.dataLayer=[];function g(){dataLayer.push(arguments)}</script>` +
    `</head><body><header><nav><ul>${nav}</ul></nav></header><main><h1>Page ${i}</h1>` +
    `<ul class="children">${children.join('')}</ul>` +
    Array.from({ length: 60 }, (_, k) => para(k)).join('') +
    `<img src="/img/${i}.png" srcset="/img/${i}@2x.png 2x" alt="">` +
    `<form action="/p/0" method="get"><input name="q" type="search"><button>Search</button></form>` +
    `</main><footer><a href="/p/0">Home</a> <a href="https://social.example/cg">Follow</a></footer></body></html>`
  );
}

async function serveSite(): Promise<void> {
  const { makeTestCa, LOOPBACK_NAMES } = await import('../test/helpers/tls.js');
  const { startTestSite } = await import('../test/helpers/servers.js');
  const ca = await makeTestCa('cookieguard crawl bench CA');
  const pages = Array.from({ length: PAGES }, (_, i) => pageHtml(i));
  let n = 0;
  const site = await startTestSite({
    cert: await ca.issue(LOOPBACK_NAMES),
    https: {
      '*': (req) => {
        const [, p, id] = req.path.split('/');
        const i = Number(id);
        if (p !== 'p' || !(i >= 0 && i < PAGES)) return { status: 404, body: 'not found' };
        return {
          headers: {
            'content-type': 'text/html; charset=utf-8',
            'strict-transport-security': 'max-age=31536000; includeSubDomains',
            // A fresh session id per response, as an app without a cookie jar on the client sees.
            'set-cookie': [
              `sessionid=${(n++).toString(16).padStart(32, 'a')}; Path=/; Secure; HttpOnly; SameSite=Lax`,
              `csrftoken=${'c'.repeat(32)}; Path=/; Secure; SameSite=Strict; Max-Age=31449600`,
            ],
          },
          body: pages[i]!,
        };
      },
    },
    http: { '*': { status: 301, headers: { location: '{https}{path}' } } },
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
// The floors: bare undici, the URL list known in advance

let floorContext: tls.SecureContext | undefined;
const HEADERS = { 'user-agent': 'cookieguard/bench', accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

async function floor(site: SiteInfo, twins: boolean): Promise<number> {
  floorContext ??= tls.createSecureContext({ ca: [...tls.rootCertificates, site.caPem] });
  const agent = new Agent({
    connect: { secureContext: floorContext, timeout: 10_000 },
    headersTimeout: 10_000,
    bodyTimeout: 10_000,
  });
  let requests = 0;
  const get = async (origin: string, path: string): Promise<void> => {
    const res = await agent.request({ origin, path, method: 'GET', headers: HEADERS });
    requests++;
    await res.body.dump({ limit: 1024 * 1024 });
  };
  let next = 0;
  const worker = async () => {
    while (next < PAGES) {
      const path = `/p/${next++}`;
      await Promise.all([
        get(site.httpsOrigin, path),
        twins ? get(site.httpOrigin, path) : Promise.resolve(),
      ]);
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

async function tool(
  site: SiteInfo,
): Promise<{ observations: number; findings: number; errors: string[]; pages: number }> {
  const r = await collectCrawl([`${site.httpsOrigin}/p/0`], {
    ca: [site.caFile],
    http: site.httpOrigin,
    concurrency: CONCURRENCY,
    maxPages: PAGES,
    maxDepth: 10,
  });
  const pages = r.observations.filter((o) => o.kind === 'page').length;
  const findings = runRules ? runRules(r.observations).length : 0;
  return { observations: r.observations.length, findings, errors: r.errors.map((e) => e.message), pages };
}

async function measure<T>(fn: () => Promise<T>): Promise<{ ms: number; cpuMs: number; result: T }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await fn();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, result };
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
    const mod = (await import('../src/rules/index.js')) as { runRules?: RunRules };
    runRules = mod.runRules ?? null;
    let warm: Awaited<ReturnType<typeof tool>> | undefined;
    let sameRequests = 0;
    for (let i = 0; i < WARMUP; i++) {
      sameRequests = await floor(site, true);
      await floor(site, false);
      warm = await tool(site);
    }
    if (!warm) throw new Error('no warm-up run');
    if (warm.errors.length > 0) throw new Error(`the crawl reported errors: ${warm.errors.join('; ')}`);
    if (warm.pages !== PAGES) throw new Error(`the crawl read ${warm.pages} pages, not ${PAGES}`);

    const same: number[] = [];
    const only: number[] = [];
    const crawlMs: number[] = [];
    const sameCpu: number[] = [];
    const onlyCpu: number[] = [];
    const crawlCpu: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const a = await measure(() => floor(site, true));
      const b = await measure(() => floor(site, false));
      const t = await measure(() => tool(site));
      same.push(a.ms);
      only.push(b.ms);
      crawlMs.push(t.ms);
      sameCpu.push(a.cpuMs);
      onlyCpu.push(b.cpuMs);
      crawlCpu.push(t.cpuMs);
    }
    const ms = (xs: number[]) =>
      `median ${median(xs).toFixed(0)} ms  [${xs.map((x) => x.toFixed(0)).join(', ')}]`;
    const paired = (floorMs: number[]) => {
      const r = crawlMs.map((t, i) => t / floorMs[i]!).sort((x, y) => x - y);
      const q = (p: number) => r[Math.min(r.length - 1, Math.floor(p * r.length))]!;
      return `per-round median ${median(r).toFixed(2)}, quartiles ${q(0.25).toFixed(2)}-${q(0.75).toFixed(2)}`;
    };
    console.log(
      `pages: ${PAGES} (${(pageHtml(5).length / 1024).toFixed(1)} KB of HTML each), concurrency ${CONCURRENCY}; ` +
        `${WARMUP} warm-up and ${ROUNDS} measured runs of each side`,
    );
    console.log(`crawl + runRules: ${warm.observations} observations, ${warm.findings} findings`);
    console.log(`floor, same requests (${sameRequests}: pages + twins): ${ms(same)}`);
    console.log(`floor, pages only (${PAGES}):                   ${ms(only)}`);
    console.log(`check --crawl:                                 ${ms(crawlMs)}`);
    const r1 = median(crawlMs) / median(same);
    const r2 = median(crawlMs) / median(only);
    console.log(
      `ratio to the same requests: ${r1.toFixed(2)} (target <= 1.5)${r1 <= 1.5 ? '' : '  ABOVE TARGET'}; ${paired(same)}`,
    );
    console.log(
      `ratio to the pages only:    ${r2.toFixed(2)} (target <= 1.5)${r2 <= 1.5 ? '' : '  ABOVE TARGET'}; ${paired(only)}`,
    );
    console.log(
      `client CPU time: same requests ${median(sameCpu).toFixed(0)} ms, pages only ${median(onlyCpu).toFixed(0)} ms, ` +
        `crawl ${median(crawlCpu).toFixed(0)} ms (the site runs in another process)`,
    );
  } finally {
    child.disconnect();
  }
}

/** `--profile N`: N crawls and nothing else (run with node --cpu-prof to see where a crawl's time goes). */
async function profile(n: number): Promise<void> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--serve'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: [],
  });
  const site = await new Promise<SiteInfo>((resolve) => child.once('message', (m) => resolve(m as SiteInfo)));
  try {
    for (let i = 0; i < n; i++) await tool(site);
  } finally {
    child.disconnect();
  }
}

const profileIndex = process.argv.indexOf('--profile');
if (process.argv.includes('--serve')) await serveSite();
else if (profileIndex !== -1) await profile(Number(process.argv[profileIndex + 1] ?? 20));
else await main();
