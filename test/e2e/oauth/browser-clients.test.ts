// Browser-based MCP clients on their own origin (issue 15 item 12): the endpoints that carry no
// cookies — metadata, registration, token, revocation — answer them with CORS and no Origin
// refusal; the pages people click (authorize, consent, connections) stay same-origin.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Demo } from '../../../src/demo.js';
import { startDemoServer } from '../../helpers/assembled.js';

const CLIENT = 'https://inspector.example';

describe('a browser-based client on another origin', () => {
  let demo: Demo;
  let base: string;
  before(async () => {
    demo = await startDemoServer();
    base = demo.server.publicBaseUrl.replace(/\/$/, '');
  });
  after(() => demo?.stop());

  it('discovers, registers, asks the token endpoint and revokes, with CORS', async () => {
    for (const path of [
      '/.well-known/oauth-protected-resource/mcp',
      '/.well-known/oauth-authorization-server',
    ]) {
      const res = await fetch(`${base}${path}`, { headers: { origin: CLIENT } });
      assert.equal(res.status, 200, path);
      assert.equal(res.headers.get('access-control-allow-origin'), '*', path);
    }
    const registered = await fetch(`${base}/oauth/register`, {
      method: 'POST',
      headers: { origin: CLIENT, 'content-type': 'application/json' },
      body: JSON.stringify({
        client_name: 'Browser client',
        redirect_uris: [`${CLIENT}/callback`],
        token_endpoint_auth_method: 'none',
      }),
    });
    assert.equal(registered.status, 201, await registered.clone().text());
    const { client_id } = (await registered.json()) as { client_id: string };
    const token = await fetch(`${base}/oauth/token`, {
      method: 'POST',
      headers: { origin: CLIENT, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'nope.nope', client_id }),
    });
    // The token endpoint answers the request itself (here: a refresh token it does not know).
    assert.equal(token.status, 400);
    assert.equal(((await token.json()) as { error: string }).error, 'invalid_grant');
    const revoke = await fetch(`${base}/oauth/revoke`, {
      method: 'POST',
      headers: { origin: CLIENT, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: 'nope', client_id }),
    });
    assert.equal(revoke.status, 200);
  });

  it('the pages people click stay same-origin', async () => {
    const consent = await fetch(`${base}/oauth/consent`, {
      method: 'POST',
      headers: { origin: CLIENT, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'request=x&csrf=y&decision=allow',
    });
    assert.equal(consent.status, 403);
    const connections = await fetch(`${base}/connections/revoke-all`, {
      method: 'POST',
      headers: { origin: CLIENT, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'csrf=y',
      redirect: 'manual',
    });
    assert.equal(connections.status, 403);
  });
});
