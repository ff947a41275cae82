/**
 * Validates a parsed config object. Every problem becomes one line naming the key, so a typo
 * (`failon`, `ignore[2].resaon`) is reported rather than silently ignored.
 */
import { UserError } from '../model/errors.js';
import { FAIL_ON_VALUES, FORMATS } from '../report/types.js';
import type { FailOn, Format } from '../report/types.js';
import type {
  CheckConfig,
  CookieguardConfig,
  HarConfig,
  IgnoreEntry,
  LoginConfig,
  ScanConfig,
} from './types.js';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fail(key: string, problem: string): never {
  throw new UserError(`${key} ${problem}`);
}

function onlyKeys(o: Obj, allowed: readonly string[], where: string): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) {
      fail(where ? `${where}.${k}` : k, `is not a known setting (expected one of: ${allowed.join(', ')})`);
    }
  }
}

function str(v: unknown, key: string): string {
  if (typeof v !== 'string' || v.trim() === '') fail(key, 'must be a non-empty string');
  return v;
}

function strList(v: unknown, key: string): string[] {
  if (typeof v === 'string') return [str(v, key)];
  if (!Array.isArray(v)) fail(key, 'must be a list of strings');
  return v.map((x, i) => str(x, `${key}[${i}]`));
}

function posInt(v: unknown, key: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) fail(key, 'must be a positive integer');
  return v;
}

function bool(v: unknown, key: string): boolean {
  if (typeof v !== 'boolean') fail(key, 'must be true or false');
  return v;
}

/** `YYYY-MM-DD` and a real calendar day. */
export function isIsoDay(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return (
    d.getUTCFullYear() === Number(m[1]) &&
    d.getUTCMonth() === Number(m[2]) - 1 &&
    d.getUTCDate() === Number(m[3])
  );
}

/** Headers may be a list of `Name: value` lines or an object { Name: value }. */
function headers(v: unknown, key: string): string[] {
  if (isObj(v)) return Object.entries(v).map(([k, x]) => `${k}: ${str(x, `${key}.${k}`)}`);
  return strList(v, key);
}

function cookies(v: unknown, key: string): string[] {
  if (isObj(v)) return Object.entries(v).map(([k, x]) => `${k}=${str(x, `${key}.${k}`)}`);
  return strList(v, key);
}

/** check.login (check --login): url and fields; field values are never echoed in an error. */
function login(v: unknown): LoginConfig {
  if (!isObj(v)) fail('check.login', 'must be an object with url and fields');
  onlyKeys(v, ['url', 'fields'], 'check.login');
  const url = str(v.url, 'check.login.url');
  if (!isObj(v.fields) || Object.keys(v.fields).length === 0)
    fail(
      'check.login.fields',
      'must be an object of field names and values, e.g. { "password": "${ENV:PW}" }',
    );
  const fields: Record<string, string> = {};
  for (const [k, x] of Object.entries(v.fields)) {
    if (typeof x !== 'string') fail(`check.login.fields.${k}`, 'must be a string');
    fields[k] = x;
  }
  return { url, fields };
}

function check(v: unknown): CheckConfig {
  if (!isObj(v)) fail('check', 'must be an object');
  onlyKeys(
    v,
    [
      ...['http', 'https', 'ca', 'insecure', 'timeout', 'concurrency', 'headers', 'cookies'],
      ...['crawl', 'maxPages', 'maxDepth'], // check --crawl
      'login', // check --login
      ...['browser', 'chromium'], // check --browser (issue 12)
    ],
    'check',
  );
  const c: CheckConfig = {};
  if (v.http !== undefined) c.http = str(v.http, 'check.http');
  if (v.https !== undefined) c.https = str(v.https, 'check.https');
  if (v.ca !== undefined) c.ca = strList(v.ca, 'check.ca');
  if (v.insecure !== undefined) c.insecure = bool(v.insecure, 'check.insecure');
  if (v.timeout !== undefined) c.timeout = posInt(v.timeout, 'check.timeout');
  if (v.concurrency !== undefined) c.concurrency = posInt(v.concurrency, 'check.concurrency');
  if (v.headers !== undefined) c.headers = headers(v.headers, 'check.headers');
  if (v.cookies !== undefined) c.cookies = cookies(v.cookies, 'check.cookies');
  // check --crawl
  if (v.crawl !== undefined) c.crawl = bool(v.crawl, 'check.crawl');
  if (v.maxPages !== undefined) c.maxPages = posInt(v.maxPages, 'check.maxPages');
  if (v.maxDepth !== undefined) {
    if (v.maxDepth !== 0) c.maxDepth = posInt(v.maxDepth, 'check.maxDepth');
    else c.maxDepth = 0;
  }
  if (v.login !== undefined) c.login = login(v.login);
  // check --browser (issue 12)
  if (v.browser !== undefined) c.browser = bool(v.browser, 'check.browser');
  if (v.chromium !== undefined) c.chromium = str(v.chromium, 'check.chromium');
  return c;
}

