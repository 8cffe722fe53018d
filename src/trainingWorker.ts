/**
 * The training worker: a thread the extension host owns, so training never blocks the host's event
 * loop. It keeps the document's text line by line (edits re-read only the lines they touch) and runs
 * one job at a time; `workerData.latest` (shared memory) holds the newest job id, and a job stops
 * between chunks of epochs as soon as a newer one exists.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { RowThreads } from './engine';
import { runDiskJob } from './training/fromDisk';
import { JobRunner, transferables } from './training/job';
import type { DiskWorkerMessage, WorkerMessage } from './training/trainingClient';
import { lowerThisThreadsPriority } from './training/threadPriority';

// Below VS Code's threads while the student types (the helper threads started below inherit it).
lowerThisThreadsPriority();

const latest = new Int32Array(workerData.latest as SharedArrayBuffer);
// Big datasets split each epoch's rows with helper threads (small ones stay on this thread).
const threads = new RowThreads();
const runner = new JobRunner(threads);

/** The slices of a long text so far; the job that carries `text` brings the last one. */
let slices: string[] = [];

parentPort?.on('message', (message: WorkerMessage | DiskWorkerMessage) => {
  if ('textSlice' in message) {
    slices.push(message.textSlice);
    return;
  }
  if ('disk' in message) {
    // Read from disk in chunks (fromDisk.ts): the reads let other messages in; a newer job stops this one.
    const { id } = message;
    void runDiskJob(message.disk, () => Atomics.load(latest, 0) !== id, undefined, threads).then(
      (disk) => parentPort?.postMessage({ id, disk }, typeof disk === 'string' ? [] : transferables(disk)),
      (e: unknown) => parentPort?.postMessage({ id, disk: { error: String((e as Error)?.message ?? e) } }),
    );
    return;
  }
  const job = message;
  if (slices.length > 0 && job.input.text !== undefined) {
    slices.push(job.input.text);
    job.input.text = slices.join('');
  }
  slices = [];
  try {
    const outcome = runner.run(job.input, () => Atomics.load(latest, 0) !== job.id);
    parentPort?.postMessage({ id: job.id, outcome }, typeof outcome === 'string' ? [] : transferables(outcome));
  } catch (e) {
    parentPort?.postMessage({ id: job.id, outcome: 'resync', error: String((e as Error)?.stack ?? e) });
  }
});
