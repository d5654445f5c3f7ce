import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { type Emulator, startEmulator } from '../../../emulator/index.js';

const CLI = new URL('../../../src/cli.js', import.meta.url).pathname;

function baseEnv(): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', DOCSPACE_LOG_LEVEL: 'warn' };
  return env;
}

type TextResult = { content: { type: string; text?: string }[]; isError?: boolean };

describe('stdio transport against the emulator', () => {
  let emulator: Emulator;
  let apiKey: string;
  before(async () => {
    emulator = await startEmulator({ port: 0, seed: 'demo' });
    apiKey = emulator.info.users.find((u) => u.role === 'owner')?.apiKey ?? '';
  });
  after(() => emulator.close());

  for (const era of ['2026-07-28', '2025'] as const) {
    it(`SDK v2 client (${era}) lists and calls tools over stdio`, async () => {
      const client = new Client(
        { name: 'e2e-stdio', version: '1' },
        era === '2026-07-28' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {},
      );
      const transport = new StdioClientTransport({
        command: process.execPath,
        args: [CLI],
        env: { ...baseEnv(), DOCSPACE_BASE_URL: emulator.url, DOCSPACE_API_KEY: apiKey },
        stderr: 'pipe',
      });
      await client.connect(transport);
      const { tools } = await client.listTools();
      assert.ok(tools.some((t) => t.name === 'get_current_user'));
      const result = (await client.callTool({ name: 'get_current_user', arguments: {} })) as TextResult;
      assert.equal(result.isError, undefined);
      assert.match(result.content[0]?.text ?? '', /owner@example\.com/);
      await client.close();
    });
  }

  it('answers a tools/call whose arguments are not an object with -32602 in one sentence', async () => {
    const child = spawn(process.execPath, [CLI], {
      env: { ...baseEnv(), DOCSPACE_BASE_URL: emulator.url, DOCSPACE_API_KEY: apiKey },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    const lines: string[] = [];
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      lines.push(...parts.filter(Boolean));
    });
    const send = (m: unknown) => child.stdin.write(`${JSON.stringify(m)}\n`);
    send({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
    });
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'get_current_user', arguments: 'x' },
    });
    const deadline = Date.now() + 10_000;
    let answer: { error?: { code: number; message: string } } | undefined;
    while (!answer && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      answer = lines
        .map((l) => JSON.parse(l) as { id?: number; error?: { code: number; message: string } })
        .find((m) => m.id === 2);
    }
    child.stdin.end();
    child.kill();
    await once(child, 'exit');
    assert.equal(answer?.error?.code, -32602);
    assert.match(answer.error.message, /^Invalid params: `arguments` of tools\/call must be an object/);
  });

  it('starts despite a bad configuration and answers every tool call with the error', async () => {
    const client = new Client({ name: 'e2e-stdio', version: '1' });
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [CLI],
      env: { ...baseEnv(), DOCSPACE_PORT: 'abc' },
      stderr: 'pipe',
    });
    await client.connect(transport);
    const { tools } = await client.listTools();
    assert.ok(tools.length > 0);
    const result = (await client.callTool({ name: 'get_current_user', arguments: {} })) as TextResult;
    assert.equal(result.isError, true);
    const message = result.content[0]?.text ?? '';
    assert.match(message, /DOCSPACE_PORT/);
    assert.match(message, /DOCSPACE_API_KEY/);
    await client.close();
  });

  it('exits 0 when stdin ends and keeps stdout for the protocol', async () => {
    const child = spawn(process.execPath, [CLI], {
      env: {
        ...baseEnv(),
        DOCSPACE_BASE_URL: emulator.url,
        DOCSPACE_API_KEY: apiKey,
        DOCSPACE_LOG_LEVEL: 'debug',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stdin.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    const [code] = await once(child, 'exit');
    clearTimeout(timer);
    assert.equal(code, 0);
    assert.equal(stdout, '', 'nothing but protocol on stdout');
  });

  it('exits 1 with every problem named when an HTTP configuration is invalid', async () => {
    const child = spawn(process.execPath, [CLI, '--transport', 'http', '--port', '99999'], {
      env: { ...baseEnv(), DOCSPACE_USERNAME: 'someone', DOCSPACE_API_KEY: 'sk-secret-value' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    const [code] = await once(child, 'exit');
    assert.equal(code, 1);
    assert.match(stderr, /--port is invalid/);
    assert.match(stderr, /DOCSPACE_USERNAME is set without DOCSPACE_PASSWORD/);
    assert.doesNotMatch(stderr, /sk-secret-value/);
  });
});

describe('command line', () => {
  it('prints --help generated from the settings and --version', async () => {
    for (const [flag, pattern] of [
      [
        '--help',
        /Usage: docspace-mcp \[serve\|demo\|emulator\][\s\S]*--base-url <value> {2}\[DOCSPACE_BASE_URL\]/,
      ],
      ['--version', /^\d+\.\d+\.\d+\n$/],
    ] as const) {
      const child = spawn(process.execPath, [CLI, flag], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (c) => (out += c));
      const [code] = await once(child, 'exit');
      assert.equal(code, 0);
      assert.match(out, pattern);
    }
  });

  it('refuses an unknown command with exit code 2', async () => {
    const child = spawn(process.execPath, [CLI, 'frobnicate'], { stdio: ['ignore', 'ignore', 'pipe'] });
    const [code] = await once(child, 'exit');
    assert.equal(code, 2);
  });
});
