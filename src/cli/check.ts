/** `cookieguard check URL...`: live audit (optionally with --source DIR for the code behind it). */
import type { CheckConfig, ScanConfig } from '../config/types.js';
import { expandEnv } from '../config/env.js';
import type { Finding, ReportError } from '../model/finding.js';
import type { Observation } from '../model/observation.js';
import {
  checkCaFile,
  checkScanPath,
  parseCheckUrl,
  parseCookie,
  parseHeader,
  parseOrigin,
  parsePositiveInt,
} from './args.js';
import type { AuditOutcome } from './emit.js';
import { parseShard, readTargets, selectShard } from './fleet.js';
import { UserError } from '../model/errors.js';
import { findChromium } from '../collect/browser/chromium.js';
import { DEFAULT_MAX_DEPTH, DEFAULT_MAX_PAGES } from '../collect/crawl/types.js';
import { loadOptional } from './optional.js';
import { createProgress } from './progress.js';

export interface CheckFlags {
  http?: string;
  https?: string;
  ca?: string[];
  insecure?: boolean;
  cookie?: string[];
  header?: string[];
  timeout?: string;
  concurrency?: string;
  source?: string;
  targets?: string;
  shard?: string;
  // check --crawl
  crawl?: boolean;
  maxPages?: string;
  maxDepth?: string;
  /** check --login URL --login-field NAME=VALUE ... */
  login?: string;
  loginField?: string[];
  // check --browser (issue 12)
  browser?: boolean;
  chromium?: string;
}

