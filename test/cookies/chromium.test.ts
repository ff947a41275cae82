/**
 * Differential test against real Chromium: every Set-Cookie in the table is served from loopback
 * (plain HTTP and HTTPS with a certificate from a CA made here), Chromium reports through the
 * DevTools protocol which cookies it blocked and why (Network.responseReceivedExtraInfo
 * `blockedCookies[].blockedReasons`) and what it stored (Network.getCookies), and both are compared
 * with parseSetCookie's `rejectedBy`, `hostOnly`, `effectiveDomain`, `effectivePath` and lifetime.
 *
 * Host names are mapped to 127.0.0.1 with --host-resolver-rules, so `site.example`,
 * `shop.example.co.uk` and friends are real origins to the browser. Where Chromium and the draft
 * differ, the difference is written down in KNOWN_DIFFERENCES and asserted, so a Chromium change
 * shows up here.
 *
 * Skipped (with the reason) when no Chromium binary is found; scripts/setup.sh installs one.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { X509Certificate, createHash } from 'node:crypto';
import type net from 'node:net';
import { parseSetCookie } from '../../src/cookies/setcookie.js';
import { overwriteSecureBlocked } from '../../src/cookies/jar.js';
import { makeTestCa, type TestCa } from '../helpers/tls.js';
import { startNetServer, startTlsServer } from '../helpers/servers.js';

const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (p): p is string => !!p && existsSync(p),
);

type Scheme = 'http' | 'https';

interface Case {
  raw: string;
  scheme: Scheme;
  host: string;
  path?: string;
}

const H = (raw: string, host = 'site.example', path = '/'): Case => ({ raw, scheme: 'https', host, path });
const P = (raw: string, host = 'site.example', path = '/'): Case => ({ raw, scheme: 'http', host, path });

const CASES: Case[] = [
  // accepted, with attributes checked against the store
  H('SID=31d4d96e407aad42; Path=/; Secure; HttpOnly'),
  H('a=1'),
  H('a=1', 'site.example', '/a/b/c'),
  H('a=1; Path=foo', 'site.example', '/a/b/c'),
  H('a=1; Domain=.Site.Example', 'www.site.example'),
  H('a=1; Domain=site.example', 'site.example'),
  H('a=1; Domain=example.co.uk', 'shop.example.co.uk'),
  H('a=1; Domain=other.example; Domain=site.example', 'www.site.example'),
  H('a=1; Max-Age=100; Max-Age=abc'),
  H('a=1; Expires=Fri, 01 Jan 2100 00:00:00 GMT; Expires=garbage'),
  H('a=1; Max-Age=abc; Expires=Fri, 01 Jan 2100 00:00:00 GMT'),
  H('a=1; Max-Age=-5; Max-Age=100'),
  H(`a=1; Max-Age=100; Max-Age=${'1'.repeat(1030)}`),
  H(`a=1; Domain=site.example; Domain=${'x'.repeat(1030)}`, 'www.site.example'),
  H('a=1; Domain=site.example; Domain=', 'www.site.example'),
  H('a=\xc3\xa9t\xc3\xa9'),
  H('a=1; SameSite=Strict; SameSite'),
  H('a=1; Max-Age=0'),
  H('a=1; Expires=Sun, 06 Nov 1994 08:49:37 GMT'),
  H('a=1; Expires=Sunday, 06-Nov-2094 08:49:37 GMT'),
  H('a=1; Max-Age=99999999999'),
  H('a=1; Expires=Fri, 01 Jan 2100 00:00:00 GMT'),
  H('a=1; Secure=false; HttpOnly=no'),
  H('a=1; SameSite=None; Secure'),
  H('a=1; SameSite=Bogus'),
  H('a=1; SameSite=Lax; SameSite=Bogus'),
  H('a="quoted value"'),
  H('a=caf\xe9'),
  H('nameless'),
  H('__Secure-x=1; Secure'),
  H('__host-x=1; Secure; Path=/'),
  H('__HOST-x=1; Secure; Path=/'),
  H(`a=${'x'.repeat(4095)}`),
  H(`a=1; Path=/${'x'.repeat(1024)}`, 'site.example', '/a/b'),
  H('a=1; Domain=', 'www.site.example'),
  P('a=1'),
  P('a=1; SameSite=Lax'),
  // rejected
  H('a=1; Domain=.site.example', 'evil.example'),
  H('a=1; Domain=co.uk', 'shop.example.co.uk'),
  H('a=1; Domain=com', 'site.com'),
  H('a=1; Domain=ample.com', 'example.com'),
  H('a=1; SameSite=None'),
  H('__Secure-x=1'),
  H('__secure-x=1'),
  H('__Host-x=1; Secure'),
  H('__Host-x=1; Secure; Path=/app'),
  H('__Host-x=1; Secure; Path=/; Domain=site.example'),
  H('=__Secure-abc'),
  H('=__host-abc'),
  H(`a=${'x'.repeat(4096)}`),
  H('a=b\x01c'),
  H('a=b\x7f'),
  H('a=b; Path=/\x01'),
  H('='),
  H('; Secure'),
  P('a=1; Secure'),
  P('a=1; SameSite=None'),
  P('__Secure-x=1; Secure'),
  P('__Host-x=1; Secure; Path=/'),
  P('a=1; Secure', 'localhost'),
  P('__Secure-x=1; Secure', 'localhost'),
  P('__Host-x=1; Secure; Path=/', 'localhost'),
  P('a=1; SameSite=None; Secure', 'localhost'),
  // Domain attribute with non-ASCII characters
  H('a=1; Domain=bücher.example', 'xn--bcher-kva.example'),
  // An IP address host: a Domain naming it keeps the cookie host-only; another address is rejected
  H('a=1; Domain=127.0.0.1', '127.0.0.1'),
  H('a=1; Domain=.127.0.0.1', '127.0.0.1'),
  H('a=1; Domain=0.0.1', '127.0.0.1'),
];

/** [existing cookie, incoming cookie]: does Chromium block the incoming one as OverwriteSecure? */
const PAIRS: [Case, Case][] = [
  [H('sid=good; Secure; Path=/'), P('sid=evil; Path=/')],
  [H('sid=good; Secure; Path=/'), P('sid=evil; Path=/login', 'site.example', '/login')],
  [H('sid=good; Secure; Path=/login', 'site.example', '/login'), P('sid=evil; Path=/')],
  [H('sid=good; Secure; Domain=site.example', 'www.site.example'), P('sid=evil', 'site.example')],
  [H('sid=good; Secure'), P('sid=evil', 'www.site.example')],
  [H('sid=good; Secure', 'api.site.example'), P('sid=evil', 'www.site.example')],
  [H('sid=good; Secure'), P('other=evil')],
  [H('sid=good; Secure; Path=/'), H('sid=new; Path=/')],
];

