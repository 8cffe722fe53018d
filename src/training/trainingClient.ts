/**
 * Runs training jobs off the extension host's thread, newest first: a new job supersedes the one in
 * flight (which stops at its next chunk boundary) and any still waiting. The worker keeps the text;
 * the client sends it whole only when the worker does not have it (first job, after a crash, or when
 * the worker asks), and otherwise only the edits. No `vscode` here.
 */
import { Worker } from 'node:worker_threads';
import { type JobInput, type JobOutcome, type JobResult, JobRunner } from './job';

interface WorkerReply {
  id: number;
  outcome: JobOutcome;
  error?: string;
}

/**
 * A job as the caller gives it: the edits since the last job, and `snapshot`, which the client calls
 * when the worker needs the whole text instead (the caller then drops its own unsent edits, which the
 * snapshot contains).
 */
export type ClientJob = Omit<JobInput, 'text'> & { snapshot: () => { text: string; lineCount: number; version: number } };

/** Trains in a worker thread; falls back to the calling thread if no worker can start. */
export class TrainingClient {
  private worker: Worker | undefined;
  private readonly latest = new Int32Array(new SharedArrayBuffer(4));
  private readonly waiting = new Map<number, { job: ClientJob; resolve: (r: JobResult | null) => void }>();
  private nextId = 1;
  private synced = false;
  private disposed = false;
  private inline: JobRunner | undefined;

  constructor(
    private readonly workerPath: string,
    private readonly onError: (message: string) => void = () => undefined,
  ) {}

  /** Whether jobs run in a worker thread (false only if none could start). */
  get usesWorker(): boolean {
    return this.worker !== undefined;
  }

  /** Trains; resolves to null if a newer `run` superseded this one. */
  run(job: ClientJob): Promise<JobResult | null> {
    const id = this.nextId++;
    Atomics.store(this.latest, 0, id);
    return new Promise((resolve) => {
      this.waiting.set(id, { job, resolve });
      this.send(id, job);
    });
  }

  private send(id: number, job: ClientJob): void {
    let input: JobInput = { edits: job.edits, lineCount: job.lineCount, version: job.version, base: job.base, overrides: job.overrides };
    if (!this.synced) {
      input = { ...input, ...job.snapshot(), edits: [] };
      this.synced = true;
    }
    const worker = this.ensureWorker();
    if (worker) {
      worker.postMessage({ id, input });
      return;
    }
    // No worker: run here, after the current event, still newest-first.
    setImmediate(() => {
      this.inline ??= new JobRunner();
      const outcome = this.inline.run(input, () => Atomics.load(this.latest, 0) !== id);
      this.settle({ id, outcome });
    });
  }

  private settle(reply: WorkerReply): void {
    if (reply.error) this.onError(reply.error);
    const entry = this.waiting.get(reply.id);
    if (!entry) return;
    const newest = reply.id === Atomics.load(this.latest, 0);
    if (reply.outcome === 'resync') {
      this.synced = false;
      if (newest && !this.disposed) {
        this.send(reply.id, entry.job); // the same job again, with the whole text
        return;
      }
    }
    this.waiting.delete(reply.id);
    // Only the newest job's result counts; anything older is stale.
    entry.resolve(newest && typeof reply.outcome !== 'string' ? reply.outcome : null);
  }

  /** Stops the worker; pending runs resolve to null. */
  dispose(): void {
    this.disposed = true;
    Atomics.store(this.latest, 0, -1);
    void this.worker?.terminate();
    this.worker = undefined;
    for (const { resolve } of this.waiting.values()) resolve(null);
    this.waiting.clear();
  }

  private ensureWorker(): Worker | undefined {
    if (this.worker || this.disposed) return this.worker;
    try {
      const worker = new Worker(this.workerPath, { workerData: { latest: this.latest.buffer } });
      worker.on('message', (reply: WorkerReply) => this.settle(reply));
      worker.on('error', (e) => {
        this.onError(String(e?.stack ?? e));
        this.worker = undefined;
        this.synced = false;
        // Re-run the newest job in a fresh worker; older ones are stale anyway.
        const newest = Atomics.load(this.latest, 0);
        for (const [id, { job, resolve }] of this.waiting) {
          if (id === newest) this.send(id, job);
          else {
            this.waiting.delete(id);
            resolve(null);
          }
        }
      });
      worker.unref();
      this.worker = worker;
    } catch (e) {
      this.onError(String(e));
      this.worker = undefined;
    }
    return this.worker;
  }
}
