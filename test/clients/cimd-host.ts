/**
 * The client metadata documents of Codex and Claude Code, served over HTTPS from loopback with
 * a certificate for their real hosts signed by a test CA made for this run. The server under
 * test reaches it only through `StartHttpOptions.cimdTestRoute` (TEST ONLY), which trusts that
 * CA for those hosts alone; nothing else on the machine trusts it.
 *
 * The documents have each client's published shape (port-less loopback redirect URIs, public
 * client, `none` auth), as found in the clients' docs and issue trackers:
 * - Codex: `https://chatgpt.com/oauth/codex/client.json`, or `…/codex/<callback id>/client.json`
 *   with `/callback/<callback id>` redirect paths when the server does not bind responses to its
 *   issuer (Codex's MCP docs); `application_type: native`.
 * - Claude Code: `https://claude.ai/oauth/claude-code-client-metadata`, no `application_type`
 *   (anthropics/claude-code#64705), redirect URIs `http://localhost/callback`,
 *   `http://127.0.0.1/callback`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CimdTestRoute } from '../../src/oauth/safe-fetch.js';

export const HOSTS = ['chatgpt.com', 'claude.ai'];

export interface CimdHost {
  route: CimdTestRoute;
  /** Every document request, as `https://host/path` with the status answered. */
  requests: { url: string; status: number }[];
  close(): Promise<void>;
}

function documentFor(host: string, path: string): Record<string, unknown> | undefined {
  const id = `https://${host}${path}`;
  const common = {
    client_id: id,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
  };
  if (host === 'chatgpt.com') {
    const m = /^\/oauth\/codex(?:\/([A-Za-z0-9_-]+))?\/client\.json$/.exec(path);
    if (!m) return undefined;
    const callback = m[1] ? `/callback/${m[1]}` : '/callback';
    return {
      ...common,
      client_name: 'Codex',
      client_uri: 'https://chatgpt.com/codex',
      application_type: 'native',
      redirect_uris: [`http://127.0.0.1${callback}`, `http://localhost${callback}`],
    };
  }
  if (host === 'claude.ai' && path === '/oauth/claude-code-client-metadata') {
    return {
      ...common,
      client_name: 'Claude Code',
      client_uri: 'https://claude.ai',
      redirect_uris: ['http://localhost/callback', 'http://127.0.0.1/callback'],
    };
  }
  return undefined;
}

/** A CA and a leaf certificate for HOSTS, made with openssl in a temporary directory. */
function makeCertificates(): { ca: string; key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cimd-ca-'));
  try {
    const ssl = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    ssl([
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '2',
      '-subj',
      '/CN=docspace-mcp client suite test CA',
    ]);
    ssl([
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'leaf.key',
      '-out',
      'leaf.csr',
      '-subj',
      `/CN=${HOSTS[0]}`,
    ]);
    const ext = `subjectAltName=${HOSTS.map((h) => `DNS:${h}`).join(',')}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`;
    writeFileSync(join(dir, 'leaf.ext'), ext);
    ssl([
      'x509',
      '-req',
      '-in',
      'leaf.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'leaf.pem',
      '-days',
      '2',
      '-extfile',
      'leaf.ext',
    ]);
    return {
      ca: readFileSync(join(dir, 'ca.pem'), 'utf8'),
      key: readFileSync(join(dir, 'leaf.key'), 'utf8'),
      cert: readFileSync(join(dir, 'leaf.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function startCimdHost(): Promise<CimdHost> {
  const { ca, key, cert } = makeCertificates();
  const requests: CimdHost['requests'] = [];
  const server: Server = createServer({ key, cert }, (req, res) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    const path = (req.url ?? '/').split('?')[0];
    const doc = documentFor(host, path);
    requests.push({ url: `https://${host}${path}`, status: doc ? 200 : 404 });
    if (!doc) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res
      .writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=3600' })
      .end(JSON.stringify(doc));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    route: { ca, route: (hostname) => (HOSTS.includes(hostname) ? { port } : undefined) },
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
