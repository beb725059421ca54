/**
 * The project's stand-in for @openfn/language-postgresql 8.1.2 (which cannot
 * be installed here), built into dist/adaptors/@openfn/language-postgresql,
 * where the runtime's linker finds it. It exports exactly the official names
 * (test/support/official-exports/postgresql.json) and does what the official
 * does for each of them; see ./@openfn/language-postgresql/adaptor.ts. Like
 * the official, it logs to the console, and it offers the host nothing else.
 */
// The implementation lives under a folder named like the package: the runtime
// reports an error as an AdaptorError (as it does the official adaptors') only
// when `@openfn/language-` is in its stack.
import * as Adaptor from './@openfn/language-postgresql/adaptor.ts';

export default Adaptor;
export * from './@openfn/language-postgresql/adaptor.ts';
export * as util from './@openfn/language-postgresql/util.ts';
