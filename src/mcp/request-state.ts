import { createHmac } from 'node:crypto';
import { createRequestStateCodec, type RequestStateCodec } from '@modelcontextprotocol/server';

/**
 * The codec for multi-round-trip `requestState` (MCP 2026-07-28, and the SDK's shim for 2025
 * sessions): HMAC-signed under a key derived from the server secret, so every instance sharing
 * `DOCSPACE_SECRET` accepts the state another minted, and altered or expired state is refused
 * with a JSON-RPC error before any handler runs. Signed, not encrypted: never put secrets in it.
 */
export function requestStateCodec(secret: string, ttlSeconds = 600): RequestStateCodec<unknown> {
  // A key of its own (domain-separated), not the sealing key itself.
  const key = createHmac('sha256', secret).update('docspace-mcp request state v1').digest();
  return createRequestStateCodec({ key, ttlSeconds });
}
