// What tests of the console API share: logging in through the real login route, and reading an answer.
import { expect } from 'vitest';

/** A logged-in console session: the cookie header to send back, the CSRF token, and the raw Set-Cookie lines. */
export interface ConsoleSession {
  cookie: string;
  csrf: string;
  setCookie: string[];
}

/** Logs in at `${baseUrl}/console/api/login` and expects it to succeed. */
export async function loginToConsole(baseUrl: string, email: string, password: string): Promise<ConsoleSession> {
  const response = await fetch(`${baseUrl}/console/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  expect(response.status).toBe(200);
  const setCookie = response.headers.getSetCookie();
  const cookie = setCookie.map((line) => line.split(';')[0]).join('; ');
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return { cookie, csrf: csrfToken, setCookie };
}

/** `text` as JSON, or `otherwise` when it is not JSON. */
export function parseJson(text: string, otherwise: unknown = null): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return otherwise;
  }
}

export interface ReadAnswer {
  status: number;
  text: string;
  /** The body as JSON; null when it is not JSON. */
  json: unknown;
  headers: Headers;
}

/** Reads the whole body: as text, and as JSON where it is. */
export async function readAnswer(response: Response): Promise<ReadAnswer> {
  const text = await response.text();
  return { status: response.status, text, json: parseJson(text), headers: response.headers };
}

/** Who calls the console API: a session (its cookie and CSRF token) or an API key, or nobody. */
export interface ConsoleCaller {
  cookie?: string;
  csrf?: string;
  key?: string;
}

/** One request as `caller`, `body` (if any) as JSON, `headers` on top; the whole answer read. */
export async function callConsole(
  baseUrl: string,
  method: string,
  path: string,
  caller: ConsoleCaller = {},
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ReadAnswer> {
  return readAnswer(
    await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(caller.cookie ? { cookie: caller.cookie } : {}),
        ...(caller.csrf ? { 'x-csrf-token': caller.csrf } : {}),
        ...(caller.key ? { authorization: `Bearer ${caller.key}` } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    }),
  );
}
