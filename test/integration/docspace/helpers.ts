import { type Emulator, startEmulator } from '../../../emulator/index.js';
import {
  type Credential,
  createDocSpaceClient,
  type DocSpaceClient,
  type DocSpaceClientOptions,
  type DocSpaceError,
} from '../../../src/docspace/index.js';

export type Role = 'owner' | 'admin' | 'roomAdmin' | 'user' | 'guest';

export async function emulator(opts: Parameters<typeof startEmulator>[0] = {}): Promise<Emulator> {
  return startEmulator({ host: '127.0.0.1', port: 0, seed: 'demo', ...opts });
}

export function seedUser(emu: Emulator, role: Role) {
  const u = emu.info.users.find((x) => x.role === role);
  if (!u) throw new Error(`the emulator has no ${role}`);
  return u;
}

/** A client for one seeded user, signed in with their API key unless told otherwise. */
export function clientFor(
  emu: Emulator,
  role: Role,
  extra: Partial<DocSpaceClientOptions> & { credential?: Credential } = {},
): DocSpaceClient {
  const u = seedUser(emu, role);
  return createDocSpaceClient({
    baseUrl: emu.url,
    credential: { kind: 'apiKey', apiKey: u.apiKey },
    timeoutMs: 5_000,
    retry: { attempts: 3, maxDelayMs: 1_500 },
    ...extra,
  });
}

export async function failure(p: Promise<unknown>): Promise<DocSpaceError> {
  try {
    await p;
  } catch (e) {
    return e as DocSpaceError;
  }
  throw new Error('expected the call to fail');
}
