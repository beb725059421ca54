/**
 * Host-side controls of the Primero stand-in (adaptors/primero.ts), for lib/,
 * bench/ and tests: not part of the adaptor's export surface.
 */
export { setAdaptorLogger as setLogger } from './@openfn/language-primero/log.ts';
