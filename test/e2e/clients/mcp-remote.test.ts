// mcp-remote (a third-party stdio↔HTTP bridge with OAuth, pinned in devDependencies) against
// the demo as `docspace-mcp demo` runs it. It opens "a browser" through xdg-open's `$BROWSER`;
// ours is drive-sign-in.js, a person in headless Chromium clicking through our consent page and
// DocSpace's (the emulator's) sign-in and consent. Both registration modes.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import type { Demo } from '../../../src/demo.js';
import { startDemoServer } from '../../helpers/assembled.js';
import { chromiumSkip } from '../../helpers/browser.js';
import { freePort } from '../../helpers/ports.js';

const PROXY = fileURLToPath(new URL('../../../../node_modules/mcp-remote/dist/proxy.js', import.meta.url));
const DRIVER = fileURLToPath(new URL('../../helpers/drive-sign-in.js', import.meta.url));
export const MCP_REMOTE_VERSION = (
  JSON.parse(
    readFileSync(new URL('../../../../node_modules/mcp-remote/package.json', import.meta.url), 'utf8'),
  ) as { version: string }
).version;

type Drive = { ok: boolean; steps: string[]; finalUrl?: string; error?: string };

describe(
  `mcp-remote ${MCP_REMOTE_VERSION} signs in through a real browser and calls a tool`,
  chromiumSkip('mcp-remote'),
  () => {
    let demo: Demo;
    let home: string;
    before(async () => {
      // xdg-open splits $BROWSER on ':' and words on spaces: such paths cannot be passed through it.
      assert.ok(
        !/[: ]/.test(`${process.execPath}${DRIVER}`),
        'node and the driver live at paths without spaces or colons',
      );
      demo = await startDemoServer();
      home = mkdtempSync(join(tmpdir(), 'mcp-remote-'));
    });
    after(async () => {
      await demo?.stop();
      rmSync(home, { recursive: true, force: true });
    });

    async function connect(
      name: string,
      extraArgs: string[],
    ): Promise<{ client: Client; drives: () => Promise<Drive[]> }> {
      const person = demo.emulator.info.users.find((u) => u.email === 'user@example.com');
      assert.ok(person);
      const result = join(home, `${name}.jsonl`);
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: home,
        MCP_REMOTE_CONFIG_DIR: join(home, name),
        // No desktop: xdg-open falls back to $BROWSER, which is our person at a browser.
        BROWSER: `${process.execPath} ${DRIVER}`,
        DRIVE_RESULT: result,
        DRIVE_EMAIL: person.email,
        DRIVE_PASSWORD: person.password,
        DRIVE_SERVER: demo.server.publicBaseUrl,
        DRIVE_PORTAL: demo.emulator.url,
        DRIVE_NAME: `mcp-remote-${name}`,
      };
      if (process.env.CHROMIUM_PATH) env.CHROMIUM_PATH = process.env.CHROMIUM_PATH;
      const port = await freePort();
      const transport = new StdioClientTransport({
        command: process.execPath,
        args: [PROXY, demo.mcpUrl, String(port), '--transport', 'http-only', ...extraArgs],
        env,
        cwd: process.cwd(),
        stderr: process.env.DEBUG_TESTS ? 'inherit' : 'ignore',
      });
      const client = new Client({ name: `via-mcp-remote-${name}`, version: '1' });
      await client.connect(transport);
      // The browser may still be closing when the client is already through: wait for its report.
      const drives = async (): Promise<Drive[]> => {
        for (let waited = 0; waited < 15_000; waited += 100) {
          try {
            return readFileSync(result, 'utf8')
              .trim()
              .split('\n')
              .map((l) => JSON.parse(l) as Drive);
          } catch {
            await new Promise((r) => setTimeout(r, 100));
          }
        }
        return [];
      };
      return { client, drives };
    }

    async function listAndCall(client: Client): Promise<void> {
      const { tools } = await client.listTools();
      assert.ok(tools.length >= 30, `tools listed: ${tools.length}`);
      const me = (await client.callTool({ name: 'get_current_user', arguments: {} })) as {
        content: { text?: string }[];
        isError?: boolean;
      };
      assert.notEqual(me.isError, true);
      assert.match(me.content.map((c) => c.text).join('\n'), /user@example\.com/);
    }

    it('dynamic client registration', async () => {
      const { client, drives } = await connect('dcr', []);
      try {
        await listAndCall(client);
        const [drive] = await drives();
        assert.ok(drive?.ok, `the browser finished: ${JSON.stringify(drive)}`);
        assert.deepEqual(drive.steps, ['consent', 'docspace-sign-in', 'docspace-consent', 'client-callback']);
      } finally {
        await client.close();
      }
    });

    it('the DocSpace app typed in (--static-oauth-client-info, mode 2)', async () => {
      const app = demo.emulator.info.oauthApps.find((a) => !a.isPublic);
      assert.ok(app);
      const info = JSON.stringify({ client_id: app.clientId, client_secret: app.clientSecret });
      const { client, drives } = await connect('static', ['--static-oauth-client-info', info]);
      try {
        await listAndCall(client);
        const [drive] = await drives();
        assert.ok(drive?.ok, `the browser finished: ${JSON.stringify(drive)}`);
        // DocSpace asks for its consent once per person and app: the first test already gave it.
        assert.deepEqual(
          drive.steps.filter((s) => s !== 'docspace-consent'),
          ['consent', 'docspace-sign-in', 'client-callback'],
        );
      } finally {
        await client.close();
      }
    });
  },
);
