/**
 * The training worker: a thread the extension host owns, so training never blocks the host's event
 * loop. It runs one job at a time; `workerData.latest` (shared memory) holds the newest job id, and a
 * job stops between chunks of epochs as soon as a newer one exists.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type JobInput, runJob, transferables } from './training/job';

/** Host → worker. */
export interface WorkerJob {
  id: number;
  input: JobInput;
}

const latest = new Int32Array(workerData.latest as SharedArrayBuffer);

parentPort?.on('message', (job: WorkerJob) => {
  try {
    const result = runJob(job.input, () => Atomics.load(latest, 0) !== job.id);
    parentPort?.postMessage({ id: job.id, result }, result ? transferables(result) : []);
  } catch (e) {
    parentPort?.postMessage({ id: job.id, result: null, error: String((e as Error)?.stack ?? e) });
  }
});
