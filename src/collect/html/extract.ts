/**
 * What an HTML page links to, loads and submits, read with a real HTML parser (parse5, the WHATWG
 * tree-construction algorithm browsers use), so that comments, scripts' text, unquoted attributes,
 * uppercase tags and broken markup are read as a browser reads them.
 *
 * Used by the crawler (links to follow, subresources for `mixed-content`, forms for
 * `form-posts-over-http`) and by the login (the form that holds the named fields and its other
 * fields, hidden CSRF tokens included).
 */
import { parse } from 'parse5';

/** The parts of parse5's default tree this module reads. */
interface Node {
  nodeName: string;
  tagName?: string;
  attrs?: { name: string; value: string }[];
  childNodes?: Node[];
  /** `<template>` keeps its children in a document fragment. */
  content?: Node;
  value?: string;
}

/** How a subresource is loaded: W3C Mixed Content's blockable (active) and upgradeable (passive). */
export type SubresourceType =
  | 'script'
  | 'stylesheet'
  | 'iframe'
  | 'frame'
  | 'object'
  | 'embed'
  | 'preload'
  | 'img'
  | 'audio'
  | 'video'
  | 'source'
  | 'track'
  | 'icon';

/** Images, audio and video are upgradeable ("passive"); everything else is blockable ("active"). */
export const PASSIVE_TYPES: ReadonlySet<SubresourceType> = new Set([
  'img',
  'audio',
  'video',
  'source',
  'track',
  'icon',
]);

export interface Subresource {
  /** Absolute URL (resolved against the page's base URL). */
  url: string;
  type: SubresourceType;
  active: boolean;
}

export interface FormField {
  name: string;
  /** Lower-case input type (`text`, `password`, `hidden`, `checkbox` ...); `select`, `textarea` for those. */
  type: string;
  /** The value the page gives it (for a select: the selected option, else the first). */
  value: string;
  /** Sent when the form is submitted without user action (checked boxes, enabled controls, no buttons). */
  submitted: boolean;
}

export interface HtmlForm {
  /** 0-based position among the page's forms. */
  index: number;
  /** Absolute URL the form submits to (its action, or the page itself when there is none). */
  action: string;
  /** The action attribute as written (null when absent). */
  actionAttribute: string | null;
  /** Lower-case: `get`, `post` (`dialog` and unknown values as written). */
  method: string;
  enctype: string;
  fields: FormField[];
  /** The first submit button with a name, which a user's click would add to the submission. */
  submitter: { name: string; value: string } | null;
  hasPassword: boolean;
}

export interface ExtractedPage {
  /** The URL relative references resolve against (`<base href>` or the page's URL). */
  baseUrl: string;
  /** Absolute URLs of `a[href]`, `area[href]`, `iframe[src]`, `frame[src]` and a meta refresh, fragments removed, in document order, without duplicates. */
  links: string[];
  subresources: Subresource[];
  forms: HtmlForm[];
}

const attr = (n: Node, name: string): string | null => {
  const a = n.attrs?.find((x) => x.name === name);
  return a ? a.value : null;
};

