// Drives the real server factory through the SDK v2 client against the emulator, in process:
// the client's fetch goes straight to `createMcpHandler`, the server's fetch to the emulator.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createMcpHandler, InMemoryTransport } from '@modelcontextprotocol/server';
import { type Emulator, type FaultOptions, startEmulator } from '../../../emulator/index.js';
import type { Credential } from '../../../src/docspace/credential.js';
import { createServerFactory, type ServerDeps, type ServerRequest } from '../../../src/mcp/server.js';
import { resolveSelection, type ToolSelection } from '../../../src/tools/selection.js';

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
  /** modern: 2026-07-28 over HTTP; legacy: 2025 over stateless HTTP; session: 2025 in one connection (as stdio). */
  era?: 'modern' | 'legacy' | 'session';
  deps?: Partial<ServerDeps>;
  /** Extra per-request values (principal, request id), as the HTTP edge would set them. */
  request?: Omit<ServerRequest, 'credential'>;
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
  private constructor(readonly emu: Emulator) {}
  private sessions: Session[] = [];

  static async start(opts: { faults?: FaultOptions } = {}): Promise<Harness> {
    return new Harness(await startEmulator({ seed: 'demo', faults: opts.faults }));
  }

  apiKey(role: Role): string {
    const u = this.emu.info.users.find((x) => x.role === role);
    if (!u) throw new Error(`no seeded ${role}`);
    return u.apiKey;
  }

  async connect(opts: ConnectOptions = {}): Promise<Session> {
    const credential = opts.credential ?? { kind: 'apiKey', apiKey: this.apiKey(opts.role ?? 'owner') };
    const factory = createServerFactory({
      baseUrl: this.emu.url,
      selection: resolveSelection(opts.selection ?? {}),
      requestTimeoutMs: 10_000,
      ...opts.deps,
    });
    // Large enough for a 25 MB upload as base64 (the HTTP server must allow the same).
    const handler = createMcpHandler(() => factory({ credential, ...opts.request }), {
      maxRequestBodySize: 64 * 1024 * 1024,
    });
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
    if (opts.era === 'session') {
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      await factory({ credential, ...opts.request }).connect(serverSide);
      await client.connect(clientSide);
    } else {
      const transport = new StreamableHTTPClientTransport(new URL('http://mcp.test/mcp'), {
        fetch: (url, init) => handler.fetch(new Request(url, init)),
      });
      await client.connect(transport);
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
        await handler.close();
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
    await this.emu.close();
  }
}

export function text(r: ToolResult): string {
  return r.content.map((c) => c.text ?? '').join('\n');
}
