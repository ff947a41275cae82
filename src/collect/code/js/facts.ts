/**
 * Builders for the facts the JavaScript extractors emit: a session configuration (a `session-enabled`
 * fact plus one `setting` fact per option, tied by `objectId`) and a directly set cookie (`cookie-set`).
 * Option keys are the library's own (`cookie.secure` for express-session, `secure` for cookie-session);
 * `*` (or `cookie.*`) stands for keys an unresolved expression may set. Secrets (`secret`, `keys`,
 * `password`) are never read.
 */
import type { SgNode } from '@ast-grep/napi';
import type { CodeFact, ConstantKind, FactGuard, SettingValue } from '../types.js';
import { asObject, args, partsToName, unwrap, type JsFile, type Val } from './context.js';
import { parseCookieString } from './cookie-string.js';
import {
  cookieHelper,
  credentialSource,
  leadingIdentifier,
  structuredData,
  valueAfterName,
  type CookieSetDetail,
} from './helpers.js';

export interface FlatOption {
  key: string;
  val: Val;
  site: SgNode;
}

/** Flattens an options value to the keys in `allowed` (dotted paths); `x.*` entries mark open objects. */
export function flattenOptions(v: Val, allowed: readonly string[], fallbackSite: SgNode): FlatOption[] {
  const allowedSet = new Set(allowed);
  const prefixes = new Set<string>();
  for (const a of allowed) {
    const parts = a.split('.');
    for (let i = 1; i < parts.length; i++) prefixes.add(parts.slice(0, i).join('.'));
  }
  const out: FlatOption[] = [];
  const walk = (val: Val, prefix: string, site: SgNode) => {
    const obj = asObject(val, site);
    const star = prefix ? `${prefix}.*` : '*';
    if (!obj) {
      const reason =
        val.t === 'unknown' ? val : { t: 'unknown' as const, reason: 'not an object', node: site };
      out.push({ key: star, val: reason, site });
      return;
    }
    for (const [key, p] of obj.props) {
      const path = prefix ? `${prefix}.${key}` : key;
      if (allowedSet.has(path)) out.push({ key: path, val: p.val, site: p.site });
      else if (prefixes.has(path)) walk(p.val, path, p.site);
    }
    if (obj.open)
      out.push({
        key: star,
        val: {
          t: 'unknown',
          reason: obj.open,
          node: obj.node ?? site,
          ...(obj.openRef ? { ref: obj.openRef } : {}),
        },
        site: obj.node ?? site,
      });
  };
  walk(v, '', fallbackSite);
  return out;
}

export interface SessionConfigInput {
  framework: string;
  /** The library, when the framework has several ('@fastify/secure-session'); defaults to the framework. */
  api?: string;
  /** The node where sessions are enabled (`app.use(session(...))`, `fastify.register(...)`). */
  enable: SgNode;
  options: Val;
  allowed: readonly string[];
  /** Option keys that may hold the cookie name, in order of precedence. */
  nameKeys: readonly string[];
  /** The library accepts secure: 'auto'. */
  autoAware?: boolean;
  guard?: FactGuard | null;
  /** Default cookie name when the library has one (resolver may refine it). */
  defaultName?: string;
  /** Position when one call configures several sessions (@fastify/secure-session takes an array). */
  index?: number;
  /** The app (created in this file, `line:column`) the sessions are enabled on. */
  app?: string;
}

export function sessionFacts(ctx: JsFile, input: SessionConfigInput): CodeFact[] {
  const loc = ctx.loc(input.enable);
  const objectId = `${loc.line}:${loc.column}${input.index ? `#${input.index}` : ''}`;
  const flat = flattenOptions(input.options, input.allowed, input.enable);
  let cookieName: string | undefined;
  for (const k of input.nameKeys) {
    const o = flat.find((f) => f.key === k);
    if (o && o.val.t === 'lit' && typeof o.val.v === 'string' && o.val.v !== '') {
      cookieName = o.val.v;
      break;
    }
  }
  const facts: CodeFact[] = [
    {
      type: 'session-enabled',
      framework: input.framework,
      api: input.api ?? input.framework,
      location: loc,
      evidence: ctx.evidence(input.enable),
      objectId,
      ...((cookieName ?? input.defaultName) ? { cookieName: cookieName ?? input.defaultName } : {}),
      ...(input.guard ? { guard: input.guard } : {}),
      ...(input.app ? { detail: { app: input.app } } : {}),
    },
  ];
  for (const f of flat) {
    facts.push({
      type: 'setting',
      framework: input.framework,
      key: f.key,
      value: ctx.toSetting(f.val, { autoAware: input.autoAware ?? false, key: f.key }),
      location: ctx.loc(f.site),
      evidence: ctx.evidence(f.site),
      scope: { objectId },
    });
  }
  return facts;
}

