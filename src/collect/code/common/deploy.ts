/**
 * Deployment files, for every language: evidence of a TLS-terminating front end in front of the app
 * (which makes `session-trust-proxy-missing` `medium`: the app sees plain HTTP and must trust the
 * proxy's X-Forwarded-Proto), and of the app's own web server terminating TLS (then nothing is wrong).
 *
 * `proxy` facts (`framework: 'deploy'`, data {@link DeployFact}), each format read with its own parser:
 * - `Procfile` with a `web:` process: Heroku-style routers terminate TLS and pass X-Forwarded-Proto
 *   (Heroku Dev Center, "HTTP Routing").
 * - docker compose files with an nginx / traefik / caddy / haproxy / envoy service (YAML).
 * - nginx configuration with `proxy_pass` / `uwsgi_pass` / `scgi_pass` (nginx directive syntax: words
 *   ending in `;` or opening a `{` block, `#` comments, quoted strings).
 * - A Dockerfile built `FROM` a reverse proxy image.
 * - Platforms whose router terminates TLS and forwards HTTP: Heroku `app.json` (by Heroku's keys:
 *   Expo and others use the same name), Render `render.yaml` web services, Fly.io `fly.toml` (TOML),
 *   Railway, fortrabbit, Platform.sh.
 * - Google App Engine `app.yaml`, with its `runtime` (`python312`, `php82`, `nodejs20` ...): evidence
 *   only for an app of that language.
 * - Kubernetes manifests with an `Ingress` (also Helm templates, which are not valid YAML).
 *
 * `tls-server` facts: Apache `SSLEngine on`, nginx `listen 443 ssl` / `ssl_certificate` without
 * `proxy_pass`: the app's own server terminates TLS (PHP's `$_SERVER['HTTPS']` is then set by it).
 *
 * Resolvers ask {@link proxyInFront} and {@link ownTlsServer}.
 */
import { createRequire } from 'node:module';
import { parse as parseToml } from 'smol-toml';
import type { CodeFact, Extractor, FileFacts, ProjectFacts, SourceFile } from '../types.js';
import { evidenceOf, locationAtOffset } from './location.js';

export const DEPLOY_FRAMEWORK = 'deploy';

/** Data of a `proxy` or `tls-server` fact. */
export interface DeployFact {
  /** What shows it, for the finding's text. */
  what: string;
  /** The runtime the file deploys (App Engine `runtime:`), when it says one. */
  runtime?: string;
}

/** Runtime names (App Engine's prefixes) of the languages whose resolvers ask for deployment evidence. */
export type AppRuntime = 'python' | 'php' | 'nodejs' | 'aspnetcore' | 'java'; // aspnetcore: issue 13 (ASP.NET, App Engine flexible's runtime name); java: App Engine's java11 / java17 / java21

// The YAML parser (about 30 ms to import in every worker) is loaded on the first YAML deployment file.
// smol-toml is imported as common/manifest.ts imports it: a require() here would load its CommonJS
// build as a second copy.
const require = createRequire(import.meta.url);
let yamlModule: typeof import('yaml') | undefined;

/** The documents of a YAML stream as plain data; a stream or document that does not convert gives nothing. */
export function yamlDocuments(text: string): unknown[] {
  yamlModule ??= require('yaml') as typeof import('yaml');
  const out: unknown[] = [];
  try {
    for (const doc of yamlModule.parseAllDocuments(text, { logLevel: 'silent' })) {
      try {
        out.push(doc.toJS());
      } catch {
        // an alias loop or the like: this document says nothing
      }
    }
  } catch {
    // not YAML at all
  }
  return out;
}

