/**
 * `--format html`: one self-contained file (inline CSS and script, nothing fetched: a Content
 * Security Policy of `default-src 'none'` makes sure of it) that reads well without script too.
 *
 * Summary at the top (counts by severity, by cookie, by source), then the findings grouped by cookie
 * and by rule, each with its message, what the browser does, why the cookie was judged so, the fix,
 * the code excerpt and the live evidence (redacted unless --show-values). Code and live findings
 * that point at each other (`related`) are linked with anchors. With script: filter by severity and
 * search by cookie name. Light and dark colour schemes follow the system (`prefers-color-scheme`).
 * Every string from the audited code or site is escaped.
 */
import type { Finding, Report, Severity } from '../model/finding.js';
import { SEVERITIES, severityRank } from '../model/finding.js';
import type { RenderOptions } from './types.js';
import { evidenceFor, formatLocation } from './types.js';
import { cookieBlocks, errorLine, plural, summaryNotes, verdictOf } from './common.js';
import { escapeHtml } from './escape.js';

const CSS = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1b1f24;--muted:#59636e;--line:#d1d9e0;--card:#f6f8fa;
--high:#cf222e;--medium:#bc4c00;--low:#9a6700;--info:#59636e;--link:#0969da;--code:#f6f8fa}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--card:#151b23;
--high:#ff7b72;--medium:#ffa657;--low:#d29922;--info:#9198a1;--link:#4493f8;--code:#151b23}}
*{box-sizing:border-box}body{margin:0;padding:1.5rem;background:var(--bg);color:var(--fg);
font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;max-width:70rem}
a{color:var(--link)}h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.2rem;margin:2rem 0 .5rem;border-bottom:1px solid var(--line)}
h3{font-size:1rem;margin:1rem 0 .25rem}.muted{color:var(--muted)}
.cards{display:flex;gap:.75rem;flex-wrap:wrap;margin:1rem 0}.card{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:.5rem 1rem;min-width:7rem}
.card b{display:block;font-size:1.5rem}.verdict{font-weight:600}.fail{color:var(--high)}.pass{color:#1a7f37}
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid var(--line);padding:.2rem .6rem;text-align:left}td.n{text-align:right}
.sev{display:inline-block;font-weight:700;text-transform:uppercase;font-size:.75rem;padding:0 .4rem;border-radius:4px;border:1px solid currentColor}
.sev-high{color:var(--high)}.sev-medium{color:var(--medium)}.sev-low{color:var(--low)}.sev-info{color:var(--info)}
.cookie{border:1px solid var(--line);border-radius:6px;padding:.5rem 1rem;margin:1rem 0}
.finding{border-left:3px solid var(--line);padding:.25rem .75rem;margin:.5rem 0}.finding:target{border-left-color:var(--link);background:var(--card)}
.finding.high{border-left-color:var(--high)}.finding.medium{border-left-color:var(--medium)}.finding.low{border-left-color:var(--low)}
dl{display:grid;grid-template-columns:7rem 1fr;gap:.15rem .75rem;margin:.25rem 0}dt{color:var(--muted)}dd{margin:0;overflow-wrap:anywhere}
pre{background:var(--code);border:1px solid var(--line);border-radius:6px;padding:.5rem;overflow:auto;margin:0}
code{font:13px ui-monospace,SFMono-Regular,Menlo,monospace}
#controls{display:flex;gap:1rem;align-items:center;flex-wrap:wrap;margin:1rem 0}#controls[hidden]{display:none}
input[type=search]{font:inherit;padding:.2rem .5rem;background:var(--bg);color:var(--fg);border:1px solid var(--line);border-radius:4px}
.hidden{display:none}
`;

// Filtering: severity checkboxes and a cookie-name search; the count of what is shown. No network.
const SCRIPT = `
(function(){var c=document.getElementById('controls');c.hidden=false;
var q=document.getElementById('q'),boxes=[].slice.call(document.querySelectorAll('#controls input[type=checkbox]')),
shown=document.getElementById('shown');
function apply(){var on={};boxes.forEach(function(b){on[b.value]=b.checked});var t=q.value.trim().toLowerCase(),n=0;
[].forEach.call(document.querySelectorAll('.cookie'),function(sec){var name=sec.getAttribute('data-cookie').toLowerCase(),
match=!t||name.indexOf(t)>=0,any=0;[].forEach.call(sec.querySelectorAll('.finding'),function(f){
var ok=match&&on[f.getAttribute('data-severity')];f.classList.toggle('hidden',!ok);if(ok){any++;n++}});
[].forEach.call(sec.querySelectorAll('.rule'),function(r){r.classList.toggle('hidden',!r.querySelector('.finding:not(.hidden)'))});
sec.classList.toggle('hidden',!any)});shown.textContent=n+' shown'}
q.addEventListener('input',apply);boxes.forEach(function(b){b.addEventListener('change',apply)});apply()})();
`;

function where(f: Finding): string {
  if (f.location) return formatLocation(f.location);
  return f.url ?? '';
}

/** Keys a related location may be matched by: file:line (any column), or the URL. */
function placeKeys(f: Finding): string[] {
  const keys: string[] = [];
  if (f.location) keys.push(`${f.location.file}:${f.location.line}`);
  if (f.url) keys.push(f.url);
  return keys;
}

export function renderHtml(report: Report, opts: RenderOptions): string {
  const e = escapeHtml;
  const counts: Record<Severity, number> = { high: 0, medium: 0, low: 0, info: 0 };
  const bySource = new Map<string, number>();
  for (const f of report.findings) {
    counts[f.severity]++;
    bySource.set(f.source, (bySource.get(f.source) ?? 0) + 1);
  }
  // Findings by cookie (worst first; site-wide last, as in the text report), then by rule.
  const cookies = cookieBlocks(report.findings);
  // Anchors: every finding gets an id; a related place that is another finding's place links to it.
  const ids = new Map<Finding, string>();
  const byPlace = new Map<string, string[]>();
  let n = 0;
  for (const [, fs] of cookies)
    for (const f of fs) {
      const id = `f${++n}`;
      ids.set(f, id);
      for (const k of placeKeys(f)) (byPlace.get(k) ?? byPlace.set(k, []).get(k)!).push(id);
    }

  const out: string[] = [];
  out.push(
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>cookieguard report: ${report.findings.length} finding${report.findings.length === 1 ? '' : 's'}</title>`,
    `<style>${CSS}</style></head><body>`,
    `<h1>cookieguard report</h1><p class="muted">cookieguard ${e(report.tool.version)}</p>`,
  );
  const v = verdictOf(report, opts);
  if (v?.status === 'error')
    out.push(
      '<p class="verdict fail" id="verdict">ERROR: the run could not do its job (see the errors below)</p>',
    );
  else if (v !== null)
    out.push(
      v.status === 'fail'
        ? `<p class="verdict fail" id="verdict">FAIL: ${plural(v.failing, 'finding')} at or above --fail-on ${e(opts.failOn)}</p>`
        : `<p class="verdict pass" id="verdict">PASS: no finding at or above --fail-on ${e(opts.failOn)}</p>`,
    );

  // Summary
  out.push('<section id="summary"><h2>Summary</h2><div class="cards">');
  for (const s of SEVERITIES)
    out.push(`<div class="card" data-count="${s}"><b class="sev-${s}">${counts[s]}</b>${s}</div>`);
  out.push('</div>');
  const notes = summaryNotes(report, opts, true);
  out.push(
    `<p>${e(notes.join('; '))}. By source: ${e([...bySource.entries()].map(([s, c]) => `${s} ${c}`).join(', ') || 'none')}.</p>`,
  );
  if (cookies.length > 0) {
    out.push(
      '<table id="by-cookie"><thead><tr><th>cookie</th>',
      ...SEVERITIES.map((s) => `<th>${s}</th>`),
      '<th>total</th></tr></thead><tbody>',
    );
    cookies.forEach(([c, fs], i) => {
      const k: Record<Severity, number> = { high: 0, medium: 0, low: 0, info: 0 };
      for (const f of fs) k[f.severity]++;
      out.push(
        `<tr><td><a href="#c${i + 1}">${c === '' ? '<i>site-wide</i>' : e(c)}</a></td>`,
        ...SEVERITIES.map((s) => `<td class="n">${k[s] || ''}</td>`),
        `<td class="n">${fs.length}</td></tr>`,
      );
    });
    out.push('</tbody></table>');
  }
  out.push('</section>');

  // Controls (shown by the script; without script every finding is visible)
  out.push(
    '<div id="controls" hidden><label>Cookie <input type="search" id="q" placeholder="name"></label>',
    ...SEVERITIES.map(
      (s) =>
        `<label><input type="checkbox" value="${s}" checked> <span class="sev sev-${s}">${s}</span></label>`,
    ),
    '<span id="shown" class="muted"></span></div>',
  );

  // Findings
  out.push('<section id="findings"><h2>Findings</h2>');
  if (cookies.length === 0) out.push('<p id="no-findings">No findings.</p>');
  const browserSaid = new Set<string>();
  cookies.forEach(([cookie, fs], i) => {
    out.push(
      `<section class="cookie" id="c${i + 1}" data-cookie="${e(cookie)}"><h3>${cookie === '' ? 'Site-wide' : `Cookie <code>${e(cookie)}</code>`} <span class="muted">(${fs.length})</span></h3>`,
    );
    const why = [...new Set(fs.map((f) => f.classification).filter((x): x is string => !!x))];
    for (const w of why) out.push(`<p class="muted">Why: ${e(w)}</p>`);
    const rules = new Map<string, Finding[]>();
    for (const f of [...fs].sort((a, b) => severityRank(b.severity) - severityRank(a.severity)))
      (rules.get(f.rule) ?? rules.set(f.rule, []).get(f.rule)!).push(f);
    for (const [rule, rfs] of rules) {
      out.push(`<div class="rule" data-rule="${e(rule)}"><h4><code>${e(rule)}</code></h4>`);
      for (const f of rfs) {
        const id = ids.get(f)!;
        out.push(
          `<article class="finding ${f.severity}" id="${id}" data-severity="${f.severity}" data-rule="${e(f.rule)}" data-source="${e(f.source)}">`,
          `<p><span class="sev sev-${f.severity}">${f.severity}</span> <a href="#${id}"><code>${e(where(f))}</code></a> <span class="muted">${e(f.source)}</span></p>`,
          `<p class="message">${e(f.message)}</p><dl>`,
        );
        const dd = (label: string, html: string) => out.push(`<dt>${label}</dt><dd>${html}</dd>`);
        if (f.location && f.url) dd('url', e(f.url));
        if (f.browser) {
          const key = `${f.rule}\u0000${f.browser}`;
          // Once per rule at full length; later findings of the rule point back to it.
          if (!browserSaid.has(key)) {
            browserSaid.add(key);
            dd('browser', e(f.browser));
          }
        }
        const ev = evidenceFor(f, opts.showValues);
        if (ev) dd('evidence', `<code>${e(ev)}</code>`);
        if (f.fix) dd('fix', e(f.fix));
        if (f.snippet) dd('code', `<pre><code>${e(f.snippet.replace(/\s+$/, ''))}</code></pre>`);
        for (const r of f.related ?? []) {
          const at = r.location ? formatLocation(r.location) : (r.url ?? '');
          const key = r.location ? `${r.location.file}:${r.location.line}` : (r.url ?? '');
          const target = (byPlace.get(key) ?? []).find((x) => x !== id);
          const label = at ? `${e(at)}` : '';
          const link = target
            ? `<a class="related" href="#${target}"><code>${label}</code></a>`
            : `<code>${label}</code>`;
          dd('related', `${label ? `${link} ` : ''}${e(r.message)}`);
        }
        out.push('</dl></article>');
      }
      out.push('</div>');
    }
    out.push('</section>');
  });
  out.push('</section>');

  if (report.errors.length > 0) {
    out.push('<section id="errors"><h2>Errors (not collected)</h2><ul>');
    for (const er of report.errors) out.push(`<li>${e(errorLine(er))}</li>`);
    out.push('</ul></section>');
  }
  out.push(`<script>${SCRIPT}</script></body></html>`);
  return `${out.join('\n')}\n`;
}
