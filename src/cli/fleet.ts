/**
 * Checking many sites: `--targets FILE` (URLs one a line) and `--shard I/N` (a deterministic part of
 * them, for a CI matrix or an indexed job). `cookieguard merge` joins the parts' JSON reports.
 */
import { createHash } from 'node:crypto';
import { getPublicSuffix } from 'tough-cookie';
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../model/errors.js';
import { describeFsError, parseCheckUrl } from './args.js';
import type { Finding, ReportError } from '../model/finding.js';
import type { ReadReport } from '../report/read.js';

/** A targets file larger than this is refused (a million URLs fit in far less). */
const MAX_TARGETS_BYTES = 64 * 1024 * 1024;

/**
 * The URLs of a targets file: one a line; blank lines and lines starting with `#` are skipped
 * (leading spaces allowed); a bad URL is an error naming the file and line.
 */
export function readTargets(raw: string, cwd: string = process.cwd()): string[] {
  const path = resolve(cwd, raw);
  let text: string;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new UserError(`cannot read --targets ${raw}: it is a directory`);
    if (st.size > MAX_TARGETS_BYTES)
      throw new UserError(
        `cannot read --targets ${raw}: ${st.size} bytes is over the ${MAX_TARGETS_BYTES}-byte limit`,
      );
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`cannot read --targets ${raw}: ${describeFsError(e)}`);
  }
  if (text.includes('\u0000'))
    throw new UserError(`--targets ${raw} is not a text file (it holds NUL bytes)`);
  const urls: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) return;
    try {
      urls.push(parseCheckUrl(t));
    } catch (e) {
      throw new UserError(`--targets ${raw}, line ${i + 1}: ${(e as Error).message}`);
    }
  });
  return urls;
}

export interface Shard {
  index: number;
  count: number;
}

/** `I/N` with 1 ≤ I ≤ N. */
export function parseShard(raw: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(raw);
  if (!m) throw new UserError(`--shard must be I/N (e.g. 2/8), got ${JSON.stringify(raw)}`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || count > 100_000) throw new UserError(`--shard ${raw}: N must be between 1 and 100000`);
  if (index < 1 || index > count) throw new UserError(`--shard ${raw}: I must be between 1 and ${count}`);
  return { index, count };
}

/**
 * What decides a URL's shard: its site, the registrable domain of its host (`www.shop.example.co.uk`
 * -> `example.co.uk`; an IP address or a name without a public suffix as it is). Every URL of one site
 * lands in the same shard, because what a browser does with one site's responses depends on the
 * others: HSTS and cookies are per host whatever the port, and a cookie can be set for a parent
 * domain. So the merged shards give the findings of one unsharded run.
 */
export function shardKey(url: string): string {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  try {
    return getPublicSuffix(host, { allowSpecialUseDomain: true }) ?? host;
  } catch {
    return host;
  }
}

/**
 * A URL's shard, 1..count: SHA-256 of its site (shardKey), first 48 bits, modulo N. It depends on the
 * URL alone, never on its position in the list, so reordering or growing the list moves no other URL.
 */
export function shardOf(url: string, count: number): number {
  const h = createHash('sha256').update(shardKey(url)).digest();
  return (h.readUIntBE(0, 6) % count) + 1;
}

/** The URLs of one shard, duplicates removed, in their given order. */
export function selectShard(urls: readonly string[], shard: Shard): string[] {
  return [...new Set(urls)].filter((u) => shardOf(u, shard.count) === shard.index);
}

/**
 * `cookieguard merge`: the findings and errors of several JSON reports as one. A finding that several
 * parts report the same way (same rule, source, cookie, URL, location and message: a site-wide fact
 * seen from two shards) is kept once, with the places the parts list as `related` joined.
 */
export function mergeReports(parts: readonly ReadReport[]): {
  findings: Finding[];
  errors: ReportError[];
  suppressed: number;
} {
  const byKey = new Map<string, Finding>();
  for (const p of parts) {
    for (const f of p.findings) {
      const key = JSON.stringify([f.rule, f.source, f.cookie, f.url, f.location, f.message]);
      const seen = byKey.get(key);
      if (!seen) {
        byKey.set(key, f);
        continue;
      }
      const related = [...(seen.related ?? [])];
      const have = new Set(related.map((r) => JSON.stringify(r)));
      for (const r of f.related ?? []) if (!have.has(JSON.stringify(r))) related.push(r);
      if (related.length > 0) byKey.set(key, { ...seen, related });
    }
  }
  const errKeys = new Set<string>();
  const errors: ReportError[] = [];
  for (const p of parts)
    for (const e of p.errors) {
      const k = JSON.stringify([e.message, e.url, e.file]);
      if (!errKeys.has(k)) {
        errKeys.add(k);
        errors.push(e);
      }
    }
  return { findings: [...byKey.values()], errors, suppressed: parts.reduce((n, p) => n + p.suppressed, 0) };
}
