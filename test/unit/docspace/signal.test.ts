// The caller's cancel signal: it cancels requests and streamed bodies, and a signal shared by
// many requests (a long tool call) does not collect a listener per request.
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { describe, it } from 'node:test';
import { createDocSpaceClient, type DocSpaceError } from '../../../src/docspace/index.js';
import { BASE, fakeClock, ok } from '../../helpers/fake-docspace.js';

function clientWith(fetchImpl: typeof fetch) {
  return createDocSpaceClient({
    baseUrl: BASE,
    credential: { kind: 'apiKey', apiKey: 'sk-k' },
    fetch: fetchImpl,
    clock: fakeClock(),
  });
}

describe('cancellation signal', () => {
  it('many requests on one signal leave no listeners behind', async () => {
    const c = clientWith((async () => ok({ id: 1, displayName: 'A' })) as typeof fetch);
    const ac = new AbortController();
    for (let i = 0; i < 30; i++) await c.people.self({ signal: ac.signal });
    assert.equal(getEventListeners(ac.signal, 'abort').length, 0);
  });

  it('cancelling after a streamed response was handed back stops its body', async () => {
    let seen: AbortSignal | undefined;
    const fetchImpl = (async (_url: URL, init: RequestInit = {}) => {
      seen = init.signal ?? undefined;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('first chunk'));
          seen?.addEventListener('abort', () => controller.error(seen?.reason), { once: true });
        },
      });
      return new Response(body, { status: 200 });
    }) as typeof fetch;
    const c = clientWith(fetchImpl);
    const ac = new AbortController();
    const res = await c.fetchRaw('GET', '/filehandler.ashx?action=download&fileid=1', { signal: ac.signal });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    assert.equal((await reader.read()).done, false);
    ac.abort(new Error('client went away'));
    await assert.rejects(reader.read(), /client went away/);
    assert.equal(seen?.aborted, true);
  });

  it('cancelling while DocSpace has not answered reports a cancellation, not a timeout', async () => {
    const fetchImpl = ((_url: URL, init: RequestInit = {}) =>
      new Promise<Response>((_resolve, reject) => {
        init.signal?.addEventListener('abort', () => reject(init.signal?.reason), { once: true });
      })) as typeof fetch;
    const c = clientWith(fetchImpl);
    const ac = new AbortController();
    const pending = c.people.self({ signal: ac.signal });
    setTimeout(() => ac.abort(), 10);
    await assert.rejects(pending, (e: DocSpaceError) => e.code === 'aborted');
    assert.equal(getEventListeners(ac.signal, 'abort').length, 0);
  });
});
