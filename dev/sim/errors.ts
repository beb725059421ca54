/**
 * Primero's error bodies (§2.8, §1.6). Non-auth errors use the `errors[]`
 * envelope keyed `status`; auth failures from Devise use `{"error": "..."}` and
 * always carry WWW-Authenticate.
 */
export interface PrimeroError {
  status: number;
  resource: string;
  message: string;
  detail?: string;
}

export const errorEnvelope = (status: number, resource: string, message: string, detail?: string) => ({
  errors: [{ status, resource, ...(detail === undefined ? {} : { detail }), message } satisfies PrimeroError],
});

export const MESSAGES = {
  403: 'Forbidden',
  404: 'Not Found',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
} as const;

export const AUTH_MESSAGES = {
  invalid: 'Invalid User name or password.',
  unauthenticated: 'You need to sign in or sign up before continuing.',
  expired: 'Signature has expired',
  badSignature: 'Signature verification failed',
  locked: 'Your account is locked.',
} as const;

export const WWW_AUTHENTICATE = 'Bearer realm="Primero" charset="UTF8"';
