import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createMemoryStore } from '../../../src/store/memory.js';
import { type Facade, register, startFacade } from './helpers/facade.js';
import { type FakeDocSpace, startFakeDocSpace } from '../../helpers/fake-docspace.js';
import { postForm, tokensFor } from './helpers/flow.js';

const APP = { clientId: 'docspace-app-1', clientSecret: 'docspace-app-secret' };

describe('a registration flood on the memory store', () => {
  let upstream: FakeDocSpace;
  let facade: Facade;
  before(async () => {
    upstream = await startFakeDocSpace({ apps: [APP] });
    facade = await startFacade({
      docspaceBaseUrl: upstream.url,
      clientId: APP.clientId,
      clientSecret: APP.clientSecret,
      store: createMemoryStore({ maxEntries: 100 }),
    });
  });
  after(async () => {
    await facade.close();
    await upstream.close();
  });

  it('signs nobody out: grants and registrations in use outlast 600 unused registrations', async () => {
    const signedIn = await tokensFor(facade.url);
    assert.equal(signedIn.status, 200);
    for (let i = 0; i < 600; i++) {
      await register(facade.url, {
        client_name: `flood ${i}`,
        redirect_uris: ['http://127.0.0.1:7000/client-callback'],
        token_endpoint_auth_method: 'none',
      });
    }
    const mcp = await fetch(`${facade.url}/mcp`, {
      headers: { authorization: `Bearer ${String(signedIn.body.access_token)}` },
    });
    assert.equal(mcp.status, 200, 'the grant is still there');
    const refreshed = await postForm(`${facade.url}/oauth/token`, {
      grant_type: 'refresh_token',
      refresh_token: String(signedIn.body.refresh_token),
      client_id: signedIn.clientId,
    });
    assert.equal(
      refreshed.status,
      200,
      `the used registration is still there: ${JSON.stringify(refreshed.body)}`,
    );
  });
});
