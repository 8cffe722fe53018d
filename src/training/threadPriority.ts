/**
 * Training is background work: the worker thread (and the helper threads it starts, which inherit it)
 * asks the scheduler for a lower priority, so that on a 2-core machine the extension host's thread
 * and VS Code's renderer get a core first while the student types. Linux gives each thread its own
 * nice value; elsewhere nothing changes.
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/** The training threads' nice value (0 is the default, 19 the lowest priority). */
export const TRAINING_NICE = 10;

/** Lowers the calling thread's priority to TRAINING_NICE; its thread id, or undefined where it could not. */
export function lowerThisThreadsPriority(): number | undefined {
  try {
    // "/proc/thread-self" links to "<pid>/task/<tid>"; setpriority on a tid changes that thread only.
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0) return undefined;
    setPriority(tid, TRAINING_NICE);
    return tid;
  } catch {
    return undefined;
  }
}
