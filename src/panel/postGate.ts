/**
 * When the panel posts a run. One run at a time is on its way to the view: the next waits until the
 * view says it took the last one in (`runShown`). A run that a newer one replaced while it waited is
 * never posted: under a burst of typing the view gets the run it is ready for and then the newest, not
 * every keystroke's. Pure; explorerPanel.ts carries out the decisions.
 *
 * A message still in the workbench's pipe (its `postMessage` not yet settled) is never given up on:
 * one posted behind it would only queue behind it. Once delivered, the view has ACK_WAIT_MS to answer.
 */

/** How long a delivered run may go without the view's `runShown` before the next is posted anyway (ms). */
export const ACK_WAIT_MS = 500;

/** How long a posted run may go without its `postMessage` settling before the next is posted anyway (ms). */
export const DELIVERY_WAIT_MS = 5_000;

/** The gate between the newest run and the view. */
export interface PostGate {
  /** The run posted and not yet taken in by the view, or null. */
  inFlight: number | null;
  /** When `inFlight` was posted (ms). */
  sentAt: number;
  /** When `inFlight` reached the view's frame (its `postMessage` settled), or null while on its way. */
  deliveredAt: number | null;
  /** The newest run, waiting for `inFlight`; null when none waits. */
  waiting: number | null;
}

/**
 * What happened: a new run to show; a posted run reached the view's frame (`ok`) or could not
 * (`postMessage` settled false: the view is gone); the view took one in; or time passed.
 */
export type GateEvent =
  | { type: 'run'; runId: number; now: number }
  | { type: 'delivered'; runId: number; ok: boolean; now: number }
  | { type: 'shown'; runId: number; now: number }
  | { type: 'tick'; now: number };

/** The gate after `event`, and the run to post now (the newest), or null. */
export interface GateDecision {
  gate: PostGate;
  post: number | null;
}

/** No run on its way. */
export const OPEN_GATE: Readonly<PostGate> = Object.freeze({ inFlight: null, sentAt: 0, deliveredAt: null, waiting: null });

/** Decides whether to post a run now. Pure: `gate` is not changed. */
export function gateStep(gate: PostGate, event: GateEvent): GateDecision {
  let { inFlight, deliveredAt, waiting } = gate;
  if (event.type === 'run') waiting = waiting === null ? event.runId : Math.max(waiting, event.runId);
  if (event.type === 'delivered' && event.runId === inFlight) {
    if (event.ok) deliveredAt ??= event.now;
    else inFlight = null; // it never reached the view: nothing to wait for
  }
  const answered = event.type === 'shown' && inFlight !== null && event.runId >= inFlight;
  if (inFlight !== null && (answered || event.now >= giveUpAt(gate.sentAt, deliveredAt))) inFlight = null;
  if (inFlight === null && waiting !== null)
    return { gate: { inFlight: waiting, sentAt: event.now, deliveredAt: null, waiting: null }, post: waiting };
  return { gate: { inFlight, sentAt: gate.sentAt, deliveredAt: inFlight === null ? null : deliveredAt, waiting }, post: null };
}

/** When the gate stops waiting for `inFlight`: ACK_WAIT_MS after delivery, else DELIVERY_WAIT_MS after posting. */
function giveUpAt(sentAt: number, deliveredAt: number | null): number {
  return deliveredAt !== null ? deliveredAt + ACK_WAIT_MS : sentAt + DELIVERY_WAIT_MS;
}

/** When to look again (ms from now) if a run waits, else null. */
export function gateRecheckIn(gate: PostGate, now: number): number | null {
  return gate.waiting === null || gate.inFlight === null ? null : Math.max(0, giveUpAt(gate.sentAt, gate.deliveredAt) - now);
}
