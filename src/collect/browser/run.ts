/**
 * One headless Chromium for a whole run (`check --browser`): BrowserRun.launch() starts it (see
 * chromium.ts), visit(url) loads a page in a new tab and returns its observations and links,
 * login(url, fields) types the fields into the login form and submits it, close() ends the browser
 * and deletes its profile. Tabs share one browser context (one cookie jar), as a user's browser
 * does: the session a login opens is the session later visits use.
 *
 * What is watched per tab (see record.ts for the protocol facts): every request and its initiator,
 * every response's Set-Cookie with the cookies Chromium blocked and why, cookie and mixed-content
 * issues of the Audits domain, and document.cookie writes through an init script that wraps the
 * setter (Document.prototype's `cookie` accessor, WHATWG HTML "document.cookie") and tells the
 * collector through a binding.
 */
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { extractPage, findFormWithFields, formSubmission } from '../html/extract.js';
import { loginFormRefusal } from '../login/perform.js';
import { findSessionIdsInUrl, redactSessionIdsInUrl, redactValues } from '../live/session-id.js';
import { findChromium, startChromium, type ChromiumProcess } from './chromium.js';
import { pageObservations, type PageRecord, type RecordedCookieWrite } from './record.js';
import type {
  BrowserOptions,
  BrowserPage,
  JarCookie,
  LoginOutcome,
  LoginResponse,
  VisitOptions,
} from './types.js';

const BINDING = '__cookieguardCookieWrite';
/** The network counts as quiet after this long without a request under way (settle()). */
const QUIET_MS = 150;

/**
 * Runs in every frame before its scripts: wraps the document.cookie setter so that each write is
 * reported (the text assigned and the document's URL). Getter and setter otherwise unchanged.
 */
const INIT_SCRIPT = `(() => {
  const d = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
  if (!d || !d.set || !d.get) return;
  const report = (text, url) => {
    try { const b = globalThis[${JSON.stringify(BINDING)}]; if (typeof b === 'function') b(text, url); } catch (e) {}
  };
  Object.defineProperty(Document.prototype, 'cookie', {
    configurable: true,
    enumerable: d.enumerable,
    get() { return d.get.call(this); },
    set(v) {
      const r = d.set.call(this, v);
      try { report(String(v), String(this.URL)); } catch (e) {}
      return r;
    },
  });
})();`;

interface TabState {
  rec: PageRecord;
  mainFrameId: string | null;
  /** Per request id: URLs of its hops (redirects keep the id), and how many extra-info events came. */
  hops: Map<string, { urls: string[]; types: string[]; frameId?: string; extraSeen: number }>;
  /** Responses of the login (method per hop). */
  methods: Map<string, string[]>;
  phase: 'page' | 'submit';
  loginResponses?: LoginResponse[];
  /** Requests under way, and when the last one ended (for settle()). */
  inflight: Set<string>;
  lastActivity: number;
}

function cookieLines(headers: Record<string, string> | undefined): string[] {
  if (!headers) return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(headers))
    if (k.toLowerCase() === 'set-cookie')
      for (const line of String(v).split('\n')) if (line.trim()) out.push(line);
  return out;
}

function initiatorOf(init: unknown): string {
  const i = (init ?? {}) as {
    type?: string;
    url?: string;
    stack?: { callFrames?: { url?: string; lineNumber?: number }[]; parent?: unknown };
  };
  const frame = i.stack?.callFrames?.find((f) => f.url);
  // The script's URL goes into reports: the values of the session ids it carries are redacted.
  if (frame?.url)
    return `${i.type ?? 'script'} ${redactSessionIdsInUrl(frame.url)}:${(frame.lineNumber ?? 0) + 1}`;
  return i.type ?? 'other';
}

function toJar(cookies: { name: string; value: string; domain: string; path: string }[]): JarCookie[] {
  return cookies.map((c) => ({
    name: c.name,
    value: c.value,
    domain: c.domain.replace(/^\./, '').toLowerCase(),
    path: c.path,
  }));
}

function message(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  // Playwright's messages carry a call log after the first line.
  return (m.split('\n')[0] ?? m).replace(/^\w+\.\w+: /, '').slice(0, 300);
}

export class BrowserRun {
  private readonly tabs = new Map<Page, TabState>();
  private closed = false;

  private constructor(
    private readonly proc: ChromiumProcess,
    private readonly browser: Browser,
    readonly context: BrowserContext,
    private readonly opts: Required<Pick<BrowserOptions, 'timeoutMs' | 'settleMs'>>,
  ) {}

  /** The temporary profile directory (deleted by close()). */
  get userDataDir(): string {
    return this.proc.userDataDir;
  }