/** A URL resolved as a browser would, or null for what is not a fetchable http(s) URL. */
export function resolveUrl(raw: string | null, base: string): string | null {
  if (raw === null) return null;
  // HTML strips leading and trailing ASCII whitespace from URL attributes.
  const trimmed = raw.replace(/^[\t\n\f\r ]+|[\t\n\f\r ]+$/g, '');
  if (trimmed === '') return null;
  let u: URL;
  try {
    u = new URL(trimmed, base);
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  return u.href;
}

export const withoutFragment = (href: string): string => {
  const i = href.indexOf('#');
  return i === -1 ? href : href.slice(0, i);
};

/**
 * The URLs of a `srcset` (HTML's "parse a srcset attribute"): a URL runs to the next whitespace; a URL
 * that ends in commas ends its candidate, otherwise descriptors run to the next comma outside parentheses.
 */
export function srcsetUrls(srcset: string): string[] {
  const out: string[] = [];
  let i = 0;
  const n = srcset.length;
  const space = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\f' || c === '\r';
  while (i < n) {
    while (i < n && (space(srcset[i]!) || srcset[i] === ',')) i++;
    const start = i;
    while (i < n && !space(srcset[i]!)) i++;
    let url = srcset.slice(start, i);
    if (url === '') break;
    if (url.endsWith(',')) url = url.replace(/,+$/, '');
    else {
      let depth = 0;
      while (i < n && (depth > 0 || srcset[i] !== ',')) {
        if (srcset[i] === '(') depth++;
        else if (srcset[i] === ')') depth = Math.max(0, depth - 1);
        i++;
      }
    }
    if (url) out.push(url);
  }
  return out;
}

/** `<meta http-equiv="refresh" content="5; url=/next">`: the target, if any. */
export function metaRefreshTarget(content: string): string | null {
  const m = /^\s*\d*(?:\.\d*)?\s*[;,]?\s*(?:url\s*=\s*)?(.*)$/i.exec(content);
  if (!m) return null;
  let target = m[1]!.trim();
  if (target === '') return null;
  if ((target.startsWith('"') || target.startsWith("'")) && target.length > 1) {
    const q = target[0]!;
    const end = target.indexOf(q, 1);
    target = end === -1 ? target.slice(1) : target.slice(1, end);
  }
  return target;
}

function textOf(n: Node): string {
  if (n.nodeName === '#text') return n.value ?? '';
  return (n.childNodes ?? []).map(textOf).join('');
}

function* walk(n: Node): Generator<Node> {
  yield n;
  for (const c of n.childNodes ?? []) yield* walk(c);
  if (n.content) yield* walk(n.content);
}

const SUBMIT_BUTTON_TYPES = new Set(['submit', 'image']);

function selectValue(select: Node): string {
  const options = [...walk(select)].filter((c) => c.tagName === 'option');
  const chosen = options.find((o) => attr(o, 'selected') !== null) ?? options[0];
  if (!chosen) return '';
  return attr(chosen, 'value') ?? textOf(chosen).replace(/\s+/g, ' ').trim();
}

function formOf(n: Node, index: number, base: string): HtmlForm {
  const actionAttribute = attr(n, 'action');
  const method = (attr(n, 'method') ?? 'get').trim().toLowerCase() || 'get';
  const fields: FormField[] = [];
  let submitter: HtmlForm['submitter'] = null;
  for (const c of walk(n)) {
    if (c === n || !c.tagName) continue;
    const name = attr(c, 'name');
    const disabled = attr(c, 'disabled') !== null;
    if (c.tagName === 'input') {
      const type = (attr(c, 'type') ?? 'text').trim().toLowerCase() || 'text';
      if (SUBMIT_BUTTON_TYPES.has(type)) {
        if (submitter === null && name && !disabled) submitter = { name, value: attr(c, 'value') ?? '' };
        continue;
      }
      if (type === 'reset' || type === 'button' || type === 'file' || !name) continue;
      const checkable = type === 'checkbox' || type === 'radio';
      fields.push({
        name,
        type,
        value: attr(c, 'value') ?? (checkable ? 'on' : ''),
        submitted: !disabled && (!checkable || attr(c, 'checked') !== null),
      });
    } else if (c.tagName === 'button') {
      const type = (attr(c, 'type') ?? 'submit').trim().toLowerCase();
      if (type === 'submit' && submitter === null && name && !disabled)
        submitter = { name, value: attr(c, 'value') ?? '' };
    } else if (c.tagName === 'select' && name) {
      fields.push({ name, type: 'select', value: selectValue(c), submitted: !disabled });
    } else if (c.tagName === 'textarea' && name) {
      // The parser drops one leading newline of a textarea's content, as browsers do.
      fields.push({ name, type: 'textarea', value: textOf(c), submitted: !disabled });
    }
  }
  return {
    index,
    action: withoutFragment(resolveUrl(actionAttribute, base) ?? base),
    actionAttribute,
    method,
    enctype: (attr(n, 'enctype') ?? 'application/x-www-form-urlencoded').trim().toLowerCase(),
    fields,
    submitter,
    hasPassword: fields.some((f) => f.type === 'password'),
  };
}

/**
 * Reads a page. `pageUrl` is the URL the page was served from (after redirects). Only http(s) URLs
 * are returned; `javascript:`, `data:`, `mailto:` and unparsable references are left out.
 * Controls associated with a form through the `form` attribute outside it are not followed.
 */
export function extractPage(html: string, pageUrl: string): ExtractedPage {
  const doc = parse(html) as unknown as Node;
  const nodes = [...walk(doc)];
  const baseEl = nodes.find((n) => n.tagName === 'base' && attr(n, 'href') !== null);
  const baseUrl = (baseEl && resolveUrl(attr(baseEl, 'href'), pageUrl)) || pageUrl;

  const links: string[] = [];
  const seenLinks = new Set<string>();
  const addLink = (raw: string | null) => {
    const u = resolveUrl(raw, baseUrl);
    if (u === null) return;
    const href = withoutFragment(u);
    if (!seenLinks.has(href)) {
      seenLinks.add(href);
      links.push(href);
    }
  };
  const subresources: Subresource[] = [];
  const seenSub = new Set<string>();
  const addSub = (raw: string | null, type: SubresourceType) => {
    const url = resolveUrl(raw, baseUrl);
    if (url === null) return;
    const key = `${type} ${url}`;
    if (seenSub.has(key)) return;
    seenSub.add(key);
    subresources.push({ url, type, active: !PASSIVE_TYPES.has(type) });
  };
  const forms: HtmlForm[] = [];

  for (const n of nodes) {
    switch (n.tagName) {
      case 'a':
      case 'area':
        addLink(attr(n, 'href'));
        break;
      case 'iframe':
      case 'frame':
        addLink(attr(n, 'src'));
        addSub(attr(n, 'src'), n.tagName);
        break;
      case 'script':
        addSub(attr(n, 'src'), 'script');
        break;
      case 'link': {
        const rel = (attr(n, 'rel') ?? '').toLowerCase().split(/\s+/);
        if (rel.includes('stylesheet')) addSub(attr(n, 'href'), 'stylesheet');
        else if (rel.includes('icon')) addSub(attr(n, 'href'), 'icon');
        else if (rel.includes('preload') || rel.includes('modulepreload')) {
          const as = (attr(n, 'as') ?? '').toLowerCase();
          addSub(attr(n, 'href'), as === 'image' ? 'img' : as === 'audio' || as === 'video' ? as : 'preload');
        }
        break;
      }
      case 'img':
        addSub(attr(n, 'src'), 'img');
        for (const u of srcsetUrls(attr(n, 'srcset') ?? '')) addSub(u, 'img');
        break;
      case 'input':
        if ((attr(n, 'type') ?? '').toLowerCase() === 'image') addSub(attr(n, 'src'), 'img');
        break;
      case 'audio':
      case 'video':
        addSub(attr(n, 'src'), n.tagName);
        if (n.tagName === 'video') addSub(attr(n, 'poster'), 'img');
        break;
      case 'source':
        addSub(attr(n, 'src'), 'source');
        for (const u of srcsetUrls(attr(n, 'srcset') ?? '')) addSub(u, 'source');
        break;
      case 'track':
        addSub(attr(n, 'src'), 'track');
        break;
      case 'object':
        addSub(attr(n, 'data'), 'object');
        break;
      case 'embed':
        addSub(attr(n, 'src'), 'embed');
        break;
      case 'meta':
        if ((attr(n, 'http-equiv') ?? '').toLowerCase() === 'refresh')
          addLink(metaRefreshTarget(attr(n, 'content') ?? ''));
        break;
      case 'form':
        forms.push(formOf(n, forms.length, withoutFragment(baseUrl)));
        break;
    }
  }
  return { baseUrl, links, subresources, forms };
}

/**
 * The form that holds every one of `names` (the login's fields), or null. When several do, the
 * first with a password field wins, then the first in the page.
 */
export function findFormWithFields(forms: readonly HtmlForm[], names: readonly string[]): HtmlForm | null {
  const holding = forms.filter((f) => names.every((n) => f.fields.some((x) => x.name === n)));
  return holding.find((f) => f.hasPassword) ?? holding[0] ?? null;
}

/**
 * The name/value pairs a browser submits for `form` with `values` typed into their fields: the
 * page's own values for every other submitted control (hidden CSRF tokens included), then the
 * submit button a click would add. Field order follows the page.
 */
export function formSubmission(form: HtmlForm, values: Readonly<Record<string, string>>): [string, string][] {
  const out: [string, string][] = [];
  const typed = new Set<string>();
  for (const f of form.fields) {
    if (Object.hasOwn(values, f.name)) {
      if (typed.has(f.name)) continue;
      typed.add(f.name);
      out.push([f.name, values[f.name]!]);
    } else if (f.submitted) out.push([f.name, f.value]);
  }
  if (form.submitter && !Object.hasOwn(values, form.submitter.name))
    out.push([form.submitter.name, form.submitter.value]);
  return out;
}
