// Two server processes on one Redis behind one public URL: what a hosted deployment does.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { type Emulator, startEmulator } from '../../../emulator/index.js';
import { startRedis, type RedisServer, skipUnlessRedis } from '../../helpers/redis.js';
import { emulatorPerson } from '../../integration/oauth/helpers/emulator-leg.js';
import { postForm, tokensFor } from '../../integration/oauth/helpers/flow.js';
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

const INTROSPECT_LIMIT = 4;
const PREFIX = 'scale-test:';

if (!skipUnlessRedis('multi-instance (two servers, one Redis)')) {
  describe('two instances, one Redis, one public URL', () => {
    let emu: Emulator;
    let redis: RedisServer;
    let lb: Balancer;
    let a: Instance;
    let b: Instance;

    before(async () => {
      const started = performance.now();
      [emu, redis] = await Promise.all([startEmulator(), startRedis()]);
      const app = emu.info.oauthApps.find((x) => !x.isPublic);
      assert.ok(app, 'the emulator seeds a confidential OAuth app');
      // The balancer's URL is the public base both instances advertise: issuer, callback and
      // token audience are the same wherever a request lands. It forwards to A until told otherwise.
      const placeholder: Instance = {
        name: 'none',
        url: 'http://127.0.0.1:9',
        logs: () => '',
        kill: async () => {},
        stop: async () => {},
      };
      lb = await startBalancer(placeholder);
      const env = instanceEnv({
        docspaceUrl: emu.url,
        oauthApp: app,
        secret: newSecret(),
        publicBaseUrl: lb.url,
        redisUrl: redis.url,
        extra: {
          DOCSPACE_SERVER_RATE_LIMITS_OAUTH_INTROSPECT_CAPACITY: String(INTROSPECT_LIMIT),
          DOCSPACE_SERVER_RATE_LIMITS_OAUTH_INTROSPECT_WINDOW: '60000',
          // The tests below use /oauth/token a dozen times from one IP; only introspection is under test.
          DOCSPACE_SERVER_RATE_LIMITS_OAUTH_TOKEN_CAPACITY: '1000',
          DOCSPACE_REDIS_KEY_PREFIX: PREFIX,
          // Replays are told from racing refreshes by a grace window (60 s by default); a short
          // one lets the test replay a spent token without waiting a minute.
          DOCSPACE_OAUTH_REFRESH_TOKEN_GRACE: '100',
        },
      });
      [a, b] = await Promise.all([startInstance('A', env), startInstance('B', env)]);
      lb.route = () => a;
      console.log(
        `[scale] emulator + redis + 2 instances up in ${(performance.now() - started).toFixed(0)} ms`,
      );
    });
    after(async () => {
      await stopAll();
      await Promise.all([lb?.close(), redis?.stop(), emu?.close()]);
    });

    const person = (email: string) => {
      const u = emu.info.users.find((x) => x.email === email);
      assert.ok(u, `seeded user ${email}`);
      return emulatorPerson({ email: u.email, password: u.password });
    };

    const issuedTokens: string[] = [];

    /** A whole sign-in through the balancer as it routes now; the token response. */
    async function signIn(email: string) {
      const issued = await tokensFor(lb.url, { upstream: person(email) });
      assert.equal(issued.status, 200, JSON.stringify(issued.body));
      issuedTokens.push(String(issued.body.access_token), String(issued.body.refresh_token));
      return {
        clientId: issued.clientId,
        access: String(issued.body.access_token),
        refresh: String(issued.body.refresh_token),
      };
    }

    it('a sign-in started on A (register, authorize, consent) finishes on B (callback, token)', async () => {
      lb.served.length = 0;
      lb.route = (path) => (path === '/oauth/callback' || path === '/oauth/token' ? b : a);
      const started = performance.now();
      const t = await signIn('user@example.com');
      const ms = performance.now() - started;
      const on = (path: string) => lb.served.filter((s) => s.path === path).map((s) => s.instance);
      assert.deepEqual(on('/oauth/register'), ['A']);
      assert.deepEqual(on('/oauth/authorize'), ['A']);
      assert.deepEqual(on('/oauth/consent'), ['A']);
      assert.deepEqual(on('/oauth/callback'), ['B']);
      assert.deepEqual(on('/oauth/token'), ['B']);
      assert.equal(await whoAmI(a.url, t.access), 'user@example.com');
      console.log(`[scale] sign-in across instances (A → DocSpace → B): ${ms.toFixed(0)} ms`);
    });

    it('a token issued by A works on B, and B’s refresh works on A', async () => {
      lb.route = () => a;
      const t = await signIn('owner@example.com');
      assert.equal(await whoAmI(b.url, t.access), 'owner@example.com');
      const refreshed = await postForm(`${b.url}/oauth/token`, {
        grant_type: 'refresh_token',
        refresh_token: t.refresh,
        client_id: t.clientId,
      });
      assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
      assert.equal(await whoAmI(a.url, String(refreshed.body.access_token)), 'owner@example.com');
    });

    it('a revocation on A is refused on B at once', async () => {
      lb.route = () => a;
      const t = await signIn('admin@example.com');
      assert.equal((await mcpProbe(b.url, t.access)).status, 200);
      const revoked = await postForm(`${a.url}/oauth/revoke`, { token: t.access, client_id: t.clientId });
      assert.equal(revoked.status, 200);
      const probe = await mcpProbe(b.url, t.access);
      assert.equal(probe.status, 401);
      assert.match(probe.challenge ?? '', /error="invalid_token"/);
      assert.match(probe.challenge ?? '', /^Bearer .*resource_metadata=/);
      const refresh = await postForm(`${b.url}/oauth/token`, {
        grant_type: 'refresh_token',
        refresh_token: t.refresh,
        client_id: t.clientId,
      });
      assert.equal(refresh.status, 400);
      assert.equal(refresh.body.error, 'invalid_grant');
    });

    it('a refresh-token replay seen by B revokes the whole family on A', async () => {
      lb.route = () => a;
      const t = await signIn('roomadmin@example.com');
      const rotated = await postForm(`${a.url}/oauth/token`, {
        grant_type: 'refresh_token',
        refresh_token: t.refresh,
        client_id: t.clientId,
      });
      assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
      const next = { access: String(rotated.body.access_token), refresh: String(rotated.body.refresh_token) };
      assert.equal((await mcpProbe(a.url, next.access)).status, 200);
      await new Promise((r) => setTimeout(r, 300)); // past the 100 ms grace
      const replay = await postForm(`${b.url}/oauth/token`, {
        grant_type: 'refresh_token',
        refresh_token: t.refresh,
        client_id: t.clientId,
      });
      assert.equal(replay.status, 400);
      assert.equal(replay.body.error, 'invalid_grant');
      // The thief's replay took the family down everywhere: the legitimate holder's newest
      // tokens stop working on A too.
      assert.equal((await mcpProbe(a.url, next.access)).status, 401);
      const successor = await postForm(`${a.url}/oauth/token`, {
        grant_type: 'refresh_token',
        refresh_token: next.refresh,
        client_id: t.clientId,
      });
      assert.equal(successor.status, 400);
      assert.equal(successor.body.error, 'invalid_grant');
    });

    it('rate limits are shared: A and B draw from one counter', async () => {
      const remaining: string[] = [];
      for (const instance of [a, b, a, b]) {
        const res = await fetch(`${instance.url}/oauth/introspect`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'token=x',
        });
        await res.body?.cancel();
        assert.notEqual(res.status, 429);
        remaining.push(res.headers.get('ratelimit-remaining') ?? '?');
      }
      assert.deepEqual(remaining, ['3', '2', '1', '0']);
      const refused = await fetch(`${b.url}/oauth/introspect`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'token=x',
      });
      assert.equal(refused.status, 429);
      assert.ok(Number(refused.headers.get('retry-after')) > 0);
      const body = (await refused.json()) as { error: string };
      assert.equal(body.error, 'invalid_request');
    });

    it('Redis holds every key under DOCSPACE_REDIS_KEY_PREFIX and no token or secret in clear', async () => {
      const raw = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
      await raw.connect();
      try {
        const keys = await raw.keys('*');
        assert.ok(keys.some((k) => k.startsWith(`${PREFIX}oauth:grant:`)));
        assert.deepEqual(
          keys.filter((k) => !k.startsWith(PREFIX)),
          [],
        );
        const dump: string[] = [];
        for (const key of keys) {
          const value = (await raw.type(key)) === 'string' ? await raw.get(key) : '';
          dump.push(key, value ?? '');
        }
        const text = dump.join('\n');
        const app = emu.info.oauthApps.find((x) => !x.isPublic);
        // Refresh tokens are `<grant id>.<secret>`: the grant id names a key, the secret must not appear.
        const secretPart = (t: string) => (t.split('.').length === 2 ? (t.split('.')[1] as string) : t);
        const secrets = [...issuedTokens.map(secretPart), app?.clientSecret ?? 'none'];
        const leaked = secrets.filter((t) => text.includes(t));
        assert.equal(leaked.length, 0, `${leaked.length} tokens or secrets readable in Redis`);
      } finally {
        raw.disconnect();
      }
    });
  });
}
