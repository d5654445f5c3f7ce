// DocSpace compares an OAuth access token's `aud` (the portal's own address) with the address
// each API request comes to (ASC.Api.Core/Auth/JwtBearerAuthHandler.cs; the emulator does the
// same, test/integration/emulator/api-oauth.test.ts). A server configured with another name for
// the portal would fail every call; the first sign-in says so plainly instead.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Emulator, startEmulator } from '../../../emulator/index.js';
import type { HttpServerHandle } from '../../../src/http/start.js';
import { emulatorPerson } from '../../integration/oauth/helpers/emulator-leg.js';
import { browserLeg, register } from '../../helpers/oauth-flow.js';
import { authorizeUrl, pkcePair } from '../../helpers/pkce.js';
import { startServer } from '../transport/helpers.js';

describe('DOCSPACE_BASE_URL naming the portal by another address', () => {
  let emu: Emulator;
  let server: HttpServerHandle;
  let alias: string;

  before(async () => {
    emu = await startEmulator();
    const app = emu.info.oauthApps.find((a) => !a.isPublic);
    assert.ok(app);
    // The same portal, reached by another host name: its tokens name 127.0.0.1.
    alias = emu.url.replace('127.0.0.1', 'localhost');
    assert.notEqual(alias, emu.url);
    server = await startServer({
      DOCSPACE_BASE_URL: alias,
      DOCSPACE_OAUTH_CLIENT_ID: app.clientId,
      DOCSPACE_OAUTH_CLIENT_SECRET: app.clientSecret,
      DOCSPACE_SECRET: 'a'.repeat(40),
    });
  });
  after(async () => {
    await server?.close();
    await emu?.close();
  });

  it("the first sign-in stops with a page naming the portal's own address and the setting to change", async () => {
    const redirectUri = 'http://127.0.0.1:7000/client-callback';
    const { client_id: clientId } = await register(server.url, {
      client_name: 'Alias check',
      redirect_uris: [redirectUri],
      token_endpoint_auth_method: 'none',
    });
    const { challenge } = pkcePair();
    const u = emu.info.users.find((x) => x.email === 'user@example.com');
    assert.ok(u);
    const leg = await browserLeg(
      server.url,
      authorizeUrl(server.url, {
        response_type: 'code',
        client_id: clientId,
        redirect_uri: redirectUri,
        code_challenge: challenge,
        code_challenge_method: 'S256',
        state: 's',
      }),
      { upstream: emulatorPerson({ email: u.email, password: u.password }) },
    );
    assert.equal(leg.location, 'status:500');
    const text = leg.consentHtml.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    assert.match(text, new RegExp(`issued this sign-in for ${emu.url.replace(/[.:/]/g, '\\$&')}`));
    assert.match(text, /DOCSPACE_BASE_URL/);
    assert.ok(!/stack|at .*\.js/.test(text), 'no stack trace on the page');
  });
});
