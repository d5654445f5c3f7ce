import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import {
  type Credential,
  clearTokenCache,
  createDocSpaceClient,
  type DocSpaceError,
} from '../../../src/docspace/index.js';
import {
  BASE,
  bare,
  type Call,
  fakeClock,
  fakeFetch,
  type Handler,
  ok,
} from '../../helpers/fake-docspace.js';

function client(
  credential: Credential,
  handler: Handler,
  extra: { requestId?: string; userAgent?: string } = {},
) {
  const f = fakeFetch(handler);
  const c = createDocSpaceClient({ baseUrl: BASE, credential, fetch: f.fetch, clock: fakeClock(), ...extra });
  return { c, calls: f.calls };
}

describe('credentials on the wire', () => {
  const cases: Array<[Credential, string]> = [
    [{ kind: 'apiKey', apiKey: 'sk-abc' }, 'Bearer sk-abc'],
    [{ kind: 'personalToken', token: 'pat-xyz' }, 'pat-xyz'],
    [{ kind: 'oauth', accessToken: 'eyJ.a.b' }, 'Bearer eyJ.a.b'],
    [
      { kind: 'basic', username: 'ann@example.com', password: 'pässword' },
      `Basic ${Buffer.from('ann@example.com:pässword').toString('base64')}`,
    ],
    [{ kind: 'authorization', value: 'Custom thing' }, 'Custom thing'],
  ];
  for (const [credential, expected] of cases) {
    it(`${credential.kind} → Authorization: ${expected.split(' ')[0]}…`, async () => {
      const { c, calls } = client(credential, () => ok({ id: 'me' }));
      await c.people.self();
      assert.equal(calls[0]?.headers.get('authorization'), expected);
    });
  }

  it('forwards X-Request-ID and User-Agent', async () => {
    const { c, calls } = client({ kind: 'apiKey', apiKey: 'sk-a' }, () => ok({}), {
      requestId: 'req-42',
      userAgent: 'docspace-mcp/0.1',
    });
    await c.people.self();
    assert.equal(calls[0]?.headers.get('x-request-id'), 'req-42');
    assert.equal(calls[0]?.headers.get('user-agent'), 'docspace-mcp/0.1');
  });
});

describe('credentials stay on the portal', () => {
  it('a URL on another host gets no Authorization', async () => {
    const { c, calls } = client({ kind: 'apiKey', apiKey: 'sk-a' }, () => new Response('hello'));
    await c.fetchRaw('GET', 'https://storage.example.net/bucket/file.txt');
    await c.fetchRaw('GET', `${BASE}/filehandler.ashx?action=bulk`);
    assert.equal(calls[0]?.headers.get('authorization'), null);
    assert.equal(calls[1]?.headers.get('authorization'), 'Bearer sk-a');
  });

  it('a redirect off the portal drops the credentials', async () => {
    const { c, calls } = client({ kind: 'apiKey', apiKey: 'sk-a' }, (call) =>
      call.url.host === 'portal.test'
        ? new Response(null, { status: 302, headers: { location: 'https://cdn.example.net/x' } })
        : new Response('bytes'),
    );
    const res = await c.fetchRaw('GET', '/filehandler.ashx?action=download&fileid=1');
    assert.equal(await res.text(), 'bytes');
    assert.equal(calls.length, 2);
    assert.equal(calls[0]?.headers.get('authorization'), 'Bearer sk-a');
    assert.equal(calls[1]?.url.host, 'cdn.example.net');
    assert.equal(calls[1]?.headers.get('authorization'), null);
  });
});

