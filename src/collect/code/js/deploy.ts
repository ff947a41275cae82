/**
 * Deployment files of Node.js apps that show a TLS-terminating front end (the evidence that makes
 * `session-trust-proxy-missing` `medium`): platforms whose router terminates TLS and forwards plain HTTP
 * with `X-Forwarded-Proto` (Heroku `app.json`, Render `render.yaml`, Fly.io `fly.toml`, Railway, Google App
 * Engine with a Node.js runtime) and Kubernetes `Ingress` objects. The Python collector reads `Procfile`,
 * compose files and nginx configuration; the JavaScript resolver reads both.
 */
import { parse as parseToml } from 'smol-toml';
import { parseAllDocuments } from 'yaml';
import type { CodeFact, Extractor, SourceFile } from '../types.js';

export const JS_DEPLOY_KEY = 'js-proxy-deployment';

function base(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}

function lineOf(text: string, needle: string): number {
  const i = text.indexOf(needle);
  if (i < 0) return 1;
  let n = 1;
  for (let k = 0; k < i; k++) if (text.charCodeAt(k) === 10) n++;
  return n;
}

function fact(file: SourceFile, what: string, needle: string): CodeFact[] {
  const line = lineOf(file.text, needle);
  const evidence = (file.text.split(/\r?\n/)[line - 1] ?? needle).trim().slice(0, 200);
  return [
    {
      type: 'other',
      framework: 'javascript',
      key: JS_DEPLOY_KEY,
      data: { what: `${what} (${file.file})` },
      location: { file: file.file, line, column: 1 },
      evidence,
    },
  ];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function yamlDocs(text: string): unknown[] {
  try {
    return parseAllDocuments(text).map((d) => d.toJS() as unknown);
  } catch {
    return [];
  }
}

export function extractDeployment(file: SourceFile): CodeFact[] {
  const name = base(file.file);
  try {
    if (name === 'app.json') {
      // Heroku's app manifest (Expo and others use the same name: only Heroku's keys count)
      const d = JSON.parse(file.text) as unknown;
      if (isObject(d) && ['buildpacks', 'stack', 'formation', 'addons'].some((k) => k in d))
        return fact(file, 'a Heroku app manifest (the Heroku router terminates TLS)', '"');
      return [];
    }
    if (name === 'fly.toml') {
      const d = parseToml(file.text) as Record<string, unknown>;
      if ('http_service' in d || 'services' in d)
        return fact(file, 'a Fly.io app (the Fly proxy terminates TLS)', 'http_service');
      return [];
    }
    if (name === 'railway.json' || name === 'railway.toml')
      return fact(
        file,
        'a Railway service (the Railway edge terminates TLS)',
        name === 'railway.json' ? '{' : '[',
      );
    if (name === 'render.yaml') {
      for (const d of yamlDocs(file.text)) {
        const services = isObject(d) ? d.services : undefined;
        if (Array.isArray(services) && services.some((s) => isObject(s) && s.type === 'web'))
          return fact(file, 'a Render web service (Render terminates TLS)', 'type: web');
      }
      return [];
    }
    if (name === 'app.yaml' || name === 'app.yml') {
      for (const d of yamlDocs(file.text))
        if (isObject(d) && typeof d.runtime === 'string' && d.runtime.startsWith('nodejs'))
          return fact(file, 'Google App Engine (the front end terminates TLS)', 'runtime');
      return [];
    }
    for (const d of yamlDocs(file.text))
      if (isObject(d) && d.kind === 'Ingress') return fact(file, 'a Kubernetes Ingress', 'Ingress');
  } catch {
    // a file that does not parse shows nothing
  }
  return [];
}

/** Platform manifests: small files read whole. */
export const deploymentExtractor: Extractor = {
  name: 'javascript-deployment',
  files: [
    '**/app.json',
    '**/fly.toml',
    '**/railway.json',
    '**/railway.toml',
    '**/render.yaml',
    '**/app.yaml',
    '**/app.yml',
  ],
  keywords: [],
  extract: extractDeployment,
};

/** Kubernetes manifests, in the folders that usually hold them, read only when they name an Ingress. */
export const ingressExtractor: Extractor = {
  name: 'javascript-ingress',
  files: [
    '**/{k8s,kubernetes,kube,helm,charts,chart,deploy,deployment,deployments,manifests,infra,ops}/**/*.{yaml,yml}',
    '**/*ingress*.{yaml,yml}',
  ],
  keywords: ['kind: Ingress'],
  extract: extractDeployment,
};
