/**
 * A pool of worker threads for the scan. Batches of candidates are handed to idle workers (two in
 * flight per worker so none waits for the main thread). A worker that dies is replaced: the file it
 * was on is reported in `errors` and the rest of its batch is queued again. A worker that stays on
 * one file longer than `fileTimeoutMs` is terminated and handled the same way (native code cannot be
 * interrupted, so a stuck thread is abandoned and unref'd rather than waited for).
 */
import { Worker } from 'node:worker_threads';
import type { ReportError } from '../../model/finding.js';
import type { Candidate } from './discover.js';
import { addStats, emptyStats, type ProcessStats } from './process-file.js';
import type { FileFacts } from './types.js';
import {
  PROGRESS_BATCH,
  PROGRESS_COUNTER,
  PROGRESS_INDEX,
  type BatchMessage,
  type WorkerInit,
  type WorkerReply,
} from './worker.js';

export interface PoolOptions {
  size: number;
  registryModule: string;
  maxFileBytes: number;
  fileTimeoutMs: number;
  onBatchDone?: (files: number) => void;
}

interface Slot {
  worker: Worker;
  progress: Int32Array;
  inFlight: BatchMessage[];
  ready: boolean;
  dead: boolean;
  lastCounter: number;
  lastChange: number;
}

const IN_FLIGHT_PER_WORKER = 2;
const WORKER_YOUNG_MB = 8;
const WORKER_OLD_MB = 64;

export class WorkerPool {
  readonly facts: FileFacts[] = [];
  readonly errors: ReportError[] = [];
  readonly stats: ProcessStats = emptyStats();
  /** Batches that could not go to a worker (every worker failed to start): the caller runs them in-process. */
  readonly orphans: Candidate[] = [];
  private readonly slots: Slot[] = [];
  private readonly queue: BatchMessage[] = [];
  private nextId = 1;
  private respawnsLeft: number;
  private startFailures = 0;
  private closed = false;
  private idleWaiters: (() => void)[] = [];
  private readonly watchdog: NodeJS.Timeout;
  private readonly workerUrl = new URL('./worker.js', import.meta.url);

  constructor(private readonly opts: PoolOptions) {
    this.respawnsLeft = Math.max(8, opts.size * 4);
    for (let i = 0; i < opts.size; i++) this.spawn();
    const tick = Math.max(50, Math.min(1000, Math.floor(opts.fileTimeoutMs / 4)));
    this.watchdog = setInterval(() => this.checkStuck(), tick);
    this.watchdog.unref();
  }

