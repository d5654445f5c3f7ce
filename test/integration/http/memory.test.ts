// Finished requests must not stay in memory: each MCP request builds its own server instance,
// and a listener left on a request signal kept every one of them (and what it reached) alive.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { type Emulator, startEmulator } from '../../../emulator/index.js';
import { loadConfig } from '../../../src/config/load.js';
import { type HttpServerHandle, startHttpServer } from '../../../src/http/start.js';
import { createLogger } from '../../../src/log.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const CALLS = 150;

describe('per-request server instances are released after the answer', () => {
  let emulator: Emulator;
  let server: HttpServerHandle;
  let apiKey: string;
  let created = 0;
  let released = 0;
  const registry = new FinalizationRegistry<void>(() => {
    released++;
  });

  before(async () => {
    emulator = await startEmulator({ port: 0, seed: 'demo' });
    apiKey = emulator.info.users.find((u) => u.role === 'owner')?.apiKey ?? '';
    const config = loadConfig({
      env: {
        DOCSPACE_TRANSPORT: 'http',
        DOCSPACE_HOST: '127.0.0.1',
        DOCSPACE_PORT: '0',
        DOCSPACE_BASE_URL: emulator.url,
      },
    });
    server = await startHttpServer(config, {
      logger: createLogger({ level: 'silent', pretty: false }),
      decorateServer: (instance) => {
        created++;
        registry.register(instance);
      },
    });
  });
  after(async () => {
    await server.close();
    await emulator.close();
  });

  for (const era of ['2025-06-18', '2026-07-28'] as const) {
    it(`after ${CALLS} tool calls on the ${era} leg`, async () => {
      created = 0;
      released = 0;
      for (let i = 0; i < CALLS; i++) {
        const modern = era === '2026-07-28';
        const res = await fetch(`${server.url}/mcp`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
            authorization: `Bearer ${apiKey}`,
            'mcp-protocol-version': era,
            ...(modern ? { 'mcp-method': 'tools/call', 'mcp-name': 'get_current_user' } : {}),
          },
          body: JSON.stringify({
            jsonrpc: '2.0',
            id: i,
            method: 'tools/call',
            params: {
              name: 'get_current_user',
              arguments: {},
              ...(modern
                ? {
                    _meta: {
                      'io.modelcontextprotocol/protocolVersion': era,
                      'io.modelcontextprotocol/clientInfo': { name: 'mem', version: '1' },
                      'io.modelcontextprotocol/clientCapabilities': {},
                    },
                  }
                : {}),
            },
          }),
        });
        const text = await res.text();
        assert.equal(res.status, 200, text);
        assert.match(text, /owner@example\.com/);
      }
      for (let round = 0; round < 20 && released < created * 0.9; round++) {
        gc();
        await sleep(20);
      }
      assert.ok(created >= CALLS, `instances created: ${created}`);
      assert.ok(released >= created * 0.9, `released ${released} of ${created} server instances`);
    });
  }
});
