// A server killed (SIGKILL) while requests are in flight and started again with the same key.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Emulator, startEmulator } from '../../../emulator/index.js';
import { type RedisServer, skipUnlessRedis, startRedis } from '../../helpers/redis.js';
import { emulatorPerson } from '../../integration/oauth/helpers/emulator-leg.js';
import { codeFor, postForm, tokensFor } from '../../integration/oauth/helpers/flow.js';
import {
  type Balancer,
  type Instance,
  instanceEnv,
  mcpProbe,
  newSecret,
  startBalancer,
  startInstance,
  stopAll,
  whoAmI,
} from './cluster.js';

interface Setup {
  emu: Emulator;
  lb: Balancer;
  current: Instance;
  env: Record<string, string>;
}

/** Emulator, one instance behind the balancer (whose URL stays the public one across restarts). */
async function setUp(redisUrl?: string): Promise<Setup> {
  const emu = await startEmulator();
  const app = emu.info.oauthApps.find((x) => !x.isPublic);
  assert.ok(app);
  const lb = await startBalancer({
    name: 'none',
    url: 'http://127.0.0.1:9',
    logs: () => '',
    kill: async () => {},
    stop: async () => {},
  });
  const env = instanceEnv({
    docspaceUrl: emu.url,
    oauthApp: app,
    secret: newSecret(),
    publicBaseUrl: lb.url,
    redisUrl,
    // The traffic loop is one user; its per-user limit (600/min) is not what is under test.
    extra: { DOCSPACE_SERVER_RATE_LIMITS_PRINCIPAL_CAPACITY: '100000' },
  });
  const current = await startInstance('first', env);
  lb.route = () => s.current;
  const s: Setup = { emu, lb, current, env };
  return s;
}

function person(emu: Emulator, email: string) {
  const u = emu.info.users.find((x) => x.email === email);
  assert.ok(u);
  return emulatorPerson({ email: u.email, password: u.password });
}

async function signIn(s: Setup, email: string) {
  const issued = await tokensFor(s.lb.url, { upstream: person(s.emu, email) });
  assert.equal(issued.status, 200, JSON.stringify(issued.body));
  return {
    clientId: issued.clientId,
    access: String(issued.body.access_token),
    refresh: String(issued.body.refresh_token),
  };
}

