/**
 * Deployment files of PHP platforms that show a TLS-terminating front end in front of the app, for
 * `session-trust-proxy-missing` (medium only with such evidence). The generic ones (a Procfile web
 * process, a compose proxy service, nginx `proxy_pass`) are read by the Python collector's deployment
 * extractor (`proxy-deployment` facts); these add:
 * - `fortrabbit.yml`: fortrabbit's load balancer terminates TLS and forwards HTTP.
 * - `app.json` with Heroku keys (`buildpacks`, `formation`, `addons`, `stack`): the Heroku router.
 * - `.platform.app.yaml` / `.platform/routes.yaml`: Platform.sh's router.
 * - Google App Engine `app.yaml` with a PHP runtime: the front end terminates TLS.
 * - Kubernetes manifests with `kind: Ingress`: the ingress controller terminates TLS.
 * - A Dockerfile built `FROM` a reverse proxy image (nginx, traefik, caddy, haproxy, envoy).
 * And the opposite: the application's own web server terminating TLS (Apache `SSLEngine on`, nginx
 * `listen 443 ssl` / `ssl_certificate` without `proxy_pass`): `$_SERVER['HTTPS']` is then set by it
 * (a `tls-server` fact).
 */
import { parse as parseYaml } from 'yaml';
import type { CodeFact, Extractor, SourceFile } from '../types.js';

/** Detail of a `deployment-proxy` fact. */
export interface PhpDeploymentProxy {
  what: string;
}

const PROXY_IMAGE =
  /^(?:[^/\s]+\.[^/\s]+\/)?(?:library\/)?(nginx|traefik|caddy|haproxy|envoyproxy\/envoy|bitnami\/nginx|nginxinc\/nginx-unprivileged)(?::\S*)?(?:@\S+)?$/i;

function lineOf(text: string, index: number): number {
  let n = 1;
  for (let i = 0; i < index && i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

function evidence(file: SourceFile, what: string, index: number, text: string): CodeFact {
  const line = index >= 0 ? lineOf(file.text, index) : 1;
  return {
    type: 'other',
    framework: 'php',
    key: 'deployment-proxy',
    data: { what } satisfies PhpDeploymentProxy,
    location: { file: file.file, line, column: 1 },
    evidence: text,
  };
}

function yamlOf(text: string): unknown {
  try {
    return parseYaml(text);
  } catch {
    return null;
  }
}

export function extractPhpDeployment(file: SourceFile): CodeFact[] {
  const path = file.file;
  const base = path.slice(path.lastIndexOf('/') + 1);
  const text = file.text;
  if (base === 'fortrabbit.yml' || base === 'fortrabbit.yaml') {
    return [evidence(file, `fortrabbit (${path}: its load balancer terminates TLS)`, 0, base)];
  }
  if (base === 'app.json') {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      return [];
    }
    if (!doc || typeof doc !== 'object') return [];
    const key = ['buildpacks', 'formation', 'addons', 'stack'].find((k) => k in (doc as object));
    if (!key) return [];
    return [
      evidence(
        file,
        `a Heroku app.json (${path}: the Heroku router terminates TLS)`,
        text.indexOf(`"${key}"`),
        `"${key}"`,
      ),
    ];
  }
  if (base === '.platform.app.yaml' || /(^|\/)\.platform\/routes\.ya?ml$/.test(path)) {
    return [evidence(file, `Platform.sh (${path}: its router terminates TLS)`, 0, base)];
  }
  if (base === 'app.yaml' || base === 'app.yml') {
    const runtime = (yamlOf(text) as { runtime?: unknown } | null)?.runtime;
    if (typeof runtime === 'string' && runtime.startsWith('php')) {
      return [
        evidence(
          file,
          `Google App Engine (${path}: the front end terminates TLS)`,
          text.indexOf('runtime'),
          `runtime: ${runtime}`,
        ),
      ];
    }
    return [];
  }
  if (/^(Dockerfile|Containerfile)([.-].*)?$|\.Dockerfile$/i.test(base)) {
    const re = /^\s*FROM\s+(?:--\S+\s+)*(\S+)/gim;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (PROXY_IMAGE.test(m[1]!))
        return [evidence(file, `a ${m[1]} image built by ${path}`, m.index, m[0].trim())];
    }
    return [];
  }
  // Kubernetes manifests (possibly Helm templates, which are not valid YAML): a document of kind Ingress.
  const m = /^kind:\s*Ingress\s*$/m.exec(text);
  if (m)
    return [
      evidence(file, `a Kubernetes Ingress (${path}: the ingress controller terminates TLS)`, m.index, m[0]),
    ];
  return [];
}

/** Apache and nginx configuration of the application's own web server: does it terminate TLS? */
export function extractTlsServer(file: SourceFile): CodeFact[] {
  const text = file.text;
  const apache = /^\s*SSLEngine\s+on\b/im.exec(text);
  const nginx = /^\s*(listen\s+[^;#]*\bssl\b[^;]*;|ssl_certificate\s)/im.exec(text);
  const m =
    apache ?? (nginx && !/^\s*(proxy_pass|fastcgi_param\s+HTTPS\s+off)\b/im.test(text) ? nginx : null);
  if (!m) return [];
  return [
    {
      type: 'other',
      framework: 'php',
      key: 'tls-server',
      data: { what: `${apache ? 'Apache' : 'nginx'} terminates TLS itself (${file.file})` },
      location: {
        file: file.file,
        line: lineOf(text, m.index + (m[0].length - m[0].trimStart().length)),
        column: 1,
      },
      evidence: m[0].trim(),
    },
  ];
}

/** Web server configuration files (Apache vhosts, nginx sites). */
export const phpTlsServerExtractor: Extractor = {
  name: 'php-tls-server',
  files: ['**/*.conf', '**/sites-available/*', '**/sites-enabled/*', '**/*.vhost'],
  keywords: ['sslengine', 'ssl_certificate', ' ssl'],
  extract: extractTlsServer,
};

/** Platform files, read whole (small). */
export const phpPlatformExtractor: Extractor = {
  name: 'php-deployment-platform',
  files: [
    '**/fortrabbit.yml',
    '**/fortrabbit.yaml',
    '**/app.json',
    '**/.platform.app.yaml',
    '**/.platform/routes.yaml',
    '**/.platform/routes.yml',
    '**/app.yaml',
    '**/app.yml',
  ],
  keywords: [],
  extract: extractPhpDeployment,
};

/** Dockerfiles, only when they name a reverse proxy image. */
export const phpDockerfileExtractor: Extractor = {
  name: 'php-deployment-dockerfile',
  files: ['**/Dockerfile', '**/Dockerfile.*', '**/Dockerfile-*', '**/*.Dockerfile', '**/Containerfile'],
  keywords: ['nginx', 'traefik', 'caddy', 'haproxy', 'envoy'],
  extract: extractPhpDeployment,
};

/** Kubernetes manifests, only when they mention an Ingress. */
export const phpIngressExtractor: Extractor = {
  name: 'php-deployment-ingress',
  files: ['**/*.yaml', '**/*.yml'],
  keywords: ['kind: ingress'],
  extract: extractPhpDeployment,
};
