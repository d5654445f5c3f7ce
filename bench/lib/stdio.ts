import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { McpError, MODERN } from './mcp.js';

interface Pending {
  resolve: (v: { result?: Record<string, unknown>; error?: { message: string }; bytes: number }) => void;
  reject: (e: Error) => void;
}

/** The server over stdio as a child process, driven with newline-delimited JSON-RPC (2026-07-28). */
export class StdioMcp {
  readonly child: ChildProcessWithoutNullStreams;
  readonly spawnedAt: number;
  private readonly pending = new Map<number, Pending>();
  private buffer = '';
  private id = 1;
  private stderr = '';

  constructor(entry: string, env: Record<string, string>, nodeArgs: string[] = []) {
    this.spawnedAt = performance.now();
    this.child = spawn(process.execPath, [...nodeArgs, entry, 'serve'], {
      env: { ...cleanEnv(), ...env, DOCSPACE_TRANSPORT: 'stdio' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => this.onData(chunk));
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (c: string) => {
      this.stderr = (this.stderr + c).slice(-4000);
    });
    this.child.on('exit', (code) => {
      for (const p of this.pending.values())
        p.reject(new McpError('exited', `stdio server exited (${code}): ${this.stderr.slice(-500)}`));
      this.pending.clear();
    });
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let nl = this.buffer.indexOf('\n');
    while (nl >= 0) {
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 1);
      nl = this.buffer.indexOf('\n');
      if (!line.trim()) continue;
      const msg = JSON.parse(line) as {
        id?: number;
        result?: Record<string, unknown>;
        error?: { message: string };
      };
      if (typeof msg.id !== 'number') continue;
      const p = this.pending.get(msg.id);
      if (!p) continue;
      this.pending.delete(msg.id);
      p.resolve({ result: msg.result, error: msg.error, bytes: Buffer.byteLength(line) });
    }
  }

  rpc(method: string, params: Record<string, unknown> = {}) {
    const id = this.id++;
    const body = {
      jsonrpc: '2.0',
      id,
      method,
      params: {
        ...params,
        _meta: {
          'io.modelcontextprotocol/protocolVersion': MODERN,
          'io.modelcontextprotocol/clientCapabilities': {},
          'io.modelcontextprotocol/clientInfo': { name: 'docspace-mcp-bench', version: '1' },
        },
      },
    };
    return new Promise<{ result?: Record<string, unknown>; error?: { message: string }; bytes: number }>(
      (resolve, reject) => {
        this.pending.set(id, { resolve, reject });
        this.child.stdin.write(`${JSON.stringify(body)}\n`);
      },
    );
  }

  callTool(name: string, args: Record<string, unknown>) {
    return this.rpc('tools/call', { name, arguments: args });
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }
}

/** The bench's own environment minus every DOCSPACE_* setting, so a developer's shell cannot skew a run. */
export function cleanEnv(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !k.startsWith('DOCSPACE_')) out[k] = v;
  return out;
}
