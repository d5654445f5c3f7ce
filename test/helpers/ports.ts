import { createServer, type Server } from 'node:net';

/**
 * A loopback port free at this moment: for clients that must be told theirs in advance, and as
 * a port nothing listens on (connections to it are refused).
 */
export async function freePort(): Promise<number> {
  const server = await occupiedPort();
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A listening server holding a loopback port (close it when done). */
export function occupiedPort(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}
