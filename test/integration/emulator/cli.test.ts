import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseEmulatorArgs } from '../../../emulator/cli.js';

const cli = fileURLToPath(new URL('../../../emulator/cli.js', import.meta.url));

describe('emulator: command line', () => {
  it('prints one JSON line when ready, serves it, and exits 0 on SIGTERM', async () => {
    const script = `import(${JSON.stringify(cli)}).then((m) => m.runEmulatorCli(process.argv.slice(1)))`;
    const child = spawn(process.execPath, ['-e', script, '--', '--json', '--seed', 'empty', '--port', '0'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const lines = createInterface({ input: child.stdout });
      const [line] = (await once(lines, 'line')) as [string];
      const info = JSON.parse(line) as {
        baseUrl: string;
        users: { role: string; apiKey: string }[];
        oauthApps: unknown[];
      };
      assert.match(info.baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(info.users.length, 5);
      assert.equal(info.oauthApps.length, 2);
      const owner = info.users.find((u) => u.role === 'owner');
      const r = await fetch(`${info.baseUrl}/api/2.0/files/rooms`, {
        headers: { Authorization: `Bearer ${owner?.apiKey}` },
      });
      assert.equal(r.status, 200);
      assert.equal(
        ((await r.json()) as { response: { total: number } }).response.total,
        0,
        'empty seed has no rooms',
      );
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      assert.equal(code, 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('parses flags and refuses unknown or malformed ones', () => {
    assert.deepEqual(parseEmulatorArgs(['--port', '8090', '--host=0.0.0.0', '--files', '10', '--admin']), {
      json: false,
      help: false,
      port: 8090,
      host: '0.0.0.0',
      files: 10,
      admin: true,
    });
    assert.throws(() => parseEmulatorArgs(['--port', 'abc']), /--port must be a whole number/);
    assert.throws(() => parseEmulatorArgs(['--seed', 'lots']), /--seed must be "demo" or "empty"/);
    assert.throws(() => parseEmulatorArgs(['--bogus']), /Unknown option "--bogus"/);
    assert.throws(() => parseEmulatorArgs(['--port']), /--port needs a value/);
  });
});
