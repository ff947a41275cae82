/**
 * Worker thread of the scan: imports the registry, then processes batches of candidate files and
 * sends back their facts and errors. Before each file it publishes (batch id, index, counter) in a
 * shared Int32Array so that the main thread can tell which file a crashed or stuck worker was on.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ReportError } from '../../model/finding.js';
import type { Candidate } from './discover.js';
import { FileProcessor, turnLoop, type ProcessStats } from './process-file.js';
import { importRegistry } from './registry.js';
import type { FileFacts } from './types.js';

export interface WorkerInit {
  registryModule: string;
  maxFileBytes: number;
  /** [batch id, index in batch, files started (monotonic)] */
  progress: Int32Array;
}

export interface BatchMessage {
  id: number;
  files: Candidate[];
}

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'done'; id: number; facts: FileFacts[]; errors: ReportError[]; stats: ProcessStats };

export const PROGRESS_BATCH = 0;
export const PROGRESS_INDEX = 1;
export const PROGRESS_COUNTER = 2;

async function main(): Promise<void> {
  const port = parentPort;
  if (port === null) return;
  const init = workerData as WorkerInit;
  let processor: FileProcessor;
  try {
    const registry = await importRegistry(init.registryModule);
    processor = new FileProcessor(registry.extractors, init.maxFileBytes);
  } catch (e) {
    port.postMessage({ type: 'failed', message: (e as Error).message } satisfies WorkerReply);
    return;
  }
  const progress = init.progress;
  // Batches are processed one after the other; the loop turns after every parsed file (see
  // ProcessOutcome.parsed), so a second batch waits in `queue` rather than interleaving.
  const queue: BatchMessage[] = [];
  let running = false;
  const run = async () => {
    running = true;
    while (queue.length > 0) {
      const msg = queue.shift() as BatchMessage;
      const facts: FileFacts[] = [];
      const errors: ReportError[] = [];
      const before = { ...processor.stats };
      for (let i = 0; i < msg.files.length; i++) {
        Atomics.store(progress, PROGRESS_BATCH, msg.id);
        Atomics.store(progress, PROGRESS_INDEX, i);
        Atomics.add(progress, PROGRESS_COUNTER, 1);
        const r = processor.process(msg.files[i]);
        if (r.facts) facts.push(r.facts);
        errors.push(...r.errors);
        if (r.parsed) await turnLoop();
      }
      const stats = { ...processor.stats };
      for (const k of Object.keys(stats) as (keyof ProcessStats)[]) stats[k] -= before[k];
      port.postMessage({ type: 'done', id: msg.id, facts, errors, stats } satisfies WorkerReply);
    }
    running = false;
  };
  port.on('message', (msg: BatchMessage) => {
    queue.push(msg);
    if (!running) void run();
  });
  port.postMessage({ type: 'ready' } satisfies WorkerReply);
}

void main();