  private spawn(): void {
    const progress = new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT));
    const init: WorkerInit = {
      registryModule: this.opts.registryModule,
      maxFileBytes: this.opts.maxFileBytes,
      progress,
    };
    // Heap limits: a worker's V8 heap grows lazily toward the process's default limit, and its young
    // generation keeps parse-tree wrappers alive (gc.ts): bounded, a worker holds about half the
    // memory on a CMS tree (measured on WordPress: 150 MB -> 80 MB). A file that needs more is
    // handed back to the main thread (onDeath, ERR_WORKER_OUT_OF_MEMORY), which has no such limit.
    const worker = new Worker(this.workerUrl, {
      workerData: init,
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB, maxOldGenerationSizeMb: WORKER_OLD_MB },
    });
    const slot: Slot = {
      worker,
      progress,
      inFlight: [],
      ready: false,
      dead: false,
      lastCounter: 0,
      lastChange: Date.now(),
    };
    this.slots.push(slot);
    worker.on('message', (m: WorkerReply) => this.onMessage(slot, m));
    worker.on('error', (e) =>
      this.onDeath(
        slot,
        `worker failed: ${e.message.split('\n')[0]}`,
        (e as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY',
      ),
    );
    worker.on('exit', (code) => this.onDeath(slot, `worker exited with code ${code}`));
  }

  private onMessage(slot: Slot, m: WorkerReply): void {
    if (slot.dead) return;
    if (m.type === 'ready') {
      slot.ready = true;
      this.startFailures = 0;
      this.dispatch();
    } else if (m.type === 'failed') {
      // The registry did not load in the worker (it did in the main thread): retire the slot.
      this.startFailures++;
      this.retire(slot, null);
    } else {
      const i = slot.inFlight.findIndex((b) => b.id === m.id);
      const batch = i === -1 ? null : slot.inFlight.splice(i, 1)[0];
      this.facts.push(...m.facts);
      this.errors.push(...m.errors);
      addStats(this.stats, m.stats);
      slot.lastChange = Date.now();
      if (batch) this.opts.onBatchDone?.(batch.files.length);
      this.dispatch();
    }
  }

  /** The worker is gone (crash, exit, timeout): report the file it was on, queue the rest again. */
  private onDeath(slot: Slot, reason: string, outOfMemory = false): void {
    if (slot.dead) return;
    this.retire(slot, reason, outOfMemory);
  }

  private retire(slot: Slot, reason: string | null, outOfMemory = false): void {
    slot.dead = true;
    const idx = this.slots.indexOf(slot);
    if (idx !== -1) this.slots.splice(idx, 1);
    const batches = slot.inFlight.splice(0);
    if (batches.length > 0 && reason !== null) {
      const onBatch = Atomics.load(slot.progress, PROGRESS_BATCH);
      const at = Atomics.load(slot.progress, PROGRESS_INDEX);
      const current = batches.find((b) => b.id === onBatch);
      for (const b of batches) {
        const files = [...b.files];
        if (b === current && at < files.length) {
          const [culprit] = files.splice(at, 1);
          if (outOfMemory) {
            // Over the worker's heap limit: the main thread, without one, takes the file.
            this.orphans.push(culprit);
          } else {
            this.errors.push({ file: culprit.file, message: `could not analyse ${culprit.file}: ${reason}` });
            this.opts.onBatchDone?.(1);
          }
        }
        if (files.length > 0) this.queue.unshift({ id: this.nextId++, files });
      }
    } else {
      for (const b of batches.reverse()) this.queue.unshift(b);
    }
    if (!this.closed || this.queue.length > 0) {
      if (this.respawnsLeft > 0 && this.startFailures < 3) {
        this.respawnsLeft--;
        this.spawn();
      }
    }
    this.dispatch();
  }

  private checkStuck(): void {
    const now = Date.now();
    for (const slot of [...this.slots]) {
      const c = Atomics.load(slot.progress, PROGRESS_COUNTER);
      if (c !== slot.lastCounter || slot.inFlight.length === 0) {
        slot.lastCounter = c;
        slot.lastChange = now;
        continue;
      }
      if (now - slot.lastChange > this.opts.fileTimeoutMs) {
        const secs = Math.round(this.opts.fileTimeoutMs / 100) / 10;
        this.retire(slot, `gave up after ${secs} s (the file takes too long to analyse)`);
        void slot.worker.terminate().catch(() => undefined);
        slot.worker.unref();
      }
    }
  }

  /**
   * A batch no worker has taken yet, for the caller to process itself (the main thread helps once
   * discovery is done, instead of waiting). Null when every batch is with a worker.
   */
  takeQueued(): Candidate[] | null {
    const b = this.queue.shift();
    if (b === undefined) return null;
    if (this.isIdle()) for (const w of this.idleWaiters.splice(0)) w();
    return b.files;
  }

  submit(files: Candidate[]): void {
    if (files.length === 0) return;
    this.queue.push({ id: this.nextId++, files });
    this.dispatch();
  }

  private dispatch(): void {
    const live = this.slots.filter((s) => !s.dead);
    if (live.length === 0 && this.queue.length > 0) {
      // No worker left and none can be started: hand the files back to the caller.
      for (const b of this.queue.splice(0)) this.orphans.push(...b.files);
    }
    for (;;) {
      let best: Slot | null = null;
      for (const s of live) {
        if (!s.ready || s.inFlight.length >= IN_FLIGHT_PER_WORKER) continue;
        if (best === null || s.inFlight.length < best.inFlight.length) best = s;
      }
      if (best === null || this.queue.length === 0) break;
      const batch = this.queue.shift() as BatchMessage;
      best.inFlight.push(batch);
      if (best.inFlight.length === 1) best.lastChange = Date.now();
      best.worker.postMessage(batch);
    }
    if (this.isIdle()) for (const w of this.idleWaiters.splice(0)) w();
  }

  private isIdle(): boolean {
    return this.queue.length === 0 && this.slots.every((s) => s.dead || s.inFlight.length === 0);
  }

  /** Resolves when every submitted file has been processed (or handed back as an orphan). */
  drain(): Promise<void> {
    this.closed = true;
    if (this.isIdle()) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.watchdog);
    const slots = this.slots.splice(0);
    for (const s of slots) s.dead = true;
    await Promise.all(slots.map((s) => s.worker.terminate().catch(() => undefined)));
  }
}
