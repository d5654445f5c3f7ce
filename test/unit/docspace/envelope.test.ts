import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createDocSpaceClient, type DocSpaceError } from '../../../src/docspace/index.js';
import { BASE, bare, fail, fakeClock, fakeFetch, ok } from '../../helpers/fake-docspace.js';

const SECRET = 'sk-topsecret-key-123';

function client(handler: Parameters<typeof fakeFetch>[0]) {
  const f = fakeFetch(handler);
  const c = createDocSpaceClient({
    baseUrl: `${BASE}/`,
    credential: { kind: 'apiKey', apiKey: SECRET },
    fetch: f.fetch,
    clock: fakeClock(),
  });
  return { c, calls: f.calls };
}

async function failure(p: Promise<unknown>): Promise<DocSpaceError> {
  try {
    await p;
  } catch (e) {
    return e as DocSpaceError;
  }
  assert.fail('expected the call to fail');
}

describe('DocSpace envelope', () => {
  it('unwraps response and keeps count and total', async () => {
    const { c, calls } = client(() => ok([{ id: 'u1' }, { id: 'u2' }], { count: 2, total: 57 }));
    const page = await c.people.list({ search: 'ann', count: 2, fields: ['id', 'displayName'] });
    assert.deepEqual(page, { items: [{ id: 'u1' }, { id: 'u2' }], total: 57 });
    const url = calls[0]?.url as URL;
    assert.equal(url.pathname, '/api/2.0/people/filter');
    assert.equal(url.searchParams.get('filterValue'), 'ann');
    assert.deepEqual(url.searchParams.getAll('fields'), ['id', 'displayName']);
    assert.equal(url.searchParams.has('startIndex'), false, 'unset parameters are not sent');
  });

  it('sends JSON bodies with the right headers', async () => {
    const { c, calls } = client(() => ok({ id: 5, title: 'Plans' }));
    const folder = await c.folders.create(3, 'Plans');
    assert.equal(folder.title, 'Plans');
    const call = calls[0];
    assert.equal(call?.method, 'POST');
    assert.equal(call?.url.pathname, '/api/2.0/files/folder/3');
    assert.deepEqual(call?.body, { title: 'Plans' });
    assert.equal(call?.headers.get('content-type'), 'application/json');
    assert.equal(call?.headers.get('accept'), 'application/json');
  });

  it('treats an error body as a failure even with HTTP 200', async () => {
    const { c } = client(() =>
      Response.json({ error: { message: 'The required file was not found' }, status: 1, statusCode: 404 }),
    );
    const e = await failure(c.files.info(123));
    assert.equal(e.code, 'not_found');
    assert.equal(e.status, 404);
    assert.match(e.message, /File 123 was not found, or you cannot see it/);
  });

  it('rejects an answer that is not the API (an HTML sign-in page)', async () => {
    const { c } = client(
      () => new Response('<html>login</html>', { headers: { 'content-type': 'text/html' } }),
    );
    const e = await failure(c.people.self());
    assert.equal(e.code, 'invalid_response');
    assert.match(e.message, /base URL/);
  });
});

describe('DocSpace error mapping', () => {
  it('401 says what to do about the credential, and never shows it', async () => {
    const { c } = client(() => bare(401));
    const e = await failure(c.people.self());
    assert.equal(e.code, 'unauthorized');
    assert.match(e.message, /API key/);
    assert.doesNotMatch(`${e.message} ${JSON.stringify(e)}`, /topsecret/);
  });

  it('403 with a specific DocSpace reason passes the reason on', async () => {
    const { c } = client(() => fail(403, "You don't have enough permission to view the folder content"));
    const e = await failure(c.folders.content(9));
    assert.equal(e.code, 'forbidden');
    assert.match(e.message, /folder 9/);
    assert.match(e.message, /enough permission to view the folder content/);
  });

  it('403 without a body names the scope the request needed', async () => {
    const { c } = client(() => bare(403));
    const e = await failure(c.rooms.update(4, { title: 'x' }));
    assert.equal(e.code, 'forbidden');
    assert.match(e.message, /rooms:write/);
    assert.match(e.message, /room 4 does not exist|does not exist/);
  });

  it('400 validation lists the rejected fields', async () => {
    const { c } = client(() =>
      Response.json(
        {
          response: {
            title: 'One or more validation errors occurred.',
            status: 400,
            errors: { Title: ['The field Title must be a string with a maximum length of 165.'] },
          },
          count: 1,
          links: [],
          status: 1,
          statusCode: 400,
        },
        { status: 400 },
      ),
    );
    const e = await failure(c.folders.rename(1, 'x'.repeat(200)));
    assert.equal(e.code, 'bad_request');
    assert.deepEqual(e.fields, { Title: ['The field Title must be a string with a maximum length of 165.'] });
    assert.match(e.message, /Title: The field Title must be a string with a maximum length of 165/);
  });

  for (const [status, code] of [
    [402, 'quota'],
    [409, 'conflict'],
    [500, 'unavailable'],
    [415, 'bad_request'],
  ] as const) {
    it(`${status} maps to ${code}`, async () => {
      const { c } = client(() => fail(status, 'Something specific happened'));
      const e = await failure(c.files.update(1, { title: 'a.docx' }));
      assert.equal(e.code, code);
      assert.equal(e.status, status);
      assert.match(e.message, /Something specific happened/);
    });
  }
});

describe('ids in paths', () => {
  it('an id cannot climb to another endpoint', async () => {
    const { c, calls } = client(() => ok({}));
    for (const id of ['..', '.', '']) {
      const e = await failure(c.files.info(id));
      assert.equal(e.code, 'bad_request');
    }
    const raw = await failure(c.request('GET', 'files/file/%2e%2E/x'));
    assert.equal(raw.code, 'bad_request');
    await c.files.info('sbox-1|a/b');
    assert.equal(calls.length, 1);
    assert.equal(calls[0]?.url.pathname, '/api/2.0/files/file/sbox-1%7Ca%2Fb');
  });
});
