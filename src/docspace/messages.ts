import type { CredentialKind } from './credential.js';
import { DocSpaceError, type DocSpaceErrorCode } from './errors.js';

/** What the transport knows about a failed answer; turned into one actionable sentence or two. */
export interface HttpFailure {
  status: number;
  method: string;
  /** Path below the portal root, without the query string. */
  path: string;
  /** "File 123", "Room 7", … when the caller said what the request was about. */
  subject?: string;
  docspaceMessage?: string;
  fields?: Record<string, string[]>;
  retryAfterMs?: number;
  credentialKind?: CredentialKind;
}

const STATUS_CODES: Record<number, DocSpaceErrorCode> = {
  400: 'bad_request',
  401: 'unauthorized',
  402: 'quota',
  403: 'forbidden',
  404: 'not_found',
  405: 'bad_request',
  409: 'conflict',
  413: 'too_large',
  415: 'bad_request',
  422: 'bad_request',
  429: 'rate_limited',
};

export function codeForStatus(status: number): DocSpaceErrorCode {
  if (STATUS_CODES[status]) return STATUS_CODES[status];
  if (status >= 500) return 'unavailable';
  if (status === 408) return 'timeout';
  return 'bad_request';
}

// DocSpace's generic texts add nothing to our own sentence.
const GENERIC = new Set(['access denied', 'item not found', 'not found', '']);

function docspaceSays(msg: string | undefined): string {
  if (!msg || GENERIC.has(msg.trim().toLowerCase())) return '';
  const clean = msg.trim().replace(/\s+/g, ' ').slice(0, 300);
  return ` DocSpace says: "${clean}"`;
}

const CREDENTIAL_ADVICE: Record<CredentialKind, string> = {
  apiKey: 'Check that the API key is correct, not expired or revoked, and belongs to this portal.',
  personalToken: 'The access token may have expired or been logged out; create a new one.',
  password: 'Check the user name and password (accounts with two-factor sign-in cannot use a password here).',
  basic: 'Check the user name and password.',
  oauth: 'The DocSpace session has expired or was revoked; sign in again.',
  authorization: 'Check the Authorization value sent to DocSpace; sign in again if it came from a sign-in.',
};

/**
 * DocSpace answered as it answers a signed-out visitor (403 on an `[AllowAnonymous]` route) and
 * `people/@self` then answered 401: the credential is no longer valid, whatever the first answer said.
 */
export function signedOutError(request: string, credentialKind: CredentialKind): DocSpaceError {
  return new DocSpaceError(
    'unauthorized',
    `DocSpace no longer accepts the credentials: it answered ${request} as it answers someone who is not signed in. ${CREDENTIAL_ADVICE[credentialKind]}`,
    { status: 401, request },
  );
}

/**
 * DocSpace's scope map (docspace-api.md §2.5), used to name the scope a bodiless 403 most
 * likely lacked.
 */
export function scopeFor(method: string, path: string): string | undefined {
  const write = method !== 'GET' && method !== 'HEAD';
  const p = path.replace(/^\/?api\/2\.0\//, '');
  if (p.startsWith('files/rooms')) return write ? 'rooms:write' : 'rooms:read';
  if (p.startsWith('files')) return write ? 'files:write' : 'files:read';
  if (p.startsWith('people/@self')) return write ? 'accounts.self:write' : 'accounts.self:read';
  if (p.startsWith('people') || p.startsWith('group')) return write ? 'accounts:write' : 'accounts:read';
  return undefined;
}

function capitalised(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function formatFields(fields: Record<string, string[]>): string {
  return Object.entries(fields)
    .map(([k, v]) => `${k}: ${v.join(' ')}`)
    .join('; ');
}

/** Turns a DocSpace error answer into a `DocSpaceError` with a message a person can act on. */
export function errorFromResponse(f: HttpFailure): DocSpaceError {
  const code = codeForStatus(f.status);
  const what = f.subject ? capitalised(f.subject) : 'The requested item';
  const says = docspaceSays(f.docspaceMessage);
  const request = `${f.method} ${f.path}`;
  let message: string;
  switch (code) {
    case 'unauthorized':
      message = `DocSpace did not accept the credentials (HTTP 401). ${
        f.credentialKind ? CREDENTIAL_ADVICE[f.credentialKind] : 'Sign in again.'
      }`;
      break;
    case 'forbidden': {
      if (f.docspaceMessage && !GENERIC.has(f.docspaceMessage.trim().toLowerCase())) {
        message = `Access denied${f.subject ? ` to ${f.subject}` : ''}.${says}`;
      } else if (f.docspaceMessage) {
        message = `Access denied${f.subject ? ` to ${f.subject}` : ''}: your DocSpace account does not have the rights this needs (${request}). Ask the room or portal administrator for access.`;
      } else {
        // DocSpace answers a missing scope with a bare 403 and no body.
        const scope = scopeFor(f.method, f.path);
        message = `Access denied${f.subject ? ` to ${f.subject}` : ''}. ${
          scope
            ? `The credential probably lacks the "${scope}" permission; sign in again granting it, or use an API key that has it.`
            : 'The credential does not allow this request.'
        }`;
      }
      // Unknown room ids get 403 rather than 404, so existence cannot be probed.
      if (f.subject?.startsWith('room '))
        message += ' DocSpace answers the same way when the room does not exist.';
      break;
    }
    case 'not_found':
      message = `${what} was not found, or you cannot see it.${says}`;
      break;
    case 'bad_request':
      message = f.fields
        ? `DocSpace rejected the request (${request}): ${formatFields(f.fields)}.`
        : `DocSpace rejected the request (${request}).${says || ' No reason was given.'}`;
      break;
    case 'quota':
      message = `The portal's storage quota or plan does not allow this.${says}`;
      break;
    case 'conflict':
      message = `${what} conflicts with something that already exists.${says}`;
      break;
    case 'too_large':
      message = `DocSpace refused the request because it is too large.${says}`;
      break;
    case 'rate_limited':
      message = `DocSpace is rate-limiting requests; try again${
        f.retryAfterMs ? ` in ${Math.ceil(f.retryAfterMs / 1000)} s` : ' shortly'
      }.`;
      break;
    case 'timeout':
      message = `DocSpace timed out answering ${request}; try again.`;
      break;
    default:
      message = `DocSpace is unavailable or failed (HTTP ${f.status}) on ${request}; try again later.${says}`;
  }
  return new DocSpaceError(code, message, {
    status: f.status,
    docspaceMessage: f.docspaceMessage,
    fields: f.fields,
    retryAfterMs: f.retryAfterMs,
    request,
  });
}
