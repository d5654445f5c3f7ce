import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { HttpServerHandle } from '../../../src/http/start.js';
import { type FakeDocSpace, startFakeDocSpace } from '../../helpers/fake-docspace.js';
import { rpc, startServer } from '../../e2e/transport/helpers.js';

const CALL = {
  jsonrpc: '2.0',
  id: 7,
  method: 'tools/call',
  params: {
    name: 'get_current_user',
    arguments: {},
    _meta: {
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientCapabilities': {},
    },
  },
};
const MODERN = {
  'mcp-protocol-version': '2026-07-28',
  'mcp-method': 'tools/call',
  'mcp-name': 'get_current_user',
};

/** Every way a client can hand us a DocSpace credential instead of one of our tokens. */
const DOCSPACE_CREDENTIALS: [string, Record<string, string>][] = [
  ['an API key as Bearer', { authorization: 'Bearer sk-someone-elses-key' }],
  ['a DocSpace session token as Bearer', { authorization: 'Bearer 8F3A2C-session-token' }],
  [
    'another app’s DocSpace OAuth token as `Bearer Bearer …`',
    { authorization: 'Bearer Bearer eyJhbGciOi.x.y' },
  ],
  ['a raw Authorization value', { authorization: 'Basic dXNlcjpwYXNz' }],
  ['X-Mcp-Api-Key', { 'x-mcp-api-key': 'sk-someone-elses-key' }],
  ['X-Mcp-Auth-Token', { 'x-mcp-auth-token': 'some-session-token' }],
  ['X-Mcp-Username + X-Mcp-Password', { 'x-mcp-username': 'a@example.com', 'x-mcp-password': 'pw' }],
];

function oauthEnv(docspace: FakeDocSpace, extra: Record<string, string> = {}) {
  return {
    DOCSPACE_BASE_URL: docspace.url,
    DOCSPACE_OAUTH_BASE_URL: docspace.url,
    DOCSPACE_OAUTH_CLIENT_ID: 'app-id',
    DOCSPACE_OAUTH_CLIENT_SECRET: 'app-secret',
    DOCSPACE_SECRET: 'p'.repeat(40),
    ...extra,
  };
}

describe('with OAuth on, DocSpace credentials are refused unless the operator turns them on', () => {
  let docspace: FakeDocSpace;
  let server: HttpServerHandle;
  let open: HttpServerHandle;
  before(async () => {
    docspace = await startFakeDocSpace();
    server = await startServer(oauthEnv(docspace));
    open = await startServer(oauthEnv(docspace, { DOCSPACE_REQUEST_AUTHORIZATION_HEADER: 'yes' }));
  });
  after(async () => {
    await server.close();
    await open.close();
    await docspace.close();
  });

  for (const [name, headers] of DOCSPACE_CREDENTIALS) {
    it(`${name}: 401 by default, DocSpace never called`, async () => {
      const started = docspace.started;
      const res = await rpc(`${server.url}/mcp`, CALL, { ...MODERN, ...headers });
      assert.equal(res.status, 401);
      assert.match(res.headers.get('www-authenticate') ?? '', /resource_metadata=/);
      const body = (await res.json()) as { error: { message: string } };
      assert.match(body.error.message, /only tokens it issued/);
      assert.equal(docspace.started, started, 'the credential never reached DocSpace');
    });
  }

  for (const [name, headers] of DOCSPACE_CREDENTIALS.filter(([n]) => !/raw Authorization/.test(n))) {
    it(`${name}: used when DOCSPACE_REQUEST_AUTHORIZATION_HEADER=yes`, async () => {
      const res = await rpc(`${open.url}/mcp`, CALL, { ...MODERN, ...headers });
      assert.equal(res.status, 200);
      const body = (await res.json()) as { result?: { isError?: boolean } };
      assert.equal(body.result?.isError, undefined);
    });
  }

  it('a token shaped like ours without the Bearer scheme is a 401, never forwarded, even when passthrough is on', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'dir', enc: 'A256GCM' })).toString('base64url');
    const sealedShape = `${header}..aXY.Y2lwaGVy.dGFn`;
    for (const value of [sealedShape, `Token ${sealedShape}`]) {
      const started = docspace.started;
      const res = await rpc(`${open.url}/mcp`, CALL, { ...MODERN, authorization: value });
      assert.equal(res.status, 401, value);
      assert.equal(docspace.started, started, 'never sent to DocSpace');
    }
  });
});