  /** Starts Chromium. Throws a UserError (one line) when there is none or it does not start. */
  static async launch(options: BrowserOptions = {}): Promise<BrowserRun> {
    const executable = findChromium(options.chromium);
    const timeoutMs = options.timeoutMs ?? 10_000;
    const proc = await startChromium(executable, {
      timeoutMs: Math.max(timeoutMs, 30_000),
      ...(options.extraArgs ? { extraArgs: options.extraArgs } : {}),
    });
    try {
      const { chromium } = await import('playwright-core');
      const browser = await chromium.connectOverCDP(proc.wsEndpoint, {
        timeout: Math.max(timeoutMs, 30_000),
      });
      const context = await browser.newContext({
        ignoreHTTPSErrors: options.ignoreCertificateErrors === true,
      });
      const run = new BrowserRun(proc, browser, context, {
        timeoutMs,
        settleMs: options.settleMs ?? 1500,
      });
      await context.exposeBinding(BINDING, (source, text: unknown, url: unknown) => {
        const tab = run.tabs.get(source.page as Page);
        if (!tab || typeof text !== 'string') return;
        const w: RecordedCookieWrite = { text: text.slice(0, 8192), url: typeof url === 'string' ? url : '' };
        if (tab.rec.cookieWrites.length < 1000) tab.rec.cookieWrites.push(w);
      });
      await context.addInitScript({ content: INIT_SCRIPT });
      return run;
    } catch (e) {
      await proc.dispose();
      throw e;
    }
  }

  /** Puts 'NAME=VALUE' cookies in the jar for `origin` (https only: they are marked Secure). */
  async addCookies(cookies: { name: string; value: string }[], origin: string): Promise<void> {
    if (!origin.startsWith('https:') || cookies.length === 0) return;
    await this.context.addCookies(cookies.map((c) => ({ ...c, url: origin, secure: true })));
  }

  private async openTab(requestedUrl: string): Promise<{ page: Page; cdp: CDPSession; tab: TabState }> {
    const page = await this.context.newPage();
    const tab: TabState = {
      rec: {
        requestedUrl,
        finalUrl: requestedUrl,
        status: null,
        html: null,
        responses: [],
        requests: new Map(),
        mixedContent: [],
        cookieWrites: [],
        cookieIssues: [],
        jarAfter: null,
        errors: [],
      },
      mainFrameId: null,
      hops: new Map(),
      methods: new Map(),
      phase: 'page',
      inflight: new Set(),
      lastActivity: Date.now(),
    };
    this.tabs.set(page, tab);
    const cdp = await this.context.newCDPSession(page);
    const { frameTree } = (await cdp.send('Page.getFrameTree')) as { frameTree: { frame: { id: string } } };
    tab.mainFrameId = frameTree.frame.id;
    const rec = tab.rec;
    const ended = (p: { requestId: string }): void => {
      tab.inflight.delete(p.requestId);
      tab.lastActivity = Date.now();
    };
    cdp.on('Network.loadingFinished', ended);
    cdp.on('Network.loadingFailed', ended);
    cdp.on('Network.requestWillBeSent', (p) => {
      tab.inflight.add(p.requestId);
      tab.lastActivity = Date.now();
      const h = tab.hops.get(p.requestId) ?? { urls: [], types: [], extraSeen: 0 };
      h.urls.push(p.request.url);
      h.types.push(p.type ?? 'Other');
      if (p.frameId) h.frameId = p.frameId;
      tab.hops.set(p.requestId, h);
      const methods = tab.methods.get(p.requestId) ?? [];
      methods.push(p.request.method);
      tab.methods.set(p.requestId, methods);
      if (rec.requests.size < 5000)
        rec.requests.set(p.requestId, {
          url: p.request.url,
          type: p.type ?? 'Other',
          documentUrl: p.documentURL ?? '',
          initiator: initiatorOf(p.initiator),
          ...(p.request.mixedContentType ? { mixedContentType: p.request.mixedContentType } : {}),
        });
    });
    cdp.on('Network.responseReceivedExtraInfo', (p) => {
      const h = tab.hops.get(p.requestId);
      const index = h ? h.extraSeen++ : 0;
      const url = h?.urls[index] ?? h?.urls.at(-1) ?? '';
      const type = h?.types[index] ?? h?.types.at(-1) ?? '';
      const setCookies = cookieLines(p.headers as Record<string, string>);
      const blocked = (p.blockedCookies ?? []).map((b) => ({
        line: b.cookieLine,
        reasons: [...b.blockedReasons],
      }));
      const mainDocument = type === 'Document' && (h?.frameId ?? null) === tab.mainFrameId;
      if (setCookies.length > 0 || blocked.length > 0) {
        if (rec.responses.length < 2000)
          rec.responses.push({
            requestId: p.requestId,
            url,
            status: p.statusCode ?? 0,
            mainDocument,
            setCookies,
            blocked,
          });
      }
      if (tab.loginResponses && mainDocument) {
        const method = tab.methods.get(p.requestId)?.[index] ?? 'GET';
        const status = p.statusCode ?? 0;
        tab.loginResponses.push({
          phase: tab.phase,
          method: method === 'POST' ? 'POST' : 'GET',
          url,
          status,
          setCookies,
          redirect: status >= 300 && status < 400,
          receivedAt: Date.now(),
        });
      }
    });
    cdp.on('Audits.issueAdded', (p) => {
      const issue = p.issue;
      if (issue.code === 'MixedContentIssue') {
        const d = issue.details.mixedContentIssueDetails;
        if (d && rec.mixedContent.length < 1000)
          rec.mixedContent.push({
            url: d.insecureURL,
            resourceType: d.resourceType ?? 'Other',
            resolution: d.resolutionStatus,
            mainResourceUrl: d.mainResourceURL,
            ...(d.request?.requestId ? { requestId: d.request.requestId } : {}),
          });
      } else if (issue.code === 'CookieIssue') {
        const d = issue.details.cookieIssueDetails;
        if (d?.cookie && d.operation === 'SetCookie' && rec.cookieIssues.length < 1000)
          rec.cookieIssues.push({
            name: d.cookie.name,
            reasons: [...d.cookieExclusionReasons],
            ...(d.request ? { requestUrl: d.request.url } : {}),
          });
      }
    });
    await cdp.send('Network.enable');
    await cdp.send('Audits.enable');
    return { page, cdp, tab };
  }

