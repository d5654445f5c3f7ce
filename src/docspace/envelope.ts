import type { CredentialKind } from './credential.js';
import { DocSpaceError } from './errors.js';
import { errorFromResponse } from './messages.js';

/** An unwrapped DocSpace envelope. */
export interface ApiResult<T> {
  response: T;
  count?: number;
  total?: number;
  /** HTTP status. */
  status: number;
}

/** What error messages need to know about the request an answer belongs to. */
export interface AnswerContext {
  method: string;
  url: URL;
  /** "file 12", used in messages. */
  subject?: string;
  credentialKind?: CredentialKind;
  now: number;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** `Retry-After` as seconds or an HTTP date, in milliseconds from `now`. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function validationFields(v: unknown): Record<string, string[]> | undefined {
  if (!isObject(v) || !isObject(v.errors)) return undefined;
  const out: Record<string, string[]> = {};
  for (const [k, list] of Object.entries(v.errors)) {
    out[k] = Array.isArray(list) ? list.map(String) : [String(list)];
  }
  return Object.keys(out).length ? out : undefined;
}

function failure(
  res: Response,
  ctx: AnswerContext,
  docspaceMessage?: string,
  fields?: Record<string, string[]>,
  status = res.status,
): DocSpaceError {
  return errorFromResponse({
    status,
    method: ctx.method,
    path: ctx.url.pathname,
    subject: ctx.subject,
    docspaceMessage,
    fields,
    retryAfterMs: parseRetryAfter(res.headers.get('retry-after'), ctx.now),
    credentialKind: ctx.credentialKind,
  });
}

function notApi(res: Response, ctx: AnswerContext): DocSpaceError {
  const type = res.headers.get('content-type') ?? 'no content type';
  const request = `${ctx.method} ${ctx.url.pathname}`;
  return new DocSpaceError(
    'invalid_response',
    `DocSpace answered ${request} with something other than its API's JSON (${type}). Check that the base URL is the portal's address.`,
    { status: res.status, request },
  );
}

/** Throws for DocSpace error bodies, which may come with HTTP 2xx, and for non-2xx answers. */
function checkForError(res: Response, ctx: AnswerContext, body: unknown): void {
  const env = isObject(body) ? body : undefined;
  const error = env && isObject(env.error) ? env.error : undefined;
  if (error && typeof error.message === 'string') {
    const status = res.ok ? (num(env?.statusCode) ?? 500) : res.status;
    throw failure(res, ctx, error.message, undefined, status);
  }
  // Model-binding errors come wrapped as a success-shaped envelope with status 1.
  const problem = env && isObject(env.response) ? env.response : env;
  const fields = validationFields(problem);
  if (fields && (!res.ok || env?.status === 1)) {
    throw failure(res, ctx, undefined, fields, res.ok ? 400 : res.status);
  }
  if (!res.ok) {
    // Other services answer with ProblemDetail (`detail`/`title`) or `{message}`.
    const msg = env
      ? [env.detail, env.message, problem?.title, env.title].find((m) => typeof m === 'string')
      : undefined;
    throw failure(res, ctx, msg as string | undefined);
  }
}

/** Reads a DocSpace answer: the unwrapped envelope, or a `DocSpaceError`. */
export async function readEnvelope<T>(res: Response, ctx: AnswerContext): Promise<ApiResult<T>> {
  const text = await res.text();
  let body: unknown;
  if (text.length > 0) {
    try {
      body = JSON.parse(text);
    } catch {
      if (!res.ok) throw failure(res, ctx);
      throw notApi(res, ctx);
    }
  }
  checkForError(res, ctx, body);
  if (!isObject(body) || !('response' in body || 'statusCode' in body || 'status' in body)) {
    if (body === undefined && res.status === 204) return { response: undefined as T, status: res.status };
    throw notApi(res, ctx);
  }
  return { response: body.response as T, count: num(body.count), total: num(body.total), status: res.status };
}

/** Turns a non-2xx answer of a raw request (download, chunk) into a `DocSpaceError`. */
export async function errorFromAnswer(res: Response, ctx: AnswerContext): Promise<DocSpaceError> {
  const text = await res.text().catch(() => '');
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  try {
    checkForError(res, ctx, body);
  } catch (e) {
    if (e instanceof DocSpaceError) return e;
    throw e;
  }
  return failure(res, ctx);
}
