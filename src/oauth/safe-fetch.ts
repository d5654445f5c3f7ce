import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP } from 'node:net';
import { AppError } from '../errors.js';

/**
 * A GET for documents named by strangers (Client ID Metadata Documents): https only, public
 * addresses only — checked on the address actually connected to, so DNS rebinding cannot slip a
 * private one in — no redirects, a size cap and a deadline.
 */
export interface SafeFetchOptions {
  timeoutMs: number;
  maxBytes: number;
  /** TEST ONLY: allow http and loopback addresses. */
  allowInsecureLoopback?: boolean;
  /** TEST ONLY: see {@link CimdTestRoute}. */
  testRoute?: CimdTestRoute;
}

/**
 * TEST ONLY (the client compatibility suite, `npm run test:clients`): fetch the documents of
 * real client ids (`https://chatgpt.com/…`, `https://claude.ai/…`) from a local HTTPS server
 * instead, trusting that server's test CA. `route` names the loopback port standing in for a
 * host (undefined: the host is not routed and the fetch fails as unresolvable). Never reachable
 * from configuration: only `StartHttpOptions.cimdTestRoute` sets it, which the CLI never does.
 */
export interface CimdTestRoute {
  route(hostname: string): { port: number } | undefined;
  /** PEM of the CA that signed the local server's certificate. */
  ca: string;
}

export interface SafeResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * Why a fetch failed. The network ones are kept apart so an operator can tell "this server has
 * no outbound internet" (dns, connect) from a broken or intercepted host (tls) or a slow one.
 */
export type SafeFetchFailure =
  'scheme' | 'address' | 'timeout' | 'too_large' | 'dns' | 'connect' | 'tls' | 'network';

/** The failures that say nothing about the document itself: this server could not reach it. */
export const UNREACHABLE: readonly SafeFetchFailure[] = ['dns', 'connect', 'timeout', 'network'];

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'ESERVFAIL', 'ENODATA']);
const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ETIMEDOUT',
  'EPIPE',
  'EACCES',
  'EPERM',
]);

/** A network error as one of our failures, its system code kept in the message. */
export function classifyNetworkError(error: unknown, host: string): SafeFetchError {
  const code = String((error as NodeJS.ErrnoException | undefined)?.code ?? '');
  if (DNS_CODES.has(code)) return new SafeFetchError('dns', `could not resolve ${host} (${code})`);
  if (CONNECT_CODES.has(code)) return new SafeFetchError('connect', `could not connect to ${host} (${code})`);
  if (/^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO|DEPTH_ZERO|SELF_SIGNED|HOSTNAME_MISMATCH|ERR_OSSL)/.test(code))
    return new SafeFetchError('tls', `the TLS connection to ${host} failed (${code})`);
  return new SafeFetchError(
    'network',
    `the document could not be fetched from ${host}${code ? ` (${code})` : ''}`,
  );
}

export class SafeFetchError extends AppError {
  declare readonly code: SafeFetchFailure;
  constructor(code: SafeFetchFailure, message: string) {
    super(code, message, { status: 502 });
  }
}

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
  ['2001:db8::', 32],
  ['100::', 64],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}
const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

export function isPublicAddress(address: string, allowLoopback = false): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const ip = mapped ? mapped[1] : address;
  const family = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
  if (isIP(ip) === 0) return false;
  if (allowLoopback && loopback.check(ip, family)) return true;
  return !blocked.check(ip, family);
}

export function safeGet(url: URL, opts: SafeFetchOptions): Promise<SafeResponse> {
  const allowHttp = opts.allowInsecureLoopback === true && url.protocol === 'http:';
  if (url.protocol !== 'https:' && !allowHttp) {
    return Promise.reject(new SafeFetchError('scheme', 'only https documents are fetched'));
  }
  const client = url.protocol === 'https:' ? https : http;
  let routed: https.RequestOptions | undefined;
  if (opts.testRoute) {
    // TEST ONLY: connect to the local server standing in for the host, trusting its test CA.
    const target = opts.testRoute.route(url.hostname);
    if (!target)
      return Promise.reject(
        classifyNetworkError(Object.assign(new Error('not routed'), { code: 'ENOTFOUND' }), url.host),
      );
    routed = { hostname: '127.0.0.1', port: target.port, servername: url.hostname, ca: opts.testRoute.ca };
  }
  // IP literals never reach `lookup`, so they are checked here.
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(literal) !== 0 && !isPublicAddress(literal, opts.allowInsecureLoopback)) {
    return Promise.reject(new SafeFetchError('address', 'the document host is a private address'));
  }
  const lookup = (
    hostname: string,
    options: { all?: boolean },
    callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ) => {
    dnsLookup(hostname, { all: true }, (err, addresses) => {
      if (err) return callback(err, '');
      const unsafe = addresses.find((a) => !isPublicAddress(a.address, opts.allowInsecureLoopback));
      if (unsafe || addresses.length === 0) {
        return callback(new SafeFetchError('address', 'the document host resolves to a private address'), '');
      }
      if (options.all) return callback(null, addresses);
      return callback(null, addresses[0].address, addresses[0].family);
    });
  };
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      req.destroy();
      reject(error instanceof SafeFetchError ? error : classifyNetworkError(error, url.host));
    };
    const req = client.request(
      url,
      {
        method: 'GET',
        headers: {
          accept: 'application/json',
          'user-agent': 'docspace-mcp (client metadata fetch)',
          ...(routed && { host: url.host }),
        },
        timeout: opts.timeoutMs,
        ...(routed ?? { lookup: lookup as unknown as typeof dnsLookup }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > opts.maxBytes)
            fail(new SafeFetchError('too_large', `the document is larger than ${opts.maxBytes} bytes`));
          else chunks.push(chunk);
        });
        res.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(deadline);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
        res.on('error', fail);
      },
    );
    // `timeout` above is per idle socket; the deadline bounds the whole exchange (slow drip).
    const deadline = setTimeout(
      () => fail(new SafeFetchError('timeout', `${url.host} took longer than ${opts.timeoutMs} ms`)),
      opts.timeoutMs,
    );
    // Belt and braces: whatever resolved, the connected peer must be public.
    req.on('socket', (socket) => {
      socket.once('connect', () => {
        if (
          !routed &&
          socket.remoteAddress &&
          !isPublicAddress(socket.remoteAddress, opts.allowInsecureLoopback)
        ) {
          fail(new SafeFetchError('address', 'the document host resolves to a private address'));
        }
      });
    });
    req.on('timeout', () =>
      fail(new SafeFetchError('timeout', `${url.host} took longer than ${opts.timeoutMs} ms`)),
    );
    req.on('error', (error) => {
      clearTimeout(deadline);
      fail(error);
    });
    req.on('close', () => clearTimeout(deadline));
    req.end();
  });
}