describe('password sign-in', () => {
  beforeEach(() => clearTokenCache());

  function portal() {
    let issued = 0;
    const valid = new Set<string>();
    const handler: Handler = (call) => {
      if (call.url.pathname === '/api/2.0/authentication') {
        const body = call.body as { userName: string; password: string };
        assert.equal(call.headers.get('authorization'), null, 'sign-in is anonymous');
        if (body.password !== 'right')
          return Response.json(
            { error: { message: 'User authentication failed' }, status: 1, statusCode: 401 },
            { status: 401 },
          );
        const token = `tok-${++issued}`;
        valid.add(token);
        return ok({ token, expires: '2099-01-01T00:00:00.0000000Z', sms: false, tfa: false });
      }
      return valid.has(call.headers.get('authorization') ?? '') ? ok({ id: 'me' }) : bare(401);
    };
    return { handler, valid, signIns: () => issued };
  }

  it('signs in once and shares the token between clients of the same user', async () => {
    const p = portal();
    const cred: Credential = { kind: 'password', username: 'ann', password: 'right' };
    await Promise.all([client(cred, p.handler).c.people.self(), client(cred, p.handler).c.people.self()]);
    await client(cred, p.handler).c.people.self();
    assert.equal(p.signIns(), 1);
  });

  it('a different password does not reuse the cached token', async () => {
    const p = portal();
    await client({ kind: 'password', username: 'ann', password: 'right' }, p.handler).c.people.self();
    const { c, calls } = client({ kind: 'password', username: 'ann', password: 'wrong' }, p.handler);
    const e = await c.people.self().catch((x: DocSpaceError) => x);
    assert.equal((e as DocSpaceError).code, 'unauthorized');
    assert.match((e as DocSpaceError).message, /user name and password/);
    assert.doesNotMatch((e as DocSpaceError).message, /wrong|right/);
    assert.equal(
      calls.some((x) => x.headers.get('authorization') === 'tok-1'),
      false,
    );
  });

  it('signs in again once when the token stops working, even for a POST', async () => {
    const p = portal();
    const cred: Credential = { kind: 'password', username: 'ann', password: 'right' };
    await client(cred, p.handler).c.people.self();
    p.valid.clear(); // DocSpace logged the token out
    const { c, calls } = client(cred, p.handler);
    await c.request('POST', 'files/folder/1', { body: { title: 'x' } });
    assert.equal(p.signIns(), 2);
    assert.deepEqual(
      calls.map((x) => `${x.method} ${x.url.pathname} ${x.headers.get('authorization') ?? '-'}`),
      [
        'POST /api/2.0/files/folder/1 tok-1',
        'POST /api/2.0/authentication -',
        'POST /api/2.0/files/folder/1 tok-2',
      ],
    );
  });

  it('does not loop when the fresh token is refused too', async () => {
    const { c, calls } = client({ kind: 'password', username: 'ann', password: 'right' }, (call) =>
      call.url.pathname === '/api/2.0/authentication'
        ? ok({ token: 't', expires: '2099-01-01T00:00:00Z' })
        : bare(401),
    );
    const e = await c.people.self().catch((x: DocSpaceError) => x);
    assert.equal((e as DocSpaceError).code, 'unauthorized');
    assert.equal(calls.length, 4, 'sign-in, request, sign-in, request');
  });
});

describe('an OAuth token renewed elsewhere while the request ran', () => {
  // The person's DocSpace grant is shared by all their connections and instances; a renewal
  // anywhere kills the old access token at once, so DocSpace answers 401 to a request that
  // started with it. The request asks the grant again and goes once more with the new token.
  const answer = (call: Call) =>
    call.headers.get('authorization') === 'Bearer new-token'
      ? ok({ id: 'me' })
      : new Response('', { status: 401 });

  it('a 401 goes once more with the grant’s newer token', async () => {
    const asked: string[] = [];
    const { c, calls } = client(
      {
        kind: 'oauth',
        accessToken: 'old-token',
        current: async (refused) => {
          asked.push(refused);
          return 'new-token';
        },
      },
      answer,
    );
    assert.deepEqual(await c.people.self(), { id: 'me' });
    assert.deepEqual(asked, ['old-token']);
    assert.deepEqual(
      calls.map((x) => x.headers.get('authorization')),
      ['Bearer old-token', 'Bearer new-token'],
    );
  });

  it('when the grant has nothing newer, the 401 stands and nothing loops', async () => {
    const { c, calls } = client(
      { kind: 'oauth', accessToken: 'old-token', current: async () => 'old-token' },
      answer,
    );
    await assert.rejects(c.people.self(), (e: DocSpaceError) => e.code === 'unauthorized');
    assert.equal(calls.length, 1);
  });
});
