// Entry of a batch's worker thread (isolated-runner.ts). A worker does not
// share the main thread's module hooks, so it registers tsx's ESM hook itself
// (the runtime imports the TypeScript adaptors natively), then loads the
// TypeScript side. vm.SourceTextModule comes from --experimental-vm-modules,
// which the worker inherits from the process's execArgv.
import { register } from 'tsx/esm/api';

register();
await import('./batch-worker-main.ts');
