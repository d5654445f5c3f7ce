import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';

/** Loopback servers for tests: a web-standard handler, or a Node server already built. */

export interface Listening {
  url: string;
  /** Replaces the handler (so an app can be built once its own URL is known). */
  setHandler(handler: (req: Request) => Response | Promise<Response>): void;
  close(): Promise<void>;
}

/** Binds 127.0.0.1:0 and serves a web-standard handler. */
export async function listen(handler?: (req: Request) => Response | Promise<Response>): Promise<Listening> {
  let current = handler ?? (() => new Response('not ready', { status: 503 }));
  const server = createAdaptorServer({ fetch: (req: Request) => current(req) }) as unknown as Server;
  const { url, close } = await listenNode(server);
  return {
    url,
    setHandler(h) {
      current = h;
    },
    close,
  };
}

/**
 * Binds a Node HTTP(S) server to 127.0.0.1:0. `close` also ends kept-alive connections, so a
 * test's `after` does not wait for them.
 */
export async function listenNode(
  server: Pick<Server, 'listen' | 'address' | 'close'> & { closeAllConnections?: () => void },
  scheme: 'http' | 'https' = 'http',
): Promise<{ url: string; port: number; close(): Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
