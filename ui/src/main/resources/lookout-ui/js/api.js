// The collector's JSON API. A 401 anywhere means "log in": it is announced once as
// a 'lookout:login-required' event so the login dialog can take over.

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

export function apiUrl(path, params = {}) {
  const url = new URL(path, location.origin);
  for (const [key, value] of Object.entries(params)) {
    if (value !== '' && value != null) url.searchParams.set(key, String(value));
  }
  return url;
}

async function send(path, init, params) {
  let response;
  try {
    response = await fetch(apiUrl(path, params), {
      credentials: 'same-origin',
      ...init,
      headers: { Accept: 'application/json', ...(init.headers ?? {}) },
    });
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    throw new ApiError(0, 'Cannot reach the collector');
  }
  if (response.status === 401) {
    document.dispatchEvent(new CustomEvent('lookout:login-required'));
    throw new ApiError(401, 'login required');
  }
  if (!response.ok) throw new ApiError(response.status, await errorMessage(response));
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(response.status, `Malformed response from ${path}`);
  }
}

export function apiGet(path, params, signal) {
  return send(path, { signal }, params);
}

export function apiPost(path, body) {
  return send(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });
}

/** A route the collector does not offer (yet): views show "not available" instead of an error. */
export function isMissing(err) {
  return err?.status === 404 || err?.status === 405 || err?.status === 501;
}

async function errorMessage(response) {
  try {
    const body = await response.json();
    if (body && typeof body.error === 'string' && body.error) return body.error;
  } catch {
    // Not JSON (e.g. a proxy's HTML page): fall back to the status line.
  }
  return `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
}

export function items(body) {
  return Array.isArray(body?.items) ? body.items : [];
}

export function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    console.warn('Lookout: ignoring malformed live event', text);
    return null;
  }
}
