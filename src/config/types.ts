/** The config file (cookieguard.config.json / .yaml / .yml, or the `cookieguard` key of package.json). */
import type { FailOn, Format } from '../report/types.js';

/** A finding to leave out of reports, with the reason and (optionally) the last day it applies. */
export interface IgnoreEntry {
  /** Rule id (exact). */
  rule: string;
  /** Cookie name; a glob (picomatch) such as `_ga*`. */
  cookie?: string;
  /** URL, exact, or a prefix when it ends with `*`. */
  url?: string;
  /** File relative to the scanned root; a glob (picomatch) such as `test/**`. */
  file?: string;
  /** Why it is safe to ignore (required: reviewers read it). */
  reason: string;
  /** YYYY-MM-DD: the entry applies up to and including this day, then warns and stops applying. */
  expires?: string;
}

export interface CheckConfig {
  http?: string;
  https?: string;
  /** PEM CA files, relative to the config file's directory. */
  ca?: string[];
  insecure?: boolean;
  timeout?: number;
  concurrency?: number;
  /** `Name: value` lines (may use `${ENV:NAME}`). */
  headers?: string[];
  /** `NAME=VALUE` pairs (may use `${ENV:NAME}`). */
  cookies?: string[];
  // --- check --crawl ---
  crawl?: boolean;
  maxPages?: number;
  maxDepth?: number;
  /** check --login: the login form's URL and fields (values should be `${ENV:NAME}`, never plain secrets). */
  login?: LoginConfig;
  // check --browser (issue 12)
  /** Load each page in headless Chromium too (`--browser`). */
  browser?: boolean;
  /** Chromium binary (`--chromium PATH`), relative to the config file's directory. */
  chromium?: string;
}

/** check --login in the config: `{ "url": "https://...", "fields": { "username": "...", "password": "${ENV:PW}" } }`. */
export interface LoginConfig {
  url: string;
  /** Field name -> value (may use `${ENV:NAME}`). */
  fields: Record<string, string>;
}

export interface ScanConfig {
  include?: string[];
  exclude?: string[];
  maxFileSize?: number;
  workers?: number;
}

/** `cookieguard har` (issue 12 part 4). */
export interface HarConfig {
  /** Files larger than this many bytes are refused (--max-size). */
  maxSize?: number;
}

export interface CookieguardConfig {
  failOn?: FailOn;
  format?: Format;
  check?: CheckConfig;
  scan?: ScanConfig;
  har?: HarConfig;
  ignore?: IgnoreEntry[];
}

export interface LoadedConfig {
  config: CookieguardConfig;
  /** The file it came from; null when none was found. */
  path: string | null;
}
