// Drives the server through the SDK v2 client against the emulator, in one of two assemblies:
// - 'assembled' (end-to-end tests): the server as the CLI starts it — `docspace-mcp serve` over
//   real loopback HTTP (loadConfig + startHttpServer, every guard in front), or the CLI process
//   itself over stdio for clients that keep one session ('session' era);
// - 'in-process' (integration tests of the MCP layer): the server factory behind
//   `createMcpHandler`, where a test needs hooks no configuration reaches (audit, principal, …).
import { fileURLToPath } from 'node:url';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { createMcpHandler, InMemoryTransport } from '@modelcontextprotocol/server';
import { type Emulator, type FaultOptions, startEmulator } from '../../emulator/index.js';
import type { Credential } from '../../src/docspace/credential.js';
import type { HttpServerHandle } from '../../src/http/start.js';
import { createServerFactory, type ServerDeps, type ServerRequest } from '../../src/mcp/server.js';
import { resolveSelection, type ToolSelection } from '../../src/tools/selection.js';
import { startServe } from './assembled.js';

const CLI = fileURLToPath(new URL('../../src/cli.js', import.meta.url));

export type Assembly = 'assembled' | 'in-process';

export type Role = 'owner' | 'admin' | 'roomAdmin' | 'user' | 'guest';

export interface ToolResult {
  isError?: boolean;
  content: { type: string; text?: string; [k: string]: unknown }[];
  structuredContent?: Record<string, unknown>;
}

export interface ConnectOptions {
  role?: Role;
  credential?: Credential;
  selection?: Partial<ToolSelection>;
  /** How the person answers confirmation questions; undefined = client cannot elicit. */
  elicit?: 'accept' | 'decline';
  /**
   * A client that cannot be asked gets destructive calls back with a confirmation code (two
   * steps). When true (the default for clients that cannot elicit), `call` plays the model that
   * asked the person and got a yes: it calls again with the code. False shows the first answer.
   */
  relayConfirmation?: boolean;
  /**
   * modern: 2026-07-28 over HTTP; legacy: 2025 over HTTP (an `Mcp-Session-Id` session unless
   * `httpSessions` is `stateless`); session: 2025 in one connection (stdio).
   */
  era?: 'modern' | 'legacy' | 'session';
  /** `DOCSPACE_HTTP_SESSIONS` of the assembled server (default: the server's default, stateful). */
  httpSessions?: 'stateful' | 'stateless';
  deps?: Partial<ServerDeps>;
  /** Extra per-request values (principal, request id), as the HTTP edge would set them (in-process only). */
  request?: Omit<ServerRequest, 'credential'>;
}

/** The settings a configured server takes for what `connect` asks (assembled only). */
function envFor(opts: ConnectOptions): Record<string, string> {
  const env: Record<string, string> = {};
  const sel = opts.selection ?? {};
  if (sel.toolsets) env.DOCSPACE_TOOLSETS = sel.toolsets.join(',');
  if (sel.enabledTools) env.DOCSPACE_ENABLED_TOOLS = sel.enabledTools.join(',');
  if (sel.disabledTools) env.DOCSPACE_DISABLED_TOOLS = sel.disabledTools.join(',');
  if (sel.dynamic !== undefined) env.DOCSPACE_DYNAMIC = String(sel.dynamic);
  if (sel.readOnly !== undefined) env.DOCSPACE_READ_ONLY = String(sel.readOnly);
  if (sel.confirmDestructive !== undefined) env.DOCSPACE_CONFIRM_DESTRUCTIVE = String(sel.confirmDestructive);
  if (opts.httpSessions) env.DOCSPACE_HTTP_SESSIONS = opts.httpSessions;
  const { fetch: _fetch, requestTimeoutMs, ...rest } = opts.deps ?? {};
  if (requestTimeoutMs !== undefined) env.DOCSPACE_API_TIMEOUT = String(requestTimeoutMs);
  const unreachable = [...Object.keys(rest), ...(opts.request ? ['request'] : [])];
  if (unreachable.length > 0)
    throw new Error(
      `${unreachable.join(', ')} cannot be set on the assembled server; test it in-process (test/integration/mcp)`,
    );
  return env;
}

/** A DocSpace credential as a client sends it over HTTP. */
function headersFor(credential: Credential): Record<string, string> {
  switch (credential.kind) {
    case 'apiKey':
      return { authorization: `Bearer ${credential.apiKey}` };
    case 'personalToken':
      return { authorization: `Bearer ${credential.token}` };
    case 'password':
    case 'basic':
      return { 'x-mcp-username': credential.username, 'x-mcp-password': credential.password };
    default:
      throw new Error(`the harness cannot send a ${credential.kind} credential`);
  }
}

/** The same credential as the CLI takes it from its environment (stdio). */
function credentialEnv(credential: Credential): Record<string, string> {
  switch (credential.kind) {
    case 'apiKey':
      return { DOCSPACE_API_KEY: credential.apiKey };
    case 'personalToken':
      return { DOCSPACE_AUTH_TOKEN: credential.token };
    case 'password':
    case 'basic':
      return { DOCSPACE_USERNAME: credential.username, DOCSPACE_PASSWORD: credential.password };
    default:
      throw new Error(`the harness cannot configure a ${credential.kind} credential`);
  }
}

export interface Session {
  client: Client;
  /** Elicitation messages the person was shown. */
  asked: string[];
  call(
    name: string,
    args?: Record<string, unknown>,
    opts?: { onprogress?: (p: { progress: number }) => void },
  ): Promise<ToolResult>;
  close(): Promise<void>;
}

