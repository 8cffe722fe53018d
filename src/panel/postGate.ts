/**
 * When the panel posts a run. One run at a time is on its way to the view: the next waits until the
 * view says it took the last one in (`runShown`), or ACK_WAIT_MS passed. A run that a newer one
 * replaced while it waited is never posted: under a burst of typing the view gets the run it is ready
 * for and then the newest, not every keystroke's. Pure; explorerPanel.ts carries out the decisions.
 */

/** How long a posted run may go without the view's `runShown` before the next is posted anyway (ms). */
export const ACK_WAIT_MS = 500;

/** The gate between the newest run and the view. */
export interface PostGate {
  /** The run posted and not yet taken in by the view, or null. */
  inFlight: number | null;
  /** When `inFlight` was posted (ms). */
  sentAt: number;
  /** The newest run, waiting for `inFlight`; null when none waits. */
  waiting: number | null;
}

/** What happened: a new run to show, the view took one in, or time passed. */
export type GateEvent =
  { type: 'run'; runId: number; now: number } | { type: 'shown'; runId: number; now: number } | { type: 'tick'; now: number };

/** The gate after `event`, and the run to post now (the newest), or null. */
export interface GateDecision {
  gate: PostGate;
  post: number | null;
}

/** No run on its way. */
export const OPEN_GATE: Readonly<PostGate> = Object.freeze({ inFlight: null, sentAt: 0, waiting: null });

/** Decides whether to post a run now. Pure: `gate` is not changed. */
export function gateStep(gate: PostGate, event: GateEvent): GateDecision {
  let inFlight = gate.inFlight;
  let waiting = gate.waiting;
  if (event.type === 'run') waiting = waiting === null ? event.runId : Math.max(waiting, event.runId);
  // The view took in this run or a newer one; or it has not answered for too long.
  if (inFlight !== null && ((event.type === 'shown' && event.runId >= inFlight) || event.now - gate.sentAt >= ACK_WAIT_MS)) inFlight = null;
  if (inFlight === null && waiting !== null) return { gate: { inFlight: waiting, sentAt: event.now, waiting: null }, post: waiting };
  return { gate: { inFlight, sentAt: gate.sentAt, waiting }, post: null };
}

/** When to look again (ms from now) if a run waits, else null. */
export function gateRecheckIn(gate: PostGate, now: number): number | null {
  return gate.waiting === null || gate.inFlight === null ? null : Math.max(0, gate.sentAt + ACK_WAIT_MS - now);
}
