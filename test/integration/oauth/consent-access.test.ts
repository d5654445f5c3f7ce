// The access level chosen on the consent page reaches the connection: as picked, as remembered
// with "Remember my choice", and never above the operator's read-only setting.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { authorizeUrl, CookieJar, type Facade, pkcePair, register, startFacade } from './helpers/facade.js';
import { type FakeDocSpace, startFakeDocSpace } from '../../helpers/fake-docspace.js';
import { tokensFor } from './helpers/flow.js';

const APP = { clientId: 'docspace-app-1', clientSecret: 'docspace-app-secret' };
const CB = 'http://127.0.0.1:7000/client-callback';

/** The level stored on the connection behind a refresh token. */
async function levelOf(facade: Facade, refreshToken: unknown): Promise<string | undefined> {
  const raw = await facade.store.get(`oauth:grant:${String(refreshToken).split('.')[0]}`);
  return raw ? (JSON.parse(raw) as { access?: string }).access : undefined;
}

describe('the access level chosen at consent', () => {
  let upstream: FakeDocSpace;
  let facade: Facade;
  let readOnlyServer: Facade;

  before(async () => {
    upstream = await startFakeDocSpace({ apps: [APP] });
    facade = await startFacade({ docspaceBaseUrl: upstream.url, ...APP, defaultAccess: 'read' });
    readOnlyServer = await startFacade({ docspaceBaseUrl: upstream.url, ...APP, writeAllowed: false });
  });
  after(async () => {
    await Promise.all([facade.close(), readOnlyServer.close()]);
    await upstream.close();
  });

  it('the operator’s default is selected first, and the person’s pick is what the connection gets', async () => {
    const clientId = (
      await register(facade.url, {
        client_name: 'Picker',
        redirect_uris: [CB],
        token_endpoint_auth_method: 'none',
      })
    ).client_id;
    const page = await (
      await fetch(
        authorizeUrl(facade.url, {
          response_type: 'code',
          client_id: clientId,
          redirect_uri: CB,
          code_challenge: pkcePair().challenge,
          code_challenge_method: 'S256',
        }),
      )
    ).text();
    assert.match(page, /<input type="radio" name="access" value="read" checked>/);
    assert.match(page, /<input type="radio" name="access" value="write">/);
    const picked = await tokensFor(facade.url, { clientId, redirectUri: CB, access: 'write' });
    assert.equal(picked.status, 200);
    assert.equal(await levelOf(facade, picked.body.refresh_token), 'write');
    const defaulted = await tokensFor(facade.url, { clientId, redirectUri: CB });
    assert.equal(await levelOf(facade, defaulted.body.refresh_token), 'read', 'no pick: the default');
  });

  it('"Remember my choice" remembers the level too', async () => {
    const clientId = (
      await register(facade.url, {
        client_name: 'Rememberer',
        redirect_uris: [CB],
        token_endpoint_auth_method: 'none',
      })
    ).client_id;
    const jar = new CookieJar();
    const first = await tokensFor(facade.url, {
      clientId,
      redirectUri: CB,
      jar,
      access: 'write',
      remember: true,
    });
    assert.equal(await levelOf(facade, first.body.refresh_token), 'write');
    const again = await tokensFor(facade.url, { clientId, redirectUri: CB, jar });
    assert.equal(again.status, 200);
    assert.equal(await levelOf(facade, again.body.refresh_token), 'write', 'remembered, not the default');
  });

  it('on a read-only server there is no choice, and a forged "write" still gets Read only', async () => {
    const clientId = (
      await register(readOnlyServer.url, {
        client_name: 'Ceiling',
        redirect_uris: [CB],
        token_endpoint_auth_method: 'none',
      })
    ).client_id;
    const page = await (
      await fetch(
        authorizeUrl(readOnlyServer.url, {
          response_type: 'code',
          client_id: clientId,
          redirect_uri: CB,
          code_challenge: pkcePair().challenge,
          code_challenge_method: 'S256',
        }),
      )
    ).text();
    assert.doesNotMatch(page, /type="radio"/);
    assert.match(page, /this server allows reading only/);
    const forged = await tokensFor(readOnlyServer.url, { clientId, redirectUri: CB, access: 'write' });
    assert.equal(forged.status, 200);
    assert.equal(await levelOf(readOnlyServer, forged.body.refresh_token), 'read');
  });
});
