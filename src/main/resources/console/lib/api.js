// The admin API, called with the bearer token the user signed in with. The token lives in
// sessionStorage: it is gone when the tab closes and is never written anywhere else.

const TOKEN = 'tollgate.console.token';

export const session = {
  /** 'METHOD /admin/v1/path' of every admin route this gateway serves (from /console/routes.json). */
  routes: new Set(),
  /** Who signed in: {name, role, roles, teams, user, known}; known=false when the build has no roles. */
  me: null,
  token: sessionStorage.getItem(TOKEN),
  onSignedOut: () => {},
};

export class ApiError extends Error {
  constructor(status, code, message, body) {
    super(message);
    this.status = status;
    this.code = code;
    this.body = body;
  }
}

export function saveToken(token) {
  session.token = token;
  sessionStorage.setItem(TOKEN, token);
}

export function signOut(reason) {
  session.token = null;
  session.me = null;
  sessionStorage.removeItem(TOKEN);
  session.onSignedOut(reason);
}

/** True if this build serves the route, e.g. has('GET', '/admin/v1/alerts'). */
export function has(method, path) {
  return session.routes.has(`${method} ${path}`);
}

export async function loadRoutes() {
  const res = await fetch('routes.json', { headers: { accept: 'application/json' } });
  const body = await res.json();
  session.routes = new Set(body.routes || []);
}

/**
 * Keeps decimals exactly as the API wrote them: a non-integer number (money is exact to the
 * nano-dollar) becomes its decimal text, so CSV files and data-value attributes carry the API's
 * figures, not a float's. Pages do arithmetic with Number(...). Browsers without JSON.parse source
 * access (before Chrome 114, Firefox 135, Safari 18.4) keep numbers as numbers.
 */
function exact(key, value, context) {
  return typeof value === 'number' && !Number.isInteger(value) && context && typeof context.source === 'string' ? context.source : value;
}

function url(path, query) {
  const u = new URL(path, window.location.origin);
  for (const [k, v] of Object.entries(query || {})) {
    if (v === null || v === undefined || v === '') continue;
    u.searchParams.set(k, v);
  }
  return u.pathname + u.search;
}

export async function call(method, path, { query, body, token } = {}) {
  const headers = { accept: 'application/json' };
  const bearer = token ?? session.token;
  // Signed out while a page was still loading: its last calls stop here instead of going out bare.
  if (!bearer && path.startsWith('/admin/')) throw new ApiError(401, 'signed_out', 'You are signed out.', null);
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res;
  try {
    res = await fetch(url(path, query), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, 'unreachable', 'The gateway did not answer. Is it running?', null);
  }
  if (res.status === 204) return null;
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text, exact) : null;
  } catch {
    json = null;
  }
  if (res.ok) return json;
  const err = json && json.error ? json.error : {};
  const error = new ApiError(res.status, err.code || `http_${res.status}`, err.message || `${method} ${path} answered ${res.status}.`, json);
  if (res.status === 401 && !token && session.token) signOut('Your token was refused (expired, revoked or changed). Sign in again.');
  throw error;
}

export const get = (path, query) => call('GET', path, { query });

/** A non-JSON answer (e.g. a CSV statement) as text, with the same token. */
export async function raw(path, query) {
  if (!session.token) throw new ApiError(401, 'signed_out', 'You are signed out.', null);
  const res = await fetch(url(path, query), { headers: { authorization: `Bearer ${session.token}` } });
  const text = await res.text();
  if (!res.ok) {
    let message = `${path} answered ${res.status}.`;
    try {
      message = JSON.parse(text).error.message || message;
    } catch {
      // not JSON: keep the status line
    }
    throw new ApiError(res.status, `http_${res.status}`, message, null);
  }
  return text;
}

/**
 * True if the signed-in token holds one of these roles (always true on a build without roles).
 * A hint to leave out what a role may not use; the admin API decides.
 */
export function hasRole(...roles) {
  const me = session.me;
  return !me || !me.known || roles.some((r) => me.roles.includes(r));
}
export const post = (path, body = {}) => call('POST', path, { body });
export const del = (path) => call('DELETE', path);

/** GET /admin/v1/usage with these parameters. */
export const usage = (query) => get('/admin/v1/usage', query);
