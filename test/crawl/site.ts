/**
 * A loopback site for the crawl tests: pages at several depths, a link and subresources on another
 * origin (a server of its own that records whatever reaches it), a login form that posts to
 * http://, a GET form, a redirect, a logout link, a link carrying a session id, an http:// link to
 * a page the plain-HTTP twin serves, and a page past the default depth.
 *
 *   /            -> /a, /b, /frame (iframe), /search (GET form), /logout, /a;jsessionid=..., http://TWIN/plain,
 *                   http://OTHER/x, script + img from OTHER over http://, a login form posting to http://TWIN/login
 *   /a           -> /a/1 (sets sid without Secure)
 *   /a/1         -> /a/1/2
 *   /a/1/2       -> /a/1/2/3 (depth 4: past --max-depth 3)
 *   /b           -> 302 /b/landing
 *   /plain       served over plain HTTP by the twin (https-not-enforced); every other twin path redirects
 *   /leaky       (not linked) an img from OTHER over http:// whose URL carries ;jsessionid=IMG_SID
 */
import { LOOPBACK_NAMES, makeTestCa, type TestCa } from '../helpers/tls.js';
import { startTestSite, type TestSite } from '../helpers/servers.js';

export const SID = 'crawlSecretSid0123456789abcdef';
export const URL_SID = 'ABCDEF0123456789ABCDEF0123456789';
/** A session id only in a subresource URL of /leaky (no link carries it: nothing else names it). */
export const IMG_SID = 'ABCDEF0123456789';

export interface CrawlSite {
  ca: TestCa;
  site: TestSite;
  other: TestSite;
  close(): Promise<void>;
}

const html = (body: string) => ({
  headers: { 'content-type': 'text/html; charset=utf-8' },
  body: `<!doctype html><html><head><title>t</title></head><body>${body}</body></html>`,
});

export async function startCrawlSite(): Promise<CrawlSite> {
  const ca = await makeTestCa('cookieguard crawl test CA');
  const cert = await ca.issue(LOOPBACK_NAMES);
  const other = await startTestSite({
    cert,
    https: { '*': html('other origin') },
    http: { '*': html('other origin over http') },
  });
  const o = other.httpOrigin;
  const site = await startTestSite({
    cert,
    https: {
      '/': html(
        `<a href="/a">a</a> <a href="/a#top">a again</a> <a href="/b">b</a>
         <iframe src="/frame"></iframe>
         <a href="${o}/x">elsewhere</a> <a href="/logout">log out</a>
         <a href="/a;jsessionid=${URL_SID}">with id</a>
         <a href="{http}/plain">plain</a>
         <script src="${o}/evil.js"></script><img src="${o}/pic.png">
         <form action="{http}/login" method="post"><input name="user"><input type="password" name="pw"><button>Log in</button></form>
         <form action="/search"><input name="q"></form>`,
      ),
      '/a': {
        headers: { 'content-type': 'text/html', 'set-cookie': `sid=${SID}; Path=/; HttpOnly` },
        body: '<a href="/a/1">one</a>',
      },
      '/a/1': html('<a href="/a/1/2">two</a>'),
      '/a/1/2': html('<a href="/a/1/2/3">three</a>'),
      '/a/1/2/3': html('too deep'),
      '/b': { status: 302, headers: { location: '/b/landing' } },
      '/b/landing': html('<a href="/">home</a>'),
      '/frame': html('<p>frame</p>'),
      '/search': html('<p>search</p>'),
      '/plain': html('<p>plain</p>'),
      '/logout': html('<p>logged out</p>'),
      '/login': html('<p>login page over https</p>'),
      '/leaky': html(`<img src="${o}/pic.png;jsessionid=${IMG_SID}">`),
    },
    http: {
      '/plain': html('<p>plain over http</p>'),
      '*': { status: 301, headers: { location: '{https}{path}' } },
    },
  });
  return {
    ca,
    site,
    other,
    async close() {
      await Promise.all([site.close(), other.close()]);
      ca.cleanup();
    },
  };
}
