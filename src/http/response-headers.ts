import type { ServerResponse } from 'node:http';
import type { Context } from 'hono';
import type { HttpEnv } from './env.js';
import { withHeaders } from './rate-limit.js';

/**
 * Adds headers to the response of this request (request id, rate-limit state) without touching
 * the `Response` object.
 *
 * On the Node server they go on the `ServerResponse`, which merges them when the answer is
 * written. Setting them on the `Response` instead made @hono/node-server's lightweight response
 * build its full WHATWG twin, and Hono copy it once more, so every answer was pumped through a
 * web stream. In-process (`app.request`, tests) there is no
 * `ServerResponse`, and the headers are set on the `Response` as before.
 */
export function addResponseHeaders(c: Context<HttpEnv>, headers: Record<string, string>): void {
  if (!onServerResponse(c, headers)) c.res = withHeaders(c.res, headers);
}

/** The same for a handler's own answer, before it is returned: gives the response to return. */
export function withResponseHeaders(
  c: Context<HttpEnv>,
  res: Response,
  headers: Record<string, string>,
): Response {
  return onServerResponse(c, headers) ? res : withHeaders(res, headers);
}

function onServerResponse(c: Context<HttpEnv>, headers: Record<string, string>): boolean {
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  if (!outgoing || typeof outgoing.setHeader !== 'function' || outgoing.headersSent) return false;
  for (const name in headers) outgoing.setHeader(name, headers[name] as string);
  return true;
}
