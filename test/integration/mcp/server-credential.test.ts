// A long-lived server instance (an SSE session) acts with the newest credential it was given:
// the SSE route replaces `credential` on every POST when a client refreshes its token.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { type Emulator, startEmulator } from '../../../emulator/index.js';
import { createServerFactory, type ServerRequest } from '../../../src/mcp/server.js';
import { resolveSelection } from '../../../src/tools/selection.js';

describe('a server instance whose credential changes', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ seed: 'demo' });
  });
  after(() => emulator.close());

  const keyOf = (role: string) => emulator.info.users.find((u) => u.role === role)?.apiKey ?? '';

  it('uses the new credential for the next tool call', async () => {
    const factory = createServerFactory({ baseUrl: emulator.url, selection: resolveSelection({}) });
    const request: ServerRequest = { credential: { kind: 'apiKey', apiKey: keyOf('owner') } };
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await factory(request).connect(serverSide);
    const client = new Client({ name: 'refresh', version: '1' });
    await client.connect(clientSide);
    try {
      const whoAmI = async () => {
        const r = (await client.callTool({ name: 'get_current_user', arguments: {} })) as {
          content: { text?: string }[];
        };
        return r.content[0]?.text ?? '';
      };
      assert.match(await whoAmI(), /owner@example\.com/);
      request.credential = { kind: 'apiKey', apiKey: keyOf('user') };
      assert.match(await whoAmI(), /user@example\.com/);
    } finally {
      await client.close();
    }
  });
});