/** A JSON document as plain data; undefined when it is not JSON. */
export function jsonDocument(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** A fact located at the line holding `index` (line 1 when the index is unknown), with that line as evidence. */
function deployFact(
  file: SourceFile,
  key: 'proxy' | 'tls-server',
  data: DeployFact,
  index: number,
): CodeFact {
  const at = Math.max(0, index);
  const { line } = locationAtOffset(file.text, at, file.file);
  const start = file.text.lastIndexOf('\n', at - 1) + 1;
  const end = file.text.indexOf('\n', at);
  return {
    type: 'other',
    framework: DEPLOY_FRAMEWORK,
    key,
    data,
    location: { file: file.file, line, column: 1 },
    evidence: evidenceOf(file.text.slice(start, end < 0 ? undefined : end)),
  };
}

function proxy(file: SourceFile, what: string, index: number, runtime?: string): CodeFact[] {
  return [deployFact(file, 'proxy', runtime === undefined ? { what } : { what, runtime }, index)];
}

// --- platform files ------------------------------------------------------------------------------

/** Procfile: one `<process type>: <command>` per line (Heroku Dev Center, "The Procfile"). */
function procfile(file: SourceFile): CodeFact[] {
  const lines = file.text.split('\n');
  let offset = 0;
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.trimStart().startsWith('#') && line.slice(0, colon).trim() === 'web')
      return proxy(file, 'a Procfile web process (the platform router terminates TLS)', offset);
    offset += line.length + 1;
  }
  return [];
}

/** Reverse proxy images (Docker Hub names), after the registry host, `library/`, the tag and digest. */
const PROXY_IMAGES =
  /^(nginx|traefik|caddy|haproxy|envoy|envoyproxy\/envoy|bitnami\/nginx|nginxinc\/nginx-unprivileged|jwilder\/nginx-proxy|nginxproxy\/nginx-proxy|jc21\/nginx-proxy-manager)$/;

