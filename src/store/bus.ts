import type { StoreConfig } from './index.js';

/**
 * Messages between instances that share a Redis store: a 2025 session's client answers
 * (elicitation and sampling results, `notifications/cancelled`) go to every instance, so the one
 * whose tool call waits for them gets them wherever the balancer sent the POST. On the memory
 * store there is one instance and no bus.
 */
export interface SessionBus {
  publish(message: string): Promise<void>;
  /** Called with every message another instance published. */
  subscribe(onMessage: (message: string) => void): void;
  close(): Promise<void>;
}

const CHANNEL = 'mcp-session-messages';

export async function createSessionBus(config: StoreConfig): Promise<SessionBus | undefined> {
  if (config.kind !== 'redis' || !config.redisUrl) return undefined;
  const { Redis } = await import('ioredis');
  const options = {
    lazyConnect: false,
    connectTimeout: 2000,
    retryStrategy: (attempt: number) => Math.min(100 * attempt, 1000),
  };
  const pub = new Redis(config.redisUrl, { ...options, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
  const sub = new Redis(config.redisUrl, options);
  // Errors are the store's to report (readiness, request errors); a lost bus loses answers only.
  pub.on('error', () => undefined);
  sub.on('error', () => undefined);
  const channel = `${config.keyPrefix ?? 'docspace-mcp:'}${CHANNEL}`;
  // Our own messages come back too: a random instance id tells them apart.
  const self = crypto.randomUUID();
  let handler: ((message: string) => void) | undefined;
  sub.on('message', (_channel: string, payload: string) => {
    const tab = payload.indexOf('\t');
    if (tab < 0 || payload.slice(0, tab) === self) return;
    handler?.(payload.slice(tab + 1));
  });
  // Not awaited: start-up must not wait for Redis (ioredis subscribes again after a reconnect).
  void sub.subscribe(channel).catch(() => undefined);
  return {
    async publish(message) {
      await pub.publish(channel, `${self}\t${message}`).catch(() => undefined);
    },
    subscribe(onMessage) {
      handler = onMessage;
    },
    async close() {
      sub.disconnect();
      pub.disconnect();
    },
  };
}
