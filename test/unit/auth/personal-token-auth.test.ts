// The authenticator's branch for personal access tokens (src/auth/index.ts → src/oauth/personal-tokens.ts),
// and the ceiling a Read only token puts on the request's tools (src/http/admit.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAudit } from '../../../src/audit/index.js';
import { createAuthenticator } from '../../../src/auth/index.js';
import { AuthError } from '../../../src/auth/errors.js';
import { withheldBy, withinAccess } from '../../../src/mcp/access.js';
import { createDocSpaceGrants } from '../../../src/oauth/docspace-grants.js';
import { createPersonalTokens } from '../../../src/oauth/personal-tokens.js';
import { createSealer } from '../../../src/oauth/seal.js';
import type { OAuthSettings } from '../../../src/oauth/settings.js';
import type { Upstream } from '../../../src/oauth/upstream.js';
import { createMemoryStore } from '../../../src/store/memory.js';
import { resolveSelection, selectTools } from '../../../src/tools/selection.js';

const SECRET = 'unit-secret-0123456789-abcdefghijkl';
const BASE = 'https://mcp.example.com';
const APP = { clientId: 'ds-app' };

async function setup(opts: { acceptDocSpaceCredentials?: boolean } = {}) {
  const now = Date.now();
  const store = createMemoryStore();
  const settings = { now: () => now, refreshTokenTtl: 30 * 24 * 3600, sharedApp: APP } as OAuthSettings;
  const upstream = { refresh: async () => assert.fail('no renewal expected') } as unknown as Upstream;
  const docspace = createDocSpaceGrants({
    store,
    settings,
    upstream,
    storageSealer: createSealer('store', SECRET),
    audit: createAudit(),
  });
  const pats = createPersonalTokens({
    store,
    docspace,
    audit: createAudit(),
    secret: SECRET,
    resource: `${BASE}/mcp`,
    enabled: true,
    maxDays: 365,
    now: () => now,
  });
  await docspace.install({
    userId: 'u1',
    app: APP,
    tokens: { accessToken: 'docspace-at', refreshToken: 'rt', issuedAt: now, expiresAt: now + 3_600_000 },
    typedIn: false,
  });
  const forwarded: string[] = [];
  const authenticate = createAuthenticator({
    publicBaseUrl: BASE,
    oauth: {
      secret: SECRET,
      docspaceAccessToken: async () => undefined,
      personalTokens: pats,
    },
    acceptDocSpaceCredentials: opts.acceptDocSpaceCredentials,
    checkCredential: async (c) => {
      forwarded.push(JSON.stringify(c));
      return 'valid';
    },
  });
  const call = (authorization: string) =>
    authenticate(new Request(`${BASE}/mcp`, { method: 'POST', headers: { authorization } })).then(
      (out) => ({ ok: true as const, ...out }),
      (error: unknown) => {
        assert.ok(error instanceof AuthError, String(error));
        return { ok: false as const, error };
      },
    );
  return { pats, call, forwarded };
}

describe('personal access tokens at the authenticator', () => {
  it('a personal token becomes the person’s DocSpace credential, with its access level', async () => {
    const { pats, call } = await setup();
    const { token, record } = await pats.create({
      userId: 'u1',
      appId: APP.clientId,
      label: 'ci',
      access: 'read',
      days: 30,
    });
    const out = await call(`Bearer ${token}`);
    assert.ok(out.ok);
    assert.equal((out.credential as { accessToken?: string }).accessToken, 'docspace-at');
    assert.deepEqual(out.principal, {
      userId: 'u1',
      clientId: `pat:${record.id}`,
      kind: 'pat',
      access: 'read',
    });
  });

  it('revoked → 401 with the Bearer challenge naming our metadata', async () => {
    const { pats, call } = await setup();
    const { token, record } = await pats.create({
      userId: 'u1',
      appId: APP.clientId,
      label: 'ci',
      access: 'write',
      days: 30,
    });
    await pats.revoke(record.id, 'u1');
    const out = await call(`Bearer ${token}`);
    assert.ok(!out.ok);
    assert.equal(out.error.httpStatus, 401);
    const challenge = out.error.headers['WWW-Authenticate'] ?? out.error.headers['www-authenticate'] ?? '';
    assert.match(
      challenge,
      /resource_metadata="https:\/\/mcp\.example\.com\/\.well-known\/oauth-protected-resource\/mcp"/,
    );
    assert.match(challenge, /error="invalid_token"/);
    assert.match(challenge, /revoked/);
  });

  it('under another scheme it is refused, never passed to DocSpace as a credential', async () => {
    const { pats, call, forwarded } = await setup({ acceptDocSpaceCredentials: true });
    const { token } = await pats.create({
      userId: 'u1',
      appId: APP.clientId,
      label: 'ci',
      access: 'write',
      days: 30,
    });
    const out = await call(`Token ${token}`);
    assert.ok(!out.ok);
    assert.equal(out.error.httpStatus, 401);
    assert.deepEqual(forwarded, []);
  });
});

describe('the access ceiling of a Read only token', () => {
  it('lists only read-only tools and refuses the others, saying to make a Read and write token', async () => {
    const { pats, call } = await setup();
    const { token } = await pats.create({
      userId: 'u1',
      appId: APP.clientId,
      label: 'ci',
      access: 'read',
      days: 30,
    });
    const out = await call(`Bearer ${token}`);
    assert.ok(out.ok);
    assert.equal(out.access?.level, 'read');
    const server = resolveSelection();
    const names = withinAccess(selectTools(server), out.access).map((t) => t.name);
    assert.ok(names.includes('get_current_user'));
    assert.ok(!names.includes('delete_file') && !names.includes('create_folder'));
    assert.match(
      withheldBy(server, out.access, 'delete_file') ?? '',
      /personal token is Read only.*\/connections/,
    );
  });
});
