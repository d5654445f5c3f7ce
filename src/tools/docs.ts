import { MAX_RESOURCE_BYTES } from './content.js';
import { META_TOOLS } from './meta.js';
import { TOOLS } from './registry.js';
import { type JsonSchema, jsonSchemaOf } from './schema.js';
import { TOOLSETS, type ToolHints, type ToolsetName, wireHints } from './types.js';

/** A tool as `tools/list` shows it. */
export interface ToolDefinition {
  name: string;
  title: string;
  description: string;
  inputSchema: JsonSchema;
  outputSchema?: JsonSchema;
  annotations: Partial<ToolHints>;
}

function definition(t: {
  name: string;
  title: string;
  description: string;
  input: Parameters<typeof jsonSchemaOf>[0];
  output?: Parameters<typeof jsonSchemaOf>[0];
  hints: ToolHints;
}): ToolDefinition {
  return {
    name: t.name,
    title: t.title,
    description: t.description,
    inputSchema: jsonSchemaOf(t.input, 'input'),
    ...(t.output ? { outputSchema: jsonSchemaOf(t.output, 'output') } : {}),
    annotations: wireHints(t.hints),
  };
}

/** Every tool and meta tool as the model sees it: the reviewed snapshot (`test/fixtures/tools.snapshot.json`). */
export function toolsSnapshot(): { tools: ToolDefinition[]; metaTools: ToolDefinition[] } {
  return { tools: TOOLS.map(definition), metaTools: META_TOOLS.map(definition) };
}

function hintCell(h: ToolHints): string {
  const flags: string[] = [];
  flags.push(h.readOnlyHint ? 'read-only' : 'writes');
  if (h.destructiveHint) flags.push('destructive');
  if (h.idempotentHint) flags.push('idempotent');
  if (h.openWorldHint) flags.push('open-world');
  return flags.join(', ');
}

function argsCell(schema: JsonSchema): string {
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  const names = Object.keys(props).map((n) => (required.has(n) ? `\`${n}\`*` : `\`${n}\``));
  return names.length > 0 ? names.join(', ') : '–';
}

const esc = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** `docs/tools.md`, generated from the records; a test fails when the file is stale. */
export function renderToolsDoc(): string {
  const lines: string[] = [
    '# Tools',
    '',
    '<!-- Generated from src/tools by `node scripts/gen-tools-doc.mjs`. Do not edit by hand. -->',
    '',
    `${TOOLS.length} tools in ${Object.keys(TOOLSETS).length} toolsets. Arguments marked * are required.`,
    'Select them with `DOCSPACE_TOOLSETS`, `DOCSPACE_ENABLED_TOOLS`, `DOCSPACE_DISABLED_TOOLS`,',
    '`DOCSPACE_READ_ONLY` (only read-only tools) and `DOCSPACE_DYNAMIC` (the meta tools below instead).',
    '',
  ];
  for (const set of Object.keys(TOOLSETS) as ToolsetName[]) {
    lines.push(
      `## ${set}`,
      '',
      TOOLSETS[set],
      '',
      '| Tool | What it does | Arguments | Hints |',
      '| --- | --- | --- | --- |',
    );
    for (const t of TOOLS.filter((x) => x.toolset === set)) {
      lines.push(
        `| \`${t.name}\` | **${esc(t.title)}.** ${esc(t.description)} | ${argsCell(jsonSchemaOf(t.input, 'input'))} | ${hintCell(t.hints)} |`,
      );
    }
    lines.push('');
  }
  lines.push(
    '## Meta tools (dynamic mode)',
    '',
    '| Tool | What it does | Arguments | Hints |',
    '| --- | --- | --- | --- |',
  );
  for (const t of META_TOOLS) {
    lines.push(
      `| \`${t.name}\` | **${esc(t.title)}.** ${esc(t.description)} | ${argsCell(jsonSchemaOf(t.input, 'input'))} | ${hintCell(t.hints)} |`,
    );
  }
  lines.push(
    '',
    '## Resources',
    '',
    `\`docspace://files/{id}\` reads a file’s original content (text for text formats, base64 otherwise, up to ${MAX_RESOURCE_BYTES / 1024 / 1024} MB).`,
    '`resources/list` offers the person’s recent files. `download_file` links here for files too large to embed.',
    '',
    '## Prompts',
    '',
    'Offered in `prompts/list` when the tools they use are exposed; `completion/complete` completes room and file names from the portal with the caller’s rights.',
    '',
    '- `summarize_document` (`file`*, `focus`): find a file by name, read it all as text, summarise it.',
    '- `gather_files_in_room` (`topic`*, `room`*): find files about a topic, confirm the pick, copy them into a room (created if missing).',
    '- `share_room_with_guest` (`room`*, `email`*, `access`*): check a room’s contents and levels, then invite the person or send a link.',
    '',
    '## Calls written for the reference server',
    '',
    'Arguments shaped for ONLYOFFICE’s own docspace-mcp work unchanged: its `filters` object (`count`, `startIndex`, `filterValue`, `sortBy`, `sortOrder`, `filterType`, `applyFilterOption`, `extension`, `userIdOrGroupId`, `excludeSubject`, `type`, `searchArea`, `subjectId`, `tags`, `withoutTags`, `filterSeparator`, `fields`) on the tools that have it, and DocSpace’s numbers for `roomType` and invitation `access`. A filter that cannot be mapped, and any argument a tool does not know, is refused with a message naming it and the accepted ones: nothing is silently dropped.',
    '',
    'Ids are numbers, or strings for files and folders in connected third-party storage (`box-3-|path`, as DocSpace gives them); every tool that takes an id accepts both.',
    '',
    '## Limited accounts',
    '',
    'Tools act with the signed-in person’s rights and the sign-in’s scopes. Where part of a tool is out of reach, it does what it can and says so:',
    '',
    '- `search_files` without `folderId` searches My documents and every room. Guests have no My documents, so only rooms are searched; a sign-in without `rooms:read` searches only My documents. The result’s `note` says which part was left out.',
    '- Only DocSpace admins and room admins may list people. For Users and Guests, `find_person` by `name` searches the members of their rooms (with a `note`), and by exact `email` anyone; `get_all_people` refuses with that advice.',
    '',
    '## Audit and metrics',
    '',
    'Every tool call, in both modes, is one `tool.called` audit event (tool, user and client ids when known, outcome, duration; never arguments or tokens) and one report to the server’s metrics (`docspace_mcp_tool_calls_total{tool,outcome}`). Outcomes: `ok`, `input_required` (a confirmation question), `cancelled`, or an error code: a DocSpace one (`forbidden`, `not_found`, `unauthorized`, `bad_request`, `quota`, `conflict`, `rate_limited`, `unavailable`, `timeout`, `operation_failed`, `too_large`, `network`, `invalid_response`), a tool’s own argument check (such as `bad_target`), `invalid_arguments`, `not_confirmed`, `not_configured`, `unknown_tool` or `internal` (a fault, logged with a reference). With OAuth on, the ids and titles a call touched (id arguments, `title` fields of the result; never content) also go to the person’s own activity log at `/connections/activity` (docs/connections.md), not to the audit log line.',
    '',
  );
  return lines.join('\n');
}
