import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Emulator, startEmulator } from '../../../emulator/index.js';
import type { HttpServerHandle } from '../../../src/http/start.js';
import { INIT, rpc, startServer } from '../../e2e/transport/helpers.js';

describe('the HTTP server with OAuth on', () => {
  let emulator: Emulator;
  let server: HttpServerHandle;
  before(async () => {
    emulator = await startEmulator({ port: 0, seed: 'demo' });
    const app = emulator.info.oauthApps.find((a) => !a.isPublic);
    assert.ok(app, 'the emulator seeds a confidential OAuth app');
    server = await startServer({
      DOCSPACE_BASE_URL: emulator.url,
      DOCSPACE_OAUTH_BASE_URL: emulator.url,
      DOCSPACE_OAUTH_CLIENT_ID: app.clientId,
      DOCSPACE_OAUTH_CLIENT_SECRET: app.clientSecret,
      DOCSPACE_SECRET: 'x'.repeat(40),
      DOCSPACE_SERVER_RATE_LIMITS_OAUTH_TOKEN_CAPACITY: '3',
    });
  });
  after(async () => {
    await server.close();
    await emulator.close();
  });

  it('serves protected-resource metadata naming the bound URL', async () => {
    const res = await fetch(`${server.url}/.well-known/oauth-protected-resource/mcp`);
    assert.equal(res.status, 200);
    const doc = (await res.json()) as { resource: string; authorization_servers: string[] };
    assert.equal(doc.resource, `${server.url}/mcp`);
    assert.deepEqual(doc.authorization_servers, [server.url]);
  });

  it('answers an unauthenticated MCP request 401 with a WWW-Authenticate pointing at the metadata', async () => {
    const res = await rpc(`${server.url}/mcp`, INIT, { origin: 'http://localhost:6274' });
    assert.equal(res.status, 401);
    assert.match(
      res.headers.get('www-authenticate') ?? '',
      /resource_metadata="http:\/\/127\.0\.0\.1:\d+\/\.well-known\/oauth-protected-resource\/mcp"/,
    );
    assert.match(res.headers.get('access-control-expose-headers') ?? '', /WWW-Authenticate/);
    const body = (await res.json()) as { jsonrpc: string; error: { code: number; message: string } };
    assert.equal(body.jsonrpc, '2.0');
    assert.equal(body.error.code, -32001);
  });

  it('limits /oauth/token per IP with an OAuth-shaped 429', async () => {
    let last: Response | undefined;
    for (let i = 0; i < 5; i++) {
      last = await fetch(`${server.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=authorization_code&code=nope',
      });
      if (last.status === 429) break;
      await last.body?.cancel();
    }
    assert.equal(last?.status, 429);
    assert.ok(Number(last?.headers.get('retry-after')) >= 1);
    const body = (await last?.json()) as { error: string };
    assert.equal(typeof body.error, 'string');
  });

  it('answers unknown OAuth routes 404 in the OAuth error shape', async () => {
    const res = await fetch(`${server.url}/oauth/nowhere`);
    assert.equal(res.status, 404);
    const body = (await res.json()) as { error?: string };
    assert.equal(typeof body.error, 'string');
  });
});