function scan(v: unknown): ScanConfig {
  if (!isObj(v)) fail('scan', 'must be an object');
  onlyKeys(v, ['include', 'exclude', 'maxFileSize', 'workers'], 'scan');
  const s: ScanConfig = {};
  if (v.include !== undefined) s.include = strList(v.include, 'scan.include');
  if (v.exclude !== undefined) s.exclude = strList(v.exclude, 'scan.exclude');
  if (v.maxFileSize !== undefined) s.maxFileSize = posInt(v.maxFileSize, 'scan.maxFileSize');
  if (v.workers !== undefined) s.workers = posInt(v.workers, 'scan.workers');
  return s;
}

// `har` section (issue 12 part 4: cookieguard har).
function har(v: unknown): HarConfig {
  if (!isObj(v)) fail('har', 'must be an object');
  onlyKeys(v, ['maxSize'], 'har');
  const h: HarConfig = {};
  if (v.maxSize !== undefined) h.maxSize = posInt(v.maxSize, 'har.maxSize');
  return h;
}

function ignoreEntry(v: unknown, key: string): IgnoreEntry {
  if (!isObj(v)) fail(key, 'must be an object with at least `rule` and `reason`');
  onlyKeys(v, ['rule', 'cookie', 'url', 'file', 'reason', 'expires'], key);
  if (v.rule === undefined) fail(`${key}.rule`, 'is required');
  if (v.reason === undefined) fail(`${key}.reason`, 'is required (say why this finding is acceptable)');
  const e: IgnoreEntry = { rule: str(v.rule, `${key}.rule`), reason: str(v.reason, `${key}.reason`) };
  if (v.cookie !== undefined) e.cookie = str(v.cookie, `${key}.cookie`);
  if (v.url !== undefined) e.url = str(v.url, `${key}.url`);
  if (v.file !== undefined) e.file = str(v.file, `${key}.file`);
  if (v.expires !== undefined) {
    // YAML reads an unquoted 2025-01-31 as a date: accept it and write it back as the day it names.
    const raw =
      v.expires instanceof Date && !Number.isNaN(v.expires.getTime())
        ? v.expires.toISOString().slice(0, 10)
        : v.expires;
    if (typeof raw !== 'string' || !isIsoDay(raw))
      fail(`${key}.expires`, 'must be a date written YYYY-MM-DD');
    e.expires = raw;
  }
  return e;
}

export function validateConfig(v: unknown): CookieguardConfig {
  if (!isObj(v)) fail('the config', 'must be an object');
  onlyKeys(v, ['failOn', 'format', 'check', 'scan', 'har', 'ignore', '$schema'], '');
  const c: CookieguardConfig = {};
  if (v.failOn !== undefined) {
    if (!FAIL_ON_VALUES.includes(v.failOn as FailOn))
      fail('failOn', `must be one of ${FAIL_ON_VALUES.join(', ')}`);
    c.failOn = v.failOn as FailOn;
  }
  if (v.format !== undefined) {
    if (!FORMATS.includes(v.format as Format)) fail('format', `must be one of ${FORMATS.join(', ')}`);
    c.format = v.format as Format;
  }
  if (v.check !== undefined) c.check = check(v.check);
  if (v.scan !== undefined) c.scan = scan(v.scan);
  if (v.har !== undefined) c.har = har(v.har);
  if (v.ignore !== undefined) {
    if (!Array.isArray(v.ignore)) fail('ignore', 'must be a list');
    c.ignore = v.ignore.map((e, i) => ignoreEntry(e, `ignore[${i}]`));
  }
  return c;
}