/** The live collector's options (src/collect/live/index.ts). */
export interface LiveOptions {
  http?: string;
  https?: string;
  /** PEM file paths. */
  ca?: string[];
  insecure?: boolean;
  cookies?: string[];
  headers?: string[];
  timeoutMs?: number;
  concurrency?: number;
  /** check --login: the session after the login (src/collect/live/options.ts SessionCookies). */
  session?: import('../collect/live/options.js').SessionCookies;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_CONCURRENCY = 8;

export interface ResolvedCheck {
  urls: string[];
  /** `--shard I/N` given: this run checks one part of the URLs (possibly none). */
  shard?: { index: number; count: number; of: number };
  live: LiveOptions;
  source: string | null;
  /** Options of the --source scan (the config's `scan` section). */
  sourceScan: { include?: string[]; exclude?: string[]; maxFileBytes?: number; workers?: number };
  /** Values of --cookie / --header: never echoed in a report. */
  secrets: string[];
  /** --crawl: the same-origin pages linked from each URL too, within these bounds. */
  crawl?: { maxPages: number; maxDepth: number };
  /** check --login: the login page and the fields to type (values are credentials: in `secrets` too). */
  login?: { url: string; fields: [string, string][] };
  /** check --browser (issue 12): the Chromium binary to load each page in, or absent. */
  browser?: { chromium: string };
}

/** Flags over config; repeatable flags (headers, cookies, CAs) add to the config's lists. */
export function resolveCheck(
  rawUrls: string[],
  flags: CheckFlags,
  config: CheckConfig = {},
  env = process.env,
  scan: ScanConfig = {},
): ResolvedCheck {
  let urls = [
    ...new Set([...rawUrls.map(parseCheckUrl), ...(flags.targets ? readTargets(flags.targets) : [])]),
  ];
  const login = resolveLogin(flags, config, env);
  if (urls.length === 0 && !login)
    throw new UserError('no URL to check: give URLs as arguments or a file of URLs with --targets FILE');
  let shard: ResolvedCheck['shard'];
  if (flags.shard !== undefined) {
    const sh = parseShard(flags.shard);
    shard = { ...sh, of: urls.length };
    urls = selectShard(urls, sh);
  }
  const http = flags.http ?? config.http;
  const https = flags.https ?? config.https;
  const ca = [
    ...(config.ca ?? []).map((p) => checkCaFile(p)),
    ...(flags.ca ?? []).map((p) => checkCaFile(p)),
  ];
  const secrets: string[] = [];
  const headers = [
    ...(config.headers ?? []).map((h, i) => ({ h, where: `check.headers[${i}] of the config` })),
    ...(flags.header ?? []).map((h) => ({ h, where: '--header' })),
  ].map(({ h, where }) => {
    const { name, value } = parseHeader(expandEnv(h, where, env), where);
    secrets.push(value);
    return `${name}: ${value}`;
  });
  const cookies = [
    ...(config.cookies ?? []).map((c, i) => ({ c, where: `check.cookies[${i}] of the config` })),
    ...(flags.cookie ?? []).map((c) => ({ c, where: '--cookie' })),
  ].map(({ c, where }) => {
    const { name, value } = parseCookie(expandEnv(c, where, env), where);
    secrets.push(value);
    return `${name}=${value}`;
  });
  const live: LiveOptions = {
    timeoutMs:
      flags.timeout !== undefined
        ? parsePositiveInt(flags.timeout, '--timeout', 'milliseconds')
        : (config.timeout ?? DEFAULT_TIMEOUT_MS),
    concurrency:
      flags.concurrency !== undefined
        ? parsePositiveInt(flags.concurrency, '--concurrency')
        : (config.concurrency ?? DEFAULT_CONCURRENCY),
    insecure: flags.insecure === true || config.insecure === true,
  };
  if (http !== undefined) live.http = parseOrigin(http, '--http', 'http');
  if (https !== undefined) live.https = parseOrigin(https, '--https', 'https');
  if (ca.length > 0) live.ca = ca;
  if (headers.length > 0) live.headers = headers;
  if (cookies.length > 0) live.cookies = cookies;
  const source = flags.source !== undefined ? checkScanPath(flags.source) : null;
  const sourceScan: ResolvedCheck['sourceScan'] = {};
  if (scan.include) sourceScan.include = scan.include;
  if (scan.exclude) sourceScan.exclude = scan.exclude;
  if (scan.maxFileSize !== undefined) sourceScan.maxFileBytes = scan.maxFileSize;
  if (scan.workers !== undefined) sourceScan.workers = scan.workers;
  const crawl = resolveCrawl(flags, config);
  if (login) for (const [, v] of login.fields) secrets.push(v);
  // check --browser (issue 12): Chromium is looked for now, so that a missing one is one line, exit 2,
  // before any request.
  let browser: ResolvedCheck['browser'];
  if (flags.browser === true || config.browser === true)
    browser = { chromium: findChromium(flags.chromium ?? config.chromium, env) };
  else if (flags.chromium !== undefined) throw new UserError('--chromium PATH is used with --browser');
  return {
    urls,
    live,
    source,
    sourceScan,
    secrets,
    ...(shard ? { shard } : {}),
    ...(crawl ? { crawl } : {}),
    ...(login ? { login } : {}),
    ...(browser ? { browser } : {}),
  };
}

/** --crawl, --max-pages, --max-depth over the config's crawl, maxPages, maxDepth. */
function resolveCrawl(flags: CheckFlags, config: CheckConfig): ResolvedCheck['crawl'] {
  const on = flags.crawl === true || config.crawl === true;
  if (!on) {
    const stray =
      flags.maxPages !== undefined ? '--max-pages' : flags.maxDepth !== undefined ? '--max-depth' : null;
    if (stray) throw new UserError(`${stray} applies to a crawl: add --crawl`);
    return undefined;
  }
  let maxDepth = config.maxDepth ?? DEFAULT_MAX_DEPTH;
  if (flags.maxDepth !== undefined) {
    // 0 is allowed: the URLs given are read (mixed content, forms) but no link is followed.
    maxDepth =
      flags.maxDepth.trim() === '0'
        ? 0
        : parsePositiveInt(flags.maxDepth, '--max-depth', 'links away from a URL given');
  }
  return {
    maxPages:
      flags.maxPages !== undefined
        ? parsePositiveInt(flags.maxPages, '--max-pages', 'pages per URL given')
        : (config.maxPages ?? DEFAULT_MAX_PAGES),
    maxDepth,
  };
}

const FIELD_NAME = /^[^\s=]+$/;

/**
 * --login URL and --login-field NAME=VALUE (over the config's check.login; a flag's field replaces
 * the config's field of the same name). Values may be `${ENV:NAME}`; no error message ever shows one.
 */
function resolveLogin(
  flags: CheckFlags,
  config: CheckConfig,
  env: NodeJS.ProcessEnv,
): ResolvedCheck['login'] | undefined {
  const raw = flags.login ?? config.login?.url;
  if (raw === undefined) {
    if ((flags.loginField ?? []).length > 0)
      throw new UserError('--login-field needs --login URL (the page with the login form)');
    return undefined;
  }
  const where = flags.login !== undefined ? '--login' : 'check.login.url of the config';
  const url = parseCheckUrl(expandEnv(raw, where, env));
  const fields = new Map<string, string>();
  for (const [name, value] of Object.entries(config.login?.fields ?? {})) {
    if (!FIELD_NAME.test(name))
      throw new UserError(`check.login.fields: invalid field name ${JSON.stringify(name)}`);
    fields.set(name, expandEnv(value, `check.login.fields.${name} of the config`, env));
  }
  for (const f of flags.loginField ?? []) {
    const eq = f.indexOf('=');
    const name = eq < 0 ? '' : f.slice(0, eq).trim();
    if (eq <= 0 || !FIELD_NAME.test(name))
      throw new UserError("--login-field must look like 'NAME=VALUE', e.g. 'password=${ENV:APP_PASSWORD}'");
    fields.set(name, expandEnv(f.slice(eq + 1), `--login-field ${name}`, env));
  }
  if (fields.size === 0)
    throw new UserError("--login needs the form's fields: --login-field NAME=VALUE (repeatable)");
  return { url, fields: [...fields] };
}

/**
 * A live observation shows that something answered. A redirect chain without a single response and an
 * unreachable plain-HTTP twin do not count; a TLS observation does (the handshake happened).
 */
export function showsReachable(o: Observation): boolean {
  if (o.kind === 'http-twin') return o.reachable;
  if (o.kind === 'redirect-chain') return o.chain.length > 0;
  return true;
}

type LinkModule = {
  linkFindings(
    live: Finding[],
    code: Finding[],
    codeObservations: Observation[],
    liveObservations: Observation[],
  ): Finding[];
};

function describeError(e: ReportError): string {
  return e.url && !e.message.includes(e.url) ? `${e.url}: ${e.message}` : e.message;
}

export async function runCheck(given: ResolvedCheck, io: { quiet: boolean }): Promise<AuditOutcome> {
  let resolved = given;
  // Loaded only now: validating arguments never depends on (or waits for) the collectors and rules.
  const { collectLive } = await import('../collect/live/index.js');
  const { runRules } = await import('../rules/index.js');
  // check --login: log in first; the URLs are then checked with the session.
  let login: Awaited<ReturnType<typeof performCheckLogin>> | null = null;
  if (resolved.login) {
    login = await performCheckLogin(resolved);
    if (login.failure !== null) {
      return {
        findings: runRules(login.observations),
        errors: login.errors,
        observations: login.observations,
        srcRoot: null,
        fatal: login.failure,
        userSecrets: resolved.secrets,
      };
    }
    resolved = { ...resolved, urls: login.urls, live: { ...resolved.live, session: login.session } };
  }
  if (resolved.urls.length === 0 && login) {
    return {
      findings: runRules(login.observations),
      errors: login.errors,
      observations: login.observations,
      srcRoot: null,
      fatal: null,
      userSecrets: resolved.secrets,
    };
  }
  if (resolved.urls.length === 0) {
    // An empty shard: a valid part of a split whose URLs all fell into other parts.
    if (!io.quiet && resolved.shard)
      process.stderr.write(
        `cookieguard: shard ${resolved.shard.index}/${resolved.shard.count} holds none of the ${resolved.shard.of} URLs\n`,
      );
    return {
      findings: [],
      errors: [],
      observations: [],
      srcRoot: null,
      fatal: null,
      userSecrets: resolved.secrets,
    };
  }
  const progress = createProgress(process.stderr, { enabled: !io.quiet, noun: 'URLs', minTotal: 2 });
  let live: { observations: Observation[]; errors: ReportError[] };
  /** (--crawl) The pages the crawl loaded, and the origins it stayed within. */
  let crawled: string[] = [];
  let crawlOrigins: ReadonlySet<string> = new Set();
  try {
    const onProgress = (done: number, total: number, url: string) => progress.update(done, total, url);
    if (resolved.crawl) {
      // check --crawl: the URLs given are checked as always, then the pages they lead to.
      const { collectCrawl } = await import('../collect/crawl/index.js');
      const c = await collectCrawl(resolved.urls, { ...resolved.live, ...resolved.crawl }, onProgress);
      live = { observations: c.observations, errors: c.errors };
      crawled = c.pages;
      crawlOrigins = new Set(c.origins);
    } else live = await collectLive(resolved.urls, resolved.live, onProgress);
  } finally {
    progress.finish();
  }
  if (login) {
    live = {
      observations: [...login.observations, ...live.observations],
      errors: [...login.errors, ...live.errors],
    };
  }
  if (resolved.browser) {
    // check --browser (issue 12): every URL loaded in one headless Chromium as well; its observations
    // (script cookies, blocked cookies, mixed content, rendered forms) join the live ones.
    // With --crawl, the browser loads every page the crawl reached; with --login, it logs in itself
    // (fields typed, form submitted) and loads the pages with its own session. The session-renewal
    // judgement comes from the HTTP login above (one finding, not two); a failed browser login is an
    // error of the report.
    const { collectBrowser, BrowserRun } = await import('../collect/browser/index.js');
    const options = {
      chromium: resolved.browser.chromium,
      timeoutMs: resolved.live.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      concurrency: resolved.live.concurrency ?? DEFAULT_CONCURRENCY,
      ignoreCertificateErrors: resolved.live.insecure === true || (resolved.live.ca?.length ?? 0) > 0,
      ...(resolved.live.cookies ? { cookies: resolved.live.cookies } : {}),
    };
    const pages = resolved.crawl ? [...new Set([...resolved.urls, ...crawled])] : resolved.urls;
    const run = await BrowserRun.launch(options);
    const loginErrors: ReportError[] = [];
    let b: Awaited<ReturnType<typeof collectBrowser>>;
    try {
      if (resolved.login) {
        const outcome = await run.login(resolved.login.url, Object.fromEntries(resolved.login.fields));
        if (!outcome.ok)
          loginErrors.push({
            url: resolved.login.url,
            message: `the login in the browser failed: ${outcome.failure ?? 'no session'}; its pages were loaded without it`,
          });
      }
      // A crawled page stays within the crawl's origins in the browser too (a script or a redirect
      // that would take it elsewhere ends its load); a URL given is loaded as it leads.
      const given = new Set(resolved.urls);
      b = await collectBrowser(pages, options, run, undefined, (url) =>
        given.has(url) ? null : crawlOrigins,
      );
    } finally {
      await run.close();
    }
    b = { ...b, errors: [...loginErrors, ...b.errors] };
    live = { observations: [...live.observations, ...b.observations], errors: [...live.errors, ...b.errors] };
  }
  const liveFindings = runRules(live.observations);
  const reachable = live.observations.some(showsReachable);
  const fatal =
    !reachable && live.errors.length > 0
      ? resolved.urls.length === 1
        ? `nothing reachable: ${describeError(live.errors[0]!)}`
        : `none of the ${resolved.urls.length} URLs could be reached (first error: ${describeError(live.errors[0]!)})`
      : null;

  if (resolved.source === null) {
    return {
      findings: liveFindings,
      errors: live.errors,
      observations: live.observations,
      srcRoot: null,
      fatal,
      userSecrets: resolved.secrets,
    };
  }

  const { collectCode } = await import('../collect/code/index.js');
  const code = await collectCode([resolved.source], resolved.sourceScan);
  const codeFindings = runRules(code.observations);
  const link = await loadOptional<LinkModule>('../link/index.js');
  const findings = link
    ? link.linkFindings(liveFindings, codeFindings, code.observations, live.observations)
    : [...liveFindings, ...codeFindings];
  return {
    findings,
    errors: [...live.errors, ...code.errors],
    observations: [...live.observations, ...code.observations],
    srcRoot: code.root,
    fatal,
    userSecrets: resolved.secrets,
  };
}

/**
 * check --login (src/collect/login): the login's observations and errors, the session for the live
 * checker (its cookies go over HTTPS only), and the URLs to check: those given, or else the page the
 * login landed on. `failure` (one line, no field value) makes the run fatal, exit 2.
 */
async function performCheckLogin(resolved: ResolvedCheck): Promise<{
  observations: Observation[];
  errors: ReportError[];
  session: import('../collect/live/options.js').SessionCookies | undefined;
  urls: string[];
  failure: string | null;
}> {
  const { collectLogin } = await import('../collect/login/index.js');
  const r = await collectLogin(resolved.login!.url, resolved.login!.fields, resolved.live);
  let urls = resolved.urls;
  const landed = r.outcome?.finalUrl;
  if (urls.length === 0 && !resolved.shard && landed?.startsWith('https:')) urls = [landed];
  return {
    observations: r.observations,
    errors: r.errors,
    session: r.session ?? undefined,
    urls,
    failure: r.failure,
  };
}
