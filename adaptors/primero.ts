/**
 * The project's stand-in for @openfn/language-primero 4.1.2 (which cannot be
 * installed here), built into dist/adaptors/@openfn/language-primero, where
 * the runtime's linker finds it. It exports exactly the official names
 * (test/support/official-exports/primero.json) and does what the official
 * does for each of them; see ./@openfn/language-primero/adaptor.ts for the
 * one divergence. Like the official, it logs to the console.
 */
// The implementation lives under a folder named like the package: the runtime
// reports an error as an AdaptorError (as it does the official adaptors') only
// when `@openfn/language-` is in its stack.
import * as Adaptor from './@openfn/language-primero/adaptor.ts';

export default Adaptor;
export * from './@openfn/language-primero/adaptor.ts';
export * as http from './@openfn/language-primero/http.ts';
