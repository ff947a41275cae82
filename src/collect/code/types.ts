/**
 * Contracts of the code collector (`cookieguard scan`).
 *
 *   discover files ──> keyword filter ──> extractors (per file, in worker threads) ──> FileFacts
 *   all FileFacts ──> framework resolvers (project-level, main thread) ──> Observations ──> rules
 *
 * Extractors see one file and report facts; they never judge. Resolvers see the whole project
 * (e.g. php.ini + ini_set + .htaccess, Laravel config + .env files, Django split settings) and
 * turn facts into observations with provenance: explicit, framework default, env-dependent,
 * unknown. Everything in FileFacts must be structured-clone safe (it crosses worker threads).
 */
import type { ReportError } from '../../model/finding.js';
import type { CodeLocation, Observation } from '../../model/observation.js';

/** What a cookie value written as a constant is (the value itself is never kept). */
export type ConstantKind = 'number' | 'boolean' | 'string';

export type Language =
  'php' | 'python' | 'javascript' | 'typescript' | 'tsx' | 'ruby' | 'java' | 'csharp' | 'go' | 'config';

/**
 * A machine-readable test on environment variables, so that resolvers can evaluate a condition per
 * environment (.env files, NODE_ENV). `default` is the value assumed when the variable is unset
 * (Express `app.get('env')` reads NODE_ENV with default 'development').
 */
export type EnvTest =
  | { op: 'eq' | 'ne'; variable: string; value: string; default?: string }
  | { op: 'in'; variable: string; values: string[]; default?: string }
  | { op: 'truthy' | 'falsy'; variable: string; default?: string }
  /** The variable's value starts with `value` (`process.env.BASE_URL.startsWith('https')`); unset without a default: unknown. */
  | { op: 'prefix'; variable: string; value: string; default?: string }
  /**
   * A part of a condition that is not an environment test (a function result, an imported value): unknown in
   * every environment. `https`: it tests that a URL the code computes starts with https (a URL-scheme test).
   */
  | { op: 'unknown'; expression: string; https?: boolean }
  | { op: 'and' | 'or'; tests: EnvTest[] }
  | { op: 'not'; test: EnvTest };

/** A value read from code or config. */
export type SettingValue =
  | { kind: 'literal'; value: string | number | boolean | null }
  /** Read from the environment, possibly with a default: env('SESSION_SECURE_COOKIE', false), os.environ.get(...) */
  | { kind: 'env'; variable: string; default?: string | number | boolean | null; expression: string }
  /** Depends on a condition the collector can name: NODE_ENV === 'production', not DEBUG, app.get('env') ... */
  | {
      kind: 'conditional';
      condition: string;
      /** Variable the condition reads, when known (NODE_ENV, DEBUG, APP_ENV ...). */
      variable?: string;
      /** Value when the condition holds / does not hold, when known. */
      whenTrue?: string | number | boolean | null;
      whenFalse?: string | number | boolean | null;
      /** Environments in which the condition holds, when known ('production'). */
      trueIn?: string[];
      expression: string;
      /** The condition in machine-readable form, when it only tests environment variables. */
      test?: EnvTest;
    }
  | {
      kind: 'unknown';
      expression: string;
      reason: string;
      /** The value is an imported binding: `{ module: './config', name: 'sessionOptions' }` (name 'default' for a default import). */
      ref?: { module: string; name: string };
    };

/** Where a fact applies when the code that produces it is guarded by a condition (`if (isProd) app.use(session(...))`). */
export interface FactGuard {
  condition: string;
  test?: EnvTest;
}

