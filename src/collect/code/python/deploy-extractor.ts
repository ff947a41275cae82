/**
 * Deployment files that show a reverse proxy / TLS-terminating front end in front of the app. The
 * Python resolvers only say "Secure cookies but the app cannot tell HTTPS from HTTP" when such a
 * front end is evident: a bare Django or Flask app with Secure cookies may well serve TLS itself
 * (gunicorn --certfile, `app.run(ssl_context=...)`), and then nothing is wrong.
 *
 * Evidence read (each with a real parser for its format):
 * - `Procfile` with a `web:` process: Heroku-style routers terminate TLS and pass
 *   X-Forwarded-Proto (Heroku Dev Center, "HTTP Routing": "X-Forwarded-Proto").
 * - docker compose files with an nginx / traefik / caddy / haproxy / envoy service (YAML).
 * - nginx configuration with `proxy_pass` / `uwsgi_pass` (nginx directive syntax: words ending in
 *   `;` or opening a `{` block, `#` comments, quoted strings).
 * - Google App Engine `app.yaml` with a python runtime: the front end terminates TLS.
 *
 * Also the Django settings module a deployment runs: `ENV DJANGO_SETTINGS_MODULE=...` in a
 * Dockerfile (not one named for development), `--settings=...` or `DJANGO_SETTINGS_MODULE=...` in a
 * Procfile command, `DJANGO_SETTINGS_MODULE` in `app.yaml` `env_variables` or `app.json` `env`.
 * These name what production runs more surely than `wsgi.py`'s `setdefault`, which any of them
 * overrides.
 */
import { parse as parseYaml } from 'yaml';
import type { CodeFact, Extractor, SourceFile } from '../types.js';
import { fact } from './facts.js';

const PROXY_IMAGES =
  /^(nginx|traefik|caddy|haproxy|envoy|envoyproxy\/envoy|bitnami\/nginx|jwilder\/nginx-proxy|nginxproxy\/nginx-proxy|jc21\/nginx-proxy-manager)$/;

