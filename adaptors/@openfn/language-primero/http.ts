/**
 * The official primero `http` namespace (src/http.js): get/post/patch on any
 * Primero path through language-common's `request`, always with HTTP Basic
 * from `username ?? user` and `password` (it ignores `state.auth`), the body
 * wrapped as `{data: <body>}` (also on GET), parsed as JSON by default.
 * Result: `{...composeNextState(state, body), response: <response without body>}`.
 */
import { commonRequest, composeNextState, expandReferences, logResponse, makeBasicAuthHeader, type Operation, type State } from '../../common.ts';

interface RequestOptions {
  query?: Record<string, unknown>;
  headers?: Record<string, string>;
  body?: unknown;
  parseAs?: string;
}

function request(state: State, method: string, path: string, options: RequestOptions = {}) {
  const { url, username, user, password } = state.configuration;
  const { query = {}, body = {}, headers = {}, parseAs = 'json' } = options;
  return commonRequest(method, path, {
    parseAs,
    baseUrl: `${url}/api/v2/`,
    body: { data: body },
    query,
    headers: { 'Content-type': 'application/json', ...makeBasicAuthHeader(username ?? user, password), ...headers },
  }).then(logResponse);
}

function nextState(state: State, response: Record<string, unknown>): State {
  const { body, ...withoutBody } = response;
  return { ...composeNextState(state, body), response: withoutBody };
}

export function get(path: unknown, options: unknown = {}): Operation {
  return async (state) => {
    const [p, opts] = expandReferences(state, path, options);
    return nextState(state, await request(state, 'GET', p, opts));
  };
}

export function post(path: unknown, data: unknown, options: unknown = {}): Operation {
  return async (state) => {
    const [p, opts, body] = expandReferences(state, path, options, data);
    return nextState(state, await request(state, 'POST', p, { ...opts, body }));
  };
}

export function patch(path: unknown, data: unknown, options: unknown = {}): Operation {
  return async (state) => {
    const [p, opts, body] = expandReferences(state, path, options, data);
    return nextState(state, await request(state, 'PATCH', p, { ...opts, body }));
  };
}
