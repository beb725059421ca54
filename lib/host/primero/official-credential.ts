/**
 * The Primero credential in the keys @openfn/language-primero 4.1.2 reads
 * (`url, user, password, basicAuth`), from the project's settings. Current
 * Primero authenticates with HTTP Basic only, so `authMode: 'basic'` (the
 * default) must become `basicAuth: true`: without it the official adaptor logs
 * in at /api/v2/tokens, gets no token, and every later call answers 401.
 */
export interface OfficialPrimeroCredential {
  url: string;
  user: string;
  password: string;
  basicAuth: boolean;
}

export function officialPrimeroCredential(settings: { url: string; user: string; password: string; authMode?: 'basic' | 'token' }): OfficialPrimeroCredential {
  // The official appends `/api/v2/...` to the url as given: no trailing slash.
  return { url: settings.url.replace(/\/+$/, ''), user: settings.user, password: settings.password, basicAuth: settings.authMode !== 'token' };
}
