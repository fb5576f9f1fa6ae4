/** What a test reads of an HTTP answer: status, body (JSON when it is), headers. */
export interface HttpAnswer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

/** Requests against `base` with an optional bearer token and JSON body; answers are parsed when they are JSON. */
export function httpClient(base: () => string) {
  const http = async (method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<HttpAnswer> => {
    const response = await fetch(`${base()}${path}`, {
      method,
      headers: {
        ...(options.body !== undefined && { 'content-type': 'application/json' }),
        ...(options.token !== undefined && { authorization: `Bearer ${options.token}` }),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON (metrics): kept as text.
    }
    return { status: response.status, body: body as Record<string, unknown>, headers: response.headers };
  };
  const login = async (username: string, password: string) => (await http('POST', '/api/login', { body: { username, password } })).body.token as string;
  return { http, login };
}
