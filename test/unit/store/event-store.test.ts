// Resumable events of 2025 sessions in the configured store (src/store/event-store.ts).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import type { JSONRPCMessage } from '@modelcontextprotocol/server';
import { createStoreEventStore } from '../../../src/store/event-store.js';
import { createMemoryStore } from '../../../src/store/memory.js';

const result = (id: number, text: string) =>
  ({ jsonrpc: '2.0', id, result: { content: [{ type: 'text', text }] } }) as JSONRPCMessage;

async function replay(store: ReturnType<typeof createStoreEventStore>, after: string) {
  const sent: [string, JSONRPCMessage][] = [];
  const stream = await store.replayEventsAfter(after, {
    send: async (id, message) => void sent.push([id, message]),
  });
  return { stream, sent };
}

describe('session event store', () => {
  it('replays the events after the given id, in order, without the priming event', async () => {
    const events = createStoreEventStore(createMemoryStore(), 'session-1', 60);
    const priming = await events.storeEvent('s', {} as JSONRPCMessage);
    const first = await events.storeEvent('s', result(1, 'one'));
    await events.storeEvent('s', result(2, 'two'));
    await events.storeEvent('other-stream', result(3, 'three'));
    assert.equal(await events.getStreamIdForEventId?.(first), 's');
    const { stream, sent } = await replay(events, priming);
    assert.equal(stream, 's');
    assert.deepEqual(
      sent.map(([, m]) => (m as { id: number }).id),
      [1, 2],
    );
    assert.deepEqual((await replay(events, first)).sent.length, 1);
  });

  it('an event id from another session replays nothing', async () => {
    const store = createMemoryStore();
    const mine = createStoreEventStore(store, 'mine', 60);
    const theirs = createStoreEventStore(store, 'theirs', 60);
    const priming = await mine.storeEvent('s', {} as JSONRPCMessage);
    await mine.storeEvent('s', result(1, 'secret'));
    assert.equal(await theirs.getStreamIdForEventId?.(priming), undefined);
    assert.deepEqual((await replay(theirs, priming)).sent, []);
  });

  it('with a key, what tools returned is not readable in the store', async () => {
    const store = createMemoryStore();
    const key = randomBytes(32);
    const events = createStoreEventStore(store, 'sealed', 60, key);
    const priming = await events.storeEvent('s', {} as JSONRPCMessage);
    const id = await events.storeEvent('s', result(1, 'confidential report'));
    const raw = await store.get(`mcp-ev:sealed:s:${id.split('.').at(-1)}`);
    assert.ok(raw, 'stored');
    assert.doesNotMatch(raw, /confidential/);
    const { sent } = await replay(events, priming);
    assert.match(JSON.stringify(sent[0]?.[1]), /confidential report/);
    // Sealed under another key (a rotated secret): nothing is replayed, nothing throws.
    const rotated = createStoreEventStore(store, 'sealed', 60, randomBytes(32));
    assert.deepEqual((await replay(rotated, priming)).sent, []);
  });
});
