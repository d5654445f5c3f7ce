// Personal access tokens on two server processes sharing one Redis: a token made on A works on
// B; revoked on A, it is refused on B at the next request, although B read its record moments
// before (the per-instance copy lasts 10 s; the grant entry B reads on every request is gone).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import type { Emulator } from '../../../emulator/index.js';
import { CookieJar, hiddenInputs } from '../../helpers/oauth-flow.js';
import { type RedisServer, skipUnlessRedis } from '../../helpers/redis.js';
import { emulatorPerson } from '../../integration/oauth/helpers/emulator-leg.js';
import { type Balancer, type Instance, mcpProbe, startPair, stopAll, whoAmI } from './cluster.js';

const PREFIX = 'pat-test:';

if (!skipUnlessRedis('personal tokens on two instances')) {
  describe('personal access tokens, two instances, one Redis', () => {
    let emu: Emulator;
    let redis: RedisServer;
    let lb: Balancer;
    let a: Instance;
    let b: Instance;

    before(async () => {
      ({ emu, redis, lb, a, b } = await startPair(PREFIX));
    });
    after(async () => {
      await stopAll();
      await Promise.all([lb?.close(), redis?.stop(), emu?.close()]);
    });

    /** The person's browser on /connections, played with fetch: sign in, then the page. */
    async function signedInPage(email: string) {
      const user = emu.info.users.find((x) => x.email === email);
      assert.ok(user);
      const jar = new CookieJar();
      const start = await fetch(`${lb.url}/connections/sign-in`, { redirect: 'manual' });
      jar.absorb(start);
      const callback = await emulatorPerson(user)(start.headers.get('location') ?? '');
      const back = await fetch(callback, { redirect: 'manual', headers: { cookie: jar.header() } });
      jar.absorb(back);
      assert.equal(back.status, 302);
      const open = async () => {
        const res = await fetch(`${lb.url}/connections`, { headers: { cookie: jar.header() } });
        jar.absorb(res);
        return res.text();
      };
      const post = async (path: string, form: Record<string, string>) => {
        const res = await fetch(`${lb.url}${path}`, {
          method: 'POST',
          redirect: 'manual',
          headers: {
            cookie: jar.header(),
            origin: lb.url,
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: new URLSearchParams(form),
        });
        jar.absorb(res);
        await res.body?.cancel();
        return res.status;
      };
      return { open, post };
    }

    it('made on A, used on B; revoked on A, refused on B at the next request', async () => {
      const page = await signedInPage('user@example.com');
      const { csrf } = hiddenInputs(await page.open());
      assert.ok(csrf);
      assert.equal(
        await page.post('/connections/tokens/create', { csrf, label: 'CI job', access: 'write', days: '30' }),
        303,
      );
      const html = await page.open();
      const token = /data-testid="new-token">([^<]+)</.exec(html)?.[1] ?? '';
      const id = /name="token" value="([^"]+)"/.exec(html)?.[1] ?? '';
      assert.ok(token && id);

      const raw = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
      await raw.connect();
      try {
        const ttl = await raw.ttl(`${PREFIX}oauth:pat:${id}`);
        assert.ok(ttl > 29 * 86400 && ttl <= 30 * 86400, `the record lives as long as the token (${ttl} s)`);
        const stored = (await raw.get(`${PREFIX}oauth:pat:${id}`)) ?? '';
        assert.ok(!stored.includes(token), 'the token itself is not stored');

        assert.equal(await whoAmI(b.url, token), 'user@example.com', 'B accepts the token A made');
        assert.equal((await mcpProbe(b.url, token)).status, 200);

        assert.equal(await page.post('/connections/tokens/revoke', { csrf, token: id }), 303);
        const probe = await mcpProbe(b.url, token);
        assert.equal(probe.status, 401, 'refused on B at the next request');
        assert.match(probe.challenge ?? '', /^Bearer .*resource_metadata=/);
        assert.match(probe.challenge ?? '', /error="invalid_token"/);
        assert.equal(await raw.exists(`${PREFIX}oauth:pat:${id}`), 0, 'revocation deleted the record');
      } finally {
        raw.disconnect();
      }
    });
  });
}
