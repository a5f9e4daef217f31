// The console's one way to talk to the admin API under /admin/api/v1.
// Same-origin session cookie; state-changing requests carry the CSRF token in X-XSRF-TOKEN;
// problem+json errors become an ApiError whose message is the problem's detail (or title).

const BASE = '/admin/api/v1';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

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

function readCookie(name) {
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return null;
}

async function ensureCsrf() {
  if (!csrf) {
    const body = await send('GET', '/auth/csrf');
    csrf = { headerName: body?.header_name || 'X-XSRF-TOKEN', token: body?.token };
  }
  // The header echoes the CSRF cookie (readable by this origin's scripts only): __Host-XSRF-TOKEN when the
  // console is served over https, XSRF-TOKEN otherwise; the body's token is the fallback.
  return {
    headerName: csrf.headerName,
    token: readCookie('__Host-XSRF-TOKEN') || readCookie('XSRF-TOKEN') || csrf.token,
  };
}

async function send(method, path, body, extraHeaders = {}) {
  const headers = { Accept: 'application/json, application/problem+json', ...extraHeaders };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(BASE + path, init);
  } catch {
    throw new ApiError('Cannot reach the CocoCloud server. Check your connection and try again.', 0);
  }
  const text = await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
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
export async function api(method, path, body) {
  method = method.toUpperCase();
  if (SAFE_METHODS.has(method)) return send(method, path, body);
  const token = await ensureCsrf();
  try {
    return await send(method, path, body, { [token.headerName]: token.token });
  } catch (error) {
    if (!isCsrfFailure(error)) throw error;
    // The token changed (new session, expired): fetch a fresh one and try once more.
    resetCsrf();
    const fresh = await ensureCsrf();
    return send(method, path, body, { [fresh.headerName]: fresh.token });
  }
}

export const get = (path) => api('GET', path);
export const post = (path, body) => api('POST', path, body);
export const patch = (path, body) => api('PATCH', path, body);
export const del = (path) => api('DELETE', path);