export interface CookieSetInput {
  framework: string;
  /** The API that sets the cookie: 'res.cookie', 'reply.setCookie', 'ctx.cookies.set', 'js-cookie' ... */
  api: string;
  call: SgNode;
  nameNode: SgNode | null;
  /** A literal cookie name when the API gives it (Hono prefix options add to it in the resolver). */
  name?: string;
  valueNode: SgNode | null;
  /** The value is written by a library, not by this code (`valueNode` null): never a deletion. */
  valueByLibrary?: boolean;
  options: Val | null;
  allowed: readonly string[];
  setBy: 'server' | 'script';
  autoAware?: boolean;
  /** Extra options known from the API (positional arguments), with their sites. */
  extra?: FlatOption[];
}

export function cookieSetFact(ctx: JsFile, input: CookieSetInput): CodeFact {
  let name = input.name ?? '';
  if (input.nameNode) name = partsToName(ctx.stringParts(input.nameNode)).name;
  const flat = input.options ? flattenOptions(input.options, input.allowed, input.call) : [];
  if (input.extra) for (const e of input.extra) if (!flat.some((f) => f.key === e.key)) flat.push(e);
  const options: Record<string, SettingValue> = {};
  const optionSites: Record<string, { location: ReturnType<JsFile['loc']>; evidence: string }> = {};
  for (const f of flat) {
    options[f.key] = ctx.toSetting(f.val, { autoAware: input.autoAware ?? false, key: f.key });
    optionSites[f.key] = ctx.site(f.site);
  }
  const guard = ctx.guardOf(input.call, null, true);
  const constant = input.valueNode ? constantKindOf(ctx.evaluate(input.valueNode)) : undefined;
  const detail = setDetail(ctx, input.nameNode, input.valueNode);
  return {
    type: 'cookie-set',
    framework: input.framework,
    api: input.api,
    name,
    options,
    setBy: input.setBy,
    location: ctx.loc(input.call),
    evidence: ctx.evidence(input.call),
    optionSites,
    deletion: input.valueByLibrary ? false : isDeletion(ctx, input.valueNode, flat),
    ...(constant ? { constantValue: constant } : {}),
    ...(guard ? { guard } : {}),
    ...(detail ? { detail } : {}),
  };
}

/** What the code says about the cookie's value, and the helper function it is written through. */
function setDetail(
  ctx: JsFile,
  nameNode: SgNode | null | undefined,
  valueNode: SgNode | null | undefined,
): CookieSetDetail | undefined {
  // what the value is built from wins over what its variable is called
  const valueData = structuredData(ctx, valueNode);
  const valueFrom = valueData ? undefined : credentialSource(valueNode);
  const helper = cookieHelper(ctx, nameNode, valueNode);
  if (!valueFrom && !valueData && !helper) return undefined;
  return {
    ...(valueFrom ? { valueFrom } : {}),
    ...(valueData ? { valueData } : {}),
    ...(helper ? { helper } : {}),
  };
}

/** A value that is the same literal for everyone (`1`, `true`, `'yes'`); never the empty string (a deletion's). */
function constantKindOf(v: Val): ConstantKind | undefined {
  if (v.t !== 'lit') return undefined;
  if (typeof v.v === 'number') return 'number';
  if (typeof v.v === 'boolean') return 'boolean';
  if (typeof v.v === 'string' && v.v !== '') return 'string';
  return undefined;
}

/** Empty (or null) value with maxAge <= 0 or an expiry in the past. */
function isDeletion(ctx: JsFile, valueNode: SgNode | null, flat: FlatOption[]): boolean {
  let emptyValue = valueNode === null;
  if (valueNode) {
    const v = ctx.evaluate(valueNode);
    emptyValue = v.t === 'lit' && (v.v === '' || v.v === null);
  }
  const maxAge = flat.find((f) => f.key === 'maxAge' || f.key === 'max-age');
  if (maxAge && maxAge.val.t === 'lit' && typeof maxAge.val.v === 'number' && maxAge.val.v <= 0) return true;
  const expires = flat.find((f) => f.key === 'expires');
  if (expires && isPastDate(ctx, expires.val)) return true;
  // Koa / pillarjs cookies: set(name) or set(name, null) deletes (cookies index.js: `if (!value) this.expires = new Date(0)`)
  return emptyValue && valueNode === null;
}

