// Stored OAuth records (src/oauth/records/): versioned on write, validated on read, the previous
// unversioned shape still read (rolling upgrade), and the per-person index of connections.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { sha256 } from '../../../src/oauth/crypto.js';
import { createFacade } from '../../../src/oauth/index.js';
import { OAuthError } from '../../../src/oauth/errors.js';
import { listConnections, revokeAllOf } from '../../../src/oauth/person-connections.js';
import {
  code,
  decodeRecord,
  docspaceGrant,
  encodeRecord,
  grant,
  KEY_FAMILIES,
  person,
  personalToken,
  RECORD_KINDS,
  state,
} from '../../../src/oauth/records/index.js';
import type { UpstreamTokens } from '../../../src/oauth/upstream.js';
import { createMemoryStore } from '../../../src/store/memory.js';

const OPERATOR_APP = { clientId: 'operator-app', clientSecret: 'operator-secret' };
const HOUR = 3_600_000;

function setup() {
  const clock = { now: 1_800_000_000_000 };
  const logged: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) logged.push(JSON.parse(line));
      done();
    },
  });
  const revoked: string[] = [];
  const fakeFetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input instanceof Request ? input.url : input);
    if (url.endsWith('/oauth2/revoke')) {
      revoked.push(new URLSearchParams(String(init?.body)).get('token') ?? '');
      return new Response(null, { status: 200 });
    }
    return new Response('not here', { status: 404 });
  }) as typeof fetch;
  const store = createMemoryStore();
  const f = createFacade({
    publicBaseUrl: 'https://mcp.example.com',
    docspaceBaseUrl: 'https://portal.example.com',
    clientId: OPERATOR_APP.clientId,
    clientSecret: OPERATOR_APP.clientSecret,
    secret: 'records-test-secret-0123456789-abcdefghijkl',
    store,
    logger: pino({ level: 'info' }, sink),
    fetch: fakeFetch,
    now: () => clock.now,
  });
  const tokens = (name: string): UpstreamTokens => ({
    accessToken: `${name}-at`,
    refreshToken: `${name}-rt`,
    issuedAt: clock.now,
    expiresAt: clock.now + HOUR,
  });
  /** Signs a person in with an app and connects a client: the connection's grant id. */
  async function connect(userId: string, clientId: string, app = OPERATOR_APP, typedIn = false) {
    const dsg = await f.docspace.install({
      userId,
      app,
      tokens: tokens(`${userId}-${app.clientId}`),
      typedIn,
    });
    const issued = await f.grants.create({
      userId,
      clientId,
      resource: f.settings.resource,
      dsg,
      access: 'write',
    });
    return { gid: issued.refresh_token.split('.')[0] ?? '', dsg, refreshToken: issued.refresh_token };
  }
  return { clock, logged, revoked, store, f, connect, tokens };
}

const registered = (clientId: string) => ({
  clientId,
  kind: 'registered' as const,
  redirectUris: ['http://127.0.0.1/cb'],
  applicationType: 'native' as const,
  authMethod: 'none' as const,
  issuedAt: 1,
});

