import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { auth } from '@modelcontextprotocol/client';
import { MemoryProvider } from '../../helpers/oauth-provider.js';
import { browserLeg, type Facade, startFacade } from './helpers/facade.js';
import { type FakeDocSpace, startFakeDocSpace } from '../../helpers/fake-docspace.js';

const APP = { clientId: 'docspace-app-1', clientSecret: 'docspace-app-secret' };

describe('the MCP SDK v2 client’s OAuth flow against our server', () => {
  let upstream: FakeDocSpace;
  let facade: Facade;
  before(async () => {
    upstream = await startFakeDocSpace({ apps: [APP] });
    facade = await startFacade({ docspaceBaseUrl: upstream.url, ...APP });
  });
  after(async () => {
    await facade.close();
    await upstream.close();
  });

  it('discovers, registers, authorizes with PKCE, checks iss, and gets a token that works on /mcp', async () => {
    const provider = new MemoryProvider('http://127.0.0.1:7300/client-callback', undefined, 'sdk-state');
    const serverUrl = `${facade.url}/mcp`;
    assert.equal(await auth(provider, { serverUrl }), 'REDIRECT');
    assert.match(String(provider.info?.client_id), /^mcp_/);
    const authorizationUrl = provider.authorizationUrl;
    assert.ok(authorizationUrl);
    assert.equal(authorizationUrl.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(authorizationUrl.searchParams.get('resource'), serverUrl);
    const leg = await browserLeg(facade.url, authorizationUrl.toString());
    const back = new URL(leg.location);
    assert.equal(back.searchParams.get('state'), 'sdk-state');
    const result = await auth(provider, {
      serverUrl,
      authorizationCode: back.searchParams.get('code') ?? '',
      iss: back.searchParams.get('iss') ?? undefined,
    });
    assert.equal(result, 'AUTHORIZED');
    const accessToken = provider.saved?.access_token ?? '';
    const res = await fetch(serverUrl, { headers: { authorization: `Bearer ${accessToken}` } });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { principal: { userId: string } }).principal.userId, upstream.userId);
  });
});
