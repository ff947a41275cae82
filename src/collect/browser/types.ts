/**
 * The browser collector's public shapes: its options, what a visit returns (the same shape as a
 * crawl's CrawledPage, so that a crawl can load its pages through the browser), and the outcome of
 * a login done in the browser.
 */
import type { ReportError } from '../../model/finding.js';
import type { Observation } from '../../model/observation.js';

export interface BrowserOptions {
  /** --chromium PATH; default: chromium, chromium-browser, google-chrome or google-chrome-stable on PATH. */
  chromium?: string;
  /** Per page load (navigation and its settling), and for starting the browser. Default 10000. */
  timeoutMs?: number;
  /** Pages loaded at once (collectBrowser). Default 8. */
  concurrency?: number;
  /**
   * Accept any certificate in the browser: set with --insecure, and with --ca (Chromium reads its CAs
   * from the profile's NSS database, which cookieguard does not write; the live check verifies the
   * certificates with the CA and reports failures).
   */
  ignoreCertificateErrors?: boolean;
  /** 'NAME=VALUE' cookies put in the browser's jar for the HTTPS origin of each URL (Secure). */
  cookies?: string[];
  /** More Chromium flags (tests map host names to loopback with --host-resolver-rules). */
  extraArgs?: string[];
  /** After the load event, wait at most this long for the network to go quiet (scripts' requests). Default 1500. */
  settleMs?: number;
}

/** What one page load in the browser gave (the shape of a crawl's CrawledPage). */
export interface BrowserPage {
  /** Where the page ended up (after redirects). */
  finalUrl: string;
  /** Every main-document URL requested for it (the redirect hops). */
  visited: string[];
  /** Links of the rendered page (a, area, iframe, frame, meta refresh), absolute, any origin. */
  links: string[];
  observations: Observation[];
  errors: ReportError[];
}

export interface VisitOptions {
  /** Report the cookies the page's own (main-document) responses set; see record.ts. Default true. */
  documentCookies?: boolean;
  /** Origins a redirect may take the page to (null or absent: anywhere). Other origins end the load. */
  allowedOrigins?: ReadonlySet<string> | null;
}

// --- login: the browser's login records the same outcome as the HTTP login (src/collect/login/types.ts).
export type { JarCookie, LoginOutcome, LoginResponse } from '../login/types.js';