/** `new Date(0)`, `new Date('Thu, 01 Jan 1970 ...')`, `new Date(1)`. */
export function isPastDate(_ctx: JsFile, v: Val): boolean {
  if (v.t === 'lit' && typeof v.v === 'number') return v.v <= 0;
  if (v.t !== 'unknown') return false;
  const n = unwrap(v.node);
  if (n.kind() !== 'new_expression') return false;
  const ctor = n.field('constructor');
  if (!ctor || ctor.text() !== 'Date') return false;
  const a = args(n);
  if (a.length !== 1) return false;
  const t = unwrap(a[0]);
  if (t.kind() === 'number') return Number(t.text()) < 1e11;
  if (t.kind() === 'string') return /19[0-9]{2}/.test(t.text());
  return PAST_TIME.test(t.text().replace(/\s+/g, ''));
}

/** `Date.now() - 1000`, `new Date().getTime() - ms`, `+new Date() - x`: a moment before now. */
const PAST_TIME = /^(?:Date\.now\(\)|(?:new)?Date\(\)\.getTime\(\)|\+newDate\(\))-/;

/** A computed Expires in a cookie string that is plainly in the past (`new Date(0).toUTCString()`). */
function pastExpiresText(text: string): boolean {
  const t = text.replace(/\s+/g, '');
  return /newDate\((?:0|1)\)/.test(t) || /newDate\((?:Date\.now\(\)|(?:new)?Date\(\)\.getTime\(\))-/.test(t);
}

/** Attribute names of a Set-Cookie string mapped to the option keys used in cookie-set facts. */
const STRING_ATTRS: Record<string, string> = {
  secure: 'secure',
  httponly: 'httpOnly',
  samesite: 'sameSite',
  domain: 'domain',
  path: 'path',
  'max-age': 'maxAge',
  expires: 'expires',
  partitioned: 'partitioned',
};

/**
 * A cookie written as a string (Set-Cookie header value, document.cookie). Attributes absent from a fully
 * literal string are explicitly absent (a header has no framework defaults).
 */
export function cookieStringFact(
  ctx: JsFile,
  framework: string,
  api: 'Set-Cookie header' | 'document.cookie',
  call: SgNode,
  stringNode: SgNode,
  setBy: 'server' | 'script',
): CodeFact | null {
  const parsed = parseCookieString(ctx.stringParts(stringNode));
  if (!parsed) return null;
  const site = ctx.site(stringNode);
  const options: Record<string, SettingValue> = {};
  const optionSites: Record<string, { location: ReturnType<JsFile['loc']>; evidence: string }> = {};
  for (const [attr, key] of Object.entries(STRING_ATTRS)) {
    const a = parsed.attrs.get(attr);
    let value: SettingValue;
    if (a === undefined) {
      if (parsed.open) continue;
      value = {
        kind: 'literal',
        value: key === 'secure' || key === 'httpOnly' || key === 'partitioned' ? false : null,
      };
    } else if (a.value === undefined) {
      value = {
        kind: 'unknown',
        expression: stringNode.text().split('\n')[0],
        reason: `computed ${attr} value`,
      };
    } else if (key === 'secure' || key === 'httpOnly' || key === 'partitioned') {
      value = { kind: 'literal', value: true };
    } else if (key === 'maxAge') {
      const n = Number(a.value);
      value = { kind: 'literal', value: Number.isFinite(n) ? n : a.value };
    } else {
      value = { kind: 'literal', value: a.value ?? '' };
    }
    options[key] = value;
    optionSites[key] = site;
  }
  if (parsed.open) {
    options['*'] = { kind: 'unknown', expression: stringNode.text().split('\n')[0], reason: parsed.open };
    optionSites['*'] = site;
  }
  const maxAge = options.maxAge;
  const expires = parsed.attrs.get('expires')?.value;
  const computedExpires = parsed.attrs.has('expires') && parsed.attrs.get('expires')?.value === undefined;
  const deletion =
    (maxAge?.kind === 'literal' && typeof maxAge.value === 'number' && maxAge.value <= 0) ||
    (typeof expires === 'string' && /\b19[0-9]{2}\b/.test(expires)) ||
    (parsed.emptyValue && computedExpires && pastExpiresText(stringNode.text()));
  const guard = ctx.guardOf(call, null, true);
  const detail = parsed.nameLiteral
    ? setDetail(ctx, null, valueAfterName(stringNode))
    : setDetail(ctx, leadingIdentifier(stringNode), valueAfterName(stringNode));
  return {
    type: 'cookie-set',
    framework,
    api,
    name: parsed.name,
    options,
    setBy,
    location: ctx.loc(call),
    evidence: ctx.evidence(call),
    optionSites,
    deletion,
    ...(guard ? { guard } : {}),
    ...(detail ? { detail } : {}),
  };
}
