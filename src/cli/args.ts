/**
 * Validation of command-line values. Each problem is a UserError with one line that names the flag
 * and, for secrets (--header / --cookie values), never echoes the value.
 */
import { accessSync, constants as fsConstants, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { FAIL_ON_VALUES, FORMATS } from '../report/types.js';
import type { FailOn, Format } from '../report/types.js';
import { describeFsError, UserError } from '../model/errors.js';
import { NotAReportError, parseJsonReport, type ReadReport } from '../report/read.js';

/** Commander collector for repeatable flags. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export { describeFsError };

/** A URL to check: absolute http(s) with a host. */
export function parseCheckUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    const hint = /^[\w.-]+(:\d+)?(\/.*)?$/.test(raw) ? ` (did you mean https://${raw}?)` : '';
    throw new UserError(`not a URL: ${JSON.stringify(raw)}${hint}`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') {
    throw new UserError(`not an http:// or https:// URL: ${JSON.stringify(raw)}`);
  }
  if (u.hostname === '') throw new UserError(`URL without a host: ${JSON.stringify(raw)}`);
  return u.href;
}

/** --http / --https ORIGIN: scheme + host (+ port), nothing else. */
export function parseOrigin(raw: string, flag: string, scheme: 'http' | 'https'): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new UserError(
      `${flag} must be an origin such as ${scheme}://host:port, got ${JSON.stringify(raw)}`,
    );
  }
  if (u.protocol !== `${scheme}:`) {
    throw new UserError(`${flag} must be a ${scheme}:// origin, got ${JSON.stringify(raw)}`);
  }
  if ((u.pathname !== '/' && u.pathname !== '') || u.search !== '' || u.hash !== '' || u.username !== '') {
    throw new UserError(`${flag} must be an origin (scheme, host and port only), got ${JSON.stringify(raw)}`);
  }
  return u.origin;
}

export function parsePositiveInt(raw: string, flag: string, unit?: string): number {
  const s = raw.trim();
  if (!/^\d+$/.test(s) || Number(s) <= 0 || !Number.isSafeInteger(Number(s))) {
    throw new UserError(
      `${flag} must be a positive integer${unit ? ` (${unit})` : ''}, got ${JSON.stringify(raw)}`,
    );
  }
  return Number(s);
}

/** BYTES with an optional k / m suffix (1024-based): 500000, 512k, 2m. */
export function parseBytes(raw: string, flag: string): number {
  const m = /^(\d+)\s*(k|kb|kib|m|mb|mib)?$/i.exec(raw.trim());
  if (!m || Number(m[1]) <= 0) {
    throw new UserError(
      `${flag} must be a positive number of bytes (e.g. 500000, 512k, 2m), got ${JSON.stringify(raw)}`,
    );
  }
  const unit = (m[2] ?? '').toLowerCase();
  const mult = unit.startsWith('k') ? 1024 : unit.startsWith('m') ? 1024 * 1024 : 1;
  return Number(m[1]) * mult;
}

export function parseFailOn(raw: string): FailOn {
  const v = raw.trim().toLowerCase() as FailOn;
  if (!FAIL_ON_VALUES.includes(v)) {
    throw new UserError(`--fail-on must be one of ${FAIL_ON_VALUES.join(', ')}, got ${JSON.stringify(raw)}`);
  }
  return v;
}

export function parseFormat(raw: string): Format {
  const v = raw.trim().toLowerCase() as Format;
  if (!FORMATS.includes(v))
    throw new UserError(`--format must be one of ${FORMATS.join(', ')}, got ${JSON.stringify(raw)}`);
  return v;
}

