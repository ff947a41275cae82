/**
 * ASP.NET configuration files:
 * - classic ASP.NET `web.config` (`<system.web>`: `<httpCookies requireSSL httpOnlyCookies sameSite>`,
 *   `<authentication><forms requireSSL cookieless name>`, `<sessionState cookieless cookieName mode>`)
 *   and its XDT transforms (`web.Release.config`: `xdt:Transform="SetAttributes"` / `Replace` /
 *   `Insert` / `RemoveAttributes(...)`), read with fast-xml-parser (element offsets from its
 *   `captureMetaData`);
 * - `*.csproj` (TargetFramework(s) / TargetFrameworkVersion, the project's Sdk, PackageReference);
 * - `appsettings.json` / `appsettings.{Environment}.json` (JSON with comments and trailing commas, as
 *   .NET's JSON configuration provider reads it): the cookie-related keys, for options bound from a
 *   configuration section.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { CodeFact, Extractor, SourceFile } from '../types.js';
import { evidenceOf, locationAtOffset } from '../common/location.js';
import {
  otherFact,
  type AppSettingsFact,
  type CsVal,
  type ProjectFileFact,
  type WebConfigFact,
} from './facts.js';

type XmlNode = Record<string, unknown>;

const META = XMLParser.getMetaDataSymbol() as unknown as string;

function xmlParser(): XMLParser {
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    captureMetaData: true,
    preserveOrder: true,
    parseAttributeValue: false,
    parseTagValue: false,
    processEntities: true,
  });
}

interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  start: number;
  text: string;
}

/** The element tree of an XML text (null when the text is not well-formed XML). */
function parseXml(text: string): XmlElement[] | null {
  if (XMLValidator.validate(text) !== true) return null;
  let doc: unknown;
  try {
    doc = xmlParser().parse(text);
  } catch {
    return null;
  }
  const conv = (nodes: unknown): XmlElement[] => {
    if (!Array.isArray(nodes)) return [];
    const out: XmlElement[] = [];
    for (const n of nodes as XmlNode[]) {
      const name = Object.keys(n).find((k) => k !== ':@');
      if (!name || name.startsWith('?') || name === '#text' || name === '#comment') continue;
      const attrs = (n[':@'] as Record<string, string> | undefined) ?? {};
      const meta = (n as Record<string, unknown>)[META] as { startIndex?: number } | undefined;
      const kids = conv(n[name]);
      const textNode = Array.isArray(n[name])
        ? (n[name] as XmlNode[]).find((c) => '#text' in c)?.['#text']
        : undefined;
      out.push({
        name,
        attrs,
        children: kids,
        start: meta?.startIndex ?? 0,
        text: typeof textNode === 'string' || typeof textNode === 'number' ? String(textNode).trim() : '',
      });
    }
    return out;
  };
  return conv(doc);
}

function* walk(els: XmlElement[], path: string[] = []): Generator<{ el: XmlElement; path: string[] }> {
  for (const el of els) {
    yield { el, path };
    yield* walk(el.children, [...path, el.name]);
  }
}

/** Offset of attribute `attr` inside the start tag at `start`. */
function attrOffset(text: string, start: number, attr: string): number {
  const end = text.indexOf('>', start);
  const tag = text.slice(start, end === -1 ? undefined : end);
  const m = new RegExp(`\\s${attr.replace(/[.:]/g, '\\$&')}\\s*=`).exec(tag);
  return m ? start + m.index + 1 : start;
}

// --- web.config ---------------------------------------------------------------------------------

/** Attributes read, per element of `<system.web>`. */
const WEB_ATTRS: Record<string, string[]> = {
  httpCookies: ['requireSSL', 'httpOnlyCookies', 'sameSite', 'domain'],
  forms: ['requireSSL', 'cookieless', 'name', 'domain', 'cookieSameSite', 'timeout', 'slidingExpiration'],
  sessionState: ['cookieless', 'cookieName', 'mode', 'cookieSameSite'],
  authentication: ['mode'],
};

/** `web.config` → null; `web.Release.config` → 'Release'; anything else: not a web.config. */
function webConfigTransform(file: string): string | null | undefined {
  const base = file.slice(file.lastIndexOf('/') + 1);
  if (/^web\.config$/i.test(base)) return null;
  const m = /^web\.([^.]+)\.config$/i.exec(base);
  return m ? m[1]! : undefined;
}