/** The repository of an image reference (`registry.example.com/library/nginx:1.27@sha256:…` -> `nginx`). */
function imageRepository(image: string): string {
  return (
    image
      .toLowerCase()
      .replace(/^[^/]+\.[^/]+\//, '')
      .replace(/^library\//, '')
      .split(/[:@]/)[0] ?? ''
  );
}

function compose(file: SourceFile): CodeFact[] {
  for (const doc of yamlDocuments(file.text)) {
    const services = isObject(doc) ? doc.services : undefined;
    if (!isObject(services)) continue;
    for (const [name, svc] of Object.entries(services)) {
      const image = isObject(svc) && typeof svc.image === 'string' ? svc.image : '';
      const repo = imageRepository(image);
      if (PROXY_IMAGES.test(repo) || (!image && /^(nginx|traefik|caddy|haproxy|proxy)$/.test(name)))
        return proxy(
          file,
          `a ${repo || name} service in ${file.file}`,
          file.text.indexOf(image || `${name}:`),
        );
    }
  }
  return [];
}

const HEROKU_KEYS = ['buildpacks', 'formation', 'addons', 'stack'];

/** Heroku's app manifest; other tools (Expo ...) use the same name: only Heroku's keys count. */
function appJson(file: SourceFile): CodeFact[] {
  const doc = jsonDocument(file.text);
  const key = isObject(doc) ? HEROKU_KEYS.find((k) => k in doc) : undefined;
  if (key === undefined) return [];
  return proxy(
    file,
    `a Heroku app.json (${file.file}: the Heroku router terminates TLS)`,
    file.text.indexOf(`"${key}"`),
  );
}

/** Google App Engine: the runtime says which app it deploys. */
function appEngine(file: SourceFile): CodeFact[] {
  for (const doc of yamlDocuments(file.text)) {
    if (isObject(doc) && typeof doc.runtime === 'string')
      return proxy(
        file,
        `Google App Engine (${file.file}: the front end terminates TLS)`,
        file.text.indexOf('runtime'),
        doc.runtime,
      );
  }
  return [];
}

function flyToml(file: SourceFile): CodeFact[] {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(file.text);
  } catch {
    return [];
  }
  if (!('http_service' in doc) && !('services' in doc)) return [];
  const at = file.text.indexOf('http_service');
  return proxy(
    file,
    `a Fly.io app (${file.file}: the Fly proxy terminates TLS)`,
    at >= 0 ? at : file.text.indexOf('services'),
  );
}

function renderYaml(file: SourceFile): CodeFact[] {
  for (const doc of yamlDocuments(file.text)) {
    const services = isObject(doc) ? doc.services : undefined;
    if (Array.isArray(services) && services.some((s) => isObject(s) && s.type === 'web'))
      return proxy(
        file,
        `a Render web service (${file.file}: Render terminates TLS)`,
        file.text.indexOf('type: web'),
      );
  }
  return [];
}

/** Platform files and compose files, by name. */
export function extractPlatform(file: SourceFile): CodeFact[] {
  const path = file.file;
  const name = baseName(path);
  if (name === 'Procfile') return procfile(file);
  if (name === 'app.json') return appJson(file);
  if (name === 'app.yaml' || name === 'app.yml') return appEngine(file);
  if (name === 'fly.toml') return flyToml(file);
  if (name === 'render.yaml') return renderYaml(file);
  if (/^(docker-)?compose([.-].*)?\.ya?ml$/.test(name)) return compose(file);
  if (name === 'railway.json' || name === 'railway.toml')
    return proxy(file, `a Railway service (${path}: the Railway edge terminates TLS)`, 0);
  if (name === 'fortrabbit.yml' || name === 'fortrabbit.yaml')
    return proxy(file, `fortrabbit (${path}: its load balancer terminates TLS)`, 0);
  if (name === '.platform.app.yaml' || /(^|\/)\.platform\/routes\.ya?ml$/.test(path))
    return proxy(file, `Platform.sh (${path}: its router terminates TLS)`, 0);
  return [];
}

// --- web server configuration --------------------------------------------------------------------

/** The directives of an nginx configuration (their first word) with their offsets. */
export function nginxDirectives(text: string): { name: string; index: number }[] {
  const out: { name: string; index: number }[] = [];
  let words: { w: string; index: number }[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') i++;
    else if (c === '#') {
      while (i < n && text[i] !== '\n') i++;
    } else if (c === ';' || c === '{' || c === '}') {
      if (words.length > 0 && c !== '}') out.push({ name: words[0]!.w, index: words[0]!.index });
      words = [];
      i++;
    } else if (c === '"' || c === "'") {
      const start = i;
      let w = '';
      i++;
      while (i < n && text[i] !== c) {
        if (text[i] === '\\' && i + 1 < n) i++;
        w += text[i];
        i++;
      }
      i++;
      words.push({ w, index: start });
    } else {
      const start = i;
      let w = '';
      while (i < n && !/[\s;{}#]/.test(text[i]!)) w += text[i++];
      words.push({ w, index: start });
    }
  }
  return out;
}

/** nginx configuration by its usual places: `*nginx*.conf`, `nginx/**.conf`, `sites-available/*`. */
const NGINX_PATH =
  /(^|\/)(sites-available|sites-enabled)\/[^/]+$|(^|\/)nginx\/(.+\/)?[^/]+\.conf$|nginx[^/]*\.conf$/;

/** Apache and nginx configuration: a proxy in front (nginx), or TLS terminated by the app's own server. */
export function extractWebServer(file: SourceFile): CodeFact[] {
  const text = file.text;
  const out: CodeFact[] = [];
  if (NGINX_PATH.test(file.file)) {
    const pass = nginxDirectives(text).find((d) => /^(proxy|uwsgi|scgi)_pass$/.test(d.name));
    if (pass) out.push(...proxy(file, `nginx ${pass.name} in ${file.file}`, pass.index));
  }
  const apache = /^\s*SSLEngine\s+on\b/im.exec(text);
  const nginx = /^\s*(listen\s+[^;#]*\bssl\b[^;]*;|ssl_certificate\s)/im.exec(text);
  const m =
    apache ?? (nginx && !/^\s*(proxy_pass|fastcgi_param\s+HTTPS\s+off)\b/im.test(text) ? nginx : null);
  if (m) {
    const what = `${apache ? 'Apache' : 'nginx'} terminates TLS itself (${file.file})`;
    out.push(deployFact(file, 'tls-server', { what }, m.index + (m[0].length - m[0].trimStart().length)));
  }
  return out;
}

// --- Dockerfiles and Kubernetes manifests ---------------------------------------------------------

/** A Dockerfile built `FROM` a reverse proxy image. */
export function extractDockerfile(file: SourceFile): CodeFact[] {
  const re = /^\s*FROM\s+(?:--\S+\s+)*(\S+)/gim;
  for (let m = re.exec(file.text); m; m = re.exec(file.text)) {
    if (PROXY_IMAGES.test(imageRepository(m[1]!)))
      return proxy(file, `a ${m[1]} image built by ${file.file}`, m.index + m[0].search(/\S/));
  }
  return [];
}

/** A manifest with an Ingress object: a top-level `kind: Ingress` line (Helm templates too), or a parsed document. */
export function extractIngress(file: SourceFile): CodeFact[] {
  const line = /^kind:\s*Ingress\s*$/m.exec(file.text);
  if (!line && !yamlDocuments(file.text).some((d) => isObject(d) && d.kind === 'Ingress')) return [];
  return proxy(
    file,
    `a Kubernetes Ingress (${file.file}: the ingress controller terminates TLS)`,
    line ? line.index : file.text.indexOf('Ingress'),
  );
}

const PROXY_WORDS = ['nginx', 'traefik', 'caddy', 'haproxy', 'envoy'];

/**
 * The deployment extractor, as the engine needs it: one entry per kind of file, so that each keeps its
 * own keywords (platform files are read whole, configuration only when it names what is looked for).
 */
export const deployExtractors: Extractor[] = [
  {
    name: 'deploy-platform',
    files: [
      '**/Procfile',
      '**/app.json',
      '**/app.yaml',
      '**/app.yml',
      '**/fly.toml',
      '**/render.yaml',
      '**/railway.json',
      '**/railway.toml',
      '**/fortrabbit.yml',
      '**/fortrabbit.yaml',
      '**/.platform.app.yaml',
      '**/.platform/routes.yaml',
      '**/.platform/routes.yml',
      '**/docker-compose*.yml',
      '**/docker-compose*.yaml',
      '**/compose.yml',
      '**/compose.yaml',
      '**/compose.*.yml',
      '**/compose.*.yaml',
    ],
    keywords: [],
    extract: extractPlatform,
  },
  {
    name: 'deploy-web-server',
    files: ['**/*.conf', '**/*.vhost', '**/sites-available/*', '**/sites-enabled/*'],
    keywords: ['proxy_pass', 'uwsgi_pass', 'scgi_pass', 'sslengine', 'ssl_certificate', ' ssl'],
    extract: extractWebServer,
  },
  {
    name: 'deploy-dockerfile',
    files: ['**/Dockerfile', '**/Dockerfile.*', '**/Dockerfile-*', '**/*.Dockerfile', '**/Containerfile'],
    keywords: PROXY_WORDS,
    extract: extractDockerfile,
  },
  {
    name: 'deploy-ingress',
    files: ['**/*.yaml', '**/*.yml'],
    keywords: ['kind: ingress'],
    extract: extractIngress,
  },
];

// --- for resolvers -------------------------------------------------------------------------------

function firstDeployFact(
  project: ProjectFacts,
  key: 'proxy' | 'tls-server',
  wanted: (data: DeployFact, file: FileFacts) => boolean,
): string | undefined {
  for (const f of project.files) {
    if (f.inTestCode) continue;
    for (const fact of f.facts) {
      if (fact.type !== 'other' || fact.framework !== DEPLOY_FRAMEWORK || fact.key !== key) continue;
      const data = fact.data as DeployFact;
      if (wanted(data, f)) return data.what;
    }
  }
  return undefined;
}

/**
 * What shows a TLS-terminating proxy in front of an app of `runtime` (the first deployment file
 * outside test code; one that names another runtime does not count), among the files `where` accepts.
 */
export function proxyInFront(
  project: ProjectFacts,
  runtime: AppRuntime,
  where: (file: string) => boolean = () => true,
): string | undefined {
  return firstDeployFact(
    project,
    'proxy',
    (d, f) => (d.runtime === undefined || d.runtime.startsWith(runtime)) && where(f.file),
  );
}

/** What shows the app's own web server terminating TLS, among the files `where` accepts. */
export function ownTlsServer(
  project: ProjectFacts,
  where: (file: string) => boolean = () => true,
): string | undefined {
  return firstDeployFact(project, 'tls-server', (_, f) => where(f.file));
}