/** RFC 9110 section 5.6.2 token: the characters of a header (and cookie) name. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// eslint-disable-next-line no-control-regex
const CTL = /[\u0000-\u0008\u000a-\u001f\u007f]/;

/** `Name: value` (the value is not echoed in errors). Returns the normalised line. */
export function parseHeader(raw: string, where = '--header'): { name: string; value: string } {
  const i = raw.indexOf(':');
  if (i <= 0) throw new UserError(`${where} must look like 'Name: value'`);
  const name = raw.slice(0, i).trim();
  const value = raw.slice(i + 1).trim();
  if (!TOKEN.test(name)) throw new UserError(`${where}: invalid header name ${JSON.stringify(name)}`);
  if (CTL.test(value)) throw new UserError(`${where} ${name}: the value contains control characters`);
  return { name, value };
}

/** `NAME=VALUE` for one cookie (the value is not echoed in errors). */
export function parseCookie(raw: string, where = '--cookie'): { name: string; value: string } {
  const i = raw.indexOf('=');
  if (i <= 0) throw new UserError(`${where} must look like 'NAME=VALUE'`);
  const name = raw.slice(0, i).trim();
  const value = raw.slice(i + 1).trim();
  if (!TOKEN.test(name)) throw new UserError(`${where}: invalid cookie name ${JSON.stringify(name)}`);
  if (CTL.test(value) || /[;,\s"\\]/.test(value)) {
    throw new UserError(
      `${where} ${name}: the value may not contain ';', ',', '"', '\\', spaces or control characters (give one cookie per --cookie)`,
    );
  }
  return { name, value };
}

/** A readable PEM file holding at least one certificate. Returns the absolute path. */
export function checkCaFile(raw: string, cwd: string = process.cwd()): string {
  const path = resolve(cwd, raw);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read --ca file ${raw}: ${describeFsError(e)}`);
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) {
    throw new UserError(`--ca file ${raw} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  }
  return path;
}

/** --output FILE: its directory must exist (checked before any long collection). */
export function checkOutputPath(raw: string, cwd: string = process.cwd()): string {
  const path = resolve(cwd, raw);
  let st;
  try {
    st = statSync(dirname(path));
  } catch (e) {
    throw new UserError(`cannot write --output ${raw}: directory ${dirname(path)}: ${describeFsError(e)}`);
  }
  if (!st.isDirectory())
    throw new UserError(`cannot write --output ${raw}: ${dirname(path)} is not a directory`);
  try {
    if (statSync(path).isDirectory()) throw new UserError(`cannot write --output ${raw}: it is a directory`);
  } catch (e) {
    if (e instanceof UserError) throw e;
  }
  return path;
}

/** A path to scan: must exist and be readable. Returns the absolute path. */
export function checkScanPath(raw: string, cwd: string = process.cwd()): string {
  const path = resolve(cwd, raw);
  try {
    accessSync(path, fsConstants.R_OK);
  } catch (e) {
    throw new UserError(`cannot read ${raw}: ${describeFsError(e)}`);
  }
  return path;
}

/** Larger than any report cookieguard writes for a real project; a bigger file is not read into memory. */
export const MAX_REPORT_BYTES = 256 * 1024 * 1024;

/** Reads a JSON report given to `--baseline` (or `merge`): a file that is not one is one clear error. */
export function readReportFile(raw: string, flag: string, cwd: string = process.cwd()): ReadReport {
  const path = resolve(cwd, raw);
  const what = flag ? `${flag} ${raw}` : raw;
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    throw new UserError(`cannot read ${what}: ${describeFsError(e)}`);
  }
  if (st.isDirectory()) throw new UserError(`cannot read ${what}: it is a directory`);
  if (st.size > MAX_REPORT_BYTES)
    throw new UserError(
      `cannot read ${what}: ${st.size} bytes is over the ${MAX_REPORT_BYTES}-byte limit for a report`,
    );
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read ${what}: ${describeFsError(e)}`);
  }
  try {
    return parseJsonReport(text);
  } catch (e) {
    if (e instanceof NotAReportError)
      throw new UserError(`${what} is not a cookieguard JSON report: ${e.message}`);
    throw e;
  }
}