/** Chromium's SetCookieBlockedReason values that have a different name in our RejectionReason. */
const CHROME_TO_OURS: Record<string, string> = { NoCookieContent: 'SyntaxError' };

/**
 * Where Chromium does not say what the draft's algorithm says. Key: `${scheme}://${host} ${raw}`.
 * Value: Chromium's reasons (after CHROME_TO_OURS).
 */
const KNOWN_DIFFERENCES: Record<string, string[]> = {
  // A prefixed cookie from a plain-HTTP origin: the draft aborts at §5.7 step 13 (SecureOnly)
  // before the prefix steps; Chromium checks the prefix against the source scheme first.
  'http://site.example/ "__Secure-x=1; Secure"': ['InvalidPrefix'],
  'http://site.example/ "__Host-x=1; Secure; Path=/"': ['InvalidPrefix'],
};

function key(c: Case): string {
  return `${c.scheme}://${c.host}${c.path ?? '/'} ${JSON.stringify(c.raw)}`;
}

interface ChromeCookie {
  name: string;
  value: string;
  domain: string;
  path: string;
  expires: number;
  secure: boolean;
  httpOnly: boolean;
  session: boolean;
  sameSite?: string;
}

interface Outcome {
  blocked: string[];
  stored: ChromeCookie[];
  /** The Cookie header sent back to the case's URL (latin1 bytes), null if the echo was not seen. */
  sent: string | null;
}

