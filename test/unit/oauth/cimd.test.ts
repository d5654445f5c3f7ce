import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { pino } from 'pino';
import { fetchClientMetadata } from '../../../src/oauth/cimd.js';
import { OAuthError } from '../../../src/oauth/errors.js';
import { isPublicAddress } from '../../../src/oauth/safe-fetch.js';
import { type CimdSettings, resolveSettings } from '../../../src/oauth/settings.js';
import { createMemoryStore } from '../../../src/store/memory.js';
import { type Listening, listen, listenNode } from '../../helpers/listen.js';
import { freePort } from '../../helpers/ports.js';

function settings(cimd: CimdSettings) {
  return resolveSettings({
    publicBaseUrl: 'https://mcp.example.com',
    docspaceBaseUrl: 'https://portal.example.com',
    clientId: 'app',
    secret: 'x'.repeat(32),
    store: createMemoryStore(),
    logger: pino({ level: 'silent' }),
    cimd,
  });
}

describe('Client ID Metadata Documents', () => {
  let server: Listening;
  let hits = 0;
  const doc = (url: string, extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      client_id: url,
      client_name: 'Doc Client',
      redirect_uris: ['http://127.0.0.1/client-callback'],
      ...extra,
    });

  before(async () => {
    server = await listen(async (req) => {
      hits++;
      const url = req.url;
      const path = new URL(url).pathname;
      if (path === '/good.json')
        return new Response(doc(url), { headers: { 'cache-control': 'max-age=600' } });
      if (path === '/liar.json')
        return new Response(doc('https://claude.ai/oauth/mcp-oauth-client-metadata'));
      if (path === '/big.json') return new Response(doc(url, { padding: 'x'.repeat(20_000) }));
      if (path === '/secret.json') return new Response(doc(url, { client_secret: 'shh' }));
      if (path === '/redirect.json')
        return new Response(null, { status: 302, headers: { location: '/good.json' } });
      if (path === '/html.json') return new Response('<html>oops</html>');
      if (path === '/slow.json') {
        await new Promise((r) => setTimeout(r, 1500));
        return new Response(doc(url));
      }
      return new Response('no', { status: 404 });
    });
  });
  let tlsServer: { url: string; close(): Promise<void> };
  before(async () => {
    // Serves the self-signed fixture certificate, which nothing here trusts.
    const fixtures = new URL('../../../../test/fixtures/tls/', import.meta.url);
    const srv = createHttpsServer(
      {
        key: readFileSync(new URL('localhost.key', fixtures)),
        cert: readFileSync(new URL('localhost.crt', fixtures)),
      },
      (_req, res) => res.end('{}'),
    );
    tlsServer = await listenNode(srv, 'https');
  });
  after(() => Promise.all([server.close(), tlsServer.close()]));

  const fetchDoc = (path: string, cimd: CimdSettings = { allowInsecureLoopback: true }) => {
    const s = settings(cimd);
    return fetchClientMetadata(createMemoryStore(), s, `${server.url}${path}`);
  };

  async function refused(promise: Promise<unknown>, pattern: RegExp) {
    await assert.rejects(
      promise,
      (e: unknown) => e instanceof OAuthError && e.code === 'invalid_client' && pattern.test(e.message),
    );
  }

  it('a valid document becomes a public client named by its host, and is cached', async () => {
    const store = createMemoryStore();
    const s = settings({ allowInsecureLoopback: true });
    const before = hits;
    const record = await fetchClientMetadata(store, s, `${server.url}/good.json`);
    assert.equal(record.kind, 'cimd');
    assert.equal(record.clientName, 'Doc Client');
    assert.equal(record.documentHost, '127.0.0.1');
    assert.equal(record.trusted, false);
    assert.equal(record.authMethod, 'none');
    await fetchClientMetadata(store, s, `${server.url}/good.json`);
    assert.equal(hits, before + 1, 'second lookup served from the cache');
  });

  it('refuses a document lying about its URL', () => refused(fetchDoc('/liar.json'), /different client_id/));
  it('refuses a document that is too large', () => refused(fetchDoc('/big.json'), /larger than/));
  it('refuses a slow document', () =>
    refused(
      fetchDoc('/slow.json', { allowInsecureLoopback: true, timeoutMs: 300 }),
      /took longer than 300 ms/,
    ));
  it('refuses a document with a secret', () => refused(fetchDoc('/secret.json'), /secret/));
  it('does not follow redirects', () => refused(fetchDoc('/redirect.json'), /HTTP 302/));
  it('refuses a document that is not JSON', () => refused(fetchDoc('/html.json'), /not JSON/));

  it('refuses private and loopback addresses and plain http without the test allowance', async () => {
    const s = settings({});
    const store = createMemoryStore();
    await refused(fetchClientMetadata(store, s, `${server.url}/good.json`), /https/);
    const port = new URL(server.url).port;
    await refused(fetchClientMetadata(store, s, `https://127.0.0.1:${port}/good.json`), /private address/);
    await refused(fetchClientMetadata(store, s, 'https://10.1.2.3/client.json'), /private address/);
    await refused(fetchClientMetadata(store, s, 'https://[::1]/client.json'), /private address/);
    await refused(fetchClientMetadata(store, s, 'https://localhost/client.json'), /private address/);
    await refused(fetchClientMetadata(store, s, 'https://example.com/'), /path/);
  });

  it('names why a document could not be fetched: DNS, connect, TLS — and tells the person what to pass on', async () => {
    const s = settings({ allowInsecureLoopback: true, timeoutMs: 3000 });
    const cases: [string, RegExp][] = [
      // A closed port on loopback: this server cannot connect.
      [
        `http://127.0.0.1:${await freePort()}/client.json`,
        /could not connect to 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/,
      ],
      // A name no resolver knows (RFC 6761 reserves .invalid).
      [
        'https://client-metadata.invalid/client.json',
        /could not resolve client-metadata\.invalid \((ENOTFOUND|EAI_AGAIN)\)/,
      ],
      // A certificate this server does not trust.
      [`${tlsServer.url}/client.json`, /TLS connection to 127\.0\.0\.1:\d+ failed \([A-Z_]+\)/],
    ];
    for (const [url, why] of cases) {
      await assert.rejects(fetchClientMetadata(createMemoryStore(), s, url), (e: unknown) => {
        assert.ok(e instanceof OAuthError);
        assert.equal(e.code, 'invalid_client');
        assert.match(e.message, why);
        assert.match(e.message, /DOCSPACE_OAUTH_CIMD=false/);
        assert.match(e.forPerson ?? '', /Pass this on/);
        return true;
      });
    }
  });

  it('serves the last good copy while the host cannot be reached', async () => {
    let now = Date.now();
    const store = createMemoryStore();
    const flaky = await listen(
      (req) => new Response(doc(req.url), { headers: { 'cache-control': 'max-age=300' } }),
    );
    const s = { ...settings({ allowInsecureLoopback: true }), now: () => now };
    const id = `${flaky.url}/flaky.json`;
    assert.equal((await fetchClientMetadata(store, s, id)).clientName, 'Doc Client');
    await flaky.close();
    now += 3_600_000; // past its freshness; the host is gone
    assert.equal((await fetchClientMetadata(store, s, id)).clientName, 'Doc Client');
  });

  it('classifies addresses', () => {
    for (const ip of [
      '10.0.0.1',
      '127.0.0.1',
      '169.254.169.254',
      '192.168.1.1',
      '172.16.5.4',
      '100.64.0.1',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '0.0.0.0',
    ]) {
      assert.equal(isPublicAddress(ip), false, ip);
    }
    for (const ip of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111'])
      assert.equal(isPublicAddress(ip), true, ip);
    assert.equal(isPublicAddress('127.0.0.1', true), true);
  });
});
