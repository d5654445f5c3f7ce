// Personal access tokens (src/oauth/personal-tokens.ts): minted sealed, checked like our access
// tokens (integrity, expiry, audience), alive only while their record and their entry in the
// person's DocSpace grant are; last use written at most once a minute.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAudit } from '../../../src/audit/index.js';
import { createAccessTokenSealer, mintAccessToken } from '../../../src/oauth/access-token.js';
import { createDocSpaceGrants } from '../../../src/oauth/docspace-grants.js';
import {
  checkPersonalToken,
  createPersonalTokens,
  createPersonalTokenSealer,
  personalTokenKey,
} from '../../../src/oauth/personal-tokens.js';
import { OAuthError } from '../../../src/oauth/errors.js';
import { createSealer } from '../../../src/oauth/seal.js';
import type { OAuthSettings } from '../../../src/oauth/settings.js';
import type { Upstream, UpstreamTokens } from '../../../src/oauth/upstream.js';
import { createMemoryStore } from '../../../src/store/memory.js';
import type { Store } from '../../../src/store/store.js';

const APP = { clientId: 'ds-app' };
const SECRET = 'unit-secret-0123456789-abcdefghijkl';
const RESOURCE = 'https://mcp.example.com/mcp';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function setup(opts: { enabled?: boolean; maxDays?: number } = {}) {
  const clock = { now: 1_000_000_000_000 };
  let serial = 0;
  const tokens = (name: string): UpstreamTokens => ({
    accessToken: `${name}-at`,
    refreshToken: `${name}-rt`,
    issuedAt: clock.now,
    expiresAt: clock.now + HOUR,
  });
  const behaviour = { refuse: false };
  const upstream = {
    async refresh() {
      if (behaviour.refuse) throw new OAuthError('invalid_grant', 'DocSpace refused the grant');
      serial += 1;
      return tokens(`renewed-${serial}`);
    },
    async revoke() {},
  } as Pick<Upstream, 'refresh' | 'revoke'> as Upstream;
  const settings = { now: () => clock.now, refreshTokenTtl: 30 * 24 * 3600, sharedApp: APP } as OAuthSettings;
  const memory = createMemoryStore({ clock: () => clock.now });
  const writes: string[] = [];
  const store: Store = {
    ...memory,
    get: (k) => memory.get(k),
    delete: (k) => memory.delete(k),
    setIfAbsent: (k, v, t) => memory.setIfAbsent(k, v, t),
    deleteIfEquals: (k, v) => memory.deleteIfEquals(k, v),
    set: (k, v, t) => (writes.push(k), memory.set(k, v, t)),
    compareAndSet: (k, e, v, t) => (writes.push(k), memory.compareAndSet(k, e, v, t)),
  };
  const audit = createAudit();
  const storageSealer = createSealer('store', SECRET);
  const docspace = createDocSpaceGrants({ store, settings, upstream, storageSealer, audit });
  const pats = createPersonalTokens({
    store,
    docspace,
    audit,
    secret: SECRET,
    resource: RESOURCE,
    enabled: opts.enabled ?? true,
    maxDays: opts.maxDays ?? 365,
    now: () => clock.now,
  });
  const signIn = (userId: string, name = userId) =>
    docspace.install({ userId, app: APP, tokens: tokens(name), typedIn: false });
  const make = (userId: string, extra: { days?: number; access?: 'read' | 'write' } = {}) =>
    pats.create({
      userId,
      appId: APP.clientId,
      label: `token of ${userId}`,
      access: extra.access ?? 'read',
      days: extra.days ?? 90,
    });
  return { clock, store, writes, docspace, pats, signIn, make, behaviour };
}