describe(
  'Chromium agrees with parseSetCookie',
  { skip: CHROMIUM ? false : 'no Chromium binary found' },
  () => {
    let ca: TestCa;
    let httpServer: { port: number; close(): Promise<void> };
    let httpsServer: { port: number; close(): Promise<void> };
    // Loaded lazily so the module is not needed when Chromium is absent.
    let browser: import('playwright-core').Browser;
    const outcomes = new Map<string, Outcome>();
    const echoes = new Map<number, string>();
    const pairOutcomes = new Map<number, string[]>();

    /** Minimal HTTP/1.1 responder writing the Set-Cookie bytes verbatim (latin1), even CTLs. */
    function responder(socket: net.Socket): void {
      let buf = '';
      socket.setEncoding('latin1');
      socket.on('error', () => {});
      socket.on('data', (chunk: string) => {
        buf += chunk;
        const end = buf.indexOf('\r\n\r\n');
        if (end === -1) return;
        const target = buf.slice(0, buf.indexOf('\r\n')).split(' ')[1] ?? '/';
        // Only ?case=N gets a cookie (not /favicon.ico and other requests the browser makes);
        // ?echo=N records the Cookie header the browser sends back, as bytes (latin1).
        const params = new URL(target, 'http://x').searchParams;
        const param = params.get('case');
        const pair = params.get('pair');
        const raw =
          param !== null
            ? CASES[Number(param)]?.raw
            : pair !== null
              ? PAIRS[Number(pair)]?.[Number(params.get('step'))]?.raw
              : undefined;
        const echo = params.get('echo');
        if (echo !== null) {
          const m = /\r\ncookie:[ \t]*([^\r]*)/i.exec(buf);
          echoes.set(Number(echo), m ? m[1]! : '');
        }
        const head =
          'HTTP/1.1 200 OK\r\n' +
          (raw === undefined ? '' : `Set-Cookie: ${raw}\r\n`) +
          'Content-Type: text/html\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok';
        socket.end(Buffer.from(head, 'latin1'));
      });
    }

    before(async () => {
      const { chromium } = await import('playwright-core');
      ca = await makeTestCa();
      const hosts = [...new Set([...CASES, ...PAIRS.flat()].map((c) => c.host))];
      const leaf = await ca.issue(hosts);
      httpServer = await startNetServer(responder);
      httpsServer = await startTlsServer(leaf, responder);
      // Trust exactly this leaf key (no system trust store change).
      const spki = new X509Certificate(leaf.certPem).publicKey.export({ type: 'spki', format: 'der' });
      const pin = createHash('sha256').update(spki).digest('base64');
      browser = await chromium.launch({
        executablePath: CHROMIUM!,
        timeout: 30_000,
        args: [
          '--no-sandbox',
          '--host-resolver-rules=MAP * 127.0.0.1',
          `--ignore-certificate-errors-spki-list=${pin}`,
        ],
      });
      const context = await browser.newContext();
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      const extra = new Map<string, string[]>();
      const requestIds = new Map<string, string>();
      cdp.on('Network.requestWillBeSent', (e) => requestIds.set(e.request.url, e.requestId));
      cdp.on('Network.responseReceivedExtraInfo', (e) => {
        extra.set(
          e.requestId,
          (e.blockedCookies ?? []).flatMap((b) => b.blockedReasons.map((r) => CHROME_TO_OURS[r] ?? r)),
        );
      });
      const origin = (c: Case): string =>
        `${c.scheme}://${c.host}:${c.scheme === 'https' ? httpsServer.port : httpServer.port}${c.path ?? '/'}`;
      /** Navigate and return Chromium's blocked reasons for that response. */
      const visit = async (url: string): Promise<string[]> => {
        await page.goto(url, { timeout: 10_000 });
        // The ExtraInfo event can trail the navigation: wait for it, bounded by 50 polls.
        for (let n = 0; n < 50 && !extra.has(requestIds.get(url) ?? ''); n++)
          await new Promise((r) => setTimeout(r, 20));
        return extra.get(requestIds.get(url) ?? '') ?? [];
      };
      for (let i = 0; i < PAIRS.length; i++) {
        const [existing, incoming] = PAIRS[i]!;
        await context.clearCookies();
        await visit(`${origin(existing)}?pair=${i}&step=0`);
        pairOutcomes.set(i, await visit(`${origin(incoming)}?pair=${i}&step=1`));
      }
      for (let i = 0; i < CASES.length; i++) {
        const c = CASES[i]!;
        await context.clearCookies();
        const port = c.scheme === 'https' ? httpsServer.port : httpServer.port;
        const url = `${origin(c)}?case=${i}`;
        const blocked = await visit(url);
        const { cookies } = (await cdp.send('Network.getCookies', { urls: [url] })) as {
          cookies: ChromeCookie[];
        };
        // What the browser sends back to the same URL (Secure cookies only go back over HTTPS).
        await page.goto(`${c.scheme}://${c.host}:${port}${c.path ?? '/'}?echo=${i}`, { timeout: 10_000 });
        outcomes.set(key(c), {
          blocked: [...new Set(blocked)].sort(),
          stored: cookies,
          sent: echoes.get(i) ?? null,
        });
      }
    });

    after(async () => {
      await browser?.close();
      await httpServer?.close();
      await httpsServer?.close();
      ca?.cleanup();
    });

    PAIRS.forEach(([existing, incoming], i) => {
      test(`existing ${key(existing)} then ${key(incoming)}`, () => {
        const blocked = pairOutcomes.get(i);
        assert.ok(blocked, 'Chromium outcome recorded');
        const url = (c: Case): string => `${c.scheme}://${c.host}${c.path ?? '/'}`;
        const ours = overwriteSecureBlocked(
          { raw: existing.raw, url: url(existing) },
          { raw: incoming.raw, url: url(incoming) },
        );
        assert.equal(blocked.includes('OverwriteSecure'), ours, `Chromium: ${JSON.stringify(blocked)}`);
      });
    });

    for (const c of CASES) {
      test(key(c).slice(0, 120), () => {
        const got = outcomes.get(key(c));
        assert.ok(got, 'Chromium outcome recorded');
        const url = `${c.scheme}://${c.host}${c.path ?? '/'}`;
        const now = new Date();
        const ours = parseSetCookie(c.raw, url, now);
        // Chromium treats http://localhost as a secure context: `loopbackSecureContext` says so.
        const chromeView = ours.loopbackSecureContext
          ? ours.rejectedBy.filter((r) => r !== 'SecureOnly')
          : ours.rejectedBy;
        const expected = KNOWN_DIFFERENCES[key(c)] ?? [...chromeView].sort();
        assert.deepEqual(
          got.blocked,
          expected,
          `Chromium blocked ${JSON.stringify(got.blocked)}; we say ${JSON.stringify(ours.rejectedBy)}`,
        );
        if (expected.length > 0) {
          assert.equal(got.stored.length, 0, 'a blocked cookie is not stored');
          assert.equal(got.sent, '', 'nothing is sent back');
          return;
        }
        if (ours.deletion) {
          assert.deepEqual(got.stored, [], 'a deletion stores nothing');
          assert.equal(got.sent, '');
          return;
        }
        assert.equal(got.stored.length, 1, `stored: ${JSON.stringify(got.stored.map((s) => s.name))}`);
        const s = got.stored[0]!;
        assert.equal(s.name, ours.name);
        // The bytes come back unchanged (the DevTools view decodes them as UTF-8, so compare the wire).
        assert.equal(got.sent, ours.name === '' ? ours.value : `${ours.name}=${ours.value}`);
        assert.equal(s.secure, ours.attributes.secure);
        assert.equal(s.httpOnly, ours.attributes.httpOnly);
        assert.equal(s.path, ours.effectivePath);
        assert.equal(s.domain, ours.hostOnly ? ours.effectiveDomain : `.${ours.effectiveDomain}`);
        const sameSite = { strict: 'Strict', lax: 'Lax', none: 'None' } as Record<string, string>;
        assert.equal(s.sameSite, sameSite[ours.attributes.sameSite]);
        if (ours.lifetime.kind === 'session') {
          assert.equal(s.session, true);
        } else if (ours.lifetime.kind === 'persistent') {
          assert.equal(s.session, false);
          // Same lifetime within a minute (the page load happens between the two clocks).
          assert.ok(
            Math.abs(s.expires - (now.getTime() / 1000 + ours.lifetime.seconds)) < 60,
            `expires ${s.expires}`,
          );
        }
      });
    }
  },
);
