import vm from 'node:vm';
import { UserError } from '../../errors.ts';
import { displayPath } from './read-json-file.ts';
import type { LoadedPlan, Next } from './types.ts';

/** The named conditions the runtime knows; anything else is a JS expression over `state`. */
const NAMED_CONDITIONS = new Set(['on_job_success', 'on_job_failure', 'on_upstream_success', 'on_upstream_fail', 'always']);

/**
 * Checks what the runtime would otherwise reject mid-run (or crash on): unique
 * ids, edges to existing steps, conditions that parse, no cycles, a known start
 * and end. Fails early with a message naming the workflow file.
 */
export function validatePlan(plan: LoadedPlan): void {
  const where = displayPath(plan.path);
  const fail = (message: string, hint = 'fix the workflow file'): never => {
    throw new UserError(`workflow ${where}: ${message}`, hint);
  };
  const ids = new Set<string>();
  for (const step of plan.steps) {
    if (ids.has(step.id)) fail(`step id "${step.id}" is used twice`);
    ids.add(step.id);
  }
  for (const step of plan.steps) {
    for (const [target, edge] of edgesOf(step.next)) {
      if (!ids.has(target)) fail(`step "${step.id}" has an edge to unknown step "${target}"`, `known steps: ${[...ids].join(', ')}`);
      const condition = typeof edge === 'string' ? edge : typeof edge === 'object' && typeof edge.condition === 'string' ? edge.condition : undefined;
      if (condition !== undefined && !NAMED_CONDITIONS.has(condition)) {
        try {
          // Same compilation as the runtime's compile-plan, so syntax errors surface before anything runs.
          vm.compileFunction(`return ${condition}`, ['state', 'upstreamStepId']);
        } catch (e) {
          fail(`edge ${step.id} -> ${target} has an invalid condition ${JSON.stringify(condition)}: ${(e as Error).message}`);
        }
      }
    }
  }
  const cycle = findCycle(plan);
  if (cycle) fail(`steps form a cycle: ${cycle.join(' -> ')}`, 'the OpenFn runtime only runs acyclic workflows');
  for (const key of ['start', 'end'] as const) {
    const id = plan.options[key];
    if (id !== undefined && !ids.has(id)) fail(`options.${key} names unknown step "${id}"`, `known steps: ${[...ids].join(', ')}`);
  }
}

/** The targets of a `next` value, with their edge definitions. */
export function edgesOf(next: Next | undefined): Array<[string, import('./types.ts').Edge]> {
  if (next === undefined) return [];
  if (typeof next === 'string') return [[next, true]];
  return Object.entries(next);
}

function findCycle(plan: LoadedPlan): string[] | undefined {
  const nextOf = new Map(plan.steps.map((s) => [s.id, edgesOf(s.next).map(([t]) => t)]));
  const done = new Set<string>();
  const visit = (id: string, trail: string[]): string[] | undefined => {
    const seen = trail.indexOf(id);
    if (seen >= 0) return [...trail.slice(seen), id];
    if (done.has(id)) return undefined;
    for (const t of nextOf.get(id) ?? []) {
      const found = visit(t, [...trail, id]);
      if (found) return found;
    }
    done.add(id);
    return undefined;
  };
  for (const id of nextOf.keys()) {
    const found = visit(id, []);
    if (found) return found;
  }
  return undefined;
}
