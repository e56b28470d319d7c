// Reads the devserver's REST API (/api/public/...).

/** A failed request: the HTTP status and the server's message. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/**
 * GETs a path with query parameters (arrays repeat the parameter; empty values are left out) and returns
 * {body, text}: the parsed JSON and its text, so views can tell whether anything changed since the last poll.
 */
export async function get(path, params = {}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === '') continue;
    if (Array.isArray(value)) value.forEach((each) => query.append(key, each));
    else query.append(key, String(value));
  }
  const url = query.toString() ? `${path}?${query}` : path;
  let response;
  try {
    response = await fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-store' });
  } catch (unreachable) {
    throw new ApiError(0, 'The devserver does not answer: is it still running?');
  }
  const text = await response.text();
  let body = null;
  try {
    body = JSON.parse(text);
  } catch (notJson) {
    body = null;
  }
  if (!response.ok) {
    throw new ApiError(response.status, body?.message ?? `${response.status} ${response.statusText}`);
  }
  return { body, text };
}

/**
 * Makes the refresh function of a live view: it sends the request, shows a failure with onFailure(error) (and
 * rethrows it), and calls render(body) only when the answer changed since the last refresh.
 */
export function poller(request, render, onFailure) {
  let lastText = null;
  return async function refresh() {
    let result;
    try {
      result = await request();
    } catch (error) {
      lastText = null;
      onFailure(error);
      throw error;
    }
    if (result.text === lastText) return;
    lastText = result.text;
    render(result.body);
  };
}
