import type { AccessLevel } from '../oauth/access-level.js';
import { selectTools, type ToolSelection } from '../tools/selection.js';
import type { AnyToolRecord } from '../tools/types.js';

/**
 * The access a person gave one connection (an OAuth grant, a personal token), as the request's
 * authentication found it. It only ever narrows: the operator's tool selection (toolsets,
 * read-only, enabled/disabled) is applied first and is a ceiling no connection exceeds.
 */
export interface ConnectionAccess {
  level: AccessLevel;
  /** Where the person changes it (`/connections`), named in refusals. */
  manageUrl?: string;
  /** A personal token's level is fixed when it is made: the refusal says to make another. */
  personalToken?: boolean;
}

/** Whether the connection's level admits the tool: `read` admits the tools marked read-only. */
export function admits(access: ConnectionAccess | undefined, tool: AnyToolRecord): boolean {
  return access?.level !== 'read' || tool.hints.readOnlyHint;
}

/** The tools of the operator's selection this connection may see and call. */
export function withinAccess(
  tools: readonly AnyToolRecord[],
  access: ConnectionAccess | undefined,
): readonly AnyToolRecord[] {
  return access?.level === 'read' ? tools.filter((t) => t.hints.readOnlyHint) : tools;
}

/** The one sentence a refused call answers: why, and where to change it. */
export function refusal(tool: string, access: ConnectionAccess): string {
  const where = access.manageUrl ? ` at ${access.manageUrl}` : ' on your connections page';
  if (access.personalToken)
    return `${tool} can change your DocSpace, and this personal token is Read only; to allow it, create a Read and write token${where}.`;
  return `${tool} can change your DocSpace, and this connection has Read only access; to allow it, change the connection to Read and write${where}.`;
}

/**
 * The refusal for a call to a tool the operator's selection offers but the connection's level
 * withholds; undefined for any other name (unknown names stay the SDK's to answer).
 */
export function withheldBy(
  selection: ToolSelection,
  access: ConnectionAccess | undefined,
  name: string,
): string | undefined {
  if (access?.level !== 'read') return undefined;
  const tool = selectTools(selection).find((t) => t.name === name);
  return tool && !admits(access, tool) ? refusal(tool.name, access) : undefined;
}

/**
 * For the session transports, whose tools were registered when the session opened: the JSON-RPC
 * answer to the first `tools/call` in `body` that the connection's level withholds (a tool
 * result with `isError`, so the model reads the sentence), or undefined.
 */
export function refusedCall(
  body: unknown,
  selection: ToolSelection,
  access: ConnectionAccess | undefined,
): { jsonrpc: '2.0'; id: unknown; result: object } | undefined {
  if (access?.level !== 'read') return undefined;
  for (const m of Array.isArray(body) ? body : [body]) {
    const call = m as { id?: unknown; method?: unknown; params?: { name?: unknown } } | null;
    if (call?.method !== 'tools/call' || typeof call.params?.name !== 'string') continue;
    const why = withheldBy(selection, access, call.params.name);
    if (why)
      return {
        jsonrpc: '2.0',
        id: call.id ?? null,
        result: { content: [{ type: 'text', text: why }], isError: true },
      };
  }
  return undefined;
}
