import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/server';

/**
 * The server side of the legacy HTTP+SSE transport (MCP 2024-11-05) over one event stream: the
 * first event names the POST endpoint, every server message follows as a `message` event, and a
 * comment line keeps idle proxies from closing it. Messages the client POSTs are handed in with
 * `deliver`; the HTTP routes (src/http/sse.ts) own sessions, authentication and limits.
 */
export class SseServerTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: Transport['onmessage'];
  readonly stream: ReadableStream<Uint8Array>;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  private closed = false;
  private readonly encoder = new TextEncoder();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly sessionId: string,
    private readonly endpoint: string,
    keepAliveMs: number,
  ) {
    this.stream = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.controller = controller;
        if (keepAliveMs > 0) this.timer = setInterval(() => this.write(': keep-alive\n\n'), keepAliveMs);
      },
      // The client went away.
      cancel: () => this.close(),
    });
  }

  private write(frame: string): void {
    if (this.closed) return;
    try {
      this.controller.enqueue(this.encoder.encode(frame));
    } catch {
      void this.close();
    }
  }

  async start(): Promise<void> {
    this.write(`event: endpoint\ndata: ${this.endpoint}\n\n`);
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (this.closed) throw new Error('SSE session is closed');
    this.write(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
  }

  deliver(message: JSONRPCMessage, request: Request): void {
    this.onmessage?.(message, { request });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    try {
      this.controller.close();
    } catch {
      // already closed by the client
    }
    this.onclose?.();
  }
}
