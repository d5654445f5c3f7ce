import type { Credential } from '../docspace/credential.js';
import type { ToolSelection } from '../tools/selection.js';
import { HttpError, RPC } from './errors.js';

/** A 400 answer to a request whose own settings contradict themselves. */
export class RequestOptionsError extends HttpError {
  constructor(message: string) {
    super(400, 'invalid_request_options', message, { rpcCode: RPC.invalidRequest });
  }
}

export interface RequestOptionsConfig {
  /** `DOCSPACE_REQUEST_QUERY`: settings in the URL query. */
  query: boolean;
  /** `DOCSPACE_REQUEST_HEADER_PREFIX` (lower case); empty turns headers off. */
  headerPrefix: string;
}

export interface RequestOptions {
  /** Narrowing asked for by the request (undefined fields: not asked). */
  selection: Partial<ToolSelection>;
  /** A DocSpace credential sent in `X-Mcp-Api-Key` / `-Auth-Token` / `-Username` + `-Password`. */
  credential?: Credential;
}

const LISTS = [
  ['toolsets', 'toolsets', 'toolsets'],
  ['enabledTools', 'enabled_tools', 'enabled-tools'],
  ['disabledTools', 'disabled_tools', 'disabled-tools'],
] as const;
const FLAGS = [
  ['dynamic', 'dynamic', 'dynamic'],
  ['readOnly', 'read_only', 'read-only'],
] as const;

function parseBool(name: string, raw: string): boolean {
  const v = raw.trim().toLowerCase();
  if (['yes', 'y', 'true', '1'].includes(v)) return true;
  if (['no', 'n', 'false', '0', ''].includes(v)) return false;
  throw new RequestOptionsError(`${name} must be yes or no, not "${raw.slice(0, 40)}".`);
}

/**
 * Reads per-request tool settings and credentials from `X-Mcp-*` headers and the query. Read
 * on every request (not frozen at `initialize`, unlike the reference), checked against the
 * server's own selection by `narrowSelection`.
 */
export function readRequestOptions(req: Request, cfg: RequestOptionsConfig): RequestOptions {
  const url = new URL(req.url);
  const header = (name: string) =>
    cfg.headerPrefix ? (req.headers.get(cfg.headerPrefix + name) ?? undefined) : undefined;
  const query = (name: string) => (cfg.query ? (url.searchParams.get(name) ?? undefined) : undefined);
  const pick = (q: string, h: string): [string, string] | undefined => {
    const fromQuery = query(q);
    const fromHeader = header(h);
    if (fromQuery !== undefined && fromHeader !== undefined) {
      throw new RequestOptionsError(
        `Both the query parameter ${q} and the header ${cfg.headerPrefix}${h} are set; send one.`,
      );
    }
    if (fromQuery !== undefined) return [q, fromQuery];
    if (fromHeader !== undefined) return [`${cfg.headerPrefix}${h}`, fromHeader];
    return undefined;
  };

  const selection: Partial<ToolSelection> = {};
  for (const [key, q, h] of LISTS) {
    const found = pick(q, h);
    if (found)
      selection[key] = found[1]
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
  }
  for (const [key, q, h] of FLAGS) {
    const found = pick(q, h);
    if (found) selection[key] = parseBool(found[0], found[1]);
  }

  const apiKey = header('api-key')?.trim();
  const token = header('auth-token')?.trim();
  const username = header('username')?.trim();
  const password = header('password')?.trim();
  const given = [apiKey, token, username || password].filter(Boolean).length;
  if (given > 1)
    throw new RequestOptionsError(
      'Send only one DocSpace credential header (API key, auth token, or user name + password).',
    );
  if ((username && !password) || (password && !username)) {
    throw new RequestOptionsError(`Send both ${cfg.headerPrefix}username and ${cfg.headerPrefix}password.`);
  }
  let credential: Credential | undefined;
  if (apiKey) credential = { kind: 'apiKey', apiKey };
  else if (token) credential = { kind: 'personalToken', token };
  else if (username && password) credential = { kind: 'basic', username, password };
  return { selection, credential };
}
