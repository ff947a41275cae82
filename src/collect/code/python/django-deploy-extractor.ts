/**
 * The Django settings module a deployment runs: `ENV DJANGO_SETTINGS_MODULE=...` in a Dockerfile (not
 * one named for development), `--settings=...` or `DJANGO_SETTINGS_MODULE=...` in a Procfile command,
 * `DJANGO_SETTINGS_MODULE` in `app.yaml` `env_variables` or `app.json` `env`. These name what
 * production runs more surely than `wsgi.py`'s `setdefault`, which any of them overrides.
 *
 * Whether the same files show a TLS-terminating proxy is read for every language by
 * common/deploy.ts.
 */
import type { CodeFact, Extractor, SourceFile } from '../types.js';
import { jsonDocument, yamlDocuments } from '../common/deploy.js';
import { locationAtOffset } from '../common/location.js';
import { fact } from './facts.js';

const SETTINGS_MODULE = /[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)+/;

/** A `django-settings-ref` fact naming the module a deployment file runs. */
function settingsRef(file: SourceFile, line: number, module: string, evidence: string): CodeFact {
  const via = file.file.split('/').pop() ?? file.file;
  const location = { file: file.file, line, column: 1 };
  return fact(
    'django-settings-ref',
    { module, via, overridable: false, deployment: true },
    location,
    evidence,
  );
}

/** A `django-settings-ref` fact at the first mention of DJANGO_SETTINGS_MODULE (a JSON or YAML key). */
function settingsKeyRef(file: SourceFile, module: string): CodeFact {
  const idx = file.text.indexOf('DJANGO_SETTINGS_MODULE');
  const line = idx >= 0 ? locationAtOffset(file.text, idx, file.file).line : 1;
  return settingsRef(file, line, module, `DJANGO_SETTINGS_MODULE: ${module}`);
}

/** `--settings=mod` / `--settings mod` / `DJANGO_SETTINGS_MODULE=mod` in a command line. */
function settingsInCommand(command: string): string | null {
  const m =
    /(?:^|\s)--settings[=\s]+["']?([\w.]+)/.exec(command) ??
    /\bDJANGO_SETTINGS_MODULE=["']?([\w.]+)/.exec(command);
  return m && SETTINGS_MODULE.test(m[1]!) ? m[1]! : null;
}

/** Procfile: one `<process type>: <command>` per line (Heroku Dev Center, "The Procfile"). */
function procfile(file: SourceFile): CodeFact[] {
  const out: CodeFact[] = [];
  const lines = file.text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    if (colon <= 0 || line.trimStart().startsWith('#')) continue;
    const type = line.slice(0, colon).trim();
    if (type === 'web' || type === 'release') {
      const mod = settingsInCommand(line.slice(colon + 1));
      if (mod) out.push(settingsRef(file, i + 1, mod, line.trim()));
    }
  }
  return out;
}

/**
 * Dockerfile `ENV DJANGO_SETTINGS_MODULE=mod` / `ENV DJANGO_SETTINGS_MODULE mod` (the legacy form),
 * or in a `CMD` / `ENTRYPOINT` / `RUN` command. A Dockerfile named for development or tests
 * (`Dockerfile.dev`, `dev.Dockerfile`) says nothing about production.
 */
function dockerfile(file: SourceFile): CodeFact[] {
  const base = (file.file.split('/').pop() ?? '').toLowerCase();
  if (/(^|[.-])(dev|develop|development|local|test|testing|ci)([.-]|$)/.test(base)) return [];
  const out: CodeFact[] = [];
  // Continuation lines joined, line numbers kept for the first line of each instruction.
  const lines = file.text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let text = lines[i]!;
    while (text.endsWith('\\') && i + 1 < lines.length) text = text.slice(0, -1) + ' ' + lines[++i]!;
    const m = /^\s*(ENV|CMD|ENTRYPOINT|RUN)\s+(.*)$/i.exec(text);
    if (!m) continue;
    const body = m[2]!;
    let mod: string | null;
    if (m[1]!.toUpperCase() === 'ENV') {
      const eq = /(?:^|\s)DJANGO_SETTINGS_MODULE=["']?([\w.]+)/.exec(body);
      const legacy = /^DJANGO_SETTINGS_MODULE\s+["']?([\w.]+)/.exec(body.trim());
      mod = (eq ?? legacy)?.[1] ?? null;
    } else mod = settingsInCommand(body);
    if (mod && SETTINGS_MODULE.test(mod))
      out.push(settingsRef(file, start + 1, mod, text.trim().slice(0, 200)));
  }
  return out;
}

/** Heroku `app.json`: `env.DJANGO_SETTINGS_MODULE` (a string or `{ value }`). */
function appJson(file: SourceFile): CodeFact[] {
  const env = (jsonDocument(file.text) as { env?: Record<string, unknown> } | null | undefined)?.env;
  const v = env?.DJANGO_SETTINGS_MODULE;
  const mod =
    typeof v === 'string'
      ? v
      : typeof (v as { value?: unknown })?.value === 'string'
        ? (v as { value: string }).value
        : null;
  if (!mod || !SETTINGS_MODULE.test(mod)) return [];
  return [settingsKeyRef(file, mod)];
}

/** Google App Engine `app.yaml`: `env_variables.DJANGO_SETTINGS_MODULE` of its (first) document. */
function appEngine(file: SourceFile): CodeFact[] {
  const doc = yamlDocuments(file.text)[0];
  const mod = (doc as { env_variables?: Record<string, unknown> } | null | undefined)?.env_variables
    ?.DJANGO_SETTINGS_MODULE;
  if (typeof mod !== 'string' || !SETTINGS_MODULE.test(mod)) return [];
  return [settingsKeyRef(file, mod)];
}

export function extractDjangoDeployment(file: SourceFile): CodeFact[] {
  const base = file.file.split('/').pop() ?? '';
  if (base === 'Procfile') return procfile(file);
  if (/^Dockerfile([.-].*)?$|\.Dockerfile$/i.test(base)) return dockerfile(file);
  if (base === 'app.json') return appJson(file);
  if (base === 'app.yaml' || base === 'app.yml') return appEngine(file);
  return [];
}

export const djangoDeploymentExtractor: Extractor = {
  name: 'django-deployment',
  files: [
    '**/Procfile',
    '**/Dockerfile',
    '**/Dockerfile.*',
    '**/*.Dockerfile',
    '**/app.json',
    '**/app.yaml',
    '**/app.yml',
  ],
  keywords: ['DJANGO_SETTINGS_MODULE', '--settings'],
  extract: extractDjangoDeployment,
};
