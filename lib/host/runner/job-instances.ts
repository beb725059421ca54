import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { getModuleEntryPoint, ImportError } from '@openfn/runtime';
import type { AdaptorModules } from './adaptor-modules.ts';
import type { RuntimeLogger } from './runtime-logger.ts';

/**
 * A built job, instantiated once per runner and handed to @openfn/runtime
 * as its operations on every execution.
 *
 * Why not hand the runtime the source string each time, as the OpenFn CLI does
 * for its one execution: on Node 20 a vm.SourceTextModule (and its context) is
 * never garbage-collected. The sync executes its jobs once per batch, so each
 * batch leaked about 13 MB and made the next instantiation slower; memory and
 * time grew with the data set. Jobs hold no module-level state (every
 * operation is a function of `state`), so one instance serves every batch.
 *
 * The instance is made the way the runtime makes it: the same sandbox globals
 * (console is the job logger; no eval, no wasm), adaptors resolved through the
 * same linker map and exposed as synthetic modules, and the adaptor's
 * `execute` re-exported by the built job wrapped around the operations.
 */
export type Operation = (state: unknown) => unknown;

type AdaptorExecute = (...operations: Operation[]) => Operation;

/** A built job's code, read once per runner: the key its instance is kept under. */
export interface BuiltJob {
  code: string;
}

interface JobInstance {
  operations: Operation[];
  execute: AdaptorExecute | undefined;
}

const instances = new WeakMap<BuiltJob, Promise<JobInstance>>();

/** The job's instance, made on first use; `console` is the job logger it keeps. */
export function instanceOf(step: BuiltJob, modules: AdaptorModules, console: RuntimeLogger): Promise<JobInstance> {
  let instance = instances.get(step);
  if (!instance) {
    instance = instantiate(step.code, modules, console);
    // A failed instantiation (an import error) is reported on every execution, not remembered.
    instance.catch(() => instances.delete(step));
    instances.set(step, instance);
  }
  return instance;
}

/**
 * The expression to hand the runtime: one operation that instantiates the job
 * on first use (so an import error is this step's failure, as before) and runs
 * its operations, inside the adaptor's `execute` when the job re-exports one.
 */
export function jobExpression(step: BuiltJob, modules: AdaptorModules, console: RuntimeLogger): Operation[] {
  return [
    async (state) => {
      const { operations, execute } = await instanceOf(step, modules, console);
      if (execute) return execute(...operations)(state);
      let s = state;
      for (const op of operations) s = await op(s);
      return s;
    },
  ];
}

class SafeBuffer extends Buffer {
  constructor() {
    throw new Error('Do not call Buffer() constructor directly. Use Buffer.from() instead.');
    // eslint-disable-next-line no-unreachable
    super(0);
  }
}

async function instantiate(code: string, modules: AdaptorModules, console: RuntimeLogger): Promise<JobInstance> {
  const context = vm.createContext(
    { console, clearInterval, clearTimeout, parseFloat, parseInt, setInterval, setTimeout, Buffer: SafeBuffer },
    { codeGeneration: { strings: false, wasm: false } },
  );
  const module = new vm.SourceTextModule(code, { context });
  await module.link((specifier) => linkAdaptor(specifier, modules, context));
  await module.evaluate();
  const exports = module.namespace as { default?: unknown; execute?: AdaptorExecute };
  const operations = exports.default;
  if (!Array.isArray(operations) || !operations.every((op) => typeof op === 'function')) {
    throw new ImportError('the job must export default an array of operations (functions of state)');
  }
  return { operations: operations as Operation[], execute: typeof exports.execute === 'function' ? exports.execute : undefined };
}

/** The runtime linker's behaviour: import the adaptor once, expose its exports as a synthetic module in the job's context. */
async function linkAdaptor(specifier: string, modules: AdaptorModules, context: vm.Context): Promise<vm.Module> {
  const info = modules[specifier];
  if (!info) throw new ImportError(`Failed to import module "${specifier}"`);
  const entry = await getModuleEntryPoint(specifier, info.path);
  if (!entry) throw new ImportError(`Failed to import module "${specifier}"`);
  let exports: Record<string, unknown>;
  try {
    exports = (await import(pathToFileURL(entry.path).href)) as Record<string, unknown>;
  } catch (e) {
    throw new ImportError(`Failed to import module ${specifier} from ${info.path} (${e instanceof Error ? e.message : 'reason unknown'})`);
  }
  let target: Record<string, unknown> = exports;
  const inner = exports.default as Record<string, unknown> | undefined;
  if (exports.__esModule && inner && inner.default) target = inner.default as Record<string, unknown>;
  else if (Object.keys(exports).length === 1 && inner && Object.keys(inner).length > 0) target = inner;
  const names = Object.keys(target);
  const synthetic = new vm.SyntheticModule(
    names,
    function (this: vm.SyntheticModule) {
      for (const name of names) this.setExport(name, target[name]);
    },
    { context },
  );
  await synthetic.link(() => {
    throw new Error('adaptor modules have no imports to link');
  });
  await synthetic.evaluate();
  return synthetic;
}
