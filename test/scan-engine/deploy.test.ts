/**
 * The common deployment extractor (common/deploy.ts): which files show a TLS-terminating proxy in
 * front of the app or TLS in the app's own web server, read the way the engine hands them over (file
 * patterns, then keywords), and what resolvers of each language make of the facts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import picomatch from 'picomatch';
import {
  deployExtractors,
  ownTlsServer,
  proxyInFront,
  type DeployFact,
} from '../../src/collect/code/common/deploy.js';
import type { CodeFact, FileFacts, ProjectFacts } from '../../src/collect/code/types.js';

/** Facts of one file from every deployment extractor that the engine would hand it to. */
function extract(file: string, text: string): CodeFact[] {
  const lower = text.toLowerCase();
  const facts: CodeFact[] = [];
  for (const ex of deployExtractors) {
    if (!ex.files.some((g) => picomatch(g, { dot: true })(file))) continue;
    if (ex.keywords.length > 0 && !ex.keywords.some((k) => lower.includes(k.toLowerCase()))) continue;
    facts.push(...ex.extract({ file, absPath: `/x/${file}`, text }));
  }
  // facts cross worker threads: they must survive structured cloning unchanged
  assert.deepEqual(structuredClone(facts), facts);
  return facts;
}

/** `key what [runtime] @line` of each fact. */
function summary(facts: CodeFact[]): string[] {
  return facts.map((f) => {
    assert.equal(f.type, 'other');
    if (f.type !== 'other') return '';
    assert.equal(f.framework, 'deploy');
    const d = f.data as DeployFact;
    return `${f.key} ${d.what}${d.runtime ? ` [${d.runtime}]` : ''} @${f.location.line}`;
  });
}

const cases: { name: string; file: string; text: string; want: string[] }[] = [
  {
    name: 'Procfile: the web process, not a commented one nor a worker',
    file: 'Procfile',
    text: '# web: python dev.py\nrelease: python manage.py migrate\nweb: gunicorn app:app\nworker: rq worker\n',
    want: ['proxy a Procfile web process (the platform router terminates TLS) @3'],
  },
  {
    name: 'Procfile without a web process',
    file: 'Procfile',
    text: 'worker: celery -A app worker\n',
    want: [],
  },
  {
    name: 'compose: a proxy image, from another registry and with a tag',
    file: 'docker-compose.prod.yml',
    text: 'services:\n  app:\n    build: .\n  edge:\n    image: docker.io/library/nginx:1.27-alpine\n',
    want: ['proxy a nginx service in docker-compose.prod.yml @5'],
  },
  {
    name: 'compose: a service named for a proxy, built here',
    file: 'deploy/compose.yaml',
    text: 'services:\n  traefik:\n    build: ./traefik\n  app:\n    image: example/app\n',
    want: ['proxy a traefik service in deploy/compose.yaml @2'],
  },
  {
    name: 'compose: no proxy',
    file: 'compose.yml',
    text: 'services:\n  app:\n    image: python:3.12\n  db:\n    image: postgres:16\n',
    want: [],
  },
  {
    name: 'nginx: proxy_pass in a site, the commented uwsgi_pass before it ignored',
    file: 'deploy/nginx/site.conf',
    text: '# uwsgi_pass unix:/run/app.sock;\nserver {\n  listen 80;\n  location / {\n    proxy_pass http://app:8000;\n  }\n}\n',
    want: ['proxy nginx proxy_pass in deploy/nginx/site.conf @5'],
  },
  {
    name: 'nginx: uwsgi_pass in sites-enabled',
    file: 'etc/sites-enabled/app',
    text: 'server { location / { include uwsgi_params; uwsgi_pass 127.0.0.1:3031; } }\n',
    want: ['proxy nginx uwsgi_pass in etc/sites-enabled/app @1'],
  },
  {
    name: 'a .conf file that is not in an nginx place: no proxy evidence',
    file: 'conf/app.conf',
    text: 'location / { proxy_pass http://app:8000; }\n',
    want: [],
  },
  {
    name: 'Apache terminating TLS itself',
    file: 'docker/apache-ssl.conf',
    text: '<VirtualHost *:443>\n  SSLEngine on\n  SSLCertificateFile /etc/ssl/app.pem\n</VirtualHost>\n',
    want: ['tls-server Apache terminates TLS itself (docker/apache-ssl.conf) @2'],
  },
  {
    name: 'nginx terminating TLS itself (no proxy_pass)',
    file: 'nginx/default.conf',
    text: 'server {\n  listen 443 ssl;\n  ssl_certificate /etc/ssl/app.pem;\n  root /var/www/public;\n}\n',
    want: ['tls-server nginx terminates TLS itself (nginx/default.conf) @2'],
  },
  {
    name: 'nginx terminating TLS in front of the app: a proxy, not the app itself',
    file: 'nginx/default.conf',
    text: 'server {\n  listen 443 ssl;\n  location / {\n    proxy_pass http://app:3000;\n  }\n}\n',
    want: ['proxy nginx proxy_pass in nginx/default.conf @4'],
  },
  {
    name: 'Dockerfile built from a proxy image (flags and stage name)',
    file: 'docker/web/Dockerfile',
    text: 'FROM node:20 AS build\nRUN npm ci\n\nFROM --platform=linux/amd64 caddy:2-alpine AS edge\n',
    want: ['proxy a caddy:2-alpine image built by docker/web/Dockerfile @4'],
  },
  {
    name: 'Dockerfile of the app (nginx only mentioned)',
    file: 'Dockerfile',
    text: 'FROM python:3.12-slim\n# served by nginx in production\n',
    want: [],
  },
  {
    name: 'Heroku app.json, by its keys',
    file: 'app.json',
    text: '{\n  "name": "shop",\n  "formation": { "web": { "quantity": 1 } }\n}\n',
    want: ['proxy a Heroku app.json (app.json: the Heroku router terminates TLS) @3'],
  },
  {
    name: "an Expo app.json is not Heroku's",
    file: 'mobile/app.json',
    text: '{ "expo": { "name": "shop", "slug": "shop" } }\n',
    want: [],
  },
  {
    name: 'App Engine: the runtime is kept',
    file: 'app.yaml',
    text: 'service: default\nruntime: php82\nhandlers:\n  - url: /.*\n    script: auto\n',
    want: ['proxy Google App Engine (app.yaml: the front end terminates TLS) [php82] @2'],
  },
  {
    name: 'Fly.io with an http_service',
    file: 'fly.toml',
    text: 'app = "shop"\n\n[http_service]\n  internal_port = 3000\n  force_https = true\n',
    want: ['proxy a Fly.io app (fly.toml: the Fly proxy terminates TLS) @3'],
  },
  { name: 'Fly.io without a service', file: 'fly.toml', text: 'app = "shop"\n[build]\n', want: [] },
  {
    name: 'Railway',
    file: 'railway.toml',
    text: '[build]\nbuilder = "nixpacks"\n',
    want: ['proxy a Railway service (railway.toml: the Railway edge terminates TLS) @1'],
  },
  {
    name: 'Render: a web service',
    file: 'render.yaml',
    text: 'services:\n  - type: worker\n    name: jobs\n  - type: web\n    name: shop\n',
    want: ['proxy a Render web service (render.yaml: Render terminates TLS) @4'],
  },
  { name: 'Render: workers only', file: 'render.yaml', text: 'services:\n  - type: worker\n', want: [] },
  {
    name: 'fortrabbit',
    file: 'sites/blog/fortrabbit.yml',
    text: 'version: 2\n',
    want: ['proxy fortrabbit (sites/blog/fortrabbit.yml: its load balancer terminates TLS) @1'],
  },
  {
    name: 'Platform.sh',
    file: '.platform/routes.yaml',
    text: '"https://{default}/":\n  type: upstream\n',
    want: ['proxy Platform.sh (.platform/routes.yaml: its router terminates TLS) @1'],
  },
  {
    name: 'Kubernetes: a Helm template with an Ingress (not valid YAML)',
    file: 'charts/shop/templates/ingress.yaml',
    text: '{{- if .Values.ingress.enabled }}\napiVersion: networking.k8s.io/v1\nkind: Ingress\n{{- end }}\n',
    want: [
      'proxy a Kubernetes Ingress (charts/shop/templates/ingress.yaml: the ingress controller terminates TLS) @3',
    ],
  },
  {
    name: 'Kubernetes: an Ingress among other documents, its kind quoted',
    file: 'deploy/all.yml',
    text: 'kind: Service\nmetadata: { name: shop }\n---\nkind: "Ingress" # kind: Ingress, for the prefilter\n',
    want: ['proxy a Kubernetes Ingress (deploy/all.yml: the ingress controller terminates TLS) @4'],
  },
  {
    name: 'Kubernetes: no Ingress',
    file: 'k8s/service.yaml',
    text: 'kind: Service\n# see kind: Ingress in ingress.yaml\n',
    want: [],
  },
];

