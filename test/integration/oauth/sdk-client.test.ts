import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  auth,
  type OAuthClientMetadata,
  type OAuthClientProvider,
  type OAuthDiscoveryState,
  type StoredOAuthClientInformation,
  type StoredOAuthTokens,
} from '@modelcontextprotocol/client';
import { browserLeg, type Facade, startFacade } from './helpers/facade.js';
import { type FakeDocSpace, startFakeDocSpace } from './helpers/fake-docspace.js';

const APP = { clientId: 'docspace-app-1', clientSecret: 'docspace-app-secret' };

/** An in-memory OAuth client provider, as a desktop MCP client would keep it. */
class MemoryProvider implements OAuthClientProvider {
  info?: StoredOAuthClientInformation;
  saved?: StoredOAuthTokens;
  verifier = '';
  discovery?: OAuthDiscoveryState;
  authorizationUrl?: URL;
  readonly redirectUrl = 'http://127.0.0.1:7300/client-callback';
  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'SDK v2 client',
      redirect_uris: [this.redirectUrl],
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    };
  }
  state() {
    return 'sdk-state';
  }
  clientInformation() {
    return this.info;
  }
  saveClientInformation(info: StoredOAuthClientInformation) {
    this.info = info;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: StoredOAuthTokens) {
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(v: string) {
    this.verifier = v;
  }
  codeVerifier() {
    return this.verifier;
  }
  saveDiscoveryState(s: OAuthDiscoveryState) {
    this.discovery = s;
  }
  discoveryState() {
    return this.discovery;
  }
}

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
    const provider = new MemoryProvider();
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
