/**
 * The operations of @openfn/language-primero 4.1.2 (its src/Adaptor.js),
 * rebuilt from its documented behaviour (openfn-facts.md §1): same names,
 * arguments, requests (./transport.ts), resulting state, errors and log lines.
 * One request per call: no paging, no retries, no timeout.
 *
 * The one divergence: where the official throws inside `request`'s callback
 * (e.g. a 200 whose body has no `data`: `Cannot read properties of undefined
 * (reading 'length')`, or a callback that throws), the error escapes the
 * promise and crashes the process or leaves the step hanging. Here the
 * operation rejects with that same error instead.
 */
import { commonExecute, common, expandReferences, type Operation, type State } from '../../common.ts';
import { say } from './log.ts';
import { send, type ReceivedResponse, type RequestParams } from './transport.ts';

export type { Operation, State };
type Callback = (state: State) => State | Promise<State>;

/** previous data to references, `metadata` only when given (a truthy one). */
export const composeNextState = (state: State, data: unknown, meta?: unknown): State => {
  const next = { ...state, data, references: [...state.references, state.data] };
  return meta ? { ...next, metadata: meta } : next;
};

// ---- helpers as the official's Utils.js ------------------------------------

const SUCCESS = [200, 201, 202, 204];

/** Hides the token in what an error or a log line shows of the request. */
function scrubResponse(response: ReceivedResponse | undefined): ReceivedResponse | undefined {
  if (response) response.request.headers.Authorization = '--REDACTED--';
  return response;
}

function assembleError(error: Error | undefined, response: ReceivedResponse | undefined, userParams?: any): Error | false {
  // The official reads success codes from the operation's own argument (`params.options.successCodes`).
  const codes: number[] = userParams?.options?.successCodes || SUCCESS;
  if (response && codes.includes(response.statusCode)) return false;
  if (error) return error;
  return new Error(`Server responded with:\n${JSON.stringify(response, null, 2)}`);
}

/** JSON.parse, or `{body: data}` when that fails (also for an already parsed object). */
function tryJson(data: unknown): any {
  try {
    return JSON.parse(data as string);
  } catch {
    return { body: data };
  }
}

/** One request; rejects as the official does, else gives the scrubbed response and body. */
async function call(params: RequestParams, userParams?: unknown): Promise<{ response: ReceivedResponse; body: unknown }> {
  const { error, response: raw, body } = await send(params);
  const response = scrubResponse(raw);
  const failure = assembleError(error, response, userParams);
  if (failure) throw failure;
  return { response: response!, body };
}

const jsonHeaders = (state: State) => ({ Authorization: state.auth.token, 'Content-Type': 'application/json' });

// ---- lifecycle -------------------------------------------------------------

async function login(state: State): Promise<State> {
  const { url, user, password } = state.configuration;
  const { body } = await call({
    method: 'POST',
    url: `${url}/api/v2/tokens`,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user: { user_name: user, password } }),
  });
  // The whole login body is kept, its token prefixed.
  const auth = tryJson(body);
  auth.token = `Bearer ${auth.token}`;
  return { ...state, auth };
}

