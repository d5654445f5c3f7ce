import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createDocSpaceClient, type DocSpaceError } from '../../../src/docspace/index.js';
import { BASE, bare, fail, fakeClock, fakeFetch, type Handler, ok } from '../../helpers/fake-docspace.js';

function client(handler: Handler, opts: { timeoutMs?: number; attempts?: number } = {}) {
  const f = fakeFetch(handler);
  const clock = fakeClock();
  const c = createDocSpaceClient({
    baseUrl: BASE,
    credential: { kind: 'apiKey', apiKey: 'sk-k' },
    fetch: f.fetch,
    clock,
    timeoutMs: opts.timeoutMs,
    retry: { attempts: opts.attempts ?? 3, maxDelayMs: 5_000 },
  });
  return { c, calls: f.calls, clock };
}

async function failure(p: Promise<unknown>): Promise<DocSpaceError> {
  try {
    await p;
  } catch (e) {
    return e as DocSpaceError;
  }
  assert.fail('expected the call to fail');
}

function sequence(...answers: Array<() => Response>): Handler {
  let i = 0;
  return () => {
    const next = answers[Math.min(i, answers.length - 1)] as () => Response;
    i++;
    return next();
  };
}

describe('retries', () => {
  it('retries a GET after 503 with backoff and succeeds', async () => {
    const { c, calls, clock } = client(
      sequence(
        () => bare(503),
        () => bare(502),
        () => ok({ id: 'me' }),
      ),
    );
    const me = await c.people.self();
    assert.equal(me.id, 'me');
    assert.equal(calls.length, 3);
    assert.equal(clock.slept.length, 2);
    assert.ok((clock.slept[1] as number) > (clock.slept[0] as number), 'backoff grows');
  });

  it('waits as long as Retry-After says', async () => {
    const { c, clock } = client(
      sequence(
        () => bare(429, { 'retry-after': '2' }),
        () => ok({ id: 'me' }),
      ),
    );
    await c.people.self();
    assert.deepEqual(clock.slept, [2000]);
  });

  it('gives up at once when Retry-After is longer than the longest wait', async () => {
    const { c, calls } = client(() => bare(429, { 'retry-after': '120' }));
    const e = await failure(c.people.self());
    assert.equal(e.code, 'rate_limited');
    assert.equal(e.retryAfterMs, 120_000);
    assert.match(e.message, /120 s/);
    assert.equal(calls.length, 1);
  });

  it('stops after the configured attempts', async () => {
    const { c, calls } = client(() => fail(503, 'Service Unavailable'), { attempts: 3 });
    const e = await failure(c.folders.my());
    assert.equal(e.code, 'unavailable');
    assert.equal(calls.length, 3);
  });

  it('never retries a POST', async () => {
    const { c, calls } = client(() => bare(503));
    const e = await failure(c.folders.create(1, 'New'));
    assert.equal(e.code, 'unavailable');
    assert.equal(calls.length, 1);
  });

  it('retries a dropped connection on a GET but not on a copy', async () => {
    let n = 0;
    const drop: Handler = () => {
      n++;
      if (n === 1) throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
      return ok({ id: 'me' });
    };
    const get = client(drop);
    assert.equal((await get.c.people.self()).id, 'me');
    assert.equal(get.calls.length, 2);

    const put = client(() => {
      throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
    });
    const e = await failure(put.c.files.copy({ fileIds: [1], destFolderId: 2 }));
    assert.equal(e.code, 'network');
    assert.match(e.message, /ECONNRESET/);
    assert.equal(put.calls.length, 1);
  });
});

describe('cancellation and time limits', () => {
  it('a request DocSpace never answers times out with a clear error', async () => {
    const { c } = client(() => new Promise<Response>(() => undefined), { timeoutMs: 100, attempts: 1 });
    const e = await failure(c.people.self());
    assert.equal(e.code, 'timeout');
    assert.match(e.message, /did not answer GET \/api\/2\.0\/people\/@self/);
  });

  it("the caller's AbortSignal cancels a request in flight", async () => {
    const { c } = client(() => new Promise<Response>(() => undefined));
    const ac = new AbortController();
    const p = c.people.self({ signal: ac.signal });
    setTimeout(() => ac.abort(), 10);
    const e = await failure(p);
    assert.equal(e.code, 'aborted');
  });

  it('an already aborted signal sends nothing', async () => {
    const { c, calls } = client(() => ok({}));
    const e = await failure(c.people.self({ signal: AbortSignal.abort() }));
    assert.equal(e.code, 'aborted');
    assert.equal(calls.length, 0);
  });
});
