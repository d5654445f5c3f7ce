import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkAccessToken,
  createAccessTokenSealer,
  mintAccessToken,
} from '../../../src/oauth/access-token.js';
import { createSealer, isSealedShape } from '../../../src/oauth/seal.js';

const SECRET = 'access-token-secret-0123456789-abcdef';
const AUD = 'https://mcp.example.com/mcp';
const NOW = 1_800_000_000_000;
const fields = (exp: number) => ({
  iss: 'https://mcp.example.com',
  aud: AUD,
  sub: 'user-1',
  cid: 'client-1',
  gid: 'grant-1',
  dsg: 'oauth:ds:user-1',
  exp,
});

describe('access token checks (the reasons audit and logs name)', () => {
  const sealer = createAccessTokenSealer(SECRET);
  it('accepts a live token for our audience, until the second it expires', async () => {
    const token = await mintAccessToken(sealer, fields(NOW / 1000 + 60), NOW);
    const ok = await checkAccessToken(sealer, token, AUD, NOW + 59_999);
    assert.ok(ok.ok && ok.claims.sub === 'user-1' && ok.claims.gid === 'grant-1');
    assert.deepEqual(await checkAccessToken(sealer, token, AUD, NOW + 60_000), {
      ok: false,
      reason: 'expired',
    });
  });
  it('names another audience, and anything else malformed', async () => {
    const token = await mintAccessToken(sealer, fields(NOW / 1000 + 60), NOW);
    assert.deepEqual(await checkAccessToken(sealer, token, 'https://other.example.com/mcp', NOW), {
      ok: false,
      reason: 'audience',
    });
    const otherPurpose = await createSealer('store', SECRET).seal(fields(NOW / 1000 + 60));
    for (const bad of [otherPurpose, 'not-a-token', `${token.slice(0, -2)}xx`])
      assert.deepEqual(await checkAccessToken(sealer, bad, AUD, NOW), { ok: false, reason: 'malformed' });
    const noGrant = await sealer.seal({ ...fields(NOW / 1000 + 60), gid: undefined });
    assert.deepEqual(await checkAccessToken(sealer, noGrant, AUD, NOW), { ok: false, reason: 'malformed' });
  });
  it('opens tokens sealed under a previous secret while it is listed', async () => {
    const old = 'previous-secret-0123456789-abcdefghij';
    const token = await mintAccessToken(createAccessTokenSealer(old), fields(NOW / 1000 + 60), NOW);
    assert.ok((await checkAccessToken(createAccessTokenSealer(SECRET, [old]), token, AUD, NOW)).ok);
    assert.deepEqual(await checkAccessToken(sealer, token, AUD, NOW), { ok: false, reason: 'malformed' });
  });
  it('tells sealed values (ours or forged) from other credentials', async () => {
    assert.ok(isSealedShape(await sealer.seal({ a: 1 })));
    assert.ok(isSealedShape(`${Buffer.from('{"alg":"RSA-OAEP"}').toString('base64url')}.a.b.c.d`));
    assert.ok(!isSealedShape('sk-0123456789'));
    assert.ok(!isSealedShape('a.b.c.d.e'));
  });
});
