// The REST API as the GUI uses it: same-origin fetches with the login cookies, errors as readable text.

/** An answer that was not 2xx: the status and the API's own message (errors[0].detail). */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

const HEADERS = { 'X-Requested-With': 'sluice-gui' };

async function detail(resp) {
  const text = await resp.text();
  try {
    const doc = JSON.parse(text);
    if (doc.errors && doc.errors.length) {
      return doc.errors.map((e) => e.detail).join('; ');
    }
  } catch (e) {
    // not JSON: the text itself
  }
  return text || resp.statusText || ('HTTP ' + resp.status);
}

/** Calls the API; resolves to the parsed JSON document (null for 204), rejects with an ApiError. */
export async function api(method, path, body) {
  const init = { method, headers: { ...HEADERS }, credentials: 'same-origin' };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let resp;
  try {
    resp = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, 'Sluice does not answer (' + e.message + ')');
  }
  if (resp.status === 401) {
    window.dispatchEvent(new CustomEvent('sluice-logged-out'));
  }
  if (!resp.ok) {
    throw new ApiError(resp.status, await detail(resp));
  }
  if (resp.status === 204) {
    return null;
  }
  const type = resp.headers.get('Content-Type') || '';
  return type.includes('json') ? resp.json() : resp.text();
}

export const get = (path) => api('GET', path);

/** Logs in: a token for 8 hours, kept by the browser in the token_body/token_sig cookies. */
export async function login(user, password) {
  let resp;
  try {
    resp = await fetch('/v1/auth?persist=yes&max-age=28800', {
      headers: { ...HEADERS, Authorization: 'Basic ' + btoa(unescape(encodeURIComponent(user + ':' + password))) },
      credentials: 'same-origin',
    });
  } catch (e) {
    throw new ApiError(0, 'Sluice does not answer (' + e.message + ')');
  }
  if (resp.status === 401) {
    throw new ApiError(401, 'Wrong user name or password');
  }
  if (!resp.ok) {
    throw new ApiError(resp.status, await detail(resp));
  }
}

/** The user the login cookie names, or null when there is none (the token's claims are not secret). */
export function currentUser() {
  const m = document.cookie.match(/(?:^|;\s*)token_body=([^;]+)/);
  if (!m) {
    return null;
  }
  try {
    const claims = JSON.parse(atob(m[1].split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    return claims.exp * 1000 > Date.now() ? claims.sub : null;
  } catch (e) {
    return null;
  }
}

/** Forgets the login: without token_body the signature cookie alone authenticates nothing. */
export function logout() {
  document.cookie = 'token_body=; Path=/; Max-Age=0; SameSite=Lax';
}
