/**
 * The project's stand-in for @openfn/language-primero 4.1.2 (which cannot be
 * installed here), linked through adaptors/packages/language-primero. It
 * exports exactly the official names (test/support/official-exports/
 * primero.json) and does what the official does for each of them; see
 * ./primero/adaptor.ts for the one divergence. Host-only controls live in
 * ./primero-host.ts, outside this surface.
 */
import * as Adaptor from './primero/adaptor.ts';

export default Adaptor;
export * from './primero/adaptor.ts';
export * as http from './primero/http.ts';
