/**
 * Finds and reads the config file: `--config FILE`, or the first of cookieguard.config.json,
 * cookieguard.config.yaml, cookieguard.config.yml or a package.json with a `cookieguard` key, looking
 * in the working directory and then in each parent directory.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { describeFsError, UserError, oneLine } from '../model/errors.js';
import type { CookieguardConfig, LoadedConfig } from './types.js';
import { validateConfig } from './validate.js';

// The YAML parser is loaded only when a YAML config is read: most runs never pay for it.
const require = createRequire(import.meta.url);
function parseYaml(text: string): unknown {
  return (require('yaml') as typeof import('yaml')).parse(text) as unknown;
}

export const CONFIG_FILE_NAMES = [
  'cookieguard.config.json',
  'cookieguard.config.yaml',
  'cookieguard.config.yml',
];

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read config file ${path}: ${describeFsError(e)}`);
  }
}

function parseText(path: string, text: string): unknown {
  const ext = extname(path).toLowerCase();
  try {
    if (ext === '.json') return JSON.parse(text) as unknown;
    return parseYaml(text); // .yaml / .yml, and any other name (YAML reads JSON too)
  } catch (e) {
    throw new UserError(`invalid config file ${path}: ${oneLine((e as Error).message)}`);
  }
}

/** package.json: the `cookieguard` key, or undefined when there is none. */
function fromPackageJson(path: string, text: string): unknown {
  let pkg: unknown;
  try {
    pkg = JSON.parse(text);
  } catch (e) {
    throw new UserError(`invalid config file ${path}: ${oneLine((e as Error).message)}`);
  }
  return typeof pkg === 'object' && pkg !== null ? (pkg as Record<string, unknown>).cookieguard : undefined;
}

/** Relative CA paths are relative to the config file, not to the working directory. */
function resolvePaths(config: CookieguardConfig, path: string): CookieguardConfig {
  const dir = dirname(path);
  if (config.check?.ca) config.check.ca = config.check.ca.map((p) => (isAbsolute(p) ? p : resolve(dir, p)));
  // check --browser (issue 12): a Chromium path with a slash is relative to the config file; a bare name is looked up on PATH.
  if (config.check?.chromium?.includes('/') && !isAbsolute(config.check.chromium))
    config.check.chromium = resolve(dir, config.check.chromium);
  return config;
}

function validated(path: string, raw: unknown): LoadedConfig {
  try {
    return { config: resolvePaths(validateConfig(raw), path), path };
  } catch (e) {
    if (e instanceof UserError) throw new UserError(`invalid config file ${path}: ${e.message}`);
    throw e;
  }
}

export function loadConfigFile(file: string, cwd: string = process.cwd()): LoadedConfig {
  const path = resolve(cwd, file);
  const text = readText(path);
  if (basename(path) === 'package.json') {
    const raw = fromPackageJson(path, text);
    if (raw === undefined) throw new UserError(`config file ${path} has no "cookieguard" key`);
    return validated(path, raw);
  }
  const raw = text.trim() === '' ? {} : parseText(path, text);
  return validated(path, raw ?? {});
}

/** Looks upward from `cwd`; returns an empty config when nothing is found. */
export function findConfig(cwd: string = process.cwd()): LoadedConfig {
  let dir = resolve(cwd);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const p = join(dir, name);
      if (isFile(p)) return loadConfigFile(p);
    }
    const pkg = join(dir, 'package.json');
    if (isFile(pkg)) {
      const raw = fromPackageJson(pkg, readText(pkg));
      if (raw !== undefined) return validated(pkg, raw);
    }
    const parent = dirname(dir);
    if (parent === dir) return { config: {}, path: null };
    dir = parent;
  }
}

export function loadConfig(explicit: string | undefined, cwd: string = process.cwd()): LoadedConfig {
  return explicit !== undefined ? loadConfigFile(explicit, cwd) : findConfig(cwd);
}
