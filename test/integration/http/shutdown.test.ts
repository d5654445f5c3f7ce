import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { type FakeDocSpace, startFakeDocSpace } from '../../helpers/fake-docspace.js';
import { API_KEY } from '../../e2e/transport/helpers.js';

const CLI = new URL('../../../src/cli.js', import.meta.url).pathname;

/** Starts `docspace-mcp` over HTTP on a free port and resolves with the URL it logged. */
async function startCli(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string; logs: () => string }> {
  const child = spawn(process.execPath, [CLI, '--transport', 'streamable-http', '--port', '0'], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line in: ${stderr}`)), 10_000);
    child.stderr?.on('data', (chunk) => {
      stderr += chunk;
      const m = /"listening":"(http:\/\/[^"]+)"/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve(m[1] as string);
      }
    });
    child.once('exit', () => reject(new Error(`exited early: ${stderr}`)));
  });
  return { child, url, logs: () => stderr };
}

describe('graceful shutdown', () => {
  let docspace: FakeDocSpace;
  before(async () => {
    docspace = await startFakeDocSpace({ delayMs: 1500 });
  });
  after(() => docspace.close());

  it('SIGTERM during a slow tool call lets it finish, refuses new work, then exits 0', async () => {
    const { child, url, logs } = await startCli({
      DOCSPACE_BASE_URL: docspace.url,
      DOCSPACE_API_KEY: API_KEY,
    });
    const started = docspace.started;
    const call = fetch(`${url}/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2025-06-18',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 7,
        method: 'tools/call',
        params: { name: 'get_current_user', arguments: {} },
      }),
    }).then(async (res) => ({ status: res.status, body: await res.text() }));
    while (docspace.started === started) await new Promise((r) => setTimeout(r, 50));
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 200));
    const late = await fetch(`${url}/healthz`).then(
      (res) => res.status,
      () => 'refused',
    );
    assert.ok(late === 503 || late === 'refused', `new request during drain got ${late}`);
    const result = await call;
    assert.equal(result.status, 200);
    assert.match(result.body, /Test Owner/);
    const [code] = await exited;
    assert.equal(code, 0, logs());
    assert.doesNotMatch(logs(), new RegExp(API_KEY));
    const startup = logs()
      .split('\n')
      .filter((l) => l.includes('"listening"'))
      .map(
        (l) =>
          JSON.parse(l) as { transport: string; url: string; auth: string[]; tools: { toolsets: string[] } },
      );
    assert.equal(startup.length, 1, 'one startup line');
    assert.equal(startup[0]?.transport, 'streamable-http');
    assert.match(startup[0]?.url ?? '', /\/mcp$/);
    assert.ok(startup[0]?.auth.includes('shared apiKey'));
    assert.deepEqual(startup[0]?.tools.toolsets, ['all']);
  });
});
