import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Facade, startFacade } from './helpers/facade.js';
import { type FakeDocSpace, startFakeDocSpace } from '../../helpers/fake-docspace.js';
import { codeFor, postForm } from './helpers/flow.js';
import { type Listening, listen } from '../../helpers/listen.js';

const APP = { clientId: 'docspace-app-1', clientSecret: 'docspace-app-secret' };

describe('a client identified by its metadata document URL (CIMD)', () => {
  let upstream: FakeDocSpace;
  let facade: Facade;
  let docs: Listening;
  const redirectUri = 'http://127.0.0.1:7100/client-callback';

  before(async () => {
    upstream = await startFakeDocSpace({ apps: [APP] });
    docs = await listen((req) =>
      Response.json({
        client_id: req.url,
        client_name: 'Metadata Client',
        redirect_uris: [redirectUri],
        token_endpoint_auth_method: 'none',
      }),
    );
    // The documents are served by this test on loopback http: allowed only by the test switch.
    facade = await startFacade({
      docspaceBaseUrl: upstream.url,
      ...APP,
      cimd: { allowInsecureLoopback: true },
    });
  });
  after(async () => {
    await facade.close();
    await docs.close();
    await upstream.close();
  });

  it('completes the flow with no registration, shows the verified domain, issues tokens to that URL', async () => {
    const clientId = `${docs.url}/client.json`;
    const consent = await fetch(
      `${facade.url}/oauth/authorize?response_type=code&client_id=${encodeURIComponent(clientId)}&redirect_uri=${encodeURIComponent(redirectUri)}&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256`,
    );
    const html = await consent.text();
    assert.match(html, /Metadata Client/);
    assert.match(html, /domain verified/);
    assert.match(html, /127\.0\.0\.1/);
    const c = await codeFor(facade.url, { clientId, redirectUri });
    const issued = await postForm(`${facade.url}/oauth/token`, {
      grant_type: 'authorization_code',
      code: c.code,
      redirect_uri: redirectUri,
      code_verifier: c.verifier,
      client_id: clientId,
    });
    assert.equal(issued.status, 200, JSON.stringify(issued.body));
    const me = (await (
      await fetch(`${facade.url}/mcp`, {
        headers: { authorization: `Bearer ${String(issued.body.access_token)}` },
      })
    ).json()) as {
      principal: { clientId: string };
    };
    assert.equal(me.principal.clientId, clientId);
  });

  it('a redirect URI not in the document is refused with a page', async () => {
    const clientId = `${docs.url}/client.json`;
    const res = await fetch(
      `${facade.url}/oauth/authorize?response_type=code&client_id=${encodeURIComponent(clientId)}&redirect_uri=${encodeURIComponent('https://evil.example.com/cb')}&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256`,
      { redirect: 'manual' },
    );
    assert.equal(res.status, 400);
  });
});
