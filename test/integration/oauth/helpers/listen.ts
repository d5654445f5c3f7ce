import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';

export interface Listening {
  url: string;
  /** Replaces the handler (so an app can be built once its own URL is known). */
  setHandler(handler: (req: Request) => Response | Promise<Response>): void;
  close(): Promise<void>;
}

/** Binds 127.0.0.1:0 and serves a web-standard handler. */
export async function listen(handler?: (req: Request) => Response | Promise<Response>): Promise<Listening> {
  let current = handler ?? (() => new Response('not ready', { status: 503 }));
  const server = createAdaptorServer({ fetch: (req: Request) => current(req) });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setHandler(h) {
      current = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
