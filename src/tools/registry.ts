import { contentTools } from './content.js';
import { filesTools } from './files.js';
import { foldersTools } from './folders.js';
import { peopleTools } from './people.js';
import { roomsTools } from './rooms.js';
import { sharingTools } from './sharing.js';
import { type AnyToolRecord, TOOLSETS, type ToolsetName } from './types.js';

/** Every tool, in `tools/list` order: toolsets in TOOLSETS order, tools as declared. */
export const TOOLS: readonly AnyToolRecord[] = (() => {
  const all = [
    ...filesTools,
    ...contentTools,
    ...sharingTools,
    ...foldersTools,
    ...roomsTools,
    ...peopleTools,
  ];
  const order = Object.keys(TOOLSETS);
  // Strict: an argument the tool does not know is refused with its name, never dropped silently
  // (reference-shaped arguments are mapped first by compat.ts).
  return all
    .map((t) => ({ ...t, input: t.input.strict() }))
    .sort((a, b) => order.indexOf(a.toolset) - order.indexOf(b.toolset));
})();

export const TOOLSET_NAMES = Object.keys(TOOLSETS) as ToolsetName[];
export const TOOL_NAMES: readonly string[] = TOOLS.map((t) => t.name);

export function getTool(name: string): AnyToolRecord | undefined {
  return TOOLS.find((t) => t.name === name);
}
