/**
 * The arithmetic of bench/vscode/probeDrag.ts, apart from the browser: summaries of latencies, and
 * each probe reply followed through the view's trace (webview/trace.ts) and each probe request
 * through the host's (src/trace.ts). Pure.
 */

/** One trace event, host or view: t in ms since the epoch. */
export interface TraceEvent {
  t: number;
  ev: string;
  [key: string]: unknown;
}

/** One frame at 60 Hz, in ms. */
export const FRAME_MS = 1000 / 60;

/** Count, median, 95th percentile and maximum (nearest rank), to 0.1 ms; null for none. */
export interface Summary {
  n: number;
  p50: number | null;
  p95: number | null;
  max: number | null;
}

const round1 = (v: number) => Math.round(v * 10) / 10;

/** The value of rank ⌈p/100 · n⌉ (1-based) in ascending `sorted`. */
export function nearestRank(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** The finite values' count, p50, p95 and max. */
export function summarize(values: readonly number[]): Summary {
  const s = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (s.length === 0) return { n: 0, p50: null, p95: null, max: null };
  return { n: s.length, p50: round1(nearestRank(s, 50)), p95: round1(nearestRank(s, 95)), max: round1(s[s.length - 1]) };
}

/** How many finite values are at most `limit`. */
export function countWithin(values: readonly number[], limit: number): number {
  return values.filter((v) => Number.isFinite(v) && v <= limit).length;
}

/**
 * One probe reply in the view, in ms after it was received (NaN where the trace has no such event):
 * the request it answers (the view posts one per frame at most; the host answers each in order),
 * the header and probe bar written and painted, the probe drawn on the surface and painted, and the
 * rest of the panel drawn (for this reply's θ or a newer reply's: a reply overtaken before its turn
 * counts as shown when the newer one is).
 */
export interface ProbeReply {
  receivedAt: number;
  /** Request posted → this reply received. */
  roundTripMs: number;
  /** Received → the header and the probe bar written. */
  handledMs: number;
  /** Received → the frame with them painted. */
  paintedMs: number;
  /** Received → the surface painted with this probe or a newer one. */
  surfaceMs: number;
  /** Received → the rest of the panel (derivation, graph, table, fit) drawn for this probe or a newer one. */
  restMs: number;
}

/**
 * For each event that names a probe (`at`: its θ as `probeKey`), the index of the reply it shows:
 * the latest one with that θ received by then (a held key may come back to a point); -1 for none.
 */
function shownReply(events: readonly TraceEvent[], received: readonly TraceEvent[]): number[] {
  return events.map((e) => {
    for (let i = received.length - 1; i >= 0; i--) if (received[i].at === e.at && received[i].t <= e.t) return i;
    return -1;
  });
}

/** For reply k received at t: the first of `events` (by time) from t on that shows reply k or a newer one. */
function firstShowing(events: readonly TraceEvent[], shows: readonly number[], k: number, t: number): number {
  for (let i = 0; i < events.length; i++) if (events[i].t >= t && shows[i] >= k) return events[i].t;
  return Number.NaN;
}

/** Probe replies of the view's trace, each with its request and what followed it. */
export function probeReplies(view: readonly TraceEvent[]): ProbeReply[] {
  const byTime = [...view].sort((a, b) => a.t - b.t);
  const requests = byTime.filter((e) => e.ev === 'probeRequest');
  const received = byTime.filter((e) => e.ev === 'msg' && e.type === 'epoch' && e.probe === true);
  const handled = byTime.filter((e) => e.ev === 'handled' && e.type === 'epoch' && e.probe === true);
  const painted = byTime.filter((e) => e.ev === 'painted' && e.type === 'epoch' && e.probe === true);
  const surface = byTime.filter((e) => e.ev === 'surfacePainted' && e.probe === true);
  const rest = byTime.filter((e) => e.ev === 'probeRest');
  const surfaceShows = shownReply(surface, received);
  const restShows = shownReply(rest, received);
  // Each message is handled, and its frame painted, in the order received: take them in turn.
  let h = 0;
  let p = 0;
  return received.map((r, k) => {
    while (h < handled.length && handled[h].t < r.t) h++;
    const hAt = h < handled.length ? handled[h++].t : Number.NaN;
    while (p < painted.length && painted[p].t < hAt) p++;
    const pAt = p < painted.length && Number.isFinite(hAt) ? painted[p++].t : Number.NaN;
    return {
      receivedAt: r.t,
      roundTripMs: k < requests.length ? r.t - requests[k].t : Number.NaN,
      handledMs: hAt - r.t,
      paintedMs: pAt - r.t,
      surfaceMs: firstShowing(surface, surfaceShows, k, r.t) - r.t,
      restMs: firstShowing(rest, restShows, k, r.t) - r.t,
    };
  });
}

/** What the host did for one probe request: the time to its first message, and the messages' sizes. */
export interface HostProbe {
  /** The request's arrival (`viewSaid` probe) → the first message posted for it. */
  ms: number;
  /** Size of the messages (JSON length, typed arrays by their bytes) posted for it, by type (an `epoch`, on the Gradients tab `rows` too). */
  bytes: Record<string, number>;
}

/** Per probe request in the host's trace: the messages posted until the next request. */
export function hostProbes(host: readonly TraceEvent[]): HostProbe[] {
  const byTime = [...host].sort((a, b) => a.t - b.t);
  const asks = byTime.filter((e) => e.ev === 'viewSaid' && e.type === 'probe');
  return asks.map((a, k) => {
    const until = k + 1 < asks.length ? asks[k + 1].t : Infinity;
    const posts = byTime.filter((e) => e.ev === 'post' && e.t >= a.t && e.t < until);
    const bytes: Record<string, number> = {};
    for (const e of posts) bytes[String(e.type)] = (bytes[String(e.type)] ?? 0) + Number(e.bytes);
    return { ms: posts.length > 0 ? posts[0].t - a.t : Number.NaN, bytes };
  });
}
