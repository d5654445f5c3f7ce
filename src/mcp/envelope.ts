/**
 * Checks the parts of `tools/call` and `resources/read` requests the SDK would otherwise reject
 * with a dump of schema issues, and words the refusal as one sentence (JSON-RPC -32602). Only
 * requests (with an id) are checked; anything else is left to the SDK.
 */
export const INVALID_PARAMS = -32602;

export interface EnvelopeError {
  jsonrpc: '2.0';
  id: string | number;
  error: { code: number; message: string };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function problem(method: unknown, params: unknown): string | undefined {
  // Params that are not an object make the message itself invalid (-32600): the SDK says so.
  if (params !== undefined && !isObject(params)) return undefined;
  if (method === 'tools/call') {
    if (!isObject(params))
      return 'Invalid params: tools/call needs `params` with the tool `name` and its `arguments` object.';
    if (typeof params.name !== 'string' || params.name === '')
      return 'Invalid params: tools/call needs the tool `name` as a string.';
    if (params.arguments !== undefined && !isObject(params.arguments))
      return `Invalid params: \`arguments\` of tools/call must be an object, like {"fileId": 1}, not ${kindOf(params.arguments)}.`;
  }
  if (method === 'resources/read') {
    if (!isObject(params) || typeof params.uri !== 'string')
      return 'Invalid params: resources/read needs the resource `uri` as a string, like "docspace://files/1".';
  }
  return undefined;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** The JSON-RPC error to answer instead of handing `message` to the SDK, or undefined. */
export function envelopeError(message: unknown): EnvelopeError | undefined {
  if (!isObject(message)) return undefined;
  const { id } = message;
  if (typeof id !== 'string' && typeof id !== 'number') return undefined;
  const text = problem(message.method, message.params);
  return text ? { jsonrpc: '2.0', id, error: { code: INVALID_PARAMS, message: text } } : undefined;
}