describe('stored OAuth records', () => {
  it('are written with their version and read back; another version or shape reads as absent', () => {
    const value = {
      clientId: 'mcp_a',
      redirectUri: 'http://127.0.0.1/cb',
      redirectUriGiven: true,
      codeChallenge: 'c'.repeat(43),
      resource: 'https://mcp.example.com/mcp',
      dsg: 'oauth:docspace-grant:app:u1',
      userId: 'u1',
    };
    const raw = encodeRecord(code, value);
    assert.equal(JSON.parse(raw).v, 1);
    assert.deepEqual(decodeRecord(code, raw), value);
    assert.equal(
      decodeRecord(code, JSON.stringify({ ...value, v: 2 })),
      undefined,
      'a version we do not know',
    );
    assert.equal(decodeRecord(code, JSON.stringify({ ...value, clientId: 7 })), undefined, 'a wrong field');
    assert.equal(decodeRecord(code, 'not json'), undefined);
    // The connections page's sign-in shares the state family with the clients' one.
    const page = { purpose: 'connections' as const, verifier: 'v', nonce: 'n' };
    assert.deepEqual(decodeRecord(state, encodeRecord(state, page)), page);
    const pat = {
      id: 'p1',
      userId: 'u1',
      appId: 'app',
      dsg: 'oauth:docspace-grant:app:u1',
      label: 'laptop',
      hint: 'abc123',
      access: 'read' as const,
      createdAt: 1,
      expiresAt: 2,
    };
    assert.deepEqual(decodeRecord(personalToken, encodeRecord(personalToken, pat)), pat);
    assert.equal(personalToken.key('p1'), 'oauth:pat:p1');
  });

  it('every kind has a distinct key family', () => {
    const families = RECORD_KINDS.map((k) => k.pattern.split(':').slice(0, 2).join(':'));
    assert.equal(new Set(families).size, families.length, families.join(', '));
  });

  it('a connection stored by the previous release (no version field) keeps refreshing and serving requests', async () => {
    const { f, store, clock } = setup();
    // The records exactly as the previous release wrote them: JSON of the plain shape, no `v`.
    const refreshToken = 'oldgid.old-refresh-secret';
    const dsg = docspaceGrant.key('u1', OPERATOR_APP.clientId);
    await store.set(
      dsg,
      JSON.stringify({
        userId: 'u1',
        appId: OPERATOR_APP.clientId,
        ds: await f.storageSealer.seal({
          accessToken: 'legacy-at',
          refreshToken: 'legacy-rt',
          issuedAt: clock.now,
          expiresAt: clock.now + HOUR,
        }),
        connections: [{ gid: 'oldgid', clientId: 'mcp_old', expiresAt: clock.now + 10 * HOUR }],
        updatedAt: clock.now,
      }),
      3600,
    );
    await store.set(
      grant.key('oldgid'),
      JSON.stringify({
        gid: 'oldgid',
        userId: 'u1',
        clientId: 'mcp_old',
        resource: f.settings.resource,
        dsg,
        current: sha256(refreshToken),
        spent: [],
        createdAt: clock.now,
      }),
      3600,
    );
    await store.set('oauth:client:mcp_old', JSON.stringify(registered('mcp_old')), 3600);

    assert.equal(await f.docspace.accessToken(dsg, 'oldgid'), 'legacy-at');
    const client = await f.grants.describe('oldgid');
    assert.equal(client?.clientId, 'mcp_old');
    const next = await f.grants.refresh(refreshToken, registered('mcp_old'));
    assert.match(next.refresh_token, /^oldgid\./);
    assert.equal(JSON.parse((await store.get(grant.key('oldgid'))) ?? '{}').v, 1, 'written back versioned');
    const listed = await listConnections(f, 'u1');
    assert.deepEqual(
      listed.map((c) => c.gid),
      ['oldgid'],
    );
  });

  it('a record that does not validate is treated as absent and logged once, without its content', async () => {
    const { f, store, logged } = setup();
    const secretHash = 'f'.repeat(64);
    // `spent` missing: the previous code would have crashed on it (a 500), not refused it.
    await store.set(
      'oauth:grant:broken',
      JSON.stringify({
        gid: 'broken',
        userId: 'u1',
        clientId: 'mcp_x',
        resource: 'https://mcp.example.com/mcp',
        dsg: 'oauth:docspace-grant:operator-app:u1',
        current: secretHash,
        createdAt: 1,
      }),
      3600,
    );
    for (let i = 0; i < 2; i++) {
      await assert.rejects(f.grants.refresh('broken.whatever', registered('mcp_x')), (error: unknown) => {
        assert.ok(error instanceof OAuthError);
        assert.equal(error.code, 'invalid_grant');
        return true;
      });
    }
    const warnings = logged.filter((l) => l.record === 'grant');
    assert.equal(warnings.length, 1, 'logged once');
    assert.doesNotMatch(JSON.stringify(logged), new RegExp(secretHash));
    assert.match(String(warnings[0]?.reason), /spent/);
  });
});

