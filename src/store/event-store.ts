import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { EventStore, JSONRPCMessage } from '@modelcontextprotocol/server';
import type { Store } from './store.js';

/** AES-256-GCM: events carry what tools returned (file text, names, e-mails). */
function seal(key: Buffer, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

function open(key: Buffer, sealed: string): string {
  const raw = Buffer.from(sealed, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}

/** Longest replay one reconnect gets; a stream with more events than this has lost its head. */
const MAX_REPLAY = 10_000;

/**
 * Resumability for one 2025 `/mcp` session (`Last-Event-ID`), kept in the configured store so a
 * client that reconnects to another instance gets the same events. An event id is
 * `<stream>.<sequence>`; the keys carry the session id, so an id from another session replays
 * nothing. Events expire after `ttlSeconds`. With `key` (32 bytes) each event is sealed, so what
 * tools returned is not readable in the store.
 */
export function createStoreEventStore(
  store: Store,
  sessionId: string,
  ttlSeconds: number,
  key?: Buffer,
): EventStore {
  const seqKey = (stream: string) => `mcp-ev-seq:${sessionId}:${stream}`;
  const eventKey = (stream: string, seq: number) => `mcp-ev:${sessionId}:${stream}:${seq}`;
  const parse = (eventId: string): { stream: string; seq: number } | undefined => {
    const dot = eventId.lastIndexOf('.');
    if (dot <= 0) return undefined;
    const seq = Number(eventId.slice(dot + 1));
    if (!Number.isSafeInteger(seq) || seq < 1) return undefined;
    return { stream: eventId.slice(0, dot), seq };
  };
  return {
    async storeEvent(stream, message) {
      const { count } = await store.increment(seqKey(stream), ttlSeconds);
      const plain = JSON.stringify(message);
      await store.set(eventKey(stream, count), key ? seal(key, plain) : plain, ttlSeconds);
      return `${stream}.${count}`;
    },
    async getStreamIdForEventId(eventId) {
      const at = parse(eventId);
      if (!at) return undefined;
      return (await store.get(eventKey(at.stream, at.seq))) === undefined ? undefined : at.stream;
    },
    async replayEventsAfter(eventId, { send }) {
      const at = parse(eventId);
      if (!at) throw new Error('invalid event id');
      for (let seq = at.seq + 1; seq <= at.seq + MAX_REPLAY; seq++) {
        const value = await store.get(eventKey(at.stream, seq));
        if (value === undefined) break;
        let message: JSONRPCMessage;
        try {
          message = JSON.parse(key ? open(key, value) : value) as JSONRPCMessage;
        } catch {
          break; // sealed under another key (a rotated secret): nothing more to replay
        }
        // Priming events (empty, they only carry an id) are not replayed.
        if (message && typeof message === 'object' && 'jsonrpc' in message)
          await send(`${at.stream}.${seq}`, message);
      }
      return at.stream;
    },
  };
}
