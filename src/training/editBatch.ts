/**
 * A document's edits not yet sent to the worker, and the one flush per event-loop turn that sends them.
 * VS Code delivers each change event of a burst in a message of its own; the messages read in one go
 * are handled in one poll phase, so a flush on `setImmediate` (after that phase) takes them all as one
 * job, where a microtask would run after each message. No `vscode` here.
 */
import type { TextEdit } from '../engine';

/** Collects edits in order; `request` schedules at most one `flush` per turn, `take` hands them over. */
export class EditBatch {
  private edits: TextEdit[] = [];
  private scheduled: ReturnType<typeof setImmediate> | undefined;
  private readonly run = (): void => {
    this.scheduled = undefined;
    this.flush();
  };

  constructor(private readonly flush: () => void) {}

  /** Number of edits waiting. */
  get length(): number {
    return this.edits.length;
  }

  /** Appends one edit (after every earlier one). */
  add(edit: TextEdit): void {
    this.edits.push(edit);
  }

  /** Schedules `flush` after this turn's other events, unless it is scheduled already. */
  request(): void {
    this.scheduled ??= setImmediate(this.run);
  }

  /** The edits waiting, oldest first; the batch is empty after, and a scheduled flush is cancelled. */
  take(): TextEdit[] {
    this.cancel();
    const edits = this.edits;
    this.edits = [];
    return edits;
  }

  /** Cancels a scheduled flush (the edits stay). */
  cancel(): void {
    if (this.scheduled !== undefined) clearImmediate(this.scheduled);
    this.scheduled = undefined;
  }
}
