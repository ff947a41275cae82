/**
 * mixed-content: an HTTPS page that loads subresources over http://. Images, audio and video are
 * "upgradeable" (Chrome upgrades them, others load them with a warning); everything else
 * (scripts, styles, frames, fetches, fonts ...) is blockable and blocked (W3C Mixed Content).
 */
import type { Finding } from '../model/finding.js';
import type { Rule, RuleMeta } from './types.js';
import { makeFinding } from './build.js';
import * as browser from './browser.js';
import { REF } from './references.js';

export const meta: RuleMeta = {
  id: 'mixed-content',
  title: 'HTTPS page loads resources over HTTP',
  description:
    'An HTTPS page that loads scripts, styles, frames or images over http://. Browsers block the active ones (the page ' +
    'breaks) and upgrade or warn about images and media; requests that go out over HTTP carry the non-Secure cookies of ' +
    'their host and can be altered in transit.',
  defaultSeverity: 'high',
  sources: ['crawl', 'browser', 'har'],
  severityLogic:
    'high when scripts, styles, frames, fetches or other blockable (active) resources are loaded over HTTP; low for images, audio and video (passive) only',
  references: [REF.mixedContent, REF.spec],
};

const PASSIVE = new Set(['image', 'img', 'icon', 'audio', 'video', 'media', 'picture', 'source', 'track']);
const MAX_LISTED = 5;

export const rule: Rule = {
  meta,
  check(observations) {
    const out: Finding[] = [];
    for (let i = 0; i < observations.length; i++) {
      const o = observations[i]!;
      if (o.kind !== 'page' || !/^https:/i.test(o.url) || o.insecureSubresources.length === 0) continue;
      const resources = [...o.insecureSubresources].sort((a, b) =>
        a.url < b.url ? -1 : a.url > b.url ? 1 : a.type < b.type ? -1 : 1,
      );
      const active = resources.some((r) => r.active ?? !PASSIVE.has(r.type.toLowerCase()));
      const listed = resources.slice(0, MAX_LISTED).map((r) => `${r.type} ${r.url}`);
      const more = resources.length > MAX_LISTED ? ` and ${resources.length - MAX_LISTED} more` : '';
      out.push(
        makeFinding({
          meta,
          observation: o,
          severity: active ? 'high' : 'low',
          message: `${o.url} loads ${resources.length} resource${resources.length === 1 ? '' : 's'} over plain HTTP: ${listed.join(', ')}${more}`,
          browser: browser.mixedContent(active),
          fix:
            'Load every subresource over https:// (or with a relative URL); `Content-Security-Policy: upgrade-insecure-requests` ' +
            'makes browsers upgrade the ones that remain',
          // The initiator (check --browser: `script URL:line` for requests scripts made) when known.
          evidence: resources
            .map((r) => `${r.type} ${r.url}${r.initiator ? ` (requested by ${r.initiator})` : ''}`)
            .join('\n'),
          url: o.url,
        }),
      );
    }
    return out;
  },
};

export default rule;
