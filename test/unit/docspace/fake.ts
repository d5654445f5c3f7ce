import type { Clock } from '../../../src/docspace/transport.js';

/** One request the client made, as the fake portal saw it. */
export interface Call {
  method: string;
  url: URL;
  headers: Headers;
  /** Parsed JSON body, the FormData, or the raw string. */
  body: unknown;
}

export type Handler = (call: Call) => Response | Promise<Response>;

/** A `fetch` that never touches the network: `handler` answers, every call is recorded. */
export function fakeFetch(handler: Handler): { fetch: typeof fetch; calls: Call[] } {
  const calls: Call[] = [];
  const fake = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    const headers = new Headers(init.headers);
    let body: unknown = init.body;
    if (typeof init.body === 'string' && headers.get('content-type')?.includes('json'))
      body = JSON.parse(init.body);
    const call: Call = { method: init.method ?? 'GET', url, headers, body };
    calls.push(call);
    const signal = init.signal;
    if (signal?.aborted) throw signal.reason;
    const answer = Promise.resolve().then(() => handler(call));
    if (!signal) return answer;
    return new Promise<Response>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      answer.then(
        (r) => {
          signal.removeEventListener('abort', onAbort);
          resolve(r);
        },
        (e: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      );
    });
  };
  return { fetch: fake as typeof fetch, calls };
}

/** A DocSpace success envelope. */
export function ok(
  response: unknown,
  extra: { count?: number; total?: number; status?: number } = {},
): Response {
  const body: Record<string, unknown> = {
    response,
    count: extra.count ?? (Array.isArray(response) ? response.length : 1),
    links: [{ href: 'http://portal.test/api/2.0/x', action: 'GET' }],
    status: 0,
    statusCode: extra.status ?? 200,
  };
  if (extra.total !== undefined) body.total = extra.total;
  return Response.json(body, { status: extra.status ?? 200 });
}

/** A DocSpace error envelope (`ErrorApiResponse`). */
export function fail(status: number, message: string, headers: Record<string, string> = {}): Response {
  return Response.json(
    { error: { message, type: null, stack: null, hresult: 0 }, status: 1, statusCode: status },
    { status, headers },
  );
}

/** A bare status with no body, as DocSpace's auth layer answers. */
export function bare(status: number, headers: Record<string, string> = {}): Response {
  return new Response(null, { status, headers });
}

/** A clock whose sleeps return at once (still honouring abort) and advance `now`. */
export function fakeClock(start = 1_700_000_000_000): Clock & { slept: number[] } {
  let now = start;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    random: () => 0.5,
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw signal.reason;
      slept.push(ms);
      now += ms;
      await Promise.resolve();
      if (signal?.aborted) throw signal.reason;
    },
  };
}

export const BASE = 'http://portal.test';
