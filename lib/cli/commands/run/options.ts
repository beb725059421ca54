/** What `primero-ona run` was asked to do, after commander parsed the command line. */
export interface RunOptions {
  workflowPath: string;
  statePath?: string | undefined;
  /** Where to write the final state; default `<dir of workflow>/output.json`. */
  outputPath?: string | undefined;
  /** Print the final state on stdout instead of writing a file. */
  outputStdout?: boolean | undefined;
  credentialsPath?: string | undefined;
  start?: string | undefined;
  end?: string | undefined;
  only?: string | undefined;
  /** Per-step timeout in ms when the workflow sets none. */
  timeoutMs?: number | undefined;
  /** Write each step's output to .cli-cache/<workflow>/<step>.json (OpenFn CLI --cache-steps). */
  cacheSteps?: boolean | undefined;
}
