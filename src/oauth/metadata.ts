import type { Hono } from 'hono';
import type { Facade } from './context.js';

/**
 * Discovery documents. They promise only what works in the configured mode: registration and
 * Client ID Metadata Documents need the operator's DocSpace app; without it clients must bring
 * their own DocSpace app id (and secret), so no registration endpoint is advertised.
 */
export function authorizationServerMetadata(f: Facade): Record<string, unknown> {
  const { issuer, sharedApp, cimd, scopesSupported } = f.settings;
  const authMethods = ['none', 'client_secret_post', 'client_secret_basic'];
  return {
    issuer,
    authorization_endpoint: `${issuer}/oauth/authorize`,
    token_endpoint: `${issuer}/oauth/token`,
    ...(sharedApp ? { registration_endpoint: `${issuer}/oauth/register` } : {}),
    revocation_endpoint: `${issuer}/oauth/revoke`,
    introspection_endpoint: `${issuer}/oauth/introspect`,
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: authMethods,
    revocation_endpoint_auth_methods_supported: authMethods,
    introspection_endpoint_auth_methods_supported: authMethods,
    ...(scopesSupported.length > 0 ? { scopes_supported: scopesSupported } : {}),
    client_id_metadata_document_supported: cimd.enabled,
    authorization_response_iss_parameter_supported: true,
  };
}

export function protectedResourceMetadata(f: Facade): Record<string, unknown> {
  const { resource, issuer, scopesSupported } = f.settings;
  return {
    resource,
    authorization_servers: [issuer],
    bearer_methods_supported: ['header'],
    resource_name: 'ONLYOFFICE DocSpace',
    ...(scopesSupported.length > 0 ? { scopes_supported: scopesSupported } : {}),
  };
}

export function mountMetadata(app: Hono, f: Facade): void {
  const headers = { 'cache-control': 'public, max-age=3600', 'access-control-allow-origin': '*' };
  const prm = () => Response.json(protectedResourceMetadata(f), { headers });
  const asm = () => Response.json(authorizationServerMetadata(f), { headers });
  const mcpPath = new URL(f.settings.resource).pathname;
  app.get('/.well-known/oauth-protected-resource', prm);
  app.get(`/.well-known/oauth-protected-resource${mcpPath}`, prm);
  app.get('/.well-known/oauth-authorization-server', asm);
  app.get('/.well-known/openid-configuration', asm);
}