  private async closeTab(page: Page): Promise<void> {
    this.tabs.delete(page);
    await page.close().catch(() => undefined);
  }

  /**
   * Waits for the tab's network to go quiet (no request under way for QUIET_MS), at most settleMs:
   * the requests and cookie writes scripts make after the load event.
   */
  private async settle(page: Page): Promise<void> {
    const tab = this.tabs.get(page);
    if (!tab) return;
    const deadline = Date.now() + this.opts.settleMs;
    while (Date.now() < deadline) {
      if (tab.inflight.size === 0 && Date.now() - tab.lastActivity >= QUIET_MS) return;
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /**
   * Loads `url` in a new tab: its observations (cookies of every response and of scripts, blocked
   * cookies with Chromium's reasons, mixed content, insecure forms of the rendered DOM) and links.
   * Never throws for a page that fails to load: the failure is in `errors`.
   */
  async visit(url: string, opts: VisitOptions = {}): Promise<BrowserPage> {
    if (this.closed) throw new Error('the browser run is closed');
    const { page, cdp, tab } = await this.openTab(url);
    const rec = tab.rec;
    const visited: string[] = [];
    try {
      if (opts.allowedOrigins) {
        const allowed = opts.allowedOrigins;
        await page.route('**/*', (route) => {
          const req = route.request();
          let origin = '';
          try {
            origin = new URL(req.url()).origin;
          } catch {
            /* not a URL we route */
          }
          if (req.isNavigationRequest() && req.frame() === page.mainFrame() && !allowed.has(origin))
            return route.abort('blockedbyclient');
          return route.continue();
        });
      }
      try {
        const resp = await page.goto(url, { waitUntil: 'load', timeout: this.opts.timeoutMs });
        rec.status = resp?.status() ?? null;
        await this.settle(page);
      } catch (e) {
        rec.errors.push({ url, message: `browser: ${message(e)}` });
      }
      rec.finalUrl = page.url() === 'about:blank' ? url : page.url();
      for (const h of tab.hops.values())
        if (h.types[0] === 'Document' && h.frameId === tab.mainFrameId) visited.push(...h.urls);
      try {
        rec.html = await page.content();
        const jar = await this.context.cookies();
        rec.jarAfter = new Set(jar.map((c) => `${c.name}=${c.value}`));
      } catch (e) {
        if (rec.errors.length === 0) rec.errors.push({ url, message: `browser: ${message(e)}` });
      }
    } finally {
      await cdp.detach().catch(() => undefined);
      await this.closeTab(page);
    }
    const result = pageObservations(rec, { documentCookies: opts.documentCookies ?? true });
    return {
      finalUrl: rec.finalUrl,
      visited: [...new Set(visited)],
      links: result.links,
      observations: result.observations,
      errors: rec.errors,
    };
  }

  /**
   * Logs in as a user would: loads `loginUrl`, finds the form holding every field of `fields`,
   * types the values into them, submits the form (its submit button, or requestSubmit()) and waits
   * for the navigation that follows. The credentials are never kept: the outcome names the fields
   * only. A form the HTTP login refuses (perform.ts loginFormRefusal: an action that is not https://,
   * reported as insecureForm when it is http://; a GET form) is not submitted. The session stays in the
   * run's jar for later visits.
   */
  async login(loginUrl: string, fields: Readonly<Record<string, string>>): Promise<LoginOutcome> {
    if (this.closed) throw new Error('the browser run is closed');
    const fieldNames = Object.keys(fields);
    const outcome: LoginOutcome = {
      loginUrl,
      pageUrl: null,
      action: null,
      method: null,
      fieldNames,
      submittedFields: [],
      before: [],
      after: [],
      responses: [],
      finalUrl: null,
      ok: false,
    };
    const { page, cdp, tab } = await this.openTab(loginUrl);
    tab.loginResponses = outcome.responses;
    const fail = (why: string): LoginOutcome => {
      outcome.failure = why;
      return outcome;
    };
    try {
      try {
        await page.goto(loginUrl, { waitUntil: 'load', timeout: this.opts.timeoutMs });
      } catch (e) {
        // Playwright's message names the URL too.
        const ids = findSessionIdsInUrl(loginUrl).map((i) => i.value);
        return fail(`login page ${redactSessionIdsInUrl(loginUrl)}: ${redactValues(message(e), ids)}`);
      }
      outcome.pageUrl = page.url();
      const pageUrl = new URL(page.url());
      const forms = extractPage(await page.content(), page.url()).forms;
      const form = findFormWithFields(forms, fieldNames);
      if (!form)
        return fail(
          `no form on ${redactSessionIdsInUrl(page.url())} holds the fields ${fieldNames.join(', ')}`,
        );
      outcome.action = form.action;
      outcome.method = form.method;
      outcome.submittedFields = formSubmission(form, fields).map(([name]) => name);
      // The HTTP login's rules, on the form of the rendered DOM: an https:// action and POST only.
      const refused = loginFormRefusal(form, new URL(form.action), pageUrl);
      if (refused) {
        if (refused.insecureForm) outcome.insecureForm = refused.insecureForm;
        return fail(refused.failure);
      }
      outcome.before = toJar(await this.context.cookies());
      const formLocator = page.locator('form').nth(form.index);
      for (const name of fieldNames) {
        const field = formLocator
          .locator(`[name="${name.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"]`)
          .first();
        try {
          await field.fill(fields[name]!, { timeout: this.opts.timeoutMs });
        } catch {
          return fail(`the field ${name} of the login form could not be filled`);
        }
      }
      tab.phase = 'submit';
      const navigated = page
        .waitForEvent('framenavigated', {
          predicate: (f) => f === page.mainFrame(),
          timeout: this.opts.timeoutMs,
        })
        .then(() => true)
        .catch(() => false);
      try {
        const submit = form.submitter
          ? formLocator
              .locator(`[type="submit"][name="${form.submitter.name.replaceAll('"', '\\"')}"]`)
              .first()
          : null;
        if (submit && (await submit.count()) > 0) await submit.click({ timeout: this.opts.timeoutMs });
        else
          await formLocator.evaluate((f) => {
            const el = f as HTMLFormElement;
            if (typeof el.requestSubmit === 'function') el.requestSubmit();
            else el.submit();
          });
      } catch {
        return fail('the login form could not be submitted');
      }
      if (!(await navigated))
        return fail(
          `submitting the login form on ${redactSessionIdsInUrl(pageUrl.href)} led nowhere within ${this.opts.timeoutMs} ms`,
        );
      await page.waitForLoadState('load', { timeout: this.opts.timeoutMs }).catch(() => undefined);
      await this.settle(page);
      outcome.finalUrl = page.url();
      outcome.after = toJar(await this.context.cookies());
      const last = outcome.responses.filter((r) => r.phase === 'submit').at(-1);
      if (last && last.status >= 400)
        return fail(`the login answered ${last.status} at ${redactSessionIdsInUrl(last.url)}`);
      const again = findFormWithFields(extractPage(await page.content(), page.url()).forms, fieldNames);
      if (again)
        return fail(`the login form came back at ${redactSessionIdsInUrl(page.url())}: the login failed`);
      outcome.ok = true;
      return outcome;
    } finally {
      tab.loginResponses = undefined;
      await cdp.detach().catch(() => undefined);
      await this.closeTab(page);
    }
  }

  /** Ends the browser and deletes its profile. Safe to call more than once. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Ask Chromium to quit (it flushes and ends its helpers), then make sure of it (chromium.ts).
    await Promise.race([
      (async () => {
        const s = await this.browser.newBrowserCDPSession();
        await s.send('Browser.close').catch(() => undefined);
      })().catch(() => undefined),
      new Promise((r) => setTimeout(r, 3000).unref()),
    ]);
    await this.browser.close().catch(() => undefined);
    await this.proc.dispose();
  }
}
