/** Compact, readable summaries of observations for table-driven tests. */
import type { Attr, Observation } from '../../src/model/observation.js';

function attr(a: Attr<unknown> | undefined): string {
  if (!a) return '-';
  const at = a.location ? `@${a.location.file}:${a.location.line}` : '';
  const p = a.provenance;
  let prov: string = p.kind;
  if (p.kind === 'env-dependent') {
    prov += `{${Object.entries(p.perEnvironment)
      .map(([k, v]) => `${k}:${String(v)}`)
      .join(',')}}`;
  }
  return `${String(a.value)}/${prov}${at}`;
}

/** `cookie NAME secure=V/prov@file:line httpOnly=... sameSite=...`, `proxy NAME @file:line`, `url PARAM @file:line`. */
export function summarize(o: Observation): string {
  switch (o.kind) {
    case 'cookie':
      return [
        `cookie ${o.name}`,
        `secure=${attr(o.secure)}`,
        `httpOnly=${attr(o.httpOnly)}`,
        `sameSite=${attr(o.sameSite)}`,
        ...(o.domain ? [`domain=${attr(o.domain)}`] : []),
        `at=${o.location ? `${o.location.file}:${o.location.line}` : '-'}`,
        ...(o.inTestCode ? ['test'] : []),
      ].join(' ');
    case 'proxy-trust':
      return `proxy ${o.framework} ${o.cookie} @${o.location?.file}:${o.location?.line}`;
    case 'session-id-in-url':
      return `url ${o.parameter} @${o.location?.file}:${o.location?.line}`;
    case 'setting':
      return `setting ${o.key}=${String(o.value)} @${o.location?.file}:${o.location?.line}`;
    default:
      return o.kind;
  }
}
