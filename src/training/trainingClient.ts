/**
 * Runs training jobs off the extension host's thread, newest first: a new job supersedes the one in
 * flight (which stops at its next chunk boundary) and any still waiting. The worker keeps the text;
 * the client sends it whole only when the worker does not have it (first job, after a crash, or when
 * the worker asks), and otherwise only the edits. No `vscode` here.
 *
 * Posting copies a string, about 1 ms per million characters, on the host's thread: a long text goes
 * in slices of TEXT_SLICE characters, one per turn of the event loop, so the host never stalls on it
 * (30 ms for a 500,000-row file in one piece). Later jobs queue behind the slices, in order.
 *
 * One job at a time goes to the worker: a job that comes while another is there waits, and the next
 * one to come takes its place, their edits joined (the one it replaces resolves to null at once). So a
 * burst of keystrokes costs the worker one run per job it finished, not one per keystroke.
 */
import { Worker } from 'node:worker_threads';
import { type DiskJobInput, type DiskJobResult, runDiskJob } from './fromDisk';
import { type JobInput, type JobOutcome, type JobResult, JobRunner } from './job';

/** Host → worker: a job, or a slice of the text of the next job that carries `text` (its last slice). */
export type WorkerMessage = { id: number; input: JobInput } | { textSlice: string };

/** Host → worker: a job on a file the worker reads from disk itself (fromDisk.ts). */
export interface DiskWorkerMessage {
  id: number;
  disk: DiskJobInput;
}

/** Worker → host for a job on a file read from disk: its result, 'superseded', or what went wrong. */
export interface DiskReply {
  id: number;
  disk: DiskJobResult | 'superseded' | { error: string };
}

/** Characters per posted slice of a long text. */
export const TEXT_SLICE = 1 << 20;

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
  private readonly diskWaiting = new Map<number, { resolve: (r: DiskJobResult | null) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  /** Messages waiting for their turn behind the slices of a long text; posted one per event-loop turn. */
  private outbox: (WorkerMessage | DiskWorkerMessage)[] = [];
  private pumping = false;
  private synced = false;
  /** The job the worker has and has not answered yet. */
  private inFlight: number | undefined;
  /** The newest job, waiting for the worker to answer `inFlight`; a newer one replaces it, edits joined. */
  private held: number | undefined;
  private disposed = false;
  private inline: JobRunner | undefined;

  constructor(
    private readonly workerPath: string,
    private readonly onError: (message: string) => void = () => undefined,
    /** Called as each job goes to the worker (the timing trace counts them). */
    private readonly onSend: (id: number) => void = () => undefined,
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
      const held = this.held !== undefined ? this.waiting.get(this.held) : undefined;
      if (held) {
        // Not sent yet: this job replaces it, its edits first.
        this.waiting.delete(this.held!);
        held.resolve(null);
        this.waiting.set(id, { job: { ...job, edits: held.job.edits.concat(job.edits) }, resolve });
        this.held = id;
        return;
      }
      this.waiting.set(id, { job, resolve });
      if (this.inFlight !== undefined && this.worker) this.held = id;
      else this.send(id, job);
    });
  }

  /**
   * Reads a file from disk (or the bytes given) in the worker and trains on it; resolves to null if a
   * newer run superseded it, rejects if the file cannot be read.
   */
  runFromDisk(input: DiskJobInput): Promise<DiskJobResult | null> {
    const id = this.nextId++;
    Atomics.store(this.latest, 0, id);
    return new Promise((resolve, reject) => {
      this.diskWaiting.set(id, { resolve, reject });
      const worker = this.ensureWorker();
      if (worker) {
        // A path, or (virtual workspace) bytes, copied once to the worker.
        this.outbox.push({ id, disk: input });
        this.pump();
        return;
      }
      void runDiskJob(input, () => Atomics.load(this.latest, 0) !== id).then(
        (disk) => this.settleDisk({ id, disk }),
        (e: unknown) => this.settleDisk({ id, disk: { error: String(e) } }),
      );
    });
  }

  private settleDisk(reply: DiskReply): void {
    const entry = this.diskWaiting.get(reply.id);
    if (!entry) return;
    this.diskWaiting.delete(reply.id);
    const { disk } = reply;
    if (typeof disk === 'object' && 'error' in disk) entry.reject(new Error(disk.error));
    else entry.resolve(disk !== 'superseded' && reply.id === Atomics.load(this.latest, 0) ? disk : null);
  }

  private send(id: number, job: ClientJob): void {
    let input: JobInput = { edits: job.edits, lineCount: job.lineCount, version: job.version, base: job.base, overrides: job.overrides };
    if (job.columns) input.columns = job.columns;
    if (!this.synced) {
      input = { ...input, ...job.snapshot(), edits: [] };
      this.synced = true;
    }
    const worker = this.ensureWorker();
    if (worker) {
      const text = input.text;
      if (text !== undefined && text.length > TEXT_SLICE) {
        const last = text.length - (text.length % TEXT_SLICE || TEXT_SLICE);
        for (let at = 0; at < last; at += TEXT_SLICE) this.outbox.push({ textSlice: text.slice(at, at + TEXT_SLICE) });
        input = { ...input, text: text.slice(last) };
      }
      this.outbox.push({ id, input });
      this.inFlight = id;
      this.onSend(id);
      this.pump();
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
    if (reply.id === this.inFlight) this.inFlight = undefined;
    this.settleOne(reply);
    // The worker is free: the job that waited for it goes now.
    const held = this.held;
    if (this.inFlight === undefined && held !== undefined && !this.disposed) {
      this.held = undefined;
      const entry = this.waiting.get(held);
      if (entry) this.send(held, entry.job);
    }
  }

  private settleOne(reply: WorkerReply): void {
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

  /** Posts the outbox's first message now if nothing is queued before it, the rest one per turn. */
  private pump(): void {
    if (this.pumping) return;
    const next = this.outbox.shift();
    if (next === undefined || this.worker === undefined) return;
    this.worker.postMessage(next);
    if (this.outbox.length === 0) return;
    this.pumping = true;
    setImmediate(() => {
      this.pumping = false;
      this.pump();
    });
  }

  /** Stops the worker; pending runs resolve to null. */
  dispose(): void {
    this.disposed = true;
    this.outbox = [];
    Atomics.store(this.latest, 0, -1);
    void this.worker?.terminate();
    this.worker = undefined;
    for (const { resolve } of this.waiting.values()) resolve(null);
    this.waiting.clear();
    for (const { resolve } of this.diskWaiting.values()) resolve(null);
    this.diskWaiting.clear();
  }

  private ensureWorker(): Worker | undefined {
    if (this.worker || this.disposed) return this.worker;
    try {
      const worker = new Worker(this.workerPath, { workerData: { latest: this.latest.buffer } });
      worker.on('message', (reply: WorkerReply | DiskReply) => ('disk' in reply ? this.settleDisk(reply) : this.settle(reply)));
      worker.on('error', (e) => {
        this.onError(String(e?.stack ?? e));
        this.worker = undefined;
        this.synced = false;
        // Whatever was queued for the dead worker is stale: the newest job goes again, text and all.
        this.outbox = [];
        this.inFlight = undefined;
        this.held = undefined;
        for (const { reject } of this.diskWaiting.values()) reject(new Error(String(e?.message ?? e)));
        this.diskWaiting.clear();
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
