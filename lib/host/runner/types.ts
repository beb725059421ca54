/**
 * The runner's view of a workflow.json after loading: plain data, paths made
 * absolute, files read, shorthands expanded.
 */
export type JsonObject = Record<string, unknown>;

/** A state object as jobs see it (`data`, `configuration`, `errors`, ...). */
export type State = JsonObject;

/** An edge as the runtime accepts it: followed always (`true`), never (`false`), or when a condition over `state` holds. */
export type Edge = boolean | string | { condition?: string | boolean; label?: string; disabled?: boolean };
export type Next = string | Record<string, Edge>;

/** A step that runs a built job (`npm run build`: dist/jobs/<step>.js). */
export interface JobStep {
  kind: 'job';
  id: string;
  name?: string;
  /** Absolute path of the job's JavaScript. */
  expressionPath: string;
  /** Adaptor specifiers without paths, e.g. `@openfn/language-primero@4.1.2`. */
  adaptors: string[];
  /** Inline configuration, or a credential id still to be resolved from a credential map. */
  configuration?: JsonObject | string;
  /** Default state merged under the step's input (OpenFn `state` step key). */
  state?: JsonObject;
  next?: Next;
}

/**
 * A step without an expression. The runtime passes its input straight along its
 * edges; the ones with a `type` (cron, webhook) are the workflow's triggers.
 */
export interface TriggerStep {
  kind: 'trigger';
  id: string;
  name?: string;
  /** `cron`, `webhook`, ...; undefined for a bare pass-through step. */
  type?: string;
  /** The cron expression of a cron trigger (`openfn.cron` or `cron`). */
  cron?: string;
  enabled: boolean;
  next?: Next;
}

export type PlanStep = JobStep | TriggerStep;

export interface PlanOptions {
  start?: string;
  end?: string;
  /** Per-step timeout in ms, as in OpenFn's `options.timeout`. */
  timeout?: number;
}

export interface LoadedPlan {
  /** Absolute path of the workflow file. */
  path: string;
  /** Directory relative paths in the workflow are resolved against. */
  dir: string;
  id?: string;
  name?: string;
  steps: PlanStep[];
  /** The steps that carry a trigger `type` (cron, webhook), for `serve`. */
  triggers: TriggerStep[];
  options: PlanOptions;
  /** Global credentials, merged under every step's configuration by the runtime. */
  credentials?: JsonObject;
  /** Adaptor paths given in the workflow as `name=path` (absolute). */
  adaptorPaths: Record<string, string>;
}
