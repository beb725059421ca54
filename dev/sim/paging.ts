/**
 * Pure: Primero's Pagination concern (§2.2). page = params[:page].to_i || 1,
 * per = params[:per].to_i (20 when absent), capped at 1000 for records. A
 * negative OFFSET or LIMIT is a PostgreSQL error, which Primero answers with 500.
 */
import { rubyToI, type RackValue } from './query-params.ts';

export interface Paging {
  page: number;
  per: number;
  offset: number;
  /** Set when PostgreSQL would refuse the LIMIT/OFFSET: the 500 message. */
  error?: string;
}

export interface PagingRules {
  defaultPer: number;
  /** Infinity for endpoints without a cap (locations). */
  maxPer: number;
}

export const CASE_PAGING: PagingRules = { defaultPer: 20, maxPer: 1000 };
export const LOCATION_PAGING: PagingRules = { defaultPer: 100, maxPer: Infinity };
export const LOOKUP_PAGING: PagingRules = { defaultPer: 20, maxPer: 1000 };

const scalar = (v: RackValue | undefined): string | undefined =>
  v === undefined ? undefined : typeof v === 'string' ? v : '';

export function parsePaging(page: RackValue | undefined, per: RackValue | undefined, rules: PagingRules): Paging {
  const pageText = scalar(page);
  const perText = scalar(per);
  const p = pageText === undefined ? 1 : rubyToI(pageText);
  const n = Math.min(perText === undefined ? rules.defaultPer : rubyToI(perText), rules.maxPer);
  const offset = (p - 1) * n;
  const result: Paging = { page: p, per: n, offset };
  if (n < 0) result.error = 'PG::InvalidRowCountInLimitClause: ERROR:  LIMIT must not be negative';
  else if (offset < 0) result.error = 'PG::InvalidRowCountInResultOffsetClause: ERROR:  OFFSET must not be negative';
  return result;
}
