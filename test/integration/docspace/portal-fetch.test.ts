import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createPortalFetch } from '../../../src/docspace/portal-fetch.js';

// The DocSpace client's own fetch (node:http, keep-alive) must look like `fetch` to its callers:
// same statuses, headers, bodies, errors and cancellation. A real loopback server answers.
describe('portal fetch', () => {
  let server: http.Server;
  let base: string;
  let seen: { method?: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
  /** Sockets the server has accepted, to close some under a keep-alive client. */
  const sockets = new Set<import('node:net').Socket>();
  const fetchFn = createPortalFetch({ fallback: async () => new Response('fallback', { status: 299 }) });

  before(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ method: req.method, headers: req.headers, body: Buffer.concat(chunks).toString() });
        const path = req.url ?? '/';
        if (path === '/json') {
          res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'x-many': ['a', 'b'] });
          // Written in two pieces: the answer must be read whole.
          res.write('{"response":');
          res.end('{"ok":true},"status":0}');
        } else if (path === '/bytes') {
          res.writeHead(200, { 'content-type': 'application/octet-stream' });
          res.end(Buffer.from([0, 1, 2, 250, 255]));
        } else if (path === '/empty') {
          res.writeHead(204);
          res.end();
        } else if (path === '/redirect') {
          res.writeHead(302, { location: '/json' });
          res.end();
        } else if (path === '/slow') {
          setTimeout(() => {
            if (!res.destroyed) res.end('late');
          }, 2000);
        } else if (path === '/cut') {
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
          res.write('{"response":');
          setTimeout(() => res.socket?.destroy(), 20);
        } else {
          res.writeHead(404, { 'content-type': 'application/json' });
          res.end('{"error":{"message":"nothing here"}}');
        }
      });
    });
    server.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const manual = (init: RequestInit = {}): RequestInit => ({ redirect: 'manual', ...init });

  it('reads a JSON answer sent in pieces, with its status and every header', async () => {
    const res = await fetchFn(new URL(`${base}/json`), manual({ headers: { accept: 'application/json' } }));
    assert.equal(res.status, 200);
    assert.equal(res.ok, true);
    assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.equal(res.headers.get('x-many'), 'a, b');
    assert.deepEqual(await res.json(), { response: { ok: true }, status: 0 });
  });

  it('sends the method, headers and a string or byte body', async () => {
    seen = [];
    await (
      await fetchFn(`${base}/json`, manual({ method: 'POST', headers: { 'x-a': '1' }, body: '{"a":1}' }))
    ).text();
    await (await fetchFn(`${base}/json`, manual({ method: 'PUT', body: new Uint8Array([104, 105]) }))).text();
    // A DELETE with a body (DocSpace's delete calls have one) is framed with its length.
    await (await fetchFn(`${base}/json`, manual({ method: 'DELETE', body: '{"immediately":false}' }))).text();
    assert.equal(seen[0]?.method, 'POST');
    assert.equal(seen[0]?.headers['x-a'], '1');
    assert.equal(seen[0]?.body, '{"a":1}');
    assert.equal(seen[1]?.method, 'PUT');
    assert.equal(seen[1]?.body, 'hi');
    assert.equal(seen[2]?.method, 'DELETE');
    assert.equal(seen[2]?.body, '{"immediately":false}');
  });

  it('streams a binary answer byte for byte', async () => {
    const res = await fetchFn(`${base}/bytes`, manual());
    assert.ok(res.body);
    assert.deepEqual([...new Uint8Array(await res.arrayBuffer())], [0, 1, 2, 250, 255]);
  });

  it('answers 204 without a body, errors with theirs, and leaves redirects to the caller', async () => {
    const empty = await fetchFn(`${base}/empty`, manual({ method: 'DELETE' }));
    assert.equal(empty.status, 204);
    assert.equal(await empty.text(), '');
    const missing = await fetchFn(`${base}/nope`, manual());
    assert.equal(missing.status, 404);
    assert.match(await missing.text(), /nothing here/);
    const moved = await fetchFn(`${base}/redirect`, manual());
    assert.equal(moved.status, 302);
    assert.equal(moved.headers.get('location'), '/json');
  });

  it('hands what it does not take (form bodies, followed redirects) to the fallback', async () => {
    const form = new FormData();
    form.append('a', 'b');
    assert.equal((await fetchFn(`${base}/json`, manual({ method: 'POST', body: form }))).status, 299);
    assert.equal((await fetchFn(`${base}/json`, {})).status, 299);
    const headers = new Headers({ accept: 'application/json' });
    assert.equal((await fetchFn(`${base}/json`, manual({ headers }))).status, 299);
  });

  it('rejects like fetch when nothing listens: a TypeError whose cause has the code', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    await assert.rejects(fetchFn(`http://127.0.0.1:${port}/json`, manual()), (err: unknown) => {
      assert.ok(err instanceof TypeError);
      assert.equal((err.cause as NodeJS.ErrnoException).code, 'ECONNREFUSED');
      return true;
    });
  });

  it('rejects with the abort reason when the caller cancels, before or during the exchange', async () => {
    const early = new AbortController();
    early.abort(new Error('gone before'));
    await assert.rejects(fetchFn(`${base}/json`, manual({ signal: early.signal })), /gone before/);
    const late = new AbortController();
    const pending = fetchFn(`${base}/slow`, manual({ signal: late.signal }));
    setTimeout(() => late.abort(new Error('gone during')), 50);
    await assert.rejects(pending, /gone during/);
  });

  it('lets an answer take longer than the idle timeout of kept-alive sockets', async () => {
    // The idle timeout closes free sockets only; a slow portal is the caller's timeout to judge.
    const quick = createPortalFetch({ idleTimeoutMs: 100 });
    const res = await quick(`${base}/slow`, manual());
    assert.equal(await res.text(), 'late');
  });

  it('fails a JSON answer cut short instead of returning half of it', async () => {
    await assert.rejects(fetchFn(`${base}/cut`, manual()), TypeError);
  });

  it('sends again on a fresh socket when a kept-alive one was closed under it', async () => {
    await (await fetchFn(`${base}/json`, manual())).text();
    // The server drops every idle connection without the client noticing yet.
    for (const s of sockets) s.destroy();
    seen = [];
    const res = await fetchFn(`${base}/json`, manual({ method: 'POST', body: 'again' }));
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { response: { ok: true }, status: 0 });
    assert.equal(seen.length, 1, 'the server saw the request once');
  });
});

describe('portal fetch over https', () => {
  const fixture = (name: string) =>
    readFileSync(new URL(`../../../../test/fixtures/tls/${name}`, import.meta.url));
  const cert = fixture('localhost.crt');
  let server: https.Server;
  let base: string;
  before(async () => {
    server = https.createServer({ cert, key: fixture('localhost.key') }, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"response":{"tls":true},"status":0}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('verifies the certificate: one nobody vouches for is refused', async () => {
    const strict = createPortalFetch();
    await assert.rejects(strict(`${base}/`, { redirect: 'manual' }), (err: unknown) => {
      assert.ok(err instanceof TypeError);
      assert.match(String((err.cause as NodeJS.ErrnoException).code), /SELF_SIGNED|UNABLE_TO_VERIFY/);
      return true;
    });
  });

  it('talks to a portal whose CA is trusted', async () => {
    const trusting = createPortalFetch({ tls: { ca: cert } });
    const res = await trusting(`${base}/`, { redirect: 'manual' });
    assert.deepEqual(await res.json(), { response: { tls: true }, status: 0 });
  });
});
