// Two server processes on one Redis behind a balancer that alternates request by request, no
// sticky sessions: a 2025 client's session opened on one instance works on the other (rebuilt
// from the store), its answer to a confirmation question reaches the instance whose tool call
// waits for it (the session bus), and DELETE on one ends it on both.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { type Emulator, startEmulator } from '../../../emulator/index.js';
import { type RedisServer, skipUnlessRedis, startRedis } from '../../helpers/redis.js';
import { type Balancer, type Instance, newSecret, startBalancer, startInstance, stopAll } from './cluster.js';

type Result = { isError?: boolean; content: { text?: string }[]; structuredContent?: unknown };

if (!skipUnlessRedis('2025 sessions across two instances')) {
  describe('2025 sessions across two instances with an alternating balancer', () => {
    let emu: Emulator;
    let redis: RedisServer;
    let lb: Balancer;
    let a: Instance;
    let b: Instance;
    let key: string;

    before(async () => {
      [emu, redis] = await Promise.all([startEmulator({ seed: 'demo' }), startRedis()]);
      key = emu.info.users.find((u) => u.role === 'user')?.apiKey ?? '';
      const placeholder: Instance = {
        name: 'none',
        url: 'http://127.0.0.1:9',
        logs: () => '',
        kill: async () => {},
        stop: async () => {},
      };
      lb = await startBalancer(placeholder);
      const env = {
        PATH: process.env.PATH ?? '',
        DOCSPACE_TRANSPORT: 'http',
        DOCSPACE_HOST: '127.0.0.1',
        DOCSPACE_PORT: '0',
        DOCSPACE_BASE_URL: emu.url,
        DOCSPACE_SERVER_BASE_URL: lb.url,
        DOCSPACE_SECRET: newSecret(),
        DOCSPACE_STORE: 'redis',
        DOCSPACE_REDIS_URL: redis.url,
        DOCSPACE_REDIS_KEY_PREFIX: 'sessions-test:',
        DOCSPACE_LOG_LEVEL: 'debug',
      };
      [a, b] = await Promise.all([startInstance('A', env), startInstance('B', env)]);
      let next = 0;
      lb.route = () => (next++ % 2 === 0 ? a : b);
    });
    after(async () => {
      await lb?.close();
      await stopAll();
      await redis?.stop();
      await emu?.close();
    });

    async function connect(answer: 'accept' | 'decline') {
      const asked: string[] = [];
      const client = new Client(
        { name: 'two-instances', version: '1' },
        { capabilities: { elicitation: { form: {} } } },
      );
      client.setRequestHandler('elicitation/create', async (req) => {
        asked.push(String((req.params as { message?: string }).message));
        return answer === 'accept' ? { action: 'accept', content: { confirm: true } } : { action: 'decline' };
      });
      const transport = new StreamableHTTPClientTransport(new URL(`${lb.url}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${key}` } },
      });
      await client.connect(transport);
      return { client, asked, transport };
    }

    async function personal(client: Client) {
      const my = async () =>
        ((await client.callTool({ name: 'get_my_folder', arguments: {} })) as Result).structuredContent as {
          items: { id: number; title: string }[];
        };
      const id = (await my()).items.find((i) => i.title === 'Personal')?.id ?? 0;
      return { id, present: async () => (await my()).items.some((i) => i.id === id) };
    }

    it('serves one session on both instances; a declined confirmation changes nothing, an accepted one acts', async () => {
      const served = lb.served.length;
      const declining = await connect('decline');
      assert.ok(declining.transport.sessionId);
      const folder = await personal(declining.client);
      const no = (await declining.client.callTool({
        name: 'delete_folder',
        arguments: { folderId: folder.id },
      })) as Result;
      assert.equal(no.isError, true, JSON.stringify(no.content));
      assert.equal(declining.asked.length, 1);
      assert.equal(await folder.present(), true);

      const accepting = await connect('accept');
      const yes = (await accepting.client.callTool({
        name: 'delete_folder',
        arguments: { folderId: folder.id },
      })) as Result;
      assert.ok(!yes.isError, JSON.stringify(yes.content));
      assert.equal(accepting.asked.length, 1);
      assert.equal(await folder.present(), false);

      const mcp = lb.served.slice(served).filter((s) => s.path === '/mcp');
      assert.ok(mcp.some((s) => s.instance === 'A') && mcp.some((s) => s.instance === 'B'));
      assert.match(a.logs() + b.logs(), /mcp session rebuilt from the store/);
      await declining.client.close();
      await accepting.client.close();
    });

    it('DELETE on one instance ends the session on the other', async () => {
      const { client, transport } = await connect('decline');
      const sid = transport.sessionId ?? '';
      await client.listTools();
      await client.listTools();
      await transport.terminateSession();
      for (let i = 0; i < 2; i++) {
        const res = await fetch(`${lb.url}/mcp`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${key}`,
            accept: 'application/json, text/event-stream',
            'content-type': 'application/json',
            'mcp-session-id': sid,
            'mcp-protocol-version': '2025-11-25',
          },
          body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list' }),
        });
        assert.equal(res.status, 404);
        await res.body?.cancel();
      }
      await client.close();
    });
  });
}