describe("a person's connections", () => {
  it('are listed across the operator app and an app the person typed in, and revoked all at once', async () => {
    const { f, revoked, connect } = setup();
    const a = await connect('u1', 'mcp_claude');
    const b = await connect('u1', 'mcp_cursor');
    const typed = await connect('u1', 'my-app', { clientId: 'my-app', clientSecret: 'mine' }, true);
    const other = await connect('u2', 'mcp_claude');

    const listed = await listConnections(f, 'u1');
    assert.deepEqual(new Set(listed.map((c) => c.gid)), new Set([a.gid, b.gid, typed.gid]));
    assert.equal(JSON.parse((await f.store.get(person.key('u1'))) ?? '{}').apps.length, 2);

    assert.equal(await revokeAllOf(f, 'u1', 'test'), 3);
    assert.deepEqual(await listConnections(f, 'u1'), []);
    for (const c of [a, b, typed]) assert.equal(await f.docspace.accessToken(c.dsg, c.gid), undefined);
    // Both DocSpace grants lost their last connection: revoked at DocSpace too.
    assert.deepEqual(
      new Set(revoked),
      new Set([
        `u1-${OPERATOR_APP.clientId}-at`,
        `u1-${OPERATOR_APP.clientId}-rt`,
        'u1-my-app-at',
        'u1-my-app-rt',
      ]),
    );
    assert.equal(await f.docspace.accessToken(other.dsg, other.gid), `u2-${OPERATOR_APP.clientId}-at`);
    assert.deepEqual(
      (await listConnections(f, 'u2')).map((c) => c.gid),
      [other.gid],
    );
  });

  it('leaves out connections that lapsed or were revoked one by one', async () => {
    const { f, clock, connect } = setup();
    const a = await connect('u1', 'mcp_a');
    const b = await connect('u1', 'mcp_b');
    await f.grants.revokeConnection(a.gid, 'u1', 'test');
    assert.deepEqual(
      (await listConnections(f, 'u1')).map((c) => c.gid),
      [b.gid],
    );
    clock.now += 31 * 24 * HOUR;
    assert.deepEqual(await listConnections(f, 'u1'), []);
  });
});

describe('docs/storage.md', () => {
  const root = new URL('../../../../', import.meta.url);
  /** The table of key families: [key pattern, TTL cell] per row. */
  function documented(): { pattern: string; ttl: string }[] {
    const text = readFileSync(new URL('docs/storage.md', root), 'utf8');
    const table = text.slice(text.indexOf('| Family | Key |'));
    const rows = table.slice(0, table.indexOf('\n\n')).split('\n').slice(2);
    return rows.map((row) => {
      const cells = row.split(' | ');
      return { pattern: /`([^`]+)`/.exec(cells[1] ?? '')?.[1] ?? '', ttl: cells[3] ?? '' };
    });
  }

  it('lists exactly the OAuth key families of src/oauth/records, with their TTL rules', () => {
    const rows = documented().filter((r) => r.pattern.startsWith('oauth:'));
    const kinds = [...RECORD_KINDS, ...KEY_FAMILIES];
    assert.deepEqual(rows.map((r) => r.pattern).sort(), kinds.map((k) => k.pattern).sort());
    for (const k of kinds) {
      const row = rows.find((r) => r.pattern === k.pattern);
      assert.ok(
        row?.ttl.startsWith(k.ttlText),
        `${k.pattern}: TTL "${row?.ttl}" should start "${k.ttlText}"`,
      );
    }
  });

  it('no code outside src/oauth/records makes an oauth: key of its own', () => {
    const offenders: string[] = [];
    const walk = (dir: URL) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const url = new URL(entry.name + (entry.isDirectory() ? '/' : ''), dir);
        if (entry.isDirectory()) {
          if (!url.pathname.endsWith('/src/oauth/records/')) walk(url);
        } else if (entry.name.endsWith('.ts')) {
          readFileSync(url, 'utf8')
            .split('\n')
            .forEach((line, i) => {
              if (/^\s*(\*|\/\/)/.test(line)) return; // comments may name keys
              if (/['"`]oauth:[a-z]/.test(line)) offenders.push(`${url.pathname}:${i + 1}`);
            });
        }
      }
    };
    walk(new URL('src/', root));
    assert.deepEqual(offenders, []);
  });
});
