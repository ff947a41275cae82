/**
 * Second line of defence for "cookie values never appear in a report": the rules redact evidence,
 * and before rendering every string of every finding and error is also scrubbed of the values this
 * run knows to be secret (cookie values seen on the wire, session ids seen in URLs, and the values of
 * --cookie / --header given by the user). Skipped with --show-values.
 */
import type { Finding, ReportError } from '../model/finding.js';
import type { Observation } from '../model/observation.js';

export const REDACTED = '<redacted>';

/** Shorter values are not secrets worth the risk of garbling ordinary words in messages. */
export const MIN_SECRET_LENGTH = 8;

export function secretsOf(observations: readonly Observation[], extra: readonly string[] = []): string[] {
  const out = new Set<string>();
  const add = (v: string | undefined) => {
    if (v === undefined) return;
    const t = v.trim();
    if (t.length >= MIN_SECRET_LENGTH && t !== REDACTED) out.add(t);
    // Values also travel percent-encoded (in URLs) or quoted.
    try {
      const dec = decodeURIComponent(t);
      if (dec.length >= MIN_SECRET_LENGTH) out.add(dec);
    } catch {
      /* not percent-encoded */
    }
    const enc = encodeURIComponent(t);
    if (enc !== t && enc.length >= MIN_SECRET_LENGTH) out.add(enc);
  };
  for (const o of observations) {
    if (o.kind === 'cookie' || o.kind === 'session-id-in-url') add(o.value);
  }
  for (const e of extra) add(e);
  // Longest first, so a value that contains another is replaced whole.
  return [...out].sort((a, b) => b.length - a.length);
}

export function scrubString(s: string, secrets: readonly string[]): string {
  let out = s;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  return out;
}

function scrubValue<T>(v: T, secrets: readonly string[]): T {
  if (typeof v === 'string') return scrubString(v, secrets) as T;
  if (Array.isArray(v)) return v.map((x) => scrubValue(x, secrets)) as T;
  if (v !== null && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = scrubValue(x, secrets);
    return o as T;
  }
  return v;
}

export function scrubFindings(findings: readonly Finding[], secrets: readonly string[]): Finding[] {
  if (secrets.length === 0) return [...findings];
  return findings.map((f) => scrubValue(f, secrets));
}

export function scrubErrors(errors: readonly ReportError[], secrets: readonly string[]): ReportError[] {
  if (secrets.length === 0) return [...errors];
  return errors.map((e) => scrubValue(e, secrets));
}
