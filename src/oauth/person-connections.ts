import type { AccessLevel } from './access-level.js';
import type { DocSpaceGrants } from './docspace-grants.js';
import type { GrantRecord, Grants } from './grants.js';
import { TOKEN_REF_PREFIX } from './personal-tokens.js';

/**
 * A person's connections, found through the per-person index (`oauth:person:<user id>`, kept by
 * `docspace-grants.ts`): every DocSpace grant the person has — the operator's app and any app
 * they typed in — and on each the connections (our grants) using it.
 */
export interface PersonConnection {
  gid: string;
  clientId: string;
  /** Epoch ms: the connection lapses then unless refreshed. */
  expiresAt: number;
  /** Key of the DocSpace grant the connection uses. */
  dsg: string;
  /** The level requests check (the DocSpace grant's copy); absent: `write`. */
  access?: AccessLevel;
  grant: GrantRecord;
}

interface Deps {
  docspace: Pick<DocSpaceGrants, 'connectionsOf'>;
  grants: Pick<Grants, 'describe' | 'revokeConnection'>;
}

/** The person's live connections (revoked, lapsed or another person's are left out). */
export async function listConnections(deps: Deps, userId: string): Promise<PersonConnection[]> {
  const found: PersonConnection[] = [];
  for (const ref of await deps.docspace.connectionsOf(userId)) {
    if (ref.gid.startsWith(TOKEN_REF_PREFIX)) continue; // personal tokens are listed on their own
    const grant = await deps.grants.describe(ref.gid);
    if (grant && grant.userId === userId) found.push({ ...ref, grant });
  }
  return found;
}

/**
 * Revokes everything of this person: each connection ends (its tokens stop on their next
 * request) and, with the last one on a DocSpace grant, that grant is revoked at DocSpace too.
 * Returns how many connections were revoked.
 */
export async function revokeAllOf(deps: Deps, userId: string, reason: string): Promise<number> {
  let revoked = 0;
  for (const c of await listConnections(deps, userId))
    if (await deps.grants.revokeConnection(c.gid, userId, reason)) revoked += 1;
  return revoked;
}
