/** The official's `util` namespace: pg-format's `format`, to build SQL with escaped identifiers (%I) and literals (%L). */
export { format } from './sql-text.ts';
