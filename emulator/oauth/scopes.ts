// DocSpace's OAuth scopes (reference/docspace-api.md §4.3-4.4), in the order its UI lists them.

export interface ScopeInfo {
  name: string;
  group: string;
  type: 'read' | 'write' | 'openid';
  /** What the consent page tells the user. */
  description: string;
}

export const SCOPES: readonly ScopeInfo[] = [
  { name: 'openid', group: 'openid', type: 'openid', description: 'View your personal data' },
  { name: 'accounts.self:read', group: 'profiles', type: 'read', description: 'View your profile' },
  { name: 'accounts.self:write', group: 'profiles', type: 'write', description: 'Manage your profile' },
  { name: 'accounts:read', group: 'accounts', type: 'read', description: 'View profiles and groups' },
  { name: 'accounts:write', group: 'accounts', type: 'write', description: 'Manage profiles and groups' },
  { name: 'files:read', group: 'files', type: 'read', description: 'View all files and folders' },
  { name: 'files:write', group: 'files', type: 'write', description: 'Manage all files and folders' },
  { name: 'rooms:read', group: 'rooms', type: 'read', description: 'View rooms' },
  { name: 'rooms:write', group: 'rooms', type: 'write', description: 'Manage rooms' },
];

export const SCOPE_NAMES: readonly string[] = SCOPES.map((s) => s.name);

/**
 * Splits a `scope` parameter the way Spring does: on single spaces, keeping empty entries, so
 * " files:read" asks for an (unknown) empty scope and is refused like any other unknown scope.
 */
export function splitScope(scope: string): string[] {
  return [...new Set(scope.split(' '))];
}

export function describeScope(name: string): string {
  return SCOPES.find((s) => s.name === name)?.description ?? name;
}