function lineOf(text: string, index: number): number {
  let n = 1;
  for (let i = 0; i < index && i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

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
    if (type === 'web' && !out.some((f) => f.type === 'other' && f.key === 'proxy-deployment')) {
      const location = { file: file.file, line: i + 1, column: 1 };
      out.push(
        fact(
          'proxy-deployment',
          { what: 'a Procfile web process (the platform router terminates TLS)', location },
          location,
          line.trim(),
        ),
      );
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
  let doc: unknown;
  try {
    doc = JSON.parse(file.text);
  } catch {
    return [];
  }
  const env = (doc as { env?: Record<string, unknown> } | null)?.env;
  const v = env?.DJANGO_SETTINGS_MODULE;
  const mod =
    typeof v === 'string'
      ? v
      : typeof (v as { value?: unknown })?.value === 'string'
        ? (v as { value: string }).value
        : null;
  if (!mod || !SETTINGS_MODULE.test(mod)) return [];
  const idx = file.text.indexOf('DJANGO_SETTINGS_MODULE');
  return [settingsRef(file, idx >= 0 ? lineOf(file.text, idx) : 1, mod, `DJANGO_SETTINGS_MODULE: ${mod}`)];
}

function compose(file: SourceFile): CodeFact[] {
  let doc: unknown;
  try {
    doc = parseYaml(file.text, { logLevel: 'silent' });
  } catch {
    return [];
  }
  const services = (doc as { services?: Record<string, unknown> } | null)?.services;
  if (!services || typeof services !== 'object') return [];
  for (const [name, svc] of Object.entries(services)) {
    const image =
      typeof (svc as { image?: unknown })?.image === 'string' ? (svc as { image: string }).image : '';
    const repo =
      image
        .replace(/^[^/]+\.[^/]+\//, '')
        .replace(/^docker\.io\//, '')
        .replace(/^library\//, '')
        .split(/[:@]/)[0] ?? '';
    if (PROXY_IMAGES.test(repo) || (!image && /^(nginx|traefik|caddy|haproxy|proxy)$/.test(name))) {
      const idx = file.text.indexOf(image || `${name}:`);
      const location = { file: file.file, line: idx >= 0 ? lineOf(file.text, idx) : 1, column: 1 };
      return [
        fact(
          'proxy-deployment',
          { what: `a ${repo || name} service in ${file.file}`, location },
          location,
          image || name,
        ),
      ];
    }
  }
  return [];
}

/** Tokens of an nginx configuration with their line numbers. */
export function nginxDirectives(text: string): { name: string; line: number }[] {
  const out: { name: string; line: number }[] = [];
  let i = 0;
  let line = 1;
  let words: { w: string; line: number }[] = [];
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '\n') {
      line++;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') i++;
    else if (c === '#') {
      while (i < n && text[i] !== '\n') i++;
    } else if (c === ';' || c === '{' || c === '}') {
      if (words.length > 0 && c !== '}') out.push({ name: words[0]!.w, line: words[0]!.line });
      words = [];
      i++;
    } else if (c === '"' || c === "'") {
      const start = line;
      let w = '';
      i++;
      while (i < n && text[i] !== c) {
        if (text[i] === '\\' && i + 1 < n) i++;
        if (text[i] === '\n') line++;
        w += text[i];
        i++;
      }
      i++;
      words.push({ w, line: start });
    } else {
      let w = '';
      while (i < n && !/[\s;{}#]/.test(text[i]!)) w += text[i++];
      words.push({ w, line });
    }
  }
  return out;
}

function nginx(file: SourceFile): CodeFact[] {
  for (const d of nginxDirectives(file.text)) {
    if (d.name === 'proxy_pass' || d.name === 'uwsgi_pass' || d.name === 'scgi_pass') {
      const location = { file: file.file, line: d.line, column: 1 };
      return [
        fact('proxy-deployment', { what: `nginx ${d.name} in ${file.file}`, location }, location, d.name),
      ];
    }
  }
  return [];
}

function appEngine(file: SourceFile): CodeFact[] {
  let doc: unknown;
  try {
    doc = parseYaml(file.text, { logLevel: 'silent' });
  } catch {
    return [];
  }
  const out: CodeFact[] = [];
  const mod = (doc as { env_variables?: Record<string, unknown> } | null)?.env_variables
    ?.DJANGO_SETTINGS_MODULE;
  if (typeof mod === 'string' && SETTINGS_MODULE.test(mod)) {
    const idx = file.text.indexOf('DJANGO_SETTINGS_MODULE');
    out.push(settingsRef(file, idx >= 0 ? lineOf(file.text, idx) : 1, mod, `DJANGO_SETTINGS_MODULE: ${mod}`));
  }
  const runtime = (doc as { runtime?: unknown } | null)?.runtime;
  if (typeof runtime === 'string' && runtime.startsWith('python')) {
    const idx = file.text.indexOf('runtime');
    const location = { file: file.file, line: idx >= 0 ? lineOf(file.text, idx) : 1, column: 1 };
    out.push(
      fact(
        'proxy-deployment',
        { what: 'Google App Engine (the front end terminates TLS)', location },
        location,
        `runtime: ${runtime}`,
      ),
    );
  }
  return out;
}

export function extractDeployment(file: SourceFile): CodeFact[] {
  const base = file.file.split('/').pop() ?? '';
  if (base === 'Procfile') return procfile(file);
  if (/^Dockerfile([.-].*)?$|\.Dockerfile$/i.test(base)) return dockerfile(file);
  if (base === 'app.json') return appJson(file);
  if (/^(docker-)?compose([.-].*)?\.ya?ml$/.test(base)) return compose(file);
  if (base === 'app.yaml' || base === 'app.yml') return appEngine(file);
  return nginx(file);
}

export const deploymentExtractor: Extractor = {
  name: 'python-deployment',
  files: [
    '**/Procfile',
    '**/Dockerfile',
    '**/Dockerfile.*',
    '**/*.Dockerfile',
    '**/app.json',
    '**/docker-compose*.yml',
    '**/docker-compose*.yaml',
    '**/compose.yml',
    '**/compose.yaml',
    '**/compose.*.yml',
    '**/compose.*.yaml',
    '**/app.yaml',
    '**/app.yml',
    '**/*nginx*.conf',
    '**/nginx/**/*.conf',
    '**/sites-available/*',
    '**/sites-enabled/*',
  ],
  keywords: [
    'web',
    'nginx',
    'traefik',
    'caddy',
    'haproxy',
    'envoy',
    'proxy',
    'proxy_pass',
    'uwsgi_pass',
    'runtime',
    'DJANGO_SETTINGS_MODULE',
    '--settings',
  ],
  extract: extractDeployment,
};
