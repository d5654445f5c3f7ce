import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A minimal DocSpace stand-in for transport tests (the emulator covers DocSpace itself):
 * `GET /api/2.0/people/@self` answers after `delayMs`, and records whether the caller hung up
 * before the answer (cancellation reached DocSpace) and which headers it sent.
 */
export interface FakeDocSpace {
  url: string;
  delayMs: number;
  /** Requests whose connection closed before we answered. */
  aborted: number;
  /** Requests that reached /people/@self. */
  started: number;
  lastHeaders?: IncomingMessage['headers'];
  close(): Promise<void>;
}

export async function startFakeDocSpace(delayMs = 0): Promise<FakeDocSpace> {
  const fake: FakeDocSpace = { url: '', delayMs, aborted: 0, started: 0, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    fake.lastHeaders = req.headers;
    if (!req.url?.startsWith('/api/2.0/people/@self')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'not found' }, status: 1, statusCode: 404 }));
      return;
    }
    fake.started++;
    let answered = false;
    res.on('close', () => {
      if (!answered) fake.aborted++;
    });
    setTimeout(() => {
      if (res.destroyed) return;
      answered = true;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          response: {
            id: 'u-1',
            displayName: 'Test Owner',
            email: 'owner@example.com',
            isOwner: true,
            isAdmin: true,
          },
          count: 1,
          status: 0,
          statusCode: 200,
        }),
      );
    }, fake.delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  fake.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}
