import {
  DEMO_OWNED,
  defaultShown,
  flagOf,
  type Group,
  isBoolean,
  SETTINGS,
  type Setting,
} from './settings.js';
import { VERSION } from './version.js';

const GROUPS: Group[] = [
  'DocSpace',
  'Tools',
  'Transport',
  'HTTP',
  'Rate limits',
  'OAuth',
  'Storage',
  'Logging',
];

function byGroup(): Map<Group, Setting[]> {
  const out = new Map<Group, Setting[]>(GROUPS.map((g) => [g, []]));
  for (const s of Object.values(SETTINGS) as Setting[]) out.get(s.group)?.push(s);
  return out;
}

function plain(text: string): string {
  return text.replace(/`/g, '');
}

function wrap(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((l) => indent + l).join('\n');
}

/** `docspace-mcp --help`, generated from the settings table. */
export function helpText(): string {
  const out = [
    `docspace-mcp ${VERSION}: an MCP server for ONLYOFFICE DocSpace`,
    '',
    'Usage: docspace-mcp [serve|demo|emulator] [options]',
    '',
    'Commands:',
    '  serve      run the MCP server (default)',
    '  demo       run a seeded DocSpace emulator and the server with OAuth on http://127.0.0.1:8080/mcp',
    '  emulator   run the DocSpace emulator alone (see docspace-mcp emulator --help)',
    '',
    'Every option is also an environment variable (shown in brackets); options win.',
    'Booleans take yes/no/true/false/1/0; a boolean option alone means yes, --no-<option> means no.',
    'Lists are comma-separated.',
  ];
  for (const [group, settings] of byGroup()) {
    out.push('', `${group}:`);
    for (const s of settings) {
      const value = isBoolean(s) ? '' : ' <value>';
      const shown = defaultShown(s) ? ` (default: ${defaultShown(s)})` : '';
      out.push(`  ${flagOf(s.env)}${value}  [${s.env}]${shown}`);
      out.push(wrap(plain(s.description), 90, '      '));
    }
  }
  out.push('', '  -h, --help     show this text', '  -v, --version  print the version', '');
  return out.join('\n');
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** `docs/configuration.md`, generated from the settings table (a test keeps it fresh). */
export function markdownReference(): string {
  const out = [
    '# Configuration',
    '',
    '<!-- Generated from src/config/settings.ts by `node scripts/gen-config-doc.mjs`; do not edit by hand. -->',
    '',
    'Every setting is an environment variable and a command-line option of `docspace-mcp serve`;',
    'an option wins over the variable. Booleans accept `yes`, `no`, `true`, `false`, `1`, `0`; a',
    'boolean option alone means yes and `--no-<option>` means no. Lists are comma-separated; names',
    'in them are case-insensitive. Base URLs must be `http(s)://` without query or fragment.',
    '',
    '`docspace-mcp demo` reads the same variables and options (`DOCSPACE_PORT`, `DOCSPACE_SECRET`,',
    '`DOCSPACE_STORE`, the tool settings, …) except the ones it sets itself (its emulator over HTTP,',
    'with OAuth on), which it ignores with a warning, as variables or as options:',
    `${DEMO_OWNED.map((key) => `\`${SETTINGS[key].env}\``).join(', ')}.`,
    'Without `DOCSPACE_SECRET` it makes up a key per start.',
    '',
    'Over HTTP the server refuses to start without `DOCSPACE_BASE_URL`: every tool call goes to that',
    'portal. A port that is taken, or that needs privileges, stops it with one line naming the port.',
    '`/readyz` answers 503 while the portal does not answer (or answers 5xx) or the store is down.',
    '',
    'Configuration errors name the variable, the problem and a fix, all at once, and stop the',
    'server with exit code 1 — except under `stdio`, where desktop clients hide stderr: there the',
    'server starts anyway and every tool call answers with the configuration error.',
    '',
    '## HTTP sessions',
    '',
    '`/mcp` serves MCP 2026-07-28 (stateless, `server/discover`) and the 2025 revisions',
    '(`initialize`) on one endpoint. 2026-07-28 has no sessions: the server asks the client',
    '(confirmations) with `input_required` results.',
    '',
    'For 2025 clients, `DOCSPACE_HTTP_SESSIONS` chooses:',
    '',
    '- `stateful` (default): `initialize` opens a session and its answer carries an',
    '  `Mcp-Session-Id`. In a session the server can send the client requests (a confirmation',
    "  before a destructive tool, sampling) on the tool call's response stream, `GET /mcp` opens",
    '  the stream for server messages, streams resume with `Last-Event-ID` (events are kept in the',
    '  store for 10 minutes; `retry` 1 s), and `DELETE /mcp` ends the session. Credentials and',
    '  per-request settings are still checked on **every** request (a refreshed OAuth token takes',
    '  effect at once; a tool narrowed away by request headers cannot be called). A session belongs',
    '  to whoever opened it: any other credential with its id gets 404, as does an ended or expired',
    '  id. Sessions end after `DOCSPACE_HTTP_SESSION_IDLE` without a request; an instance holds at',
    '  most `DOCSPACE_HTTP_SESSION_MAX` (503 beyond) and one person at most',
    '  `DOCSPACE_HTTP_SESSION_PRINCIPAL_MAX` (429 beyond). A 2025 request without a session id that',
    '  is not `initialize` is still answered on its own, as below. With the Redis store a session',
    '  works on every instance, without sticky load balancing (deployment.md, "Sessions across',
    '  instances").',
    '- `stateless`: every POST is answered by a fresh server instance, no `Mcp-Session-Id` is',
    '  issued and nothing needs expiring. Progress notifications still reach 2025 clients on the',
    "  POST's own SSE response, but the server cannot ask the client anything, so destructive",
    '  tools confirm in two calls instead (see',
    '  [clients.md](clients.md#confirmation-of-destructive-tools)). `GET` and `DELETE /mcp` answer 405.',
    '',
    'The legacy HTTP+SSE transport (`/sse` + `/messages`) is sessionful by nature: sessions expire',
    'after `DOCSPACE_SESSION_TTL`, at most `DOCSPACE_SESSION_MAX` are open, and shutdown closes',
    'them cleanly. A session belongs to whoever opened it: every POST must authenticate as the same',
    'principal.',
    '',
    '## Per-request settings',
    '',
    'Over HTTP a client can narrow the tools per request, on every request (not only at',
    '`initialize`), with headers (prefix `DOCSPACE_REQUEST_HEADER_PREFIX`, default `x-mcp-`) or, when',
    '`DOCSPACE_REQUEST_QUERY` is on, query parameters of the MCP URL:',
    '',
    '| Header | Query | Meaning |',
    '|---|---|---|',
    '| `X-Mcp-Toolsets` | `toolsets` | only these toolsets (alone, it narrows) |',
    '| `X-Mcp-Enabled-Tools` | `enabled_tools` | only these tools (plus the toolsets above) |',
    '| `X-Mcp-Disabled-Tools` | `disabled_tools` | minus these tools |',
    '| `X-Mcp-Dynamic` | `dynamic` | meta tools instead of the tools |',
    '| `X-Mcp-Read-Only` | `read_only` | only tools that change nothing |',
    '',
    'Names must be among the tools the server offers; a request can take tools away, never add. The',
    'same setting in both a header and the query is a 400. Clients without OAuth can send a DocSpace',
    'credential as `X-Mcp-Api-Key`, `X-Mcp-Auth-Token` or `X-Mcp-Username` + `X-Mcp-Password` (or',
    '`Authorization: Bearer <API key>`). Unlike the reference server there is no `X-Mcp-Base-Url`:',
    'the portal is the configured one, so the server cannot be pointed at arbitrary hosts.',
  ];
  for (const [group, settings] of byGroup()) {
    out.push('', `## ${group}`, '', '| Variable | Option | Default | Description |', '|---|---|---|---|');
    for (const s of settings) {
      const names = [s.env, ...(s.aliases ?? [])].map((n) => `\`${n}\``).join('<br>');
      const shown = defaultShown(s) ? `\`${defaultShown(s)}\`` : '';
      const secret = s.secret ? ' Secret: never logged.' : '';
      out.push(`| ${names} | \`${flagOf(s.env)}\` | ${cell(shown)} | ${cell(s.description + secret)} |`);
    }
  }
  out.push('');
  return out.join('\n');
}
