/**
 * What an HSTS observation or setting amounts to, shared by hsts-missing and hsts-weak so that
 * each HSTS fact gets exactly one of them.
 *
 * RFC 6797: §6.1 header syntax (an invalid header is ignored), §6.1.1 max-age (0 = forget the
 * policy), §8.1 only the first header field is processed. The 180-day threshold is the findings
 * contract's (spec/findings.md, hsts-weak).
 */
import type { HstsObservation, Observation, SettingObservation } from '../model/observation.js';

/** 180 days in seconds: HSTS with a shorter max-age is weak (spec/findings.md). */
export const HSTS_MIN_MAX_AGE = 180 * 24 * 60 * 60; // 15552000

export type HstsState =
  | { kind: 'missing' }
  | { kind: 'malformed'; errors: string[] }
  | { kind: 'zero' }
  | { kind: 'short'; maxAge: number }
  | { kind: 'ok' }
  | { kind: 'not-judged' };

export const HSTS_SETTING_KEYS = new Set(['hsts-max-age', 'hsts-seconds']);

const HTTPS_URL = /^https:/i;

function isHttpsUrl(url: string): boolean {
  return HTTPS_URL.test(url);
}

// States without details are shared (every observation of a run is asked for its state, by two rules).
const MISSING: HstsState = Object.freeze({ kind: 'missing' });
const ZERO: HstsState = Object.freeze({ kind: 'zero' });
const OK: HstsState = Object.freeze({ kind: 'ok' });
const NOT_JUDGED: HstsState = Object.freeze({ kind: 'not-judged' });

export function hstsObservationState(o: HstsObservation): HstsState {
  if (o.source !== 'code') {
    if (!isHttpsUrl(o.url)) return NOT_JUDGED; // browsers ignore HSTS over plain HTTP (RFC 6797 §8.1)
    if (o.headers.length === 0) return MISSING;
    if (o.parsed === null) return { kind: 'malformed', errors: ['the header could not be parsed'] };
    if (!o.parsed.valid) return { kind: 'malformed', errors: o.parsed.errors };
    if (o.parsed.maxAge === 0) return ZERO;
    if (o.parsed.maxAge !== null && o.parsed.maxAge < HSTS_MIN_MAX_AGE)
      return { kind: 'short', maxAge: o.parsed.maxAge };
    return OK;
  }
  // Code: the configured policy (headers are empty).
  if (o.parsed === null || o.parsed.maxAge === null || o.parsed.maxAge === 0) return MISSING;
  if (!o.parsed.valid) return { kind: 'malformed', errors: o.parsed.errors };
  if (o.parsed.maxAge < HSTS_MIN_MAX_AGE) return { kind: 'short', maxAge: o.parsed.maxAge };
  return OK;
}

export function hstsSettingState(o: SettingObservation): HstsState {
  if (!HSTS_SETTING_KEYS.has(o.key)) return NOT_JUDGED;
  if (o.provenance.kind === 'unknown' || o.provenance.kind === 'env-dependent' || o.value === 'unknown')
    return NOT_JUDGED;
  const v = o.value;
  if (v === null || v === undefined || v === 0 || v === '0' || v === false) return MISSING;
  const n =
    typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v.trim()) : NaN;
  if (Number.isNaN(n)) return NOT_JUDGED;
  if (n < HSTS_MIN_MAX_AGE) return { kind: 'short', maxAge: n };
  return OK;
}

export function hstsStateOf(o: Observation): HstsState {
  if (o.kind === 'hsts') return hstsObservationState(o);
  if (o.kind === 'setting') return hstsSettingState(o);
  return NOT_JUDGED;
}

export function days(seconds: number): string {
  const d = seconds / 86400;
  return Number.isInteger(d) ? `${d} day${d === 1 ? '' : 's'}` : `${d.toFixed(1)} days`;
}
