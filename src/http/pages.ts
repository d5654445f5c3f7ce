import { readFile } from 'node:fs/promises';
import { type Html, html, layout } from '../pages/html.js';

/** What the landing and `/mcp` pages tell a person about this server. */
export interface ServerFacts {
  /** The MCP endpoint to paste into a client. */
  mcpUrl: string;
  /** The DocSpace portal behind it. */
  portalUrl?: string;
  /** OAuth sign-in is on (clients that speak OAuth only need the URL). */
  oauth: boolean;
  /** DocSpace API keys are accepted as `Authorization: Bearer`. */
  bearerKeys: boolean;
  /** The server signs in with one configured account (single-user setups). */
  sharedAccount: boolean;
  /** Legacy SSE endpoint, when served. */
  sseUrl?: string;
  /** The person's connections page, when OAuth with the operator's DocSpace app is on. */
  connectionsUrl?: string;
}

function howToConnect(f: ServerFacts): Html {
  const auth = f.oauth
    ? 'Your app will open a browser: confirm on this server’s page, then sign in to DocSpace and confirm there too. The app then acts as you, with your rights.'
    : f.sharedAccount
      ? 'This server signs in to DocSpace with one account its operator configured; every app connected to it acts as that account.'
      : html`Send a DocSpace API key as <code>Authorization: Bearer sk-…</code> (create one in DocSpace under Profile → API keys).`;
  const keys =
    f.oauth && f.bearerKeys
      ? html`<li>Apps without sign-in (scripts, some CLIs) can send a DocSpace API key as <code>Authorization: Bearer sk-…</code>.</li>`
      : '';
  return html`<h2>Connect an app</h2>
<ul>
<li><b>Claude, ChatGPT</b>: add a custom connector with the URL above.</li>
<li><b>VS Code, Cursor</b>: add an MCP server of type <code>http</code> with the URL above.</li>
<li><b>Claude Code</b>: <code>claude mcp add --transport http docspace ${f.mcpUrl}</code></li>
<li><b>Codex</b>: <code>codex mcp add docspace --url ${f.mcpUrl}</code></li>
<li><b>Gemini CLI</b>: <code>gemini mcp add --transport http docspace ${f.mcpUrl}</code></li>
${keys}</ul>
<p class="muted">${auth}</p>
<p class="muted">Step by step for each app, with the quirks of each: <a href="/docs/clients.md">the client guides</a>.</p>${
    f.connectionsUrl
      ? html`\n<p>Already connected? <a href="${f.connectionsUrl}">See and revoke your AI connections</a>.</p>`
      : ''
  }`;
}

/** `GET /`: what this server is and how to connect to it. */
export function landingPage(f: ServerFacts): string {
  const portal = f.portalUrl
    ? html`<p>It connects AI assistants to the DocSpace portal <b data-testid="portal">${f.portalUrl}</b>: rooms, folders, files and their content, sharing, people.</p>`
    : html`<p>It connects AI assistants to an ONLYOFFICE DocSpace portal: rooms, folders, files and their content, sharing, people.</p>`;
  const sse = f.sseUrl
    ? html`<p class="muted">Older clients that only speak the legacy SSE transport use <code>${f.sseUrl}</code>.</p>`
    : '';
  return layout(
    'docspace-mcp',
    html`<h1>docspace-mcp</h1>
<p>This is an MCP server for ONLYOFFICE DocSpace.</p>
${portal}
<h2>The address to paste into your app</h2>
<code class="url" data-testid="mcp-url">${f.mcpUrl}</code>
${sse}
${howToConnect(f)}`,
  );
}

/** `GET /mcp` from a browser: the endpoint is for apps, not for browsing. */
export function mcpEndpointPage(f: ServerFacts): string {
  return layout(
    'This is an MCP endpoint',
    html`<h1>This is an MCP endpoint</h1>
<p>This address is meant for AI apps, not for a browser. Paste it into your app’s MCP or connector settings:</p>
<code class="url" data-testid="mcp-url">${f.mcpUrl}</code>
${howToConnect(f)}`,
  );
}

/** The package's own docs folder (shipped with it: package.json `files`). */
const DOCS = new URL('../../../docs/', import.meta.url);

/** `docs/clients.md` as plain text, or undefined when the package was installed without it. */
export async function clientGuide(): Promise<string | undefined> {
  return readFile(new URL('clients.md', DOCS), 'utf8').catch(() => undefined);
}
