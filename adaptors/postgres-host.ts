/**
 * Host-side controls of the PostgreSQL stand-in (adaptors/postgres.ts), for
 * lib/, bench/ and tests: not part of the adaptor's export surface, so no job
 * can come to depend on them. They act on the module state the adaptor uses.
 */
export { setAdaptorLogger as setLogger, setPoolSettings, shutdownPools as shutdown, type PoolSettings } from './@openfn/language-postgresql/connection.ts';
