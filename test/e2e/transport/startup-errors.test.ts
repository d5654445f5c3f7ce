import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { freePort, occupiedPort } from '../../helpers/ports.js';

/**
 * What a person sees when `docspace-mcp` cannot start, and `demo` reading its settings from the
 * environment: the CLI as installed, in a child process.
 */
const CLI = new URL('../../../src/cli.js', import.meta.url).pathname;

function env(extra: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? '', DOCSPACE_LOG_LEVEL: 'warn', ...extra };
}

/** Runs the CLI to its exit (killed after 10 s: a server that starts instead fails the test). */
async function runToExit(
  args: string[],
  extra: Record<string, string>,
): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: env(extra),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c) => (stderr += c));
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  return { code, stderr };
}

describe('start-up errors a person can act on', () => {
  it('HTTP without DOCSPACE_BASE_URL refuses to start and names the variable', async () => {
    const { code, stderr } = await runToExit(['--port', '0'], { DOCSPACE_TRANSPORT: 'http' });
    assert.equal(code, 1, stderr);
    assert.match(stderr, /DOCSPACE_BASE_URL is empty, so every tool call over http would fail/);
  });

  it('DOCSPACE_BASE_URL=not-a-url is called invalid, not empty', async () => {
    const { code, stderr } = await runToExit(['--transport', 'http', '--port', '0'], {
      DOCSPACE_BASE_URL: 'not-a-url',
    });
    assert.equal(code, 1, stderr);
    assert.match(stderr, /DOCSPACE_BASE_URL is invalid: "not-a-url" is not a URL/);
    assert.doesNotMatch(stderr, /DOCSPACE_BASE_URL is empty/);
  });

  it('a port already in use is one line naming the port and the fix, no stack trace', async () => {
    const blocker = await occupiedPort();
    const { port } = blocker.address() as { port: number };
    try {
      const { code, stderr } = await runToExit(['--transport', 'http', '--port', String(port)], {
        DOCSPACE_BASE_URL: 'http://127.0.0.1:9/',
        DOCSPACE_API_KEY: 'sk-key',
      });
      assert.equal(code, 1, stderr);
      const lines = stderr.trim().split('\n');
      assert.equal(lines.length, 1, stderr);
      assert.match(
        lines[0] ?? '',
        new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: port ${port} is already in use`),
      );
      assert.match(lines[0] ?? '', /DOCSPACE_PORT or --port/);
      assert.doesNotMatch(stderr, /\n\s+at |EADDRINUSE/);
    } finally {
      blocker.close();
    }
  });

  it('demo reads DOCSPACE_PORT and the tool settings from the environment, ignoring a portal given as variable or flag', async () => {
    const port = await freePort();
    const child: ChildProcess = spawn(
      process.execPath,
      [CLI, 'demo', '--base-url', 'https://elsewhere.example.com'],
      {
        env: env({
          DOCSPACE_PORT: String(port),
          DOCSPACE_READ_ONLY: 'yes',
          DOCSPACE_BASE_URL: 'https://not-the-emulator.example.com',
        }),
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    try {
      let stderr = '';
      const printed = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`demo did not start: ${stderr}`)), 15_000);
        child.stderr?.on('data', (c) => {
          stderr += c;
          if (/Stop with Ctrl\+C/.test(stderr)) {
            clearTimeout(timer);
            resolve(stderr);
          }
        });
        child.once('exit', () => reject(new Error(`demo exited: ${stderr}`)));
      });
      assert.match(printed, new RegExp(`MCP server: +http://127\\.0\\.0\\.1:${port}/mcp`));
      assert.match(printed, /ignores these settings/);
      assert.match(printed, /DOCSPACE_BASE_URL/);
      assert.match(printed, /--base-url/);
      const apiKey = /Authorization: Bearer (\S+)/.exec(printed)?.[1] ?? '';
      const client = new Client({ name: 'startup-errors', version: '1' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`), {
          requestInit: { headers: { authorization: `Bearer ${apiKey}` } },
        }),
      );
      const { tools } = await client.listTools();
      await client.close();
      assert.ok(tools.length > 0);
      assert.ok(
        tools.every((t) => t.annotations?.readOnlyHint === true),
        `read-only demo lists only read-only tools, got ${tools.map((t) => t.name).join(', ')}`,
      );
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
});
