/**
 * Turn one raw Set-Cookie header seen on the wire into the observation rules judge
 * (src/model/observation.ts). No judgement here: the parser records what a browser does
 * (rejections, deletion, lifetime cap), the classifier what the cookie is for.
 */
import type {
  Attr,
  CookieObservation,
  LiveDelivery,
  MalformedHeaderObservation,
  SameSiteValue,
  SourceKind,
} from '../model/observation.js';
import { classifyCookie, frameworkForCookieName } from './classify.js';
import {
  parseSetCookie,
  type ParsedSetCookie,
  type ParsedSetCookieAttributes,
  type ParsedSetCookieEvidence,
} from './setcookie.js';

/** Raw text kept in a MalformedHeaderObservation (it goes into reports). */
export const MALFORMED_RAW_MAX = 200;

export interface ObserveOptions {
  now?: Date;
  /**
   * `delivery.url` already parsed (the live collector has it): spares parsing it again. Must be the
   * same URL.
   */
  requestUrl?: URL;
  source?: SourceKind;
  /**
   * parseSetCookie's result for this header, request URL and time, when the caller has it (the live
   * collector needs it for its jar): spares parsing again.
   */
  parsed?: ParsedSetCookie;
}

const OBSERVED = { kind: 'observed' } as const;

function attr<T>(value: T, evidence: string | undefined): Attr<T> {
  return evidence === undefined ? { value, provenance: OBSERVED } : { value, provenance: OBSERVED, evidence };
}

/** The SameSite attribute with its raw value (built directly: spreads are slow on this hot path). */
function sameSiteAttr(
  value: SameSiteValue,
  evidence: string | undefined,
  raw: string | undefined,
): CookieObservation['sameSite'] {
  const out: CookieObservation['sameSite'] = attr(value, evidence);
  if (raw !== undefined) out.raw = raw;
  return out;
}

/** The attributes of an observation, as rules read them. */
interface ObservedAttributes {
  secure: Attr<boolean>;
  httpOnly: Attr<boolean>;
  sameSite: CookieObservation['sameSite'];
  domain?: Attr<string>;
  path?: Attr<string>;
}

const SERVER_HINTS = Object.freeze({ setBy: 'server' as const });

/**
 * The parser's attribute objects are frozen and shared by every header with the same attribute
 * text (and host and scheme): so are the observation's attribute objects made from them, frozen.
 */
const observedByAttributes = new WeakMap<object, Readonly<ObservedAttributes>>();

function observedAttributes(
  a: Readonly<ParsedSetCookieAttributes>,
  e: Readonly<ParsedSetCookieEvidence>,
): Readonly<ObservedAttributes> {
  const hit = observedByAttributes.get(a);
  if (hit !== undefined) return hit;
  const out: ObservedAttributes = {
    secure: Object.freeze(attr<boolean>(a.secure, e.secure)),
    httpOnly: Object.freeze(attr<boolean>(a.httpOnly, e.httpOnly)),
    sameSite: Object.freeze(sameSiteAttr(a.sameSite, e.sameSite, a.sameSiteRaw)),
  };
  if (a.domain !== undefined) out.domain = Object.freeze(attr(a.domain, e.domain));
  if (a.path !== undefined) out.path = Object.freeze(attr(a.path, e.path));
  Object.freeze(out);
  if (Object.isFrozen(a)) observedByAttributes.set(a, out);
  return out;
}

/**
 * Make report-safe text of a raw header: control characters (which could drive a terminal) become
 * `\xNN`, and the text is cut at `max` characters.
 */
export function displaySafe(raw: string, max = MALFORMED_RAW_MAX): string {
  const cut = raw.length > max ? raw.slice(0, max) : raw;
  let out = '';
  for (let i = 0; i < cut.length; i++) {
    const c = cut.charCodeAt(i);
    out +=
      c < 0x20 || c === 0x7f || (c >= 0x80 && c < 0xa0) ? '\\x' + c.toString(16).padStart(2, '0') : cut[i];
  }
  return raw.length > max ? out + '…' : out;
}

/**
 * Build the observation for one Set-Cookie header value delivered as `delivery` says.
 * A header from which a browser stores nothing identifiable (empty, only spaces or control
 * characters, no name and no value) becomes a MalformedHeaderObservation; every other header, even
 * one the browser rejects, becomes a CookieObservation with `rejectedBy` set. Never throws.
 */
export function cookieObservationFromHeader(
  raw: string,
  delivery: LiveDelivery,
  opts?: ObserveOptions,
): CookieObservation | MalformedHeaderObservation {
  const source: SourceKind = opts?.source ?? 'live';
  const text = typeof raw === 'string' ? raw : String(raw ?? '');
  const url = typeof delivery?.url === 'string' ? delivery.url : '';
  try {
    const p = opts?.parsed ?? parseSetCookie(text, opts?.requestUrl ?? url, opts?.now);
    if (p.ignoredEntirely) {
      const why = p.issues.find((i) => i.code === 'control-character');
      return {
        kind: 'malformed-header',
        source,
        url,
        header: 'Set-Cookie',
        raw: displaySafe(text),
        problem:
          text.trim() === ''
            ? 'empty Set-Cookie header: browsers store nothing'
            : why
              ? `Set-Cookie without a cookie name or value (${why.message})`
              : 'Set-Cookie without a cookie name or value: browsers store nothing (RFC 6265bis §5.7 step 2)',
      };
    }
    const at = observedAttributes(p.attributes, p.evidence);
    const classification = classifyCookie(p.name, p.value, SERVER_HINTS);
    const framework = frameworkForCookieName(p.name);
    const obs: CookieObservation = {
      kind: 'cookie',
      source,
      name: p.name,
      value: p.value,
      secure: at.secure,
      httpOnly: at.httpOnly,
      sameSite: at.sameSite,
      lifetime: p.lifetime,
      prefix: p.prefix,
      classification,
      deletion: p.deletion,
      setBy: 'server',
      raw: text,
      delivery,
      parseIssues: p.issues,
      rejectedBy: p.rejectedBy,
      size: p.size,
    };
    if (at.domain !== undefined) obs.domain = at.domain;
    if (at.path !== undefined) obs.path = at.path;
    if (framework) obs.framework = framework;
    return obs;
  } catch (err) {
    return {
      kind: 'malformed-header',
      source,
      url,
      header: 'Set-Cookie',
      raw: displaySafe(text),
      problem: `could not read the Set-Cookie header: ${(err as Error)?.message ?? String(err)}`,
    };
  }
}
