import { AppError } from '../errors.js';
import { TOOLS, TOOLSET_NAMES } from './registry.js';
import type { AnyToolRecord } from './types.js';

/**
 * Which tools a server (or one request) exposes. Produced from `DOCSPACE_TOOLSETS`,
 * `DOCSPACE_ENABLED_TOOLS`, `DOCSPACE_DISABLED_TOOLS`, `DOCSPACE_DYNAMIC`, `DOCSPACE_READ_ONLY`
 * and `DOCSPACE_CONFIRM_DESTRUCTIVE` by `resolveSelection`, and narrowed per request by
 * `narrowSelection`.
 */
export interface ToolSelection {
  /** Toolset names; `all` is expanded by `resolveSelection`. */
  toolsets: string[];
  /** Tools added on top of the toolsets (their toolset comes with them). */
  enabledTools: string[];
  /** Tools removed after everything else. */
  disabledTools: string[];
  /** Expose the five meta tools instead of the tools themselves. */
  dynamic: boolean;
  /** Only tools whose annotation says they change nothing. */
  readOnly: boolean;
  /** Ask the person (elicitation) before destructive tools act, where the client can. */
  confirmDestructive: boolean;
}

/** A selection that names unknown tools/toolsets or leaves nothing. */
export class SelectionError extends AppError {
  declare readonly code: 'invalid_tool_selection';
  constructor(message: string) {
    super('invalid_tool_selection', message, { status: 400, expose: true });
  }
}

const TOOL_BY_NAME = new Map(TOOLS.map((t) => [t.name, t]));

function normalise(list: readonly string[] | undefined): string[] {
  const out: string[] = [];
  for (const raw of list ?? []) {
    const name = raw.trim().toLowerCase();
    if (name !== '' && !out.includes(name)) out.push(name);
  }
  return out;
}

function checkKnown(kind: string, names: string[], known: readonly string[]): void {
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) {
    throw new SelectionError(`Unknown ${kind}: ${unknown.join(', ')}. Known: ${known.join(', ')}.`);
  }
}

/**
 * Validates and normalises a configured selection: trims and lower-cases names, expands
 * `all`, rejects unknown names and a selection that leaves no tool. Throws `SelectionError`.
 * Defaults: every toolset, nothing enabled or disabled extra, static, read-write, confirm on.
 */
export function resolveSelection(raw: Partial<ToolSelection> = {}): ToolSelection {
  let toolsets = normalise(raw.toolsets ?? ['all']);
  if (toolsets.includes('all')) toolsets = [...TOOLSET_NAMES];
  const enabledTools = normalise(raw.enabledTools);
  const disabledTools = normalise(raw.disabledTools);
  checkKnown('toolset', toolsets, TOOLSET_NAMES);
  checkKnown('tool', enabledTools, [...TOOL_BY_NAME.keys()]);
  checkKnown('tool', disabledTools, [...TOOL_BY_NAME.keys()]);
  const selection: ToolSelection = {
    toolsets,
    enabledTools,
    disabledTools,
    dynamic: raw.dynamic ?? false,
    readOnly: raw.readOnly ?? false,
    confirmDestructive: raw.confirmDestructive ?? true,
  };
  if (selectTools(selection).length === 0) {
    throw new SelectionError(
      'No tools left: the toolsets, enabled, disabled and read-only settings exclude every tool.',
    );
  }
  return selection;
}

/**
 * The tools a selection exposes, in catalogue order (toolset order, then declaration order):
 * the listed toolsets' tools, plus enabled tools, minus disabled tools, minus writing tools in
 * read-only mode.
 */
export function selectTools(selection: ToolSelection): AnyToolRecord[] {
  const toolsets = new Set(selection.toolsets);
  const enabled = new Set(selection.enabledTools);
  const disabled = new Set(selection.disabledTools);
  return TOOLS.filter(
    (tool) =>
      (toolsets.has(tool.toolset) || enabled.has(tool.name)) &&
      !disabled.has(tool.name) &&
      !(selection.readOnly && !tool.hints.readOnlyHint),
  );
}

/** Names of the regular tools a selection exposes (not the meta tools). */
export function listToolNames(selection: ToolSelection): string[] {
  return selectTools(selection).map((t) => t.name);
}

/** Toolsets that keep at least one tool under the selection. */
export function listToolsets(selection: ToolSelection): string[] {
  const used = new Set(selectTools(selection).map((t) => t.toolset));
  return TOOLSET_NAMES.filter((name) => used.has(name));
}

/**
 * Narrows the server's selection with per-request settings (`X-Mcp-Toolsets`,
 * `X-Mcp-Enabled-Tools`, `X-Mcp-Disabled-Tools`, `X-Mcp-Dynamic`, `X-Mcp-Read-Only` or the
 * matching query parameters). A request can only take tools away: names must be among what
 * the server exposes, read-only and confirmation can be switched on but not off.
 *
 * Unlike the reference server, `toolsets` alone narrows (enabled tools default to none when
 * toolsets are given), and names are checked against the server's tools, not an empty list.
 * Throws `SelectionError` with one sentence for a 400 response.
 */
export function narrowSelection(server: ToolSelection, requested: Partial<ToolSelection>): ToolSelection {
  const allowedTools = listToolNames(server);
  const allowedToolsets = listToolsets(server);
  const toolsets = requested.toolsets === undefined ? undefined : normalise(requested.toolsets);
  const enabled = normalise(requested.enabledTools);
  const disabled = normalise(requested.disabledTools);

  const badToolsets = (toolsets ?? []).filter((n) => n !== 'all' && !allowedToolsets.includes(n));
  if (badToolsets.length > 0) {
    throw new SelectionError(
      `Toolset not available on this server: ${badToolsets.join(', ')}. Available: ${allowedToolsets.join(', ')}.`,
    );
  }
  const badTools = [...enabled, ...disabled].filter((n) => !allowedTools.includes(n));
  if (badTools.length > 0) {
    throw new SelectionError(`Tool not available on this server: ${badTools.join(', ')}.`);
  }

  let names = allowedTools;
  if (toolsets !== undefined || requested.enabledTools !== undefined) {
    const sets = toolsets?.includes('all') ? allowedToolsets : (toolsets ?? []);
    names = allowedTools.filter(
      (n) => sets.includes(TOOL_BY_NAME.get(n)?.toolset ?? '') || enabled.includes(n),
    );
  }
  const readOnly = server.readOnly || requested.readOnly === true;
  names = names.filter(
    (n) => !disabled.includes(n) && !(readOnly && !TOOL_BY_NAME.get(n)?.hints.readOnlyHint),
  );
  if (names.length === 0)
    throw new SelectionError('No tools left after applying the request’s tool settings.');

  return {
    toolsets: [],
    enabledTools: names,
    disabledTools: [],
    dynamic: requested.dynamic ?? server.dynamic,
    readOnly,
    confirmDestructive: server.confirmDestructive || requested.confirmDestructive === true,
  };
}
