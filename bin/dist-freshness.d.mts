/** Types of dist-freshness.mjs, for the TypeScript that imports it (the tests' global setup). */
export declare function staleReason(root: string): string | null;

