import { type ErrorShape, errorResponse, RPC } from './errors.js';

/** Deeper JSON than this is refused: no MCP message needs it and deep values cost stack. */
export const MAX_JSON_DEPTH = 64;

export type BodyResult = { ok: true; value: unknown; bytes: number } | { ok: false; response: Response };

function tooLarge(shape: ErrorShape, max: number): BodyResult {
  return {
    ok: false,
    response: errorResponse(
      shape,
      413,
      `The request body is larger than ${max} bytes (DOCSPACE_MAX_BODY_SIZE).`,
    ),
  };
}

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
 * deeper than MAX_JSON_DEPTH).
 */
export async function readJsonBody(
  req: Request,
  max: number,
  shape: ErrorShape = 'jsonrpc',
): Promise<BodyResult> {
  const declared = Number(req.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > max) return tooLarge(shape, max);
  let text: string;
  let size = 0;
  if (Number.isFinite(declared)) {
    // A declared length is what HTTP/1.1 delivers, so the whole body can be read in one go:
    // on the Node server that reads the socket directly, without a web stream per request.
    text = await req.text();
    size = declared;
    // Characters never outnumber bytes: a longer text means the declared length was a lie.
    if (text.length > max) return tooLarge(shape, max);
  } else {
    const read = await readStreamed(req, max);
    if (read === undefined) return tooLarge(shape, max);
    ({ text, size } = read);
  }
  return parseJson(text, size, shape);
}

/** Reads a body of unknown length, stopping as soon as it passes `max` (undefined then). */
async function readStreamed(req: Request, max: number): Promise<{ text: string; size: number } | undefined> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (req.body) {
    const reader = req.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > max) {
        await reader.cancel().catch(() => undefined);
        return undefined;
      }
      chunks.push(value);
    }
  }
  return { text: Buffer.concat(chunks).toString('utf8'), size };
}

function parseJson(text: string, size: number, shape: ErrorShape): BodyResult {
  if (jsonDepth(text) > MAX_JSON_DEPTH) {
    return {
      ok: false,
      response: errorResponse(shape, 400, `The JSON body is nested deeper than ${MAX_JSON_DEPTH} levels.`, {
        code: RPC.invalidRequest,
      }),
    };
  }
  try {
    return { ok: true, value: JSON.parse(text), bytes: size };
  } catch {
    return {
      ok: false,
      response: errorResponse(shape, 400, 'Parse error: the body is not valid JSON.', {
        code: RPC.parseError,
      }),
    };
  }
}
