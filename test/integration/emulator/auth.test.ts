import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Harness } from './harness.js';

describe('emulator: authentication at the API', () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start();
  });
  after(() => h.close());

  it('accepts a seeded API key as Bearer and answers as that user', async () => {
    const r = await h.get<{ email: string; isOwner: boolean }>('people/@self', 'owner');
    assert.equal(r.status, 200);
    assert.equal(r.body.response.email, 'owner@example.com');
    assert.equal(r.body.response.isOwner, true);
    assert.equal(r.body.status, 0);
    assert.equal(r.body.statusCode, 200);
    assert.deepEqual(r.body.links, [{ href: `${h.url}/api/2.0/people/@self`, action: 'GET' }]);
  });

  it('issues a personal token that works raw, as Bearer and as the asc_auth_key cookie', async () => {
    const login = await h.call<{ token: string; expires: string; sms: boolean; tfa: boolean }>(
      'POST',
      'authentication',
      {
        json: { userName: 'user@example.com', password: 'demo-password' },
      },
    );
    assert.equal(login.status, 200);
    const { token, expires } = login.body.response;
    assert.ok(token.length > 20);
    assert.match(expires, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/);
    assert.match(login.headers.get('set-cookie') ?? '', /asc_auth_key=/);
    const variants: Record<string, string>[] = [
      { Authorization: token },
      { Authorization: `Bearer ${token}` },
      { Cookie: `asc_auth_key=${encodeURIComponent(token)}` },
    ];
    for (const headers of variants) {
      const r = await h.get<{ email: string }>('people/@self', undefined, headers);
      assert.equal(r.status, 200, JSON.stringify(Object.keys(headers)));
      assert.equal(r.body.response.email, 'user@example.com');
    }
    const out = await h.call('POST', 'authentication/logout', { headers: { Authorization: token } });
    assert.equal(out.status, 200);
    assert.equal((await h.get('people/@self', undefined, { Authorization: token })).status, 401);
  });

  it("refuses a wrong password with DocSpace's 401 error body", async () => {
    const r = await h.call('POST', 'authentication', {
      json: { userName: 'user@example.com', password: 'nope' },
    });
    assert.equal(r.status, 401);
    assert.deepEqual(r.body, {
      error: { message: 'User authentication failed', type: null, stack: null, hresult: 0 },
      status: 1,
      statusCode: 401,
    });
  });

  it('accepts Basic credentials and challenges bad ones', async () => {
    const good = Buffer.from('admin@example.com:demo-password').toString('base64');
    const r = await h.get<{ isAdmin: boolean }>('people/@self', undefined, {
      Authorization: `Basic ${good}`,
    });
    assert.equal(r.status, 200);
    assert.equal(r.body.response.isAdmin, true);
    const bad = Buffer.from('admin@example.com:wrong').toString('base64');
    const b = await h.get('people/@self', undefined, { Authorization: `Basic ${bad}` });
    assert.equal(b.status, 401);
    assert.equal(b.headers.get('www-authenticate'), 'Basic');
  });

  it('answers 401 with no body without credentials or with an unknown key', async () => {
    const variants: Record<string, string>[] = [
      {},
      { Authorization: 'Bearer sk-unknown' },
      { Authorization: 'garbage' },
    ];
    for (const headers of variants) {
      const r = await h.get('files/@my', undefined, headers);
      assert.equal(r.status, 401);
      assert.equal(r.text, '');
    }
  });

  it('tells whether a request is authenticated without requiring it', async () => {
    assert.equal((await h.get<boolean>('authentication')).body.response, false);
    assert.equal((await h.get<boolean>('authentication', 'guest')).body.response, true);
  });

  it('creates API keys whose permissions limit what they reach', async () => {
    const created = await h.call<{ key: string; permissions: string[] }>('POST', 'keys', {
      as: 'user',
      json: { name: 'read only', permissions: ['files:read'] },
    });
    assert.equal(created.status, 200);
    const key = created.body.response.key;
    assert.match(key, /^sk-/);
    const auth = { Authorization: `Bearer ${key}` };
    assert.equal((await h.get('files/@my', undefined, auth)).status, 200);
    const write = await h.call(
      'POST',
      `files/folder/${(await h.get<{ current: { id: number } }>('files/@my', 'user')).body.response.current.id}`,
      {
        headers: auth,
        json: { title: 'x' },
      },
    );
    assert.equal(write.status, 403);
    assert.equal((await h.get('people/@self', undefined, auth)).status, 403);
    const listed = await h.get<{ name: string; key?: string }[]>('keys', 'user');
    assert.ok(listed.body.response.some((k) => k.name === 'read only' && k.key === undefined));
  });

  it('treats every credential as expired while the fault is on', async () => {
    h.emu.setFaults({ expiredTokens: true });
    try {
      assert.equal((await h.get('people/@self', 'owner')).status, 401);
    } finally {
      h.emu.setFaults({});
    }
    assert.equal((await h.get('people/@self', 'owner')).status, 200);
  });
});
