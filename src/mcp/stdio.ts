import { serveStdio } from '@modelcontextprotocol/server/stdio';
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
 * Serves MCP on stdin/stdout (both eras; `serveStdio` pins the era per connection). Nothing
 * but protocol goes to stdout: the logger writes to stderr. Resolves when stdin ends.
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
  return new Promise((resolve) => {
    let done = false;
    const handle = serveStdio(() => factory(request), {
      onerror: (err) => logger.debug({ err: err.message }, 'stdio transport error'),
    });
    const finish = () => {
      if (done) return;
      done = true;
      void handle.close().finally(() => resolve());
    };
    process.stdin.once('end', finish);
    process.stdin.once('close', finish);
    process.once('SIGTERM', finish);
    process.once('SIGINT', finish);
  });
}
