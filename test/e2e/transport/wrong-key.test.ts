// A DocSpace API key that DocSpace refuses is refused where clients expect it: HTTP 401 with a
// Bearer challenge, not a healthy connection whose calls fail later as internal errors.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { type Emulator, startEmulator } from '../../../emulator/index.js';
import type { HttpServerHandle } from '../../../src/http/start.js';
import { startServe } from '../../helpers/assembled.js';
import { INIT, rpc } from './helpers.js';

const WRONG = `sk-${'0'.repeat(64)}`;

describe('a DocSpace key DocSpace does not accept', () => {
  let emulator: Emulator;
  let server: HttpServerHandle;
  let selfChecks = 0;
  before(async () => {
    emulator = await startEmulator({ port: 0, seed: 'demo' });
    server = await startServe(
      { DOCSPACE_BASE_URL: emulator.url },
      {
        fetch: (input, init) => {
          const url = new URL(input instanceof Request ? input.url : String(input));
          if (url.pathname === '/api/2.0/people/@self' && url.searchParams.get('fields') === 'id')
            selfChecks++;
          return fetch(input, init);
        },
      },
    );
  });
  after(async () => {
    await server?.close();
    await emulator?.close();
  });

  it('is a 401 with a Bearer challenge at connect time', async () => {
    const res = await rpc(`${server.url}/mcp`, INIT, { authorization: `Bearer ${WRONG}` });
    assert.equal(res.status, 401);
    assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer .*error="invalid_token"/);
    assert.match(JSON.stringify(await res.json()), /DocSpace does not accept this credential/);
    const client = new Client({ name: 'wrong-key', version: '1' });
    await assert.rejects(
      client.connect(
        new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
          requestInit: { headers: { authorization: `Bearer ${WRONG}` } },
        }),
      ),
    );
  });

  it('a key DocSpace accepts works, and is asked about once, not on every request', async () => {
    const key = emulator.info.users.find((u) => u.role === 'user')?.apiKey ?? '';
    const before = selfChecks;
    const client = new Client({ name: 'right-key', version: '1' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${key}` } },
      }),
    );
    assert.ok((await client.listTools()).tools.length > 30);
    assert.ok(Array.isArray((await client.listResources()).resources));
    await client.close();
    assert.equal(selfChecks - before, 1, 'one DocSpace check for the whole session');
  });
});
