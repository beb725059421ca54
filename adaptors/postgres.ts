/**
 * The project's stand-in for @openfn/language-postgresql 8.1.2 (which cannot
 * be installed here), linked through adaptors/packages/language-postgresql.
 * It exports exactly the official names (test/support/official-exports/
 * postgresql.json) and does what the official does for each of them; see
 * ./postgresql/adaptor.ts. Host-only controls (pools, log routing) live in
 * ./postgres-host.ts, outside this surface.
 */
import * as Adaptor from './postgresql/adaptor.ts';

export default Adaptor;
export * from './postgresql/adaptor.ts';
export * as util from './postgresql/util.ts';
