// A fresh process for bench/platform-cost.ts, as a fresh OpenFn worker thread:
// nothing imported yet but the runtime. Prints the load times as one JSON line.
// Built into dist/cli/platform-cost-child.js (lib/build/bundle-cli.ts).
import { measureStepLoads } from './platform-cost.ts';

const repeats = Number(process.argv[2] ?? 5);
process.stdout.write(`${JSON.stringify(await measureStepLoads(repeats))}\n`);
