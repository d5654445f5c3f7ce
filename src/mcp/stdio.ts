import { PassThrough } from 'node:stream';
import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/server';
import { serveStdio, StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { envelopeError } from './envelope.js';
import type { Logger } from 'pino';
import type { Config } from '../config/load.js';
import { resolveSelection } from '../tools/selection.js';
import { createServerFactory } from './server.js';

export interface StdioOptions {
  logger: Logger;
  /** The loaded configuration, or undefined when it is invalid. */
  config?: Config;
  /**
   * The configuration error, when there is one. Desktop clients hide stderr, so instead of
   * exiting the server starts and every tool call answers with this text.
   */
  configError?: string;
  fetch?: typeof fetch;
}

/**
 * How long answers still owed are awaited after stdin ends. A call waiting on the client (a
 * confirmation question nobody can answer any more) must not keep the process alive for ever.
 */
const DRAIN_LIMIT_MS = 5 * 60_000;

/**
 * The SDK's stdio transport, told about requests and answers as they pass, so the process can
 * tell whether it still owes the client an answer.
 */
class CountingTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: Transport['onmessage'];
  /** Ids of client requests not yet answered. */
  readonly owed = new Set<string | number>();
  onSettled?: () => void;

  constructor(private readonly inner: StdioServerTransport) {
    inner.onclose = () => this.onclose?.();
    inner.onerror = (error) => this.onerror?.(error);
    inner.onmessage = (message: JSONRPCMessage) => {
      const m = message as { id?: string | number; method?: unknown };
      if (m.id !== undefined && typeof m.method === 'string') this.owed.add(m.id);
      const refused = envelopeError(message);
      if (refused) void this.send(refused as JSONRPCMessage).catch(() => undefined);
      else this.onmessage?.(message);
    };
  }

  start(): Promise<void> {
    return this.inner.start();
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const m = message as { id?: string | number; method?: unknown };
    const answers = m.id !== undefined && m.method === undefined && this.owed.has(m.id);
    try {
      await this.inner.send(message);
    } finally {
      if (answers && m.id !== undefined) {
        this.owed.delete(m.id);
        if (this.owed.size === 0) this.onSettled?.();
      }
    }
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/**
 * Serves MCP on stdin/stdout (both eras; `serveStdio` pins the era per connection). Nothing
 * but protocol goes to stdout: the logger writes to stderr. Resolves when stdin has ended and
 * every request read before that has been answered (scripts pipe requests and close stdin
 * straight away; the SDK alone would drop those answers), or on SIGTERM/SIGINT.
 */
export function runStdio(opts: StdioOptions): Promise<void> {
  const { config, logger } = opts;
  const factory = createServerFactory({
    baseUrl: config?.baseUrl ?? '',
    selection: config?.selection ?? resolveSelection(),
    logger,
    fetch: opts.fetch,
    requestTimeoutMs: config?.apiTimeout,
  });
  const request = {
    credential: config?.credential,
    configError: opts.configError,
    userAgent: config?.userAgent || undefined,
  };
  // The transport reads a copy of stdin that never ends by itself: the end of stdin is handled
  // here, once the answers owed have been written.
  const input = new PassThrough();
  process.stdin.pipe(input, { end: false });
  const transport = new CountingTransport(new StdioServerTransport(input, process.stdout));

  return new Promise((resolve) => {
    let done = false;
    let drainTimer: NodeJS.Timeout | undefined;
    const handle = serveStdio(() => factory(request), {
      transport,
      onerror: (err) => logger.debug({ err: err.message }, 'stdio transport error'),
    });
    const finish = () => {
      if (done) return;
      done = true;
      if (drainTimer) clearTimeout(drainTimer);
      process.stdin.unpipe(input);
      process.stdin.pause();
      void handle.close().finally(() => resolve());
    };
    const settleWhenDrained = () => {
      // Bytes still buffered in the copy have not been read as requests yet.
      if (input.readableLength > 0 || input.writableLength > 0) {
        setImmediate(settleWhenDrained);
        return;
      }
      if (transport.owed.size === 0) {
        finish();
        return;
      }
      logger.debug({ owed: transport.owed.size }, 'stdin ended; answering the requests in flight');
      transport.onSettled = finish;
      drainTimer = setTimeout(finish, DRAIN_LIMIT_MS);
      drainTimer.unref();
    };
    let ended = false;
    const onStdinEnd = () => {
      if (ended) return;
      ended = true;
      setImmediate(settleWhenDrained);
    };
    process.stdin.once('end', onStdinEnd);
    process.stdin.once('close', onStdinEnd);
    process.once('SIGTERM', finish);
    process.once('SIGINT', finish);
  });
}
