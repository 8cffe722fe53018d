/**
 * The training worker: a thread the extension host owns, so training never blocks the host's event
 * loop. It keeps the document's text line by line (edits re-read only the lines they touch) and runs
 * one job at a time; `workerData.latest` (shared memory) holds the newest job id, and a job stops
 * between chunks of epochs as soon as a newer one exists.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { RowThreads } from './engine';
import { JobRunner, transferables } from './training/job';
import type { WorkerMessage } from './training/trainingClient';

const latest = new Int32Array(workerData.latest as SharedArrayBuffer);
// Big datasets split each epoch's rows with helper threads (small ones stay on this thread).
const runner = new JobRunner(new RowThreads());

/** The slices of a long text so far; the job that carries `text` brings the last one. */
let slices: string[] = [];

parentPort?.on('message', (message: WorkerMessage) => {
  if ('textSlice' in message) {
    slices.push(message.textSlice);
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
