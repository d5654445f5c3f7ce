// The person's DocSpace grant (src/oauth/docspace-grants.ts): shared by connections, renewed once,
// never lost to a sign-in that replaced it mid-renewal.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAudit } from '../../../src/audit/index.js';
import { createDocSpaceGrants } from '../../../src/oauth/docspace-grants.js';
import { OAuthError } from '../../../src/oauth/errors.js';
import { createSealer } from '../../../src/oauth/seal.js';
import type { OAuthSettings } from '../../../src/oauth/settings.js';
import type { Upstream, UpstreamTokens } from '../../../src/oauth/upstream.js';
import { createMemoryStore } from '../../../src/store/memory.js';

const APP = { clientId: 'ds-app', clientSecret: 'ds-secret' };
const HOUR = 3_600_000;

function setup() {
  const clock = { now: 1_000_000_000_000 };
  const calls = { refresh: [] as string[], revoke: [] as string[] };
  let serial = 0;
  const behaviour: { refuse?: boolean; beforeAnswer?: () => Promise<void> } = {};
  const upstream = {
    async refresh(_app, refreshToken) {
      calls.refresh.push(refreshToken);
      await behaviour.beforeAnswer?.();
      if (behaviour.refuse) throw new OAuthError('invalid_grant', 'DocSpace refused the grant');
      serial += 1;
      return tokens(`renewed-${serial}`);
    },
    async revoke(_app, token) {
      calls.revoke.push(token);
    },
  } as Pick<Upstream, 'refresh' | 'revoke'> as Upstream;
  const tokens = (name: string): UpstreamTokens => ({
    accessToken: `${name}-at`,
    refreshToken: `${name}-rt`,
    issuedAt: clock.now,
    expiresAt: clock.now + HOUR,
  });
  const settings = {
    now: () => clock.now,
    refreshTokenTtl: 30 * 24 * 3600,
    sharedApp: APP,
  } as OAuthSettings;
  const grants = createDocSpaceGrants({
    store: createMemoryStore(),
    settings,
    upstream,
    storageSealer: createSealer('store', 'unit-secret-0123456789-abcdefghijkl'),
    audit: createAudit(),
  });
  const signIn = (name: string) =>
    grants.install({ userId: 'u1', app: APP, tokens: tokens(name), typedIn: false });
  const connect = (key: string, gid: string) =>
    grants.attach(key, { gid, clientId: `mcp_${gid}`, expiresAt: clock.now + 30 * 24 * HOUR });
  return { clock, calls, behaviour, grants, signIn, connect };
}

describe("a person's DocSpace grant", () => {
  it("a second sign-in replaces the tokens for the person's earlier connection too", async () => {
    const { grants, signIn, connect } = setup();
    const key = await signIn('first');
    await connect(key, 'claude');
    assert.equal(await signIn('second'), key, 'one record per person and app');
    await connect(key, 'vscode');
    assert.equal(await grants.accessToken(key, 'claude'), 'second-at');
    assert.equal(await grants.accessToken(key, 'vscode'), 'second-at');
  });

  it('concurrent requests near expiry renew once and all get the new token', async () => {
    const { clock, calls, grants, signIn, connect } = setup();
    const key = await signIn('s');
    await connect(key, 'c');
    clock.now += HOUR - 60_000;
    const answers = await Promise.all(Array.from({ length: 20 }, () => grants.accessToken(key, 'c')));
    assert.deepEqual(new Set(answers), new Set(['renewed-1-at']));
    assert.deepEqual(calls.refresh, ['s-rt']);
  });

  it('a renewal refused because a new sign-in replaced the grant meanwhile answers with the new tokens', async () => {
    const { clock, behaviour, grants, signIn, connect } = setup();
    const key = await signIn('old');
    await connect(key, 'c');
    clock.now += HOUR;
    // DocSpace ends the old authorization when the new sign-in happens, so our refresh of it fails.
    behaviour.beforeAnswer = async () => {
      behaviour.beforeAnswer = undefined;
      behaviour.refuse = true;
      await signIn('new');
    };
    assert.equal(await grants.accessToken(key, 'c'), 'new-at');
    assert.equal((await grants.get(key))?.connections.length, 1, 'the connection stays on the grant');
  });

  it('a renewal DocSpace refuses ends the grant for every connection', async () => {
    const { clock, behaviour, grants, signIn, connect } = setup();
    const key = await signIn('s');
    await connect(key, 'a');
    await connect(key, 'b');
    clock.now += HOUR;
    behaviour.refuse = true;
    await assert.rejects(
      grants.accessToken(key, 'a'),
      (e: unknown) => (e as OAuthError).code === 'invalid_grant',
    );
    assert.equal(await grants.get(key), undefined);
    assert.equal(await grants.accessToken(key, 'b'), undefined);
  });

  it('detaching keeps the DocSpace grant while another connection uses it; the last one revokes it at DocSpace', async () => {
    const { calls, grants, signIn, connect } = setup();
    const key = await signIn('s');
    await connect(key, 'a');
    await connect(key, 'b');
    assert.equal(await grants.detach(key, 'a'), false);
    assert.deepEqual(calls.revoke, []);
    assert.equal(await grants.accessToken(key, 'a'), undefined, 'the detached connection is refused');
    assert.equal(await grants.accessToken(key, 'b'), 's-at');
    assert.equal(await grants.detach(key, 'b'), true);
    assert.deepEqual(calls.revoke.sort(), ['s-at', 's-rt']);
    assert.equal(await grants.get(key), undefined);
  });

  it("a person's record keeps the newest 50 connections (clients that sign in anew each time)", async () => {
    const { grants, signIn, connect } = setup();
    const key = await signIn('s');
    for (let i = 0; i <= 50; i++) await connect(key, `c${i}`);
    assert.equal((await grants.get(key))?.connections.length, 50);
    assert.equal(await grants.accessToken(key, 'c0'), undefined, 'the oldest was dropped');
    assert.equal(await grants.accessToken(key, 'c50'), 's-at');
  });

  it('a connection whose refresh family lapsed is not honoured', async () => {
    const { clock, grants, signIn } = setup();
    const key = await signIn('s');
    await grants.attach(key, { gid: 'c', clientId: 'mcp_c', expiresAt: clock.now + 1000 });
    assert.equal(await grants.accessToken(key, 'c'), 's-at');
    clock.now += 2000;
    assert.equal(await grants.accessToken(key, 'c'), undefined);
  });
});
