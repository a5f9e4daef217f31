// The console's one way to talk to the admin API under /admin/api/v1.
// Signed in with a password: the session cookie, and state-changing requests carry the CSRF token in
// X-XSRF-TOKEN. Signed in with a personal access token: Authorization: Bearer on every call, no CSRF (a
// browser never sends that header by itself). Error answers become an ApiError carrying the problem+json body.

const BASE = '/admin/api/v1';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const TOKEN_KEY = 'cococloud.token'; // sessionStorage: gone when the tab closes

/** An error answer of the API (or no answer at all: status 0). */
export class ApiError extends Error {
  constructor(message, status, problem = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem; // the parsed problem+json body, when there was one
  }
}

let csrf = null; // {headerName, token} from GET /auth/csrf

/** Forget the CSRF token: the server issues a new one when the session starts or ends. */
export function resetCsrf() {
  csrf = null;
}

/** The personal access token the console signs in with, or null (session cookie). */
export function accessToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function useAccessToken(token) {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
  resetCsrf();
}

function readCookie(name) {
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return null;
}

async function csrfHeader() {
  if (!csrf) {
    const body = await send('GET', '/auth/csrf');
    csrf = { headerName: body?.header_name || 'X-XSRF-TOKEN', token: body?.token };
  }
  // The header echoes the CSRF cookie (readable by this origin's scripts only): __Host-XSRF-TOKEN when the
  // console is served over https, XSRF-TOKEN otherwise; the body's token is the fallback.
  return { [csrf.headerName]: readCookie('__Host-XSRF-TOKEN') || readCookie('XSRF-TOKEN') || csrf.token };
}

/** One HTTP exchange. body: undefined (none), FormData (multipart) or any JSON value. */
async function send(method, path, body, extraHeaders = {}, as = 'json') {
  const headers = { Accept: 'application/json, application/problem+json', ...extraHeaders };
  const token = accessToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (body instanceof FormData) {
    init.body = body; // the browser sets the multipart boundary
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(BASE + path, init);
  } catch {
    throw new ApiError('Cannot reach the CocoCloud server. Check your connection and try again.', 0);
  }
  if (response.ok && as === 'blob') return response.blob();
  const text = await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = response.ok ? text : null;
    }
  }
  if (!response.ok) {
    const problem = data && typeof data === 'object' ? data : null;
    throw new ApiError(problemMessage(problem, response), response.status, problem);
  }
  return data;
}

function problemMessage(problem, response) {
  if (problem?.detail) return problem.detail;
  if (Array.isArray(problem?.errors) && problem.errors.length) {
    return problem.errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; ');
  }
  if (problem?.title) return problem.title;
  return `The server answered ${response.status} ${response.statusText}`.trim();
}

function isCsrfFailure(error) {
  return error instanceof ApiError && error.status === 403 &&
    String(error.problem?.type || '').endsWith(':csrf');
}

/** Calls the API; resolves to the parsed JSON body (null for 204), rejects with ApiError. */
export async function api(method, path, body, as = 'json') {
  method = method.toUpperCase();
  if (SAFE_METHODS.has(method) || accessToken()) return send(method, path, body, {}, as);
  try {
    return await send(method, path, body, await csrfHeader(), as);
  } catch (error) {
    if (!isCsrfFailure(error)) throw error;
    // The token changed (new session, expired): fetch a fresh one and try once more.
    resetCsrf();
    return send(method, path, body, await csrfHeader(), as);
  }
}

export const get = (path) => api('GET', path);
export const post = (path, body) => api('POST', path, body);
export const put = (path, body) => api('PUT', path, body);
export const patch = (path, body) => api('PATCH', path, body);
export const del = (path) => api('DELETE', path);
/** A binary answer (a static file's bytes) as a Blob. */
export const getBlob = (path) => api('GET', path, undefined, 'blob');

/** `?a=1&b=2` from an object, leaving out empty values; '' when nothing is left. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
