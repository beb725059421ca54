/**
 * Primero's base URL as the settings take it and as messages show it.
 */

/** `https://host/primero/api/v2/` and `https://host/primero` are the same base: the adaptor appends `/api/v2/...`. */
export function normalisePrimeroBaseUrl(url: string): string {
  return url.replace(/\/+$/, '').replace(/\/api\/v2$/i, '').replace(/\/+$/, '');
}

/** `https://user:pw@host/x` -> `https://host/x`: base URLs in messages never show userinfo. */
export function safeBaseUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/+$/, '');
  } catch {
    return '<invalid url>';
  }
}
