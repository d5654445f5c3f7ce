// Redis stopped, frozen and back again under a running server process.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Emulator, startEmulator } from '../../../emulator/index.js';
import { type RedisServer, skipUnlessRedis, startRedis } from '../../helpers/redis.js';
import { emulatorPerson } from '../../integration/oauth/helpers/emulator-leg.js';
import { authorizeUrl, pkcePair } from '../../helpers/pkce.js';
import { postForm, tokensFor } from '../../integration/oauth/helpers/flow.js';
import {
  type Instance,
  instanceEnv,
  mcpProbe,
  newSecret,
  startInstance,
  stopAll,
  whoAmI,
} from './cluster.js';

const REDIRECT = 'http://127.0.0.1:7000/client-callback';

/** Retries `attempt` every 100 ms until it returns true, for at most `ms`; the time it took. */
async function until(ms: number, attempt: () => Promise<boolean>): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < ms) {
    if (await attempt()) return performance.now() - started;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not recovered within ${ms} ms`);
}

if (!skipUnlessRedis('Redis outage')) {
  describe('Redis outages under a running server', () => {
    let emu: Emulator;
    let redis: RedisServer;
    let server: Instance;
    before(async () => {
      [emu, redis] = await Promise.all([startEmulator(), startRedis()]);
      const app = emu.info.oauthApps.find((x) => !x.isPublic);
      assert.ok(app);
      server = await startInstance('server', {
        ...instanceEnv({ docspaceUrl: emu.url, oauthApp: app, secret: newSecret(), redisUrl: redis.url }),
        // DocSpace API keys beside OAuth: the operator's explicit choice (off by default).
        DOCSPACE_REQUEST_AUTHORIZATION_HEADER: 'yes',
      });
    });
    after(async () => {
      await stopAll();
      await Promise.all([redis?.stop(), emu?.close()]);
    });

    async function signIn(email: string) {
      const u = emu.info.users.find((x) => x.email === email);
      assert.ok(u);
      const issued = await tokensFor(server.url, {
        upstream: emulatorPerson({ email: u.email, password: u.password }),
      });
      assert.equal(issued.status, 200, JSON.stringify(issued.body));
      return {
        clientId: issued.clientId,
        access: String(issued.body.access_token),
        refresh: String(issued.body.refresh_token),
      };
    }

    const register = () =>
      fetch(`${server.url}/oauth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' }),
      });

    it('stopped: sign-in answers 503 temporarily_unavailable, tokens get 503 (fail closed); back: recovers by itself', async () => {
      const t = await signIn('user@example.com');
      await redis.stop();

      const reg = await register();
      assert.equal(reg.status, 503);
      assert.deepEqual(Object.keys((await reg.json()) as object).sort(), ['error', 'error_description']);
      const refresh = await postForm(`${server.url}/oauth/token`, {
        grant_type: 'refresh_token',
        refresh_token: t.refresh,
        client_id: t.clientId,
      });
      assert.equal(refresh.status, 503);
      assert.equal(refresh.body.error, 'temporarily_unavailable');
      assert.match(String(refresh.body.error_description), /retry/);
      const page = await fetch(
        authorizeUrl(server.url, {
          response_type: 'code',
          client_id: t.clientId,
          redirect_uri: REDIRECT,
          code_challenge: pkcePair().challenge,
          code_challenge_method: 'S256',
        }),
        { redirect: 'manual' },
      );
      assert.equal(page.status, 503);
      assert.match(await page.text(), /briefly unavailable/);
      // A valid sealed token cannot be checked for revocation: refused with "retry", not
      // accepted blindly and not a 401 that would make the client throw its tokens away.
      const mcp = await mcpProbe(server.url, t.access);
      assert.equal(mcp.status, 503);
      assert.ok(Number(mcp.retryAfter) > 0);
      assert.match(JSON.stringify(mcp.body.error), /session store is unavailable/);
      const ready = await fetch(`${server.url}/readyz`);
      assert.equal(ready.status, 503);
      // What needs no store keeps working: DocSpace API keys, discovery documents.
      const apiKey = emu.info.users.find((u) => u.email === 'user@example.com')?.apiKey ?? '';
      assert.equal((await mcpProbe(server.url, apiKey)).status, 200);
      const meta = await fetch(`${server.url}/.well-known/oauth-authorization-server`);
      assert.equal(meta.status, 200);
      await meta.body?.cancel();

      await redis.restart();
      const recoveredMs = await until(5000, async () => (await register()).status === 201);
      const fresh = await signIn('owner@example.com');
      assert.equal(await whoAmI(server.url, fresh.access), 'owner@example.com');
      // The test Redis keeps nothing on disk, so it came back empty: the old grant is gone and
      // its token is refused cleanly. A Redis with AOF keeps it (docs/deployment.md).
      const old = await mcpProbe(server.url, t.access);
      assert.equal(old.status, 401);
      console.log(
        `[scale] redis stopped → 503s; restarted → serving again after ${recoveredMs.toFixed(0)} ms`,
      );
    });

    it('frozen (SIGSTOP): 503 after the command timeout; thawed: the same tokens work again', async () => {
      const t = await signIn('admin@example.com');
      redis.pause();
      try {
        const started = performance.now();
        const mcp = await mcpProbe(server.url, t.access);
        const ms = performance.now() - started;
        assert.equal(mcp.status, 503);
        assert.ok(ms < 5000, `answered in ${ms.toFixed(0)} ms`);
        console.log(`[scale] redis frozen → /mcp answered 503 in ${ms.toFixed(0)} ms`);
      } finally {
        redis.resume();
      }
      const recoveredMs = await until(
        5000,
        async () => (await mcpProbe(server.url, t.access)).status === 200,
      );
      assert.equal(await whoAmI(server.url, t.access), 'admin@example.com');
      const refreshed = await postForm(`${server.url}/oauth/token`, {
        grant_type: 'refresh_token',
        refresh_token: t.refresh,
        client_id: t.clientId,
      });
      assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
      console.log(`[scale] redis thawed → same token accepted again after ${recoveredMs.toFixed(0)} ms`);
    });
  });
}
