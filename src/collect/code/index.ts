/**
 * The code collector behind `cookieguard scan`:
 *
 *   discover (main thread) ──> read + keyword prefilter + extractors (worker threads) ──> FileFacts
 *   sorted FileFacts ──> resolvers (main thread) ──> observations
 *
 * Results do not depend on the number of workers: files are processed independently and every list
 * is sorted before the resolvers see it.
 */
import { availableParallelism } from 'node:os';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ReportError } from '../../model/finding.js';
import type { Observation } from '../../model/observation.js';
import { discover, scanTargets, type Candidate, type DiscoveryStats } from './discover.js';
import { WorkerPool } from './pool.js';
import {
  addStats,
  DEFAULT_MAX_FILE_BYTES,
  emptyStats,
  FileProcessor,
  turnLoop,
  type ProcessStats,
} from './process-file.js';
import { buildProjectFacts, compareErrors, runResolvers } from './project.js';
import * as defaults from './registry.js';
import { importRegistry, type Registry } from './registry.js';
import type { FileFacts, ProjectFacts } from './types.js';

export { ScanInputError } from './discover.js';
export type { Candidate } from './discover.js';
export type { Registry } from './registry.js';
export { DEFAULT_MAX_FILE_BYTES, formatBytes } from './process-file.js';

export interface CollectOptions {
  /** Globs (relative to the scanned root) to scan even where skipped by default or ignored. */
  include?: readonly string[];
  /** Globs to leave out; they win over `include`. */
  exclude?: readonly string[];
  /** Files larger than this are skipped with a note (default 2 MiB). */
  maxFileBytes?: number;
  /**
   * Worker threads. Default: min(CPUs, 4), used once the tree has more than a few hundred candidate
   * files (below that, starting threads costs more than it saves). 0 or 1: single-threaded, in-process.
   */
  workers?: number;
  /** Called as files are done; `total` grows while discovery goes on. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Test hook: another registry. A module URL or absolute path exporting `extractors` and `resolvers`
   * works with workers; a registry object runs single-threaded (functions cannot cross threads).
   */
  registry?: string | Registry;
  /** A worker stuck this long on one file is stopped and the file reported (default 60 s). */
  fileTimeoutMs?: number;
  /**
   * The main thread processes the batches no worker has started once discovery is done (default
   * true). Tests of worker failures turn it off so that the workers get every file.
   */
  mainThreadHelps?: boolean;
}

export interface ScanStats extends DiscoveryStats, ProcessStats {
  /** Worker threads used (0: in-process). */
  workers: number;
}

export interface CollectResult {
  observations: Observation[];
  errors: ReportError[];
  /** The scanned root (absolute): the common ancestor of the given paths. */
  root: string;
  facts: ProjectFacts;
  stats: ScanStats;
}

const BATCH_FILES = 48;
/** In automatic mode, workers start once discovery has found this many candidates. */
const AUTO_WORKERS_FROM = 300;
const DEFAULT_FILE_TIMEOUT_MS = 60_000;

export async function collectCode(
  paths: readonly string[],
  opts: CollectOptions = {},
): Promise<CollectResult> {
  const targets = scanTargets(paths);
  let registry: Registry;
  let registryModule: string | null;
  if (opts.registry === undefined) {
    registry = defaults;
    registryModule = defaults.DEFAULT_REGISTRY_MODULE;
  } else if (typeof opts.registry === 'string') {
    registryModule = isAbsolute(opts.registry) ? pathToFileURL(opts.registry).href : opts.registry;
    registry = await importRegistry(registryModule);
  } else {
    registry = opts.registry;
    registryModule = null;
  }
  const maxFileBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const auto = opts.workers === undefined;
  const wanted = auto ? Math.min(availableParallelism(), 4) : Math.max(0, Math.floor(opts.workers as number));
  const canUseWorkers = registryModule !== null && wanted > 1;
  // The main thread processes files too once discovery is done (WorkerPool.takeQueued), so it counts
  // as one of the `wanted` threads: one worker fewer (measured on 2 CPUs: two workers beside the
  // main thread were slower than one, and held 30 MB more).
  const poolSize = Math.max(1, wanted - 1);

  const errors: ReportError[] = [];
  const facts: FileFacts[] = [];
  const discoveryStats: DiscoveryStats = { dirs: 0, entries: 0, candidates: 0 };
  const processStats = emptyStats();
  let done = 0;
  const progress = (n: number) => {
    done += n;
    if (opts.onProgress) {
      try {
        opts.onProgress(done, Math.max(done, discoveryStats.candidates));
      } catch {
        // a progress display must never stop the scan
      }
    }
  };

  let processor: FileProcessor | null = null;
  const inProcess = async (c: Candidate) => {
    processor ??= new FileProcessor(registry.extractors, maxFileBytes);
    const r = processor.process(c);
    if (r.facts) facts.push(r.facts);
    errors.push(...r.errors);
    if (r.parsed) await turnLoop(); // frees native parse trees (ProcessOutcome.parsed)
  };

  let pool: WorkerPool | null = null;
  const startPool = () =>
    new WorkerPool({
      size: poolSize,
      registryModule: registryModule as string,
      maxFileBytes,
      fileTimeoutMs: opts.fileTimeoutMs ?? DEFAULT_FILE_TIMEOUT_MS,
      onBatchDone: progress,
    });
  if (canUseWorkers && !auto) pool = startPool();

  const pending: Candidate[] = [];
  const seen: string[] = [];
  try {
    for await (const found of discover(targets, registry.extractors, opts, errors, discoveryStats)) {
      if (pool === null && canUseWorkers && auto && discoveryStats.candidates >= AUTO_WORKERS_FROM) {
        pool = startPool();
      }
      for (const c of found) {
        seen.push(c.file);
        if (pool !== null) {
          pending.push(c);
          if (pending.length >= BATCH_FILES) pool.submit(pending.splice(0));
        } else if (canUseWorkers && auto) {
          pending.push(c); // undecided: wait to see how large the tree is
        } else {
          await inProcess(c);
          progress(1);
        }
      }
    }
    if (pool !== null) {
      pool.submit(pending.splice(0));
      // Discovery is done: the main thread takes the batches no worker has started yet (workers
      // that are still booting, or busy), and yields between files so their replies come in.
      const helps = opts.mainThreadHelps !== false;
      for (let batch = helps ? pool.takeQueued() : null; batch !== null; batch = pool.takeQueued()) {
        for (const c of batch) {
          await inProcess(c);
          progress(1);
          await turnLoop();
        }
      }
      await pool.drain();
      facts.push(...pool.facts);
      errors.push(...pool.errors);
      addStats(processStats, pool.stats);
      // Files no worker could take (every worker failed to start): do them here.
      for (const c of pool.orphans.splice(0)) {
        await inProcess(c);
        progress(1);
      }
    } else {
      for (const c of pending.splice(0)) {
        await inProcess(c);
        progress(1);
      }
    }
  } finally {
    await pool?.close();
  }
  if (processor !== null) addStats(processStats, (processor as FileProcessor).stats);

  const project = buildProjectFacts(targets.root, facts, seen);
  const observations = runResolvers(project, registry.resolvers, errors);
  errors.sort(compareErrors);
  return {
    observations,
    errors,
    root: targets.root,
    facts: project,
    stats: { ...discoveryStats, ...processStats, workers: pool === null ? 0 : wanted },
  };
}
