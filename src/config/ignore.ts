/**
 * The config's `ignore` list: findings a team accepted, each with a reason and an optional expiry.
 * Matching findings leave the report (the report counts them); an expired entry no longer applies
 * and is reported as a warning so that the acceptance gets reviewed.
 */
import picomatch from 'picomatch';
import type { Finding } from '../model/finding.js';
import type { IgnoreEntry } from './types.js';

/** Today's date (local time) as YYYY-MM-DD. */
export function today(now: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
}

/** An entry applies up to and including its `expires` day. */
export function isExpired(entry: IgnoreEntry, day: string): boolean {
  return entry.expires !== undefined && entry.expires < day;
}

function globMatch(pattern: string, value: string): boolean {
  return pattern === value || picomatch(pattern, { dot: true })(value);
}

function urlMatch(pattern: string, url: string): boolean {
  if (pattern.endsWith('*')) return url.startsWith(pattern.slice(0, -1));
  if (pattern === url) return true;
  try {
    return new URL(pattern).href === new URL(url).href;
  } catch {
    return false;
  }
}

export function entryMatches(entry: IgnoreEntry, f: Finding): boolean {
  if (entry.rule !== f.rule) return false;
  if (entry.cookie !== undefined && (f.cookie === null || !globMatch(entry.cookie, f.cookie))) return false;
  if (entry.url !== undefined && (f.url === null || !urlMatch(entry.url, f.url))) return false;
  if (entry.file !== undefined && (f.location === null || !globMatch(entry.file, f.location.file)))
    return false;
  return true;
}

export interface IgnoreResult {
  kept: Finding[];
  suppressed: number;
  /** Entries past their expiry date (not applied). */
  expired: IgnoreEntry[];
}

export function applyIgnores(
  findings: readonly Finding[],
  entries: readonly IgnoreEntry[],
  day: string = today(),
): IgnoreResult {
  const active = entries.filter((e) => !isExpired(e, day));
  const expired = entries.filter((e) => isExpired(e, day));
  const kept: Finding[] = [];
  let suppressed = 0;
  for (const f of findings) {
    if (active.some((e) => entryMatches(e, f))) suppressed++;
    else kept.push(f);
  }
  return { kept, suppressed, expired };
}

/** `cookie-missing-secure (cookie PHPSESSID, file src/**)` */
export function describeEntry(e: IgnoreEntry): string {
  const parts = [
    e.cookie !== undefined ? `cookie ${e.cookie}` : null,
    e.url !== undefined ? `url ${e.url}` : null,
    e.file !== undefined ? `file ${e.file}` : null,
  ].filter((x): x is string => x !== null);
  return parts.length > 0 ? `${e.rule} (${parts.join(', ')})` : e.rule;
}
