/**
 * language-common 3.3.4 as the stand-in adaptors use it. Its type declarations
 * use extensionless relative re-exports that NodeNext resolution cannot follow,
 * so its API is typed loosely here, once.
 */
import * as commonModule from '@openfn/language-common';
import * as commonUtilModule from '@openfn/language-common/util';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFn = (...args: any[]) => any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type State = Record<string, any>;
export type Operation = (state: State) => State | Promise<State>;

export const common = commonModule as unknown as Record<string, AnyFn> & {
  dateFns: Record<string, AnyFn>;
  beta: Record<string, AnyFn>;
};
const commonUtil = commonUtilModule as unknown as Record<string, AnyFn>;

export const commonExecute = common.execute as (...ops: Operation[]) => (state: State) => Promise<State>;
export const composeNextState = common.composeNextState as (state: State, data: unknown) => State;
/** `expandReferences(state, ...args)`: every argument with its functions of state resolved, recursively. */
export const expandReferences = commonUtil.expandReferences as (state: State, ...args: unknown[]) => any[];
export const makeBasicAuthHeader = commonUtil.makeBasicAuthHeader as (user: unknown, password: unknown) => Record<string, string>;
export const commonRequest = commonUtil.request as (method: string, path: string, options: Record<string, unknown>) => Promise<Record<string, unknown>>;
export const logResponse = commonUtil.logResponse as <T>(response: T) => T;