/** MCP requests one after another through the balancer until stopped; their statuses. */
function traffic(s: Setup, token: string) {
  const statuses: number[] = [];
  let running = true;
  const done = (async () => {
    while (running) {
      statuses.push((await mcpProbe(s.lb.url, token)).status);
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  return {
    statuses,
    async stop() {
      running = false;
      await done;
    },
  };
}

/**
 * Runs a sign-in up to the DocSpace pages, kills the instance (SIGKILL) there while `traffic`
 * runs, starts a new one with the same environment, then lets the person finish signing in.
 */
async function signInAcrossRestart(s: Setup, email: string) {
  let downMs = 0;
  const leg = await codeFor(s.lb.url, {
    upstream: async (location) => {
      const killedAt = performance.now();
      await s.current.kill();
      s.current = await startInstance('restarted', s.env);
      downMs = performance.now() - killedAt;
      return person(s.emu, email)(location);
    },
  });
  return { leg, downMs };
}

if (!skipUnlessRedis('restart with Redis')) {
  describe('restart with DOCSPACE_STORE=redis', () => {
    let redis: RedisServer;
    let s: Setup;
    before(async () => {
      redis = await startRedis();
      s = await setUp(redis.url);
    });
    after(async () => {
      await stopAll();
      await Promise.all([s?.lb.close(), s?.emu.close(), redis?.stop()]);
    });

    it('access tokens, refresh tokens and a sign-in in progress all survive a kill -9', async () => {
      const t = await signIn(s, 'user@example.com');
      const load = traffic(s, t.access);
      await new Promise((r) => setTimeout(r, 100));
      const { leg, downMs } = await signInAcrossRestart(s, 'owner@example.com');
      await new Promise((r) => setTimeout(r, 100));
      await load.stop();
      const issued = await postForm(`${s.lb.url}/oauth/token`, {
        grant_type: 'authorization_code',
        code: leg.code,
        redirect_uri: leg.redirectUri,
        code_verifier: leg.verifier,
        client_id: leg.clientId,
      });

      assert.equal(
        issued.status,
        200,
        `the sign-in begun before the kill finishes: ${JSON.stringify(issued.body)}`,
      );
      assert.equal(await whoAmI(s.lb.url, String(issued.body.access_token)), 'owner@example.com');
      assert.equal(await whoAmI(s.lb.url, t.access), 'user@example.com');
      const refreshed = await postForm(`${s.lb.url}/oauth/token`, {
        grant_type: 'refresh_token',
        refresh_token: t.refresh,
        client_id: t.clientId,
      });
      assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
      // Requests in flight at the kill fail at the balancer (502); the server never answers 5xx.
      assert.deepEqual(
        [...new Set(load.statuses)].filter((x) => x !== 200 && x !== 502),
        [],
      );
      assert.equal(load.statuses.at(-1), 200);
      const failed = load.statuses.filter((x) => x === 502).length;
      console.log(
        `[scale] redis restart: down ${downMs.toFixed(0)} ms (kill → listening); ` +
          `${load.statuses.length} requests, ${failed} refused by the balancer while down, none signed out`,
      );
    });

    it('key rotation: the old key as DOCSPACE_SECRET_PREVIOUS keeps everyone signed in', async () => {
      const t = await signIn(s, 'roomadmin@example.com');
      const oldKey = s.env.DOCSPACE_SECRET as string;
      const rotated = { ...s.env, DOCSPACE_SECRET: newSecret(), DOCSPACE_SECRET_PREVIOUS: oldKey };
      await s.current.stop();
      s.current = await startInstance('rotated', rotated);
      assert.equal(await whoAmI(s.lb.url, t.access), 'roomadmin@example.com');
      const refreshed = await postForm(`${s.lb.url}/oauth/token`, {
        grant_type: 'refresh_token',
        refresh_token: t.refresh,
        client_id: t.clientId,
      });
      assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
      const fresh = String(refreshed.body.access_token);
      // Once the old key is dropped, tokens sealed with it stop opening; new ones do not care.
      await s.current.stop();
      const { DOCSPACE_SECRET_PREVIOUS: _dropped, ...newOnly } = rotated;
      s.current = await startInstance('old key dropped', newOnly);
      const stale = await mcpProbe(s.lb.url, t.access);
      assert.equal(stale.status, 401);
      assert.match(stale.challenge ?? '', /error="invalid_token"/);
      assert.equal(await whoAmI(s.lb.url, fresh), 'roomadmin@example.com');
    });
  });
}

describe('restart with DOCSPACE_STORE=memory', () => {
  let s: Setup;
  before(async () => {
    s = await setUp();
  });
  after(async () => {
    await stopAll();
    await Promise.all([s?.lb.close(), s?.emu.close()]);
  });

  it('what was in memory is gone: clean 4xx answers (never 5xx), and signing in again recovers', async () => {
    const t = await signIn(s, 'user@example.com');
    const load = traffic(s, t.access);
    await new Promise((r) => setTimeout(r, 100));
    const { leg, downMs } = await signInAcrossRestart(s, 'owner@example.com');
    await load.stop();

    // The half-done sign-in: its state lived in the old process; the person sees a page saying
    // to start again from the app, not an error 500.
    assert.equal(leg.location, 'status:400');
    const stale = await mcpProbe(s.lb.url, t.access);
    assert.equal(stale.status, 401, 'the grant behind the token is gone');
    assert.match(stale.challenge ?? '', /error="invalid_token"/);
    assert.match(stale.challenge ?? '', /^Bearer .*resource_metadata=/);
    const refreshed = await postForm(`${s.lb.url}/oauth/token`, {
      grant_type: 'refresh_token',
      refresh_token: t.refresh,
      client_id: t.clientId,
    });
    // The client's registration was in memory too, so the token endpoint no longer knows the
    // client: RFC 6749 `invalid_client`, on which MCP clients register again and sign in.
    assert.equal(refreshed.status, 401, JSON.stringify(refreshed.body));
    assert.equal(refreshed.body.error, 'invalid_client');
    assert.deepEqual(
      [...new Set(load.statuses)].filter((x) => x !== 200 && x !== 401 && x !== 502),
      [],
    );

    // What a client does after that: register and sign in again.
    const again = await signIn(s, 'user@example.com');
    assert.equal(await whoAmI(s.lb.url, again.access), 'user@example.com');
    console.log(
      `[scale] memory restart: down ${downMs.toFixed(0)} ms; refresh after restart → ` +
        `${refreshed.status} ${String(refreshed.body.error)}; signed in again fine`,
    );
  });
});