function extractWebConfig(file: SourceFile): CodeFact[] {
  const transform = webConfigTransform(file.file);
  if (transform === undefined) return [];
  const els = parseXml(file.text);
  if (!els) return [];
  const data: WebConfigFact = { transform, values: {}, systemWeb: false };
  for (const { el, path } of walk(els)) {
    if (el.name === 'system.web') data.systemWeb = true;
    if (!path.includes('system.web')) continue;
    const attrs = WEB_ATTRS[el.name];
    if (!attrs) continue;
    if (el.name === 'forms' && path[path.length - 1] !== 'authentication') continue;
    const t = el.attrs['xdt:Transform'];
    const removed = t
      ? /^RemoveAttributes\(([^)]*)\)/
          .exec(t)?.[1]
          ?.split(',')
          .map((s) => s.trim())
      : undefined;
    const setList = t
      ? /^SetAttributes\(([^)]*)\)/
          .exec(t)?.[1]
          ?.split(',')
          .map((s) => s.trim())
      : undefined;
    for (const a of attrs) {
      let value = el.attrs[a];
      if (removed?.includes(a)) value = '';
      if (value === undefined) continue;
      if (setList && !setList.includes(a)) continue;
      if (t === 'Remove') value = '';
      const off = attrOffset(file.text, el.start, a);
      const loc = locationAtOffset(file.text, off, file.file);
      data.values[`${el.name}.${a}`] = {
        value,
        location: loc,
        evidence: evidenceOf(`<${el.name} ${a}="${value}">`),
      };
    }
  }
  if (!data.systemWeb && Object.keys(data.values).length === 0) return [];
  return [otherFact('aspnet-webconfig', data, { file: file.file, line: 1, column: 1 }, file.file)];
}

export const webConfigExtractor: Extractor = {
  name: 'aspnet-webconfig',
  files: ['**/[Ww]eb.config', '**/[Ww]eb.*.config'],
  keywords: ['system.web'],
  extract: extractWebConfig,
};

// --- .csproj ------------------------------------------------------------------------------------

function extractCsproj(file: SourceFile): CodeFact[] {
  const els = parseXml(file.text);
  if (!els) return [];
  const data: ProjectFileFact = { targetFramework: null, sdk: null, packages: [] };
  for (const { el } of walk(els)) {
    if (el.name === 'Project' && el.attrs.Sdk) data.sdk = el.attrs.Sdk;
    if ((el.name === 'TargetFramework' || el.name === 'TargetFrameworks') && el.text && !data.targetFramework)
      data.targetFramework = el.text.split(';')[0]!.trim();
    if (el.name === 'TargetFrameworkVersion' && el.text && !data.targetFramework)
      data.targetFramework = el.text;
    if (el.name === 'PackageReference' && (el.attrs.Include || el.attrs.Update)) {
      const version = el.attrs.Version ?? el.children.find((c) => c.name === 'Version')?.text ?? null;
      data.packages.push({ name: (el.attrs.Include ?? el.attrs.Update)!, version: version || null });
    }
  }
  return [otherFact('aspnet-project', data, { file: file.file, line: 1, column: 1 }, file.file)];
}

export const csprojExtractor: Extractor = {
  name: 'aspnet-csproj',
  files: ['**/*.csproj'],
  keywords: [],
  extract: extractCsproj,
};

// --- appsettings*.json --------------------------------------------------------------------------

/** JSON with `//` and `/* *\/` comments and trailing commas (as .NET's JSON configuration reads it) → plain JSON. */
function stripJsonComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') {
        out += ' ';
        i++;
      }
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else {
      out += c;
      i++;
    }
  }
  return out.replace(/,(\s*[}\]])/g, ' $1');
}

/** Keys (last segment, lower case) an options binding can use for cookie and transport settings. */
const APPSETTINGS_KEYS = new Set([
  'securepolicy',
  'httponly',
  'samesite',
  'name',
  'domain',
  'secure',
  'minimumsamesitepolicy',
  'maxage',
  'expiration',
  'forwardedheaders',
  'includesubdomains',
]);

function toVal(v: unknown): CsVal | null {
  if (typeof v === 'boolean') return { k: 'bool', v };
  if (typeof v === 'number') return { k: 'num', v };
  if (v === null) return { k: 'null' };
  if (typeof v === 'string') return { k: 'str', v };
  return null;
}

function extractAppSettings(file: SourceFile): CodeFact[] {
  const base = file.file.slice(file.file.lastIndexOf('/') + 1);
  const m = /^appsettings(?:\.([^.]+))?\.json$/i.exec(base);
  if (!m) return [];
  let doc: unknown;
  try {
    doc = JSON.parse(stripJsonComments(file.text));
  } catch {
    return [];
  }
  const data: AppSettingsFact = { environment: m[1] ?? null, values: {} };
  const lower = file.text.toLowerCase();
  const visit = (v: unknown, path: string[], from: number) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      const last = path[path.length - 1];
      const val = toVal(v);
      if (!last || !val || !APPSETTINGS_KEYS.has(last.toLowerCase())) return;
      const at = lower.indexOf(`"${last.toLowerCase()}"`, from);
      const loc = locationAtOffset(file.text, at === -1 ? 0 : at, file.file);
      data.values[path.join(':').toLowerCase()] = {
        val,
        line: loc.line,
        text: evidenceOf(`"${last}": ${JSON.stringify(v)}`),
      };
      return;
    }
    for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
      const at = lower.indexOf(`"${k.toLowerCase()}"`, from);
      visit(child, [...path, k], at === -1 ? from : at);
    }
  };
  visit(doc, [], 0);
  if (Object.keys(data.values).length === 0) return [];
  return [otherFact('aspnet-appsettings', data, { file: file.file, line: 1, column: 1 }, file.file)];
}

export const appSettingsExtractor: Extractor = {
  name: 'aspnet-appsettings',
  files: ['**/appsettings.json', '**/appsettings.*.json'],
  keywords: ['cookie', 'samesite', 'secure', 'forwardedheaders', 'httponly'],
  extract: extractAppSettings,
};
