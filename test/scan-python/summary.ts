/** One-line summaries of observations, so that resolver tables compare whole results at a glance. */
import type { Attr, Observation } from '../../src/model/observation.js';

function prov(a: Attr<unknown>): string {
  switch (a.provenance.kind) {
    case 'explicit':
      return '';
    case 'framework-default':
      return '(default)';
    case 'env-dependent':
      return `(env ${Object.entries(a.provenance.perEnvironment)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(', ')})`;
    case 'unknown':
      return '(unknown)';
    default:
      return `(${a.provenance.kind})`;
  }
}

function attr(label: string, a: Attr<unknown> | undefined): string {
  if (!a) return '';
  return ` ${label}=${String(a.value)}${prov(a)}`;
}

export function summary(o: Observation): string {
  const test = 'inTestCode' in o && o.inTestCode ? ' [test]' : '';
  switch (o.kind) {
    case 'cookie': {
      const at = o.location ? ` @${o.location.file}:${o.location.line}` : '';
      return (
        `cookie ${o.name} [${o.framework ?? '?'}/${o.classification.category}]` +
        attr('secure', o.secure) +
        attr('httponly', o.httpOnly) +
        attr('samesite', o.sameSite) +
        attr('domain', o.domain) +
        (o.deletion ? ' deletion' : '') +
        at +
        test
      );
    }
    case 'setting':
      return `setting ${o.key}=${String(o.value)}${prov({ value: o.value, provenance: o.provenance })} @${o.location?.file}:${o.location?.line}${test}`;
    case 'hsts':
      return `hsts ${o.parsed ? `max-age=${o.parsed.maxAge}${o.parsed.includeSubDomains ? ' includeSubDomains' : ''}` : 'none'} @${o.location?.file}:${o.location?.line}`;
    case 'proxy-trust':
      return `proxy-trust ${o.framework} ${o.cookie} ${o.situation} @${o.location?.file}:${o.location?.line} (${o.proxyEvidence ?? ''})`;
    default:
      return o.kind;
  }
}

export const summaries = (obs: Observation[]) => obs.map(summary);