for (const c of cases) {
  test(`deployment evidence: ${c.name}`, () => {
    assert.deepEqual(summary(extract(c.file, c.text)), c.want);
  });
}

function project(files: Record<string, string>): ProjectFacts {
  const ffs: FileFacts[] = Object.entries(files).map(([file, text]) => ({
    file,
    language: 'config',
    facts: extract(file, text),
    inTestCode: /(^|\/)tests?\//.test(file),
  }));
  return {
    root: '/x',
    files: ffs,
    all: () => ffs.flatMap((f) => f.facts.map((fact) => ({ file: f, fact }))),
  };
}

test('an App Engine file is evidence only for an app of its runtime', () => {
  const p = project({ 'app.yaml': 'runtime: python312\n' });
  assert.equal(proxyInFront(p, 'python'), 'Google App Engine (app.yaml: the front end terminates TLS)');
  assert.equal(proxyInFront(p, 'php'), undefined);
  assert.equal(proxyInFront(p, 'nodejs'), undefined);
  const both = project({ 'app.yaml': 'runtime: python312\n', 'web/Procfile': 'web: heroku-php-apache2\n' });
  assert.equal(proxyInFront(both, 'php'), 'a Procfile web process (the platform router terminates TLS)');
});

test('deployment files in test code do not count; `where` narrows the files', () => {
  const p = project({
    'tests/fixtures/Procfile': 'web: gunicorn app:app\n',
    'shop/fortrabbit.yml': 'version: 2\n',
    'shop/docker/ssl.conf': 'SSLEngine on\n',
  });
  assert.equal(proxyInFront(p, 'php'), 'fortrabbit (shop/fortrabbit.yml: its load balancer terminates TLS)');
  assert.equal(
    proxyInFront(p, 'php', (f) => !f.startsWith('shop/')),
    undefined,
  );
  assert.equal(ownTlsServer(p), 'Apache terminates TLS itself (shop/docker/ssl.conf)');
  assert.equal(
    ownTlsServer(p, (f) => f.startsWith('blog/')),
    undefined,
  );
});
