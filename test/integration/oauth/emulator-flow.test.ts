import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Emulator, startEmulator } from '../../../emulator/index.js';
import { emulatorPerson } from './helpers/emulator-leg.js';
import { type Facade, startFacade } from './helpers/facade.js';
import { codeFor, postForm, tokensFor } from './helpers/flow.js';

/** The whole flow against the emulator's DocSpace OAuth server, with its real sign-in and consent forms. */
describe('OAuth against the emulator (DocSpace sign-in and consent pages)', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator();
    const probe = await fetch(`${emu.url}/oauth2/authorize`, { redirect: 'manual' });
    assert.notEqual(probe.status, 404, 'the emulator serves DocSpace’s OAuth server under /oauth2');
  });
  after(() => emu.close());

  const user = (email: string) => {
    const u = emu.info.users.find((x) => x.email === email);
    assert.ok(u, `seeded user ${email}`);
    return u;
  };
  const app = (pkce: boolean) => {
    const a = emu.info.oauthApps.find((x) => x.isPublic === pkce);
    assert.ok(a);
    return a;
  };

  describe('mode 1: the operator’s DocSpace app, clients registered with us', () => {
    let facade: Facade;
    before(async () => {
      const shared = app(false);
      facade = await startFacade({
        docspaceBaseUrl: emu.url,
        clientId: shared.clientId,
        clientSecret: shared.clientSecret,
        probeDocSpace: true,
      });
    });
    after(() => facade.close());

    it('two users each get a token that acts as themselves at DocSpace', async () => {
      for (const email of ['owner@example.com', 'user@example.com']) {
        const u = user(email);
        const started = performance.now();
        const issued = await tokensFor(facade.url, {
          upstream: emulatorPerson({ email: u.email, password: u.password }),
        });
        const ms = (performance.now() - started).toFixed(1);
        console.log(
          `[oauth] whole flow incl. DocSpace sign-in + consent pages (emulator), ${email}: ${ms} ms`,
        );
        assert.equal(issued.status, 200, JSON.stringify(issued.body));
        const res = await fetch(`${facade.url}/mcp`, {
          headers: { authorization: `Bearer ${String(issued.body.access_token)}` },
        });
        const echoed = (await res.json()) as {
          principal: { userId: string };
          self: { status: number; id: string; email: string };
        };
        assert.equal(echoed.principal.userId, u.id);
        assert.equal(echoed.self.status, 200);
        assert.equal(echoed.self.email, email);
        const refreshed = await postForm(`${facade.url}/oauth/token`, {
          grant_type: 'refresh_token',
          refresh_token: String(issued.body.refresh_token),
          client_id: issued.clientId,
        });
        assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
      }
    });

    it('Deny on DocSpace’s consent page reaches the client as access_denied', async () => {
      const u = user('admin@example.com');
      const c = await codeFor(facade.url, {
        upstream: emulatorPerson({ email: u.email, password: u.password }, 'deny'),
      });
      const back = new URL(c.location);
      assert.equal(back.searchParams.get('error'), 'access_denied');
      assert.equal(back.searchParams.get('state'), 's1');
      assert.equal(back.searchParams.get('code'), null);
    });
  });

  describe('mode 2: the user types their own DocSpace app id (and secret) into the client', () => {
    let facade: Facade;
    before(async () => {
      facade = await startFacade({ docspaceBaseUrl: emu.url, probeDocSpace: true });
    });
    after(() => facade.close());

    it('metadata offers no registration, and a typed-in confidential app works with its secret', async () => {
      const meta = (await (
        await fetch(`${facade.url}/.well-known/oauth-authorization-server`)
      ).json()) as Record<string, unknown>;
      assert.equal(meta.registration_endpoint, undefined);
      assert.equal(meta.client_id_metadata_document_supported, false);
      const own = app(false);
      const u = user('roomadmin@example.com');
      const c = await codeFor(facade.url, {
        clientId: own.clientId,
        upstream: emulatorPerson({ email: u.email, password: u.password }),
      });
      const fields = {
        grant_type: 'authorization_code',
        code: c.code,
        redirect_uri: c.redirectUri,
        code_verifier: c.verifier,
        client_id: own.clientId,
      };
      const wrong = await postForm(`${facade.url}/oauth/token`, { ...fields, client_secret: 'wrong' });
      assert.equal(wrong.status, 401);
      assert.equal(wrong.body.error, 'invalid_client');
      const c2 = await codeFor(facade.url, {
        clientId: own.clientId,
        upstream: emulatorPerson({ email: u.email, password: u.password }),
      });
      const right = await postForm(`${facade.url}/oauth/token`, {
        ...fields,
        code: c2.code,
        code_verifier: c2.verifier,
        client_secret: own.clientSecret,
      });
      assert.equal(right.status, 200, JSON.stringify(right.body));
      const echoed = (await (
        await fetch(`${facade.url}/mcp`, {
          headers: { authorization: `Bearer ${String(right.body.access_token)}` },
        })
      ).json()) as {
        principal: { clientId: string };
        self: { email: string };
      };
      assert.equal(echoed.principal.clientId, own.clientId);
      assert.equal(echoed.self.email, u.email);
    });
  });
});
