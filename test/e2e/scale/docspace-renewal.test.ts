// DocSpace refresh tokens rotate and the old access token dies the moment a refresh succeeds, so
// two instances renewing one person's DocSpace grant at once would each break the other's token.
// The renewal is single-flight across instances: exactly one refresh reaches DocSpace, and every
// call made at the moment the DocSpace token expires still succeeds.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Emulator } from '../../../emulator/index.js';
import { type RedisServer, skipUnlessRedis } from '../../helpers/redis.js';
import { emulatorPerson } from '../../integration/oauth/helpers/emulator-leg.js';
import { tokensFor } from '../../integration/oauth/helpers/flow.js';
import { type Balancer, type Instance, startPair, stopAll } from './cluster.js';

const MODERN = '2026-07-28';
const CALLS = 50;
const DOCSPACE_TOKEN_SECONDS = 2;

/** One `tools/call get_current_user`, stateless (2026-07-28), as a client sends it. */
async function whoAmIRaw(baseUrl: string, accessToken: string, id: number): Promise<string> {
  const res = await fetch(`${baseUrl}/mcp`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${accessToken}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': MODERN,
      'mcp-method': 'tools/call',
      'mcp-name': 'get_current_user',
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id,
      method: 'tools/call',
      params: {
        name: 'get_current_user',
        arguments: {},
        _meta: {
          'io.modelcontextprotocol/protocolVersion': MODERN,
          'io.modelcontextprotocol/clientCapabilities': {},
        },
      },
    }),
  });
  const text = await res.text();
  if (res.status !== 200) return `HTTP ${res.status}: ${text.slice(0, 200)}`;
  const json = JSON.parse(text.startsWith('{') ? text : (/^data: (.*)$/m.exec(text)?.[1] ?? '{}')) as {
    result?: { isError?: boolean; content?: { text?: string }[] };
    error?: { message?: string };
  };
  if (json.error) return `error: ${json.error.message}`;
  const out = (json.result?.content ?? []).map((c) => c.text ?? '').join(' ');
  if (json.result?.isError) return `tool error: ${out.slice(0, 200)}`;
  return /[\w.+-]+@[\w.-]+\.\w+/.exec(out)?.[0] ?? `no e-mail in: ${out.slice(0, 200)}`;
}

if (!skipUnlessRedis('DocSpace renewal across instances')) {
  describe('renewing a DocSpace grant across two instances sharing Redis', () => {
    let emu: Emulator;
    let redis: RedisServer;
    let lb: Balancer;
    let a: Instance;
    let b: Instance;

    before(async () => {
      ({ emu, redis, lb, a, b } = await startPair('renewal-test:'));
    });
    after(async () => {
      await stopAll();
      await Promise.all([lb?.close(), redis?.stop(), emu?.close()]);
    });

    it(`${CALLS} calls on two instances as the DocSpace token expires: one DocSpace refresh, no failed call`, async () => {
      const u = emu.info.users.find((x) => x.email === 'user@example.com');
      assert.ok(u);
      // The sign-in gets a DocSpace token that lives 2 s; the one the renewal gets lives the usual hour.
      emu.setFaults({ oauthAccessTokenSeconds: DOCSPACE_TOKEN_SECONDS });
      // Counted from the sign-in: on a loaded machine the first call below may already find the
      // token old enough to renew; still exactly one refresh in all.
      const refreshesBefore = emu.oauthGrantsIssued().refresh_token ?? 0;
      const signedInAt = Date.now();
      const issued = await tokensFor(lb.url, {
        upstream: emulatorPerson({ email: u.email, password: u.password }),
      });
      emu.setFaults({});
      assert.equal(issued.status, 200, JSON.stringify(issued.body));
      const access = String(issued.body.access_token);
      assert.equal(await whoAmIRaw(a.url, access, 0), 'user@example.com');

      // Past the DocSpace token's expiry: DocSpace itself now refuses it.
      await new Promise((r) => setTimeout(r, signedInAt + DOCSPACE_TOKEN_SECONDS * 1000 + 200 - Date.now()));
      // A DocSpace token endpoint that takes its time, as a real one under load does: both
      // instances are asked for the token while the renewal is still on its way.
      emu.setFaults({ latencyMs: 300, pathPattern: '^/oauth2/token$' });
      const started = performance.now();
      const answers = await Promise.all(
        Array.from({ length: CALLS }, (_, i) => whoAmIRaw(i % 2 === 0 ? a.url : b.url, access, i + 1)),
      );
      const ms = performance.now() - started;
      emu.setFaults({});
      const failed = answers.filter((x) => x !== 'user@example.com');
      assert.deepEqual(failed, [], `${failed.length} of ${CALLS} calls failed`);
      assert.equal((emu.oauthGrantsIssued().refresh_token ?? 0) - refreshesBefore, 1, 'DocSpace refreshes');
      console.log(
        `[scale] ${CALLS} calls across 2 instances at DocSpace token expiry: ${ms.toFixed(0)} ms, 1 refresh`,
      );
    });
  });
}
