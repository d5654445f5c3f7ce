// DocSpace keeps one OAuth authorization per person and app (identity_authorizations' primary
// key; see test/integration/emulator/oauth-one-authorization.test.ts): a second sign-in ends the
// first one's DocSpace tokens. So a person's MCP connections share one DocSpace grant, and a
// person who connects a second client must not break the first.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Emulator, startEmulator } from '../../../emulator/index.js';
import type { HttpServerHandle } from '../../../src/http/start.js';
import { emulatorPerson } from '../../integration/oauth/helpers/emulator-leg.js';
import { postForm, tokensFor } from '../../integration/oauth/helpers/flow.js';
import { whoAmI } from '../scale/cluster.js';
import { startServer } from '../transport/helpers.js';

describe("one DocSpace grant per person, shared by the person's MCP connections", () => {
  let emu: Emulator;
  let server: HttpServerHandle;
  let app: { clientId: string; clientSecret: string };
  /** Every DocSpace token the server was given, newest last (seen on the wire, never logged). */
  const docspaceTokens: string[] = [];

  before(async () => {
    emu = await startEmulator();
    const found = emu.info.oauthApps.find((a) => !a.isPublic);
    assert.ok(found);
    app = found;
    const watching: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      const url = input instanceof Request ? input.url : String(input);
      if (url.endsWith('/oauth2/token') && res.ok) {
        const body = (await res.clone().json()) as { access_token?: string };
        if (body.access_token) docspaceTokens.push(body.access_token);
      }
      return res;
    };
    server = await startServer(
      {
        DOCSPACE_BASE_URL: emu.url,
        DOCSPACE_OAUTH_CLIENT_ID: app.clientId,
        DOCSPACE_OAUTH_CLIENT_SECRET: app.clientSecret,
        DOCSPACE_SECRET: 'g'.repeat(40),
      },
      watching,
    );
  });
  after(async () => {
    await server?.close();
    await emu?.close();
  });

  const person = (email: string) => {
    const u = emu.info.users.find((x) => x.email === email);
    assert.ok(u, `seeded user ${email}`);
    return emulatorPerson({ email: u.email, password: u.password });
  };

  async function connect(email: string) {
    const issued = await tokensFor(server.url, { upstream: person(email) });
    assert.equal(issued.status, 200, JSON.stringify(issued.body));
    return {
      clientId: issued.clientId,
      access: String(issued.body.access_token),
      refresh: String(issued.body.refresh_token),
    };
  }

  /** Whether DocSpace still honours a token it issued (its own introspection). */
  async function docspaceActive(token: string): Promise<boolean> {
    const res = await postForm(`${emu.url}/oauth2/introspect`, {
      token,
      client_id: app.clientId,
      client_secret: app.clientSecret,
    });
    return res.body.active === true;
  }

  it('two clients of one person, signed in one after the other, both keep working', async () => {
    const claude = await connect('user@example.com');
    assert.equal(await whoAmI(server.url, claude.access), 'user@example.com');
    const vscode = await connect('user@example.com');
    // DocSpace ended the first sign-in's tokens when the second one was made…
    assert.equal(await docspaceActive(docspaceTokens[0] as string), false);
    // …yet both connections act at DocSpace, with their tokens as issued and after a refresh.
    assert.equal(await whoAmI(server.url, vscode.access), 'user@example.com');
    assert.equal(await whoAmI(server.url, claude.access), 'user@example.com');
    const refreshed = await postForm(`${server.url}/oauth/token`, {
      grant_type: 'refresh_token',
      refresh_token: claude.refresh,
      client_id: claude.clientId,
    });
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
    assert.equal(await whoAmI(server.url, String(refreshed.body.access_token)), 'user@example.com');
  });

  it('revoking one connection keeps the DocSpace grant for the others; revoking the last ends it', async () => {
    const first = await connect('owner@example.com');
    const second = await connect('owner@example.com');
    const grant = docspaceTokens[docspaceTokens.length - 1] as string;
    assert.equal(await docspaceActive(grant), true);

    const revoked = await postForm(`${server.url}/oauth/revoke`, {
      token: first.refresh,
      client_id: first.clientId,
    });
    assert.equal(revoked.status, 200);
    await assert.rejects(whoAmI(server.url, first.access));
    assert.equal(await whoAmI(server.url, second.access), 'owner@example.com');
    assert.equal(await docspaceActive(grant), true, 'the DocSpace grant outlives one connection');

    await postForm(`${server.url}/oauth/revoke`, { token: second.access, client_id: second.clientId });
    await assert.rejects(whoAmI(server.url, second.access));
    assert.equal(await docspaceActive(grant), false, 'the last connection took the DocSpace grant with it');
  });

  it("another person's sign-in leaves this person's connections alone", async () => {
    const mine = await connect('roomadmin@example.com');
    await connect('admin@example.com');
    assert.equal(await whoAmI(server.url, mine.access), 'roomadmin@example.com');
  });
});
