/**
 * The fit plot's data split into what a run fixes (the points' targets y_k, sample indices, and x_k
 * for one feature) and what changes with θ (z_k = max(0, u_k) for more features, a_k, the line in the
 * file's units): the host sends only the second once the view holds the run's full fit
 * (`EpochMessage.fitChange`), the view puts them back together. Pure; used on both sides.
 */
import type { FitChange, FitData } from './protocol';

/** What of `fit` changes with θ, as typed arrays (the same numbers, bit for bit). */
export function fitChangeOf(fit: FitData): FitChange {
  const change: FitChange = { active: Uint8Array.from(fit.active) };
  if (fit.kind === 'predicted') change.xs = Float64Array.from(fit.xs);
  if (fit.fileUnits) change.fileUnits = fit.fileUnits;
  return change;
}

/**
 * The full fit `change` was cut from, given a full fit `held` of the same run; null when they do not
 * belong together (other points, or another kind of plot): the view then asks for the full fit.
 */
export function applyFitChange(held: FitData, change: FitChange): FitData | null {
  const n = held.indices.length;
  if (change.active.length !== n) return null;
  if ((held.kind === 'predicted') !== (change.xs !== undefined) || (change.xs && change.xs.length !== n)) return null;
  if ((held.fileUnits !== undefined) !== (change.fileUnits !== undefined)) return null;
  const active: Array<0 | 1> = [];
  for (let k = 0; k < n; k++) active.push(change.active[k] === 1 ? 1 : 0);
  const fit: FitData = {
    kind: held.kind,
    xs: change.xs ? Array.from(change.xs) : held.xs,
    ys: held.ys,
    active,
    indices: held.indices,
  };
  if (change.fileUnits) fit.fileUnits = change.fileUnits;
  return fit;
}
