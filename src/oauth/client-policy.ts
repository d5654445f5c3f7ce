import type { ClientRecord } from './clients.js';
import type { OAuthSettings } from './settings.js';

/**
 * The operator's list of AI apps allowed to connect (`DOCSPACE_OAUTH_ALLOWED_CLIENTS`): an app
 * passes when the host serving its client metadata document, or the host of the redirect URI it
 * uses, is on the list (a name covers its subdomains). The redirect host is what counts for apps
 * that registered themselves: whatever they call themselves, the code goes only there.
 */

function hostOf(uri: string): string | undefined {
  try {
    return new URL(uri).hostname.toLowerCase() || undefined;
  } catch {
    return undefined;
  }
}

export function hostAllowed(host: string | undefined, allowed: readonly string[]): boolean {
  if (!host) return false;
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return allowed.some((a) => {
    const d = a.replace(/^\[|\]$/g, '');
    return h === d || h.endsWith(`.${d}`);
  });
}

/** Whether this app, sending the person back to `redirectUri`, may connect. */
export function clientAllowed(settings: OAuthSettings, client: ClientRecord, redirectUri: string): boolean {
  const allowed = settings.allowedClients;
  if (allowed.length === 0) return true;
  if (client.kind === 'cimd' && hostAllowed(client.documentHost, allowed)) return true;
  return hostAllowed(hostOf(redirectUri), allowed);
}

/** Whether a registration naming these redirect URIs can lead anywhere allowed. */
export function registrationAllowed(settings: OAuthSettings, redirectUris: readonly unknown[]): boolean {
  const allowed = settings.allowedClients;
  if (allowed.length === 0) return true;
  return redirectUris.some((u) => typeof u === 'string' && hostAllowed(hostOf(u), allowed));
}

/** The policy in one sentence, for the refusal page and the registration error. */
export function policySentence(settings: OAuthSettings): string {
  return `This server's operator allows only approved AI apps to connect (${settings.allowedClients.join(', ')}).`;
}
