/** The REST API, as any script would use it: same-origin cookie session, JSON in and out. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Paths are relative to the document's <base href>, which carries the server's path prefix. */
export function apiUrl(path: string): string {
  return new URL('api' + path, document.baseURI).toString();
}

let onUnauthorized: () => void = () => {};

/** Called when the session is gone, so the UI can send the user to sign in. */
export function setUnauthorizedHandler(handler: () => void) {
  onUnauthorized = handler;
}

export async function api<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(apiUrl(path), {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 401 && !path.startsWith('/auth/')) {
    onUnauthorized();
  }
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      const error = await response.json();
      if (error && typeof error.error === 'string') {
        message = error.error;
      }
    } catch {
      // not JSON: keep the status line
    }
    throw new ApiError(response.status, message);
  }
  if (response.status === 204) {
    return undefined as T;
  }
  const type = response.headers.get('Content-Type') ?? '';
  const text = await response.text();
  if (text === '') {
    return undefined as T; // a 200 with nothing said (upstream answers so, as to a TOTP code)
  }
  return (type.includes('json') ? JSON.parse(text) : text) as T;
}

export const get = <T,>(path: string) => api<T>('GET', path);
export const post = <T,>(path: string, body?: unknown) => api<T>('POST', path, body ?? {});
export const put = <T,>(path: string, body: unknown) => api<T>('PUT', path, body);
export const del = (path: string) => api<void>('DELETE', path);

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