describe('personal access tokens', () => {
  it('a minted token authenticates as its person, with its access level and their DocSpace token', async () => {
    const { pats, signIn, make } = setup();
    await signIn('u1', 'first');
    const { token, record } = await make('u1', { access: 'read' });
    assert.ok(pats.recognises(token));
    const use = await pats.authenticate(token, RESOURCE);
    assert.ok(use.ok, JSON.stringify(use));
    assert.equal(use.userId, 'u1');
    assert.equal(use.tokenId, record.id);
    assert.equal(use.access, 'read');
    assert.equal(use.docspaceToken, 'first-at');
    assert.equal(record.hint, token.slice(-6));
    assert.ok(!JSON.stringify(record).includes(token), 'the record never holds the token');
  });

  it('uses the DocSpace grant the person’s OAuth connections share: a new sign-in moves it along', async () => {
    const { pats, signIn, make } = setup();
    await signIn('u1', 'first');
    const { token } = await make('u1');
    await signIn('u1', 'second');
    const use = await pats.authenticate(token, RESOURCE);
    assert.ok(use.ok);
    assert.equal(use.docspaceToken, 'second-at');
  });

  it('renews the DocSpace token server-side and outlives the sign-in lifetime while its expiry allows', async () => {
    const { pats, signIn, make, clock } = setup();
    await signIn('u1', 'first');
    const { token } = await make('u1', { days: 90 });
    clock.now += 40 * DAY; // past the 30-day sign-in record lifetime, unused meanwhile
    const use = await pats.authenticate(token, RESOURCE);
    assert.ok(use.ok, JSON.stringify(use));
    assert.equal(use.docspaceToken, 'renewed-1-at');
  });

  it('says the DocSpace sign-in ended (not "revoked") when DocSpace refuses to renew it', async () => {
    const { pats, signIn, make, clock, behaviour } = setup();
    await signIn('u1');
    const { token } = await make('u1');
    clock.now += 2 * HOUR; // the DocSpace token needs renewing
    behaviour.refuse = true;
    const first = await pats.authenticate(token, RESOURCE);
    assert.equal(first.ok ? 'ok' : first.reason, 'ended');
    const next = await pats.authenticate(token, RESOURCE);
    assert.equal(next.ok ? 'ok' : next.reason, 'ended', 'and keeps saying so');
    assert.match(next.ok ? '' : next.description, /create a new token/);
  });

  it('is refused once expired', async () => {
    const { pats, signIn, make, clock, store } = setup();
    await signIn('u1');
    const { token, record } = await make('u1', { days: 7 });
    clock.now += 7 * DAY;
    const use = await pats.authenticate(token, RESOURCE);
    assert.deepEqual(use.ok ? 'ok' : use.reason, 'expired');
    assert.equal(await store.get(personalTokenKey(record.id)), undefined, 'its record expired with it');
  });

  it('is refused at the next request once revoked, even while this instance remembers its record', async () => {
    const { pats, signIn, make } = setup();
    await signIn('u1');
    const { token, record } = await make('u1');
    assert.ok((await pats.authenticate(token, RESOURCE)).ok);
    assert.equal(await pats.revoke(record.id, 'u1'), true);
    const use = await pats.authenticate(token, RESOURCE);
    assert.equal(use.ok ? 'ok' : use.reason, 'revoked');
    assert.deepEqual(await pats.list('u1', APP.clientId), []);
    // Still signed in on the page: the person can make another one at once.
    const again = await make('u1');
    assert.ok((await pats.authenticate(again.token, RESOURCE)).ok);
  });

  it('revoked on another instance (same store) is refused here at the next request', async () => {
    const a = setup();
    await a.signIn('u1');
    const { token, record } = await a.make('u1');
    assert.ok((await a.pats.authenticate(token, RESOURCE)).ok);
    // A second instance over the same store and secret.
    const other = createPersonalTokens({
      store: a.store,
      docspace: a.docspace,
      audit: createAudit(),
      secret: SECRET,
      resource: RESOURCE,
      enabled: true,
      maxDays: 365,
      now: () => a.clock.now,
    });
    assert.equal(await other.revoke(record.id, 'u1'), true);
    const use = await a.pats.authenticate(token, RESOURCE);
    assert.equal(use.ok ? 'ok' : use.reason, 'revoked');
  });

  it('cannot be revoked or listed by another person (the same answer as an unknown id)', async () => {
    const { pats, signIn, make } = setup();
    await signIn('u1');
    await signIn('u2');
    const { token, record } = await make('u1');
    assert.equal(await pats.revoke(record.id, 'u2'), false);
    assert.equal(await pats.revoke('no-such-id', 'u2'), false);
    assert.deepEqual(await pats.list('u2', APP.clientId), []);
    assert.deepEqual(
      (await pats.list('u1', APP.clientId)).map((t) => t.id),
      [record.id],
    );
    assert.ok((await pats.authenticate(token, RESOURCE)).ok);
  });

  it('is refused for another audience, and when tampered with', async () => {
    const { pats, signIn, make } = setup();
    await signIn('u1');
    const { token } = await make('u1');
    const other = await pats.authenticate(token, 'https://elsewhere.example.com/mcp');
    assert.equal(other.ok ? 'ok' : other.reason, 'audience');
    const parts = token.split('.');
    const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
    for (const i of [2, 3, 4]) {
      const tampered = parts.map((p, j) => (j === i ? flip(p) : p)).join('.');
      const use = await pats.authenticate(tampered, RESOURCE);
      assert.equal(use.ok ? 'ok' : use.reason, 'malformed', `part ${i}`);
    }
  });

  it('never opens as an OAuth access token, nor an access token as a personal token', async () => {
    const { pats, signIn, make } = setup();
    await signIn('u1');
    const { token } = await make('u1');
    const access = createAccessTokenSealer(SECRET);
    assert.equal(access.recognises(token), false);
    assert.equal(await access.open(token), undefined);
    const at = await mintAccessToken(
      access,
      { iss: 'x', aud: RESOURCE, sub: 'u1', cid: 'c', gid: 'g', dsg: 'd', exp: 2e9 },
      Date.now(),
    );
    assert.equal(pats.recognises(at), false);
    const check = await checkPersonalToken(createPersonalTokenSealer(SECRET), at, RESOURCE, Date.now());
    assert.equal(check.ok ? 'ok' : check.reason, 'malformed');
  });

  it('writes last use at most once a minute', async () => {
    const { pats, signIn, make, clock, writes } = setup();
    await signIn('u1');
    const { token, record } = await make('u1');
    const key = personalTokenKey(record.id);
    writes.length = 0;
    for (let i = 0; i < 10; i++) {
      assert.ok((await pats.authenticate(token, RESOURCE)).ok);
      await new Promise((r) => setImmediate(r));
      clock.now += 1000;
    }
    assert.equal(writes.filter((k) => k === key).length, 1, 'one write for ten calls within a minute');
    const first = (await pats.list('u1', APP.clientId))[0]?.lastUsedAt;
    assert.ok(first);
    clock.now += 60_000;
    assert.ok((await pats.authenticate(token, RESOURCE)).ok);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    assert.equal(writes.filter((k) => k === key).length, 2);
    assert.ok(((await pats.list('u1', APP.clientId))[0]?.lastUsedAt ?? 0) > first);
  });

  it('is not pushed out of the grant by clients that sign in anew on every connection', async () => {
    const { pats, signIn, make, docspace, clock } = setup();
    const key = await signIn('u1');
    const { token } = await make('u1');
    for (let i = 0; i < 60; i++)
      await docspace.attach(key, { gid: `g${i}`, clientId: 'c', expiresAt: clock.now + 30 * DAY });
    assert.ok((await pats.authenticate(token, RESOURCE)).ok);
  });

  it('honours the operator: off refuses creating and using; the expiry cannot exceed the maximum', async () => {
    const on = setup({ maxDays: 30 });
    await on.signIn('u1');
    assert.equal(on.pats.defaultDays, 30);
    await assert.rejects(on.make('u1', { days: 31 }), /from 1 to 30 days/);
    const { token } = await on.make('u1', { days: 30 });

    const off = createPersonalTokens({
      store: on.store,
      docspace: on.docspace,
      audit: createAudit(),
      secret: SECRET,
      resource: RESOURCE,
      enabled: false,
      maxDays: 365,
      now: () => on.clock.now,
    });
    const use = await off.authenticate(token, RESOURCE);
    assert.equal(use.ok ? 'ok' : use.reason, 'off');
    await assert.rejects(
      off.create({ userId: 'u1', appId: APP.clientId, label: 'x', access: 'read', days: 1 }),
      /turned off/,
    );
  });

  it('needs a name, and the person’s DocSpace sign-in', async () => {
    const { pats, signIn } = setup();
    await assert.rejects(
      pats.create({ userId: 'nobody', appId: APP.clientId, label: 'x', access: 'read', days: 1 }),
      /sign in again/,
    );
    await signIn('u1');
    await assert.rejects(
      pats.create({ userId: 'u1', appId: APP.clientId, label: '   ', access: 'read', days: 1 }),
      /give the token a name/,
    );
  });
});