export type CodeFact =
  /** A framework's session machinery is used here (session_start(), app.use(session(...)), INSTALLED_APPS ...). */
  | {
      type: 'session-enabled';
      framework: string;
      location: CodeLocation;
      evidence: string;
      cookieName?: string;
      /** The library / API that enables sessions when the framework has several ('@fastify/secure-session'). */
      api?: string;
      /** Ties the `setting` facts of this session configuration to it (their `scope.objectId`). */
      objectId?: string;
      guard?: FactGuard;
      /** Extractor-specific detail the framework's resolver reads (structured-clone safe), e.g. the app it is enabled on. */
      detail?: unknown;
    }
  /**
   * A named setting, e.g. framework 'php' key 'session.cookie_secure'; 'express-session' key 'cookie.secure';
   * 'django' key 'SESSION_COOKIE_SECURE'. `scope` narrows where it applies (an environment, a settings module,
   * an options object id so that several session configs in one project stay apart).
   */
  | {
      type: 'setting';
      framework: string;
      key: string;
      value: SettingValue;
      location: CodeLocation;
      evidence: string;
      scope?: { environment?: string; module?: string; objectId?: string };
      /** How the setting is made, when a framework has several ways (PHP: 'php.ini', '.user.ini', 'htaccess', 'ini_set', 'session_start' ...). */
      via?: string;
      /** Extractor-specific detail the framework's resolver reads (structured-clone safe), e.g. the full PHP value. */
      detail?: unknown;
    }
  /** A cookie set directly by code (setcookie(), res.cookie(), set_cookie(), document.cookie ...). */
  | {
      type: 'cookie-set';
      framework: string;
      name: string | null;
      options: Record<string, SettingValue>;
      setBy: 'server' | 'script';
      location: CodeLocation;
      evidence: string;
      /** The API that set it: 'res.cookie', 'cookie.serialize', 'Set-Cookie header', 'document.cookie' ... */
      api?: string;
      /** Where each option of `options` was written (same keys). */
      optionSites?: Record<string, { location: CodeLocation; evidence: string }>;
      /** The cookie is deleted (empty value with Max-Age=0 / Expires in the past). */
      deletion?: boolean;
      /** The value is a constant written in the code (`res.cookie('seen', 1)`): it holds no per-user secret. */
      constantValue?: ConstantKind;
      guard?: FactGuard;
      /** Extractor-specific detail the framework's resolver reads (structured-clone safe), e.g. the full PHP values. */
      detail?: unknown;
    }
  /** Variables from a .env* file (values of secrets are not kept: only names and booleans/ints matter). */
  | {
      type: 'env-file';
      /**
       * From the file name: `.env` -> 'default', `.env.production` / `.env.production.local` -> 'production',
       * `.env.local` -> 'local', `prod.env` -> 'prod', `.env.example` -> 'example' (with `template`).
       */
      environment: string;
      /** Values that are not booleans, numbers, short words, hostnames or URLs, and every value of a secret-named key, are `<redacted>`. */
      variables: Record<string, string>;
      location: CodeLocation;
      /** 1-based line that (last) defines each variable. */
      lines?: Record<string, number>;
      /** A `.local` override (`.env.local`, `.env.production.local`): machine-specific, usually not committed. */
      local?: boolean;
      /** A template (`.env.example`, `.env.dist`, `.env.sample`, `.env.template`): documents variables, configures nothing. */
      template?: boolean;
    }
  /** A dependency and its version (composer.json/lock, package.json, requirements). */
  | {
      type: 'dependency';
      ecosystem: 'npm' | 'composer' | 'pypi' | 'rubygems' | 'nuget' | 'go';
      name: string;
      /** As written: a range from a manifest (`^11.9`, `>=0.6`), an exact version from a lock file (`v11.21.0`). */
      version: string | null;
      location: CodeLocation;
      /** From a lock file (composer.lock): `version` is the installed one. */
      locked?: boolean;
      /** A development-only dependency (devDependencies, require-dev, dev groups). */
      dev?: boolean;
    }
  /** Anything else a resolver needs; `data` must be structured-clone safe. */
  | {
      type: 'other';
      framework: string;
      key: string;
      data: unknown;
      location: CodeLocation;
      evidence: string;
    };

export interface FileFacts {
  /** Relative to the scanned root, `/`-separated. */
  file: string;
  language: Language;
  facts: CodeFact[];
  /** The file lies in a test or fixture folder: findings from it are reported at info. */
  inTestCode: boolean;
}

export interface SourceFile {
  /** Relative path, `/`-separated. */
  file: string;
  /** Absolute path on disk. */
  absPath: string;
  /** Decoded as UTF-8 (invalid sequences replaced by U+FFFD), without a byte-order mark. */
  text: string;
  /** From the file name (set by the engine). */
  language?: Language;
}

/**
 * A file-level extractor: one per framework family. `keywords` are matched (case-insensitively) on the
 * raw text before any parsing; a file none of whose keywords occurs is never parsed by this extractor.
 * An empty `keywords` list means every file matching `files` is handed over (small config files: .env,
 * manifests). Extractors run in worker threads: they must not keep state across files.
 */
export interface Extractor {
  name: string;
  /** File name patterns this extractor reads (matched against the relative path with picomatch). */
  files: readonly string[];
  keywords: readonly string[];
  /**
   * Match `keywords` with their case (`SESSION_`, not `session_`): for names that are upper-case by
   * convention (Python settings), so that ordinary code mentioning a cookie is not parsed for them.
   */
  caseSensitive?: boolean;
  extract(file: SourceFile): CodeFact[];
}

export interface ProjectFacts {
  root: string;
  files: FileFacts[];
  /**
   * Every file the scan considered (relative, sorted), parsed or not: a file an extractor's keywords
   * kept out is still "in the tree" (a Python module whose text names no cookie setting, say).
   */
  paths?: readonly string[];
  /**
   * What a resolver met and could not make sense of (settings modules importing each other in a
   * loop ...): listed in the report's errors, the scan goes on. Resolvers push; duplicates are
   * dropped.
   */
  problems?: ReportError[];
  /** Convenience: every fact with the file it came from. */
  all(): { file: FileFacts; fact: CodeFact }[];
}

/** Project-level reasoning for one framework family. */
export interface Resolver {
  name: string;
  resolve(project: ProjectFacts): Observation[];
}
