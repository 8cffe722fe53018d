/**
 * Runs training jobs off the extension host's thread, newest first: a new job supersedes the one in
 * flight (which stops at its next chunk boundary) and any still waiting. No `vscode` here.
 */
import { Worker } from 'node:worker_threads';
import { type JobInput, type JobResult, runJob } from './job';

interface WorkerReply {
  id: number;
  result: JobResult | null;
  error?: string;
}

/** Trains in a worker thread; falls back to the calling thread if no worker can start. */
export class TrainingClient {
  private worker: Worker | undefined;
  private readonly latest = new Int32Array(new SharedArrayBuffer(4));
  private readonly waiting = new Map<number, (r: JobResult | null) => void>();
  private nextId = 1;
  private disposed = false;

  constructor(
    private readonly workerPath: string,
    private readonly onError: (message: string) => void = () => undefined,
  ) {}

  /** Trains on `input`; resolves to null if a newer `run` superseded this one. */
  run(input: JobInput): Promise<JobResult | null> {
    const id = this.nextId++;
    Atomics.store(this.latest, 0, id);
    const worker = this.ensureWorker();
    if (!worker) {
      return new Promise((resolve) => setImmediate(() => resolve(id === Atomics.load(this.latest, 0) ? runJob(input) : null)));
    }
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      worker.postMessage({ id, input });
    });
  }

  /** Stops the worker; pending runs resolve to null. */
  dispose(): void {
    this.disposed = true;
    Atomics.store(this.latest, 0, -1);
    void this.worker?.terminate();
    this.worker = undefined;
    for (const resolve of this.waiting.values()) resolve(null);
    this.waiting.clear();
  }

  private ensureWorker(): Worker | undefined {
    if (this.worker || this.disposed) return this.worker;
    try {
      const worker = new Worker(this.workerPath, { workerData: { latest: this.latest.buffer } });
      worker.on('message', (reply: WorkerReply) => {
        if (reply.error) this.onError(reply.error);
        const resolve = this.waiting.get(reply.id);
        this.waiting.delete(reply.id);
        // Only the newest job's result counts; anything older is stale.
        resolve?.(reply.id === Atomics.load(this.latest, 0) ? reply.result : null);
      });
      worker.on('error', (e) => {
        this.onError(String(e?.stack ?? e));
        this.worker = undefined;
        for (const resolve of this.waiting.values()) resolve(null);
        this.waiting.clear();
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
