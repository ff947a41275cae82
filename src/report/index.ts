/** Reporters: pure functions from a Report and RenderOptions to the text of the report. */
import type { Report } from '../model/finding.js';
import { renderJson } from './json.js';
import { renderHtml } from './html.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif } from './sarif.js';
import { renderText } from './text.js';
import type { Format, RenderOptions } from './types.js';

export type { FailOn, Format, RenderOptions } from './types.js';
export { FAIL_ON_VALUES, FORMATS, evidenceFor, reachesThreshold } from './types.js';
export { renderJson, toJsonReport } from './json.js';
export { renderHtml } from './html.js';
export { renderJunit } from './junit.js';
export { renderMarkdown } from './markdown.js';
export { renderSarif, toSarif } from './sarif.js';
export { renderText, summaryLine } from './text.js';

export function render(format: Format, report: Report, opts: RenderOptions): string {
  switch (format) {
    case 'text':
      return renderText(report, opts);
    case 'json':
      return renderJson(report, opts);
    case 'sarif':
      return renderSarif(report, opts);
    case 'junit':
      return renderJunit(report, opts);
    case 'html':
      return renderHtml(report, opts);
    case 'markdown':
      return renderMarkdown(report, opts);
  }
}