export class Harness {
  private constructor(
    readonly emu: Emulator,
    readonly assembly: Assembly,
  ) {}
  private sessions: Session[] = [];
  /** Assembled servers by configuration: tests with the same settings share one. */
  private servers = new Map<string, Promise<HttpServerHandle>>();
  private fetchIds = new WeakMap<typeof fetch, number>();

  static async start(opts: { faults?: FaultOptions; assembly?: Assembly } = {}): Promise<Harness> {
    return new Harness(
      await startEmulator({ seed: 'demo', faults: opts.faults }),
      opts.assembly ?? 'assembled',
    );
  }

  private server(env: Record<string, string>, fetchImpl?: typeof fetch): Promise<HttpServerHandle> {
    let fetchId = 0;
    if (fetchImpl) {
      fetchId =
        this.fetchIds.get(fetchImpl) ??
        this.fetchIds.set(fetchImpl, this.servers.size + 1).get(fetchImpl) ??
        0;
    }
    const key = JSON.stringify({ env, fetchId });
    let server = this.servers.get(key);
    if (!server) {
      server = startServe({ DOCSPACE_BASE_URL: this.emu.url, ...env }, { fetch: fetchImpl });
      this.servers.set(key, server);
    }
    return server;
  }

  apiKey(role: Role): string {
    const u = this.emu.info.users.find((x) => x.role === role);
    if (!u) throw new Error(`no seeded ${role}`);
    return u.apiKey;
  }

  async connect(opts: ConnectOptions = {}): Promise<Session> {
    const credential = opts.credential ?? { kind: 'apiKey', apiKey: this.apiKey(opts.role ?? 'owner') };
    const asked: string[] = [];
    const client = new Client(
      { name: 'harness', version: '1' },
      {
        capabilities: opts.elicit ? { elicitation: { form: {} } } : {},
        ...(opts.era === 'legacy' || opts.era === 'session'
          ? {}
          : { versionNegotiation: { mode: { pin: '2026-07-28' } } }),
      },
    );
    if (opts.elicit) {
      client.setRequestHandler('elicitation/create', async (req) => {
        asked.push(String((req.params as { message?: string }).message));
        return opts.elicit === 'accept'
          ? { action: 'accept', content: { confirm: true } }
          : { action: 'decline' };
      });
    }
    let closeServer = async () => {};
    if (this.assembly === 'assembled') {
      const env = envFor(opts);
      if (opts.era === 'session') {
        // One long session, as desktop clients keep it: the CLI itself over stdio.
        if (opts.deps?.fetch) throw new Error('a stdio server cannot take an injected fetch');
        await client.connect(
          new StdioClientTransport({
            command: process.execPath,
            args: [CLI],
            env: {
              PATH: process.env.PATH ?? '',
              DOCSPACE_BASE_URL: this.emu.url,
              DOCSPACE_LOG_LEVEL: 'warn',
              ...env,
              ...credentialEnv(credential),
            },
            stderr: process.env.DEBUG_TESTS ? 'inherit' : 'ignore',
          }),
        );
      } else {
        const server = await this.server(env, opts.deps?.fetch);
        await client.connect(
          new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
            requestInit: { headers: headersFor(credential) },
          }),
        );
      }
    } else {
      const factory = createServerFactory({
        baseUrl: this.emu.url,
        selection: resolveSelection(opts.selection ?? {}),
        requestTimeoutMs: 10_000,
        ...opts.deps,
      });
      if (opts.era === 'session') {
        const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
        await factory({ credential, ...opts.request }).connect(serverSide);
        await client.connect(clientSide);
      } else {
        // Large enough for a 25 MB upload as base64 (the HTTP server must allow the same).
        const handler = createMcpHandler(() => factory({ credential, ...opts.request }), {
          maxRequestBodySize: 64 * 1024 * 1024,
        });
        closeServer = () => handler.close();
        await client.connect(
          new StreamableHTTPClientTransport(new URL('http://mcp.test/mcp'), {
            fetch: (url, init) => handler.fetch(new Request(url, init)),
          }),
        );
      }
    }
    const relay = opts.relayConfirmation ?? !opts.elicit;
    const callOnce = async (
      name: string,
      args: Record<string, unknown>,
      callOpts: { onprogress?: (p: { progress: number }) => void },
    ) =>
      (await client.callTool({ name, arguments: args }, { onprogress: callOpts.onprogress })) as ToolResult;
    const session: Session = {
      client,
      asked,
      call: async (name, args = {}, callOpts = {}) => {
        const first = await callOnce(name, args, callOpts);
        const code = relay && first.isError ? /"confirm": "([^"]+)"/.exec(text(first))?.[1] : undefined;
        return code ? callOnce(name, { ...args, confirm: code }, callOpts) : first;
      },
      close: async () => {
        await client.close();
        await closeServer();
      },
    };
    this.sessions.push(session);
    return session;
  }

  /** A new API key of a seeded user carrying only these scopes (DocSpace `POST keys`). */
  async scopedKey(role: Role, permissions: string[]): Promise<Credential> {
    const res = await fetch(`${this.emu.url}/api/2.0/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.apiKey(role)}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `scoped ${permissions.join(' ')}`.slice(0, 30), permissions }),
    });
    const body = (await res.json()) as { response?: { key?: string } };
    if (!res.ok || !body.response?.key) throw new Error(`could not create a key: ${res.status}`);
    return { kind: 'apiKey', apiKey: body.response.key };
  }

  async close(): Promise<void> {
    for (const s of this.sessions) await s.close().catch(() => undefined);
    for (const server of this.servers.values()) await (await server).close();
    await this.emu.close();
  }
}

export function text(r: ToolResult): string {
  return r.content.map((c) => c.text ?? '').join('\n');
}