function generateAuthString(state: State): State | Promise<State> {
  const { configuration } = state;
  if (configuration.basicAuth) {
    const { user, password } = configuration;
    return { ...state, auth: { token: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` } };
  }
  return login(state);
}

function cleanupState(state: State): State {
  delete state.auth;
  return state;
}

/** Logs in (or sets Basic auth), runs the operations with `{references: [], data: null}` under the state, removes `auth`. */
export function execute(...operations: Operation[]): (state: State) => Promise<State> {
  const initialState = { references: [], data: null };
  return (state) => commonExecute(generateAuthString, ...operations, cleanupState)({ ...initialState, ...state });
}

// ---- reads -----------------------------------------------------------------

/** GET /api/v2/cases with the query; `options.withReferrals` adds each case's referrals (one request per case, errors ignored). */
export function getCases(query?: unknown, options?: unknown, callback?: Callback): Operation {
  return async (state) => {
    const { auth } = state;
    const { url } = state.configuration;
    const [expandedQuery] = expandReferences(state, query);
    const [expandedOptions] = expandReferences(state, options);
    const { response, body } = await call({
      method: 'GET',
      url: `${url}/api/v2/cases`,
      headers: { Authorization: auth.token, 'Content-Type': 'application/json' },
      qs: expandedQuery,
    });
    say(`Primero says: '${response.statusCode} ${response.statusMessage}'`);
    const resp = tryJson(body);
    const cases = resp.data;
    const metadata = resp.metadata;
    say(`${cases.length} cases retrieved from request: ${JSON.stringify(response.request, null, 2)}`);
    if (expandedOptions?.withReferrals) {
      say(`Fetching referrals for ${cases.length} cases...`);
      for await (const c of cases) {
        say('Fetching referral...');
        const referrals = await send({
          method: 'GET',
          url: `${url}/api/v2/cases/${c.id}/referrals`,
          headers: { Authorization: auth.token, 'Content-Type': 'application/json' },
        });
        c.referrals = tryJson(referrals.body).data;
      }
    }
    const next = composeNextState(state, cases, metadata);
    return callback ? callback(next) : next;
  };
}

/** GET /api/v2/<resource> once; `state.data` = the body's `data`; no metadata. */
function listOnce(resource: 'forms' | 'lookups' | 'locations') {
  return (query?: unknown, callback?: Callback): Operation =>
    async (state) => {
      const { auth } = state;
      const { url } = state.configuration;
      const [expandedQuery] = expandReferences(state, query);
      const { response, body } = await call({
        method: 'GET',
        url: `${url}/api/v2/${resource}`,
        headers: { Authorization: auth.token, 'Content-Type': 'application/json' },
        qs: expandedQuery,
      });
      say(`Primero says: '${response.statusCode} ${response.statusMessage}'`);
      const items = tryJson(body).data;
      say(`${items.length} ${resource} retrieved from request: ${JSON.stringify(response.request, null, 2)}`);
      const next = composeNextState(state, items);
      return callback ? callback(next) : next;
    };
}

/** GET /api/v2/forms (e.g. `{record_type: 'case'}`). */
export const getForms = listOnce('forms');
/** GET /api/v2/lookups: ONE page (`per`, `page`; Primero's default per is 20). */
export const getLookups = listOnce('lookups');
/** GET /api/v2/locations: ONE page (`per`, `page`, `hierarchy`). */
export const getLocations = listOnce('locations');

// ---- writes and referrals --------------------------------------------------

async function referralsHandler(state: State, params: RequestParams, callback?: Callback): Promise<State> {
  const { response, body } = await call(params);
  say(`Primero says: '${response.statusCode} ${response.statusMessage}'`);
  const resp = tryJson(body);
  if (params.method === 'GET') say(`${resp.data.length} referrals retrieved from request: ${JSON.stringify(response.request, null, 2)}`);
  else if (params.method === 'PATCH') say('Referral updated.');
  const next = composeNextState(state, resp.data || resp);
  return callback ? callback(next) : next;
}

/** POST /api/v2/cases with `{data: <params>}` (so `createCase({data})` sends `{data: {data}}`, as 4.1.2 does). */
export function createCase(params: unknown, callback?: Callback): Operation {
  return async (state) => {
    const { url } = state.configuration;
    const [data] = expandReferences(state, params);
    const { response, body } = await call({
      method: 'POST',
      url: `${url}/api/v2/cases`,
      // `options` lands among the headers in the official, where it has no effect but is sent.
      headers: { ...jsonHeaders(state), options: { successCodes: [200, 201, 202, 203, 204] } },
      json: { data },
    }, params);
    const resp = tryJson(body);
    say(`Post succeeded: ${response.statusCode} ${response.statusMessage}`);
    const next = composeNextState(state, resp.body?.data);
    return callback ? callback(next) : next;
  };
}

/** PATCH /api/v2/cases/<id> with `{data: <params>}`. */
export function updateCase(id: unknown, params: unknown, callback?: Callback): Operation {
  return async (state) => {
    const { url } = state.configuration;
    const [data] = expandReferences(state, params);
    const { response, body } = await call({ method: 'PATCH', url: `${url}/api/v2/cases/${id}`, headers: jsonHeaders(state), json: { data } }, params);
    const resp = tryJson(body);
    say(`PATCH succeeded: ${response.statusCode} ${response.statusMessage}`);
    const next = composeNextState(state, resp.body?.data);
    return callback ? callback(next) : next;
  };
}

/** Looks the case up by its external ids (`remote: true`), then updates the first match or creates it. */
export function upsertCase(params: unknown, callback?: Callback): Operation {
  return async (state) => {
    const { url } = state.configuration;
    const [resolved] = expandReferences(state, params);
    const { data, externalIds } = resolved;
    const query: Record<string, unknown> = { remote: true, scope: {} };
    for (const x of (externalIds as string[]).filter((k) => data[k])) query[x] = `${data[x]}`;
    const request = call({ method: 'GET', url: `${url}/api/v2/cases`, headers: jsonHeaders(state), qs: query }, params);
    // record_id serves the lookup only; Primero refuses it in a create or update.
    delete data.record_id;
    const { body } = await request;
    const resp = tryJson(body);
    if (resp.data.length == 0) {
      say('No case found. Performing create.');
      return createCase({ data }, callback)(state);
    }
    if (resp.data.length > 0) {
      say('Case found. Performing update.');
      return updateCase(resp.data[0].id, { data }, callback)(state);
    }
    // The official never settles here (a `data` without a numeric length).
    return new Promise<State>(() => {});
  };
}

/** The referrals of one case, by record id (`externalId: 'record_id'`) or by case_id (exactly one match). */
export function getReferrals(params: unknown, callback?: Callback): Operation {
  return async (state) => {
    const { url } = state.configuration;
    const [{ externalId, id }] = expandReferences(state, params);
    if (externalId === 'record_id') {
      say('Fetching by record id...');
      return referralsHandler(state, { method: 'GET', url: `${url}/api/v2/cases/${id}/referrals`, headers: jsonHeaders(state) }, callback);
    }
    say('Fetching by case id...');
    const { body } = await call({ method: 'GET', url: `${url}/api/v2/cases`, headers: jsonHeaders(state), qs: { case_id: `${id}` } }, params);
    const resp = tryJson(body);
    if (resp.data.length == 0) throw 'No case found';
    if (resp.data.length === 1) {
      say('Case found. Fetching referrals.');
      return referralsHandler(state, { method: 'GET', url: `${url}/api/v2/cases/${resp.data[0].id}/referrals`, headers: jsonHeaders(state) }, callback);
    }
    throw 'Multiple cases found. Try using another externalId and ensure that it is unique.';
  };
}

/** POST /api/v2/cases/referrals with `{data: <params>}`. */
export function createReferrals(params: unknown, callback?: Callback): Operation {
  return async (state) => {
    const { url } = state.configuration;
    const [data] = expandReferences(state, params);
    const { response, body } = await call({
      method: 'POST',
      url: `${url}/api/v2/cases/referrals`,
      headers: { ...jsonHeaders(state), options: { successCodes: [200, 201, 202, 203, 204] } },
      json: { data },
    }, params);
    const resp = tryJson(body);
    say(`Post succeeded: ${response.statusCode} ${response.statusMessage}`);
    // As the official: `resp.data` is undefined for a JSON answer, so this throws (see the header).
    const next = composeNextState(state, resp.data.body);
    return callback ? callback(next) : next;
  };
}

/** PATCH one referral of a case, the case given by record id (`caseExternalId: 'record_id'`) or by case_id. */
export function updateReferral(params: unknown, callback?: Callback): Operation {
  return async (state) => {
    const { url } = state.configuration;
    const [{ caseExternalId, caseId, id, data }] = expandReferences(state, params);
    if (caseExternalId === 'record_id') {
      say('Updating referral by record id...');
      return referralsHandler(state, { method: 'PATCH', url: `${url}/api/v2/cases/${caseId}/referrals/${id}`, headers: jsonHeaders(state), json: { data } }, callback);
    }
    say('Updating referral by case id...');
    const { body } = await call({ method: 'GET', url: `${url}/api/v2/cases`, headers: jsonHeaders(state), qs: { case_id: `${caseId}` } }, params);
    const resp = tryJson(body);
    if (resp.data.length == 0) {
      say('No case found.');
      return state;
    }
    if (resp.data.length === 1) {
      say('Case found. Fetching referrals.');
      const record = resp.data[0].id;
      return referralsHandler(state, { method: 'PATCH', url: `${url}/api/v2/cases/${record}/referrals/${id}`, headers: jsonHeaders(state), json: { data } }, callback);
    }
    throw 'Multiple cases found. Try using another externalId and ensure that it is unique.';
  };
}

/** Deprecated alias of updateReferral (logs a warning when called). */
export function updateReferrals(params: unknown, callback?: Callback): Operation {
  say(
    'DEPRECATION WARNING: `updateReferrals` is being deprecated and is now called `updateReferral`; it only allows users to update a single referral on asingle case. Please update your job accordingly.',
  );
  return updateReferral(params, callback);
}

// Re-exported from language-common, exactly the official's list (no `cursor`).
export const alterState = common.alterState!;
export const as = common.as!;
export const beta = common.beta;
export const combine = common.combine!;
export const dataPath = common.dataPath!;
export const dataValue = common.dataValue!;
export const dateFns = common.dateFns;
export const each = common.each!;
export const field = common.field!;
export const fields = common.fields!;
export const fn = common.fn!;
export const fnIf = common.fnIf!;
export const lastReferenceValue = common.lastReferenceValue!;
export const log = common.log!;
export const merge = common.merge!;
export const sourceValue = common.sourceValue!;
