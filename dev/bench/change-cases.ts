import type { Simulator } from '../sim/server.ts';

/**
 * Changes a fraction of the simulator's cases the way a caseworker's save does
 * (Primero stamps last_updated_at), spread evenly over the data set so that
 * changed cases fall in every page of the first run.
 */
export function changeCases(sim: Simulator, fraction: number): number {
  const ids = sim.records().map((r) => String(r.id));
  const every = Math.max(1, Math.round(1 / fraction));
  let changed = 0;
  for (let i = 0; i < ids.length; i += every) {
    sim.updateCase(ids[i]!);
    changed++;
  }
  return changed;
}
