import { HttpError, RPC } from './errors.js';

/** Deeper JSON than this is refused: no MCP message needs it and deep values cost stack. */
export const MAX_JSON_DEPTH = 64;

/**
 * `release` gives the body's bytes back to the budget; call it once the request is done with
 * the body (a no-op without a budget).
 */
export interface JsonBody {
  value: unknown;
  bytes: number;
  release: () => void;
}

/**
 * Body bytes being read or held across all requests at once (`DOCSPACE_MAX_BODY_IN_FLIGHT`),
 * so a flood of large requests cannot exhaust memory: past it, a request is refused with 503
 * before its body is read.
 */
export class BodyBudget {
  private used = 0;
  constructor(readonly max: number) {}
  get inUse(): number {
    return this.used;
  }
  /** Takes `bytes` from the budget; false (nothing taken) when they do not fit. */
  take(bytes: number): boolean {
    if (this.used + bytes > this.max) return false;
    this.used += bytes;
    return true;
  }
  give(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }
}

const busy = () =>
  new HttpError(
    503,
    'body_budget_exhausted',
    'The server is receiving too much request data at once (DOCSPACE_MAX_BODY_IN_FLIGHT); retry shortly.',
    { headers: { 'Retry-After': '1' } },
  );

const tooLarge = (max: number) =>
  new HttpError(
    413,
    'body_too_large',
    `The request body is larger than ${max} bytes (DOCSPACE_MAX_BODY_SIZE).`,
  );

/** Deepest nesting of arrays/objects in JSON text, ignoring brackets inside strings. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92 /* \ */) i++;
      else if (ch === 34 /* " */) inString = false;
    } else if (ch === 34) inString = true;
    else if (ch === 123 || ch === 91) {
      depth++;
      if (depth > max) max = depth;
    } else if (ch === 125 || ch === 93) depth--;
  }
  return max;
}

/**
 * Reads a JSON body under a size bound (413 beyond it, checked against Content-Length first and
 * then while streaming), and parses it (400 with -32700 when it is not JSON, -32600 when nested
 * deeper than MAX_JSON_DEPTH). With a budget, the body's bytes are taken from it before they are
 * read (a declared length up front, a streamed body chunk by chunk): 503 when they do not fit.
 * On success the bytes stay taken until the caller's `release`; on failure they are given back
 * and an `HttpError` is thrown.
 */
export async function readJsonBody(req: Request, max: number, budget?: BodyBudget): Promise<JsonBody> {
  const declared = Number(req.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > max) throw tooLarge(max);
  let taken = 0;
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    budget?.give(taken);
  };
  let text: string;
  let size = 0;
  try {
    if (Number.isFinite(declared)) {
      if (budget && !budget.take(declared)) throw busy();
      taken = declared;
      // A declared length is what HTTP/1.1 delivers, so the whole body can be read in one go:
      // on the Node server that reads the socket directly, without a web stream per request.
      text = await req.text();
      size = declared;
      // Characters never outnumber bytes: a longer text means the declared length was a lie.
      if (text.length > max) throw tooLarge(max);
    } else {
      const read = await readStreamed(req, max, (n) => {
        if (budget && !budget.take(n)) return false;
        taken += n;
        return true;
      });
      if (read === 'busy') throw busy();
      if (read === undefined) throw tooLarge(max);
      ({ text, size } = read);
    }
    return { value: parseJson(text), bytes: size, release };
  } catch (err) {
    release();
    throw err;
  }
}

/**
 * Reads a body of unknown length, stopping as soon as it passes `max` (undefined then) or a
 * chunk does not fit the budget (`'busy'`).
 */
async function readStreamed(
  req: Request,
  max: number,
  take: (bytes: number) => boolean,
): Promise<{ text: string; size: number } | undefined | 'busy'> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (req.body) {
    const reader = req.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      const refused = size > max ? undefined : take(value.byteLength) ? false : 'busy';
      if (refused !== false) {
        await reader.cancel().catch(() => undefined);
        return refused;
      }
      chunks.push(value);
    }
  }
  return { text: Buffer.concat(chunks).toString('utf8'), size };
}

function parseJson(text: string): unknown {
  if (jsonDepth(text) > MAX_JSON_DEPTH) {
    throw new HttpError(
      400,
      'json_too_deep',
      `The JSON body is nested deeper than ${MAX_JSON_DEPTH} levels.`,
      {
        rpcCode: RPC.invalidRequest,
      },
    );
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'json_invalid', 'Parse error: the body is not valid JSON.', {
      rpcCode: RPC.parseError,
    });
  }
}
