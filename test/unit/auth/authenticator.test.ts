import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAudit, createMemoryAuditSink } from '../../../src/audit/index.js';
import { AuthError } from '../../../src/auth/errors.js';
import { createAuthenticator } from '../../../src/auth/index.js';
import { createAccessTokenSealer, mintAccessToken } from '../../../src/oauth/access-token.js';

const SECRET = 'unit-secret-0123456789-abcdefghijkl';
const BASE = 'https://mcp.example.com';

async function setup(
  opts: {
    acceptDocSpaceCredentials?: boolean;
    now?: () => number;
    previousSecrets?: string[];
    secret?: string;
  } = {},
) {
  // The person's DocSpace grant as the OAuth side reports it: connection g1 is attached, others are not.
  const live = new Map([['g1', 'docspace-at']]);
  const { events, sink } = createMemoryAuditSink();
  const authenticate = createAuthenticator({
    publicBaseUrl: BASE,
    oauth: {
      secret: opts.secret ?? SECRET,
      previousSecrets: opts.previousSecrets,
      docspaceAccessToken: async (claims) => (claims.dsg === 'dsg1' ? live.get(claims.gid) : undefined),
    },
    acceptDocSpaceCredentials: opts.acceptDocSpaceCredentials,
    audit: createAudit(undefined, sink),
    now: opts.now,
  });
  return { live, events, authenticate };
}

async function mint(fields: { secret?: string; aud?: string; exp?: number; gid?: string } = {}) {
  const sealer = createAccessTokenSealer(fields.secret ?? SECRET);
  return mintAccessToken(
    sealer,
    {
      iss: BASE,
      aud: fields.aud ?? `${BASE}/mcp`,
      sub: 'u1',
      cid: 'mcp_c1',
      gid: fields.gid ?? 'g1',
      exp: fields.exp ?? Math.floor(Date.now() / 1000) + 600,
      dsg: 'dsg1',
    },
    Date.now(),
  );
}

type Authenticate = ReturnType<typeof createAuthenticator>;
type Outcome = Awaited<ReturnType<Authenticate>>;

/** The credential, or the `AuthError` the authenticator threw (anything else fails the test). */
const call = async (
  authenticate: Authenticate,
  auth?: string,
  method = 'POST',
): Promise<({ ok: true } & Outcome) | { ok: false; error: AuthError }> => {
  try {
    const out = await authenticate(
      new Request(`${BASE}/mcp`, { method, headers: auth ? { authorization: auth } : {} }),
    );
    return { ok: true, ...out };
  } catch (error) {
    assert.ok(error instanceof AuthError, String(error));
    return { ok: false, error };
  }
};

describe('authenticator', () => {
  it('our token becomes the DocSpace credential inside, with user and client', async () => {
    const { authenticate } = await setup();
    const out = await call(authenticate, `Bearer ${await mint()}`);
    assert.ok(out.ok);
    const { current, ...credential } = out.credential as { current?: unknown };
    assert.deepEqual(credential, { kind: 'oauth', accessToken: 'docspace-at' });
    assert.equal(typeof current, 'function', 'asks the person’s grant again after a DocSpace 401');
    assert.deepEqual(out.principal, { userId: 'u1', clientId: 'mcp_c1', kind: 'oauth' });
  });

  it('no token → 401 with resource_metadata and no error code', async () => {
    const { authenticate } = await setup();
    const out = await call(authenticate);
    assert.ok(!out.ok);
    assert.equal(out.error.httpStatus, 401);
    assert.equal(out.error.code, 'unauthorized');
    assert.equal(
      out.error.headers['www-authenticate'],
      `Bearer resource_metadata="${BASE}/.well-known/oauth-protected-resource/mcp"`,
    );
  });

  const rejections: [string, () => Promise<string>][] = [
    ['expired', () => mint({ exp: Math.floor(Date.now() / 1000) - 5 })],
    ['another audience', () => mint({ aud: 'https://other.example.com/mcp' })],
    ['revoked (grant gone)', () => mint({ gid: 'gone' })],
    ['foreign (other secret)', () => mint({ secret: 'another-secret-0123456789-abcdefgh' })],
    [
      'tampered',
      async () => {
        const t = await mint();
        const parts = t.split('.');
        const c = parts[3];
        parts[3] = (c[0] === 'A' ? 'B' : 'A') + c.slice(1);
        return parts.join('.');
      },
    ],
  ];
  for (const [name, make] of rejections) {
    it(`${name} token → 401 invalid_token, audited`, async () => {
      const { authenticate, events } = await setup();
      const out = await call(authenticate, `Bearer ${await make()}`);
      assert.ok(!out.ok);
      assert.equal(out.error.httpStatus, 401);
      assert.match(
        out.error.headers['www-authenticate'] ?? '',
        /^Bearer resource_metadata="[^"]+", error="invalid_token"/,
      );
      assert.equal(events.at(-1)?.event, 'token.rejected');
    });
  }

  it('a token sealed under the previous secret still works after rotation', async () => {
    const token = await mint({ secret: 'old-secret-0123456789-abcdefghijk' });
    const { authenticate } = await setup({ previousSecrets: ['old-secret-0123456789-abcdefghijk'] });
    assert.ok((await call(authenticate, `Bearer ${token}`)).ok);
  });

  it('DocSpace API keys and tokens pass only when the operator allows it, and never look like ours', async () => {
    const closed = await setup();
    const refused = await call(closed.authenticate, 'Bearer sk-abc');
    assert.ok(!refused.ok);
    assert.equal(refused.error.httpStatus, 401);
    const open = await setup({ acceptDocSpaceCredentials: true });
    const key = await call(open.authenticate, 'Bearer sk-abc');
    assert.ok(key.ok);
    assert.deepEqual(key.credential, { kind: 'apiKey', apiKey: 'sk-abc' });
    const pat = await call(open.authenticate, 'Bearer some-personal-token');
    assert.ok(pat.ok);
    assert.deepEqual(pat.credential, { kind: 'personalToken', token: 'some-personal-token' });
    const forged = await call(
      open.authenticate,
      `Bearer ${await mint({ secret: 'another-secret-0123456789-abcdefgh' })}`,
    );
    assert.ok(!forged.ok, 'a sealed token we cannot open is refused, not passed to DocSpace');
  });
});
