// /oauth/token limits that do not punish an office: a client refreshing eagerly is held back by
// its own limits, while other clients and people behind the same address still get tokens.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Demo } from '../../../src/demo.js';
import { startDemoServer } from '../../helpers/assembled.js';
import { emulatorPerson } from '../../integration/oauth/helpers/emulator-leg.js';
import { postForm, tokensFor } from '../../integration/oauth/helpers/flow.js';

describe('token endpoint limits', () => {
  let demo: Demo;
  let base: string;
  before(async () => {
    demo = await startDemoServer({
      argv: [
        '--server-rate-limits-oauth-token-grant-capacity',
        '3',
        '--server-rate-limits-oauth-token-client-capacity',
        '6',
      ],
    });
    base = demo.server.publicBaseUrl.replace(/\/$/, '');
  });
  after(() => demo?.stop());

  const person = (email: string) => {
    const u = demo.emulator.info.users.find((x) => x.email === email);
    assert.ok(u);
    return emulatorPerson(u);
  };

  it('an eager refresher is refused with a token-endpoint error and Retry-After; others behind the same IP are not', async () => {
    const eager = await tokensFor(base, { upstream: person('user@example.com') });
    assert.equal(eager.status, 200, JSON.stringify(eager.body));
    let refresh = String(eager.body.refresh_token);
    const statuses: number[] = [];
    let refused: Awaited<ReturnType<typeof postForm>> | undefined;
    for (let i = 0; i < 4; i++) {
      const res = await postForm(`${base}/oauth/token`, {
        grant_type: 'refresh_token',
        refresh_token: refresh,
        client_id: eager.clientId,
      });
      statuses.push(res.status);
      if (res.status === 200) refresh = String(res.body.refresh_token);
      else refused = res;
    }
    assert.deepEqual(statuses, [200, 200, 200, 429], 'three refreshes of one sign-in, then held back');
    assert.ok(refused);
    assert.equal(
      refused.body.error,
      'invalid_request',
      'RFC 6749 §5.2 code, not the device flow’s slow_down',
    );
    assert.match(String(refused.body.error_description), /try again in \d+ s/);
    assert.ok(Number(refused.headers.get('retry-after')) > 0);

    // Another person's client from the same address signs in and refreshes as usual.
    const colleague = await tokensFor(base, { upstream: person('admin@example.com') });
    assert.equal(colleague.status, 200, JSON.stringify(colleague.body));
    const next = await postForm(`${base}/oauth/token`, {
      grant_type: 'refresh_token',
      refresh_token: String(colleague.body.refresh_token),
      client_id: colleague.clientId,
    });
    assert.equal(next.status, 200, JSON.stringify(next.body));
  });

  it('one client id at one address is limited on its own, across its sign-ins', async () => {
    const first = await tokensFor(base, { upstream: person('roomadmin@example.com') });
    assert.equal(first.status, 200);
    // The same client keeps asking with codes that do not exist (its own failures count too).
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await postForm(`${base}/oauth/token`, {
        grant_type: 'authorization_code',
        code: `nope-${i}`,
        redirect_uri: 'http://127.0.0.1:7000/client-callback',
        code_verifier: 'x'.repeat(43),
        client_id: first.clientId,
      });
      statuses.push(res.status);
    }
    // One request of its six was the code exchange above: five more, then refused.
    assert.deepEqual(statuses, [400, 400, 400, 400, 400, 429]);
  });
});
