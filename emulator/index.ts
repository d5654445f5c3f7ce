// A DocSpace portal in one process, for tests, benchmarks and the demo.
//
// @example
//   const emu = await startEmulator();
//   const owner = emu.info.users.find((u) => u.role === 'owner');
//   await fetch(`${emu.url}/api/2.0/people/@self`, { headers: { Authorization: `Bearer ${owner.apiKey}` } });
//   await emu.close();
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp, type FetchHandler } from './app.js';
import { FaultController, type FaultOptions } from './faults.js';
import { ApiAuth, type OAuthVerifier } from './http/auth.js';
import { createOAuthPlugin } from './oauth-plugin.js';
import { createDirectory, type PortalDirectory } from './portal/directory.js';
import { createSeededPortal, type SeedInfo } from './portal/seed.js';
import { createWorld, type World } from './portal/world.js';

export type { FaultOptions } from './faults.js';
export type { PortalDirectory } from './portal/directory.js';

export interface EmulatorOptions {
  port?: number;
  host?: string;
  seed?: 'demo' | 'empty';
  /** Extra small text files for load tests, in a "Load test" room. */
  files?: number;
  faults?: FaultOptions;
  /** Serve `/__emulator/*` (faults, reset). Off by default. */
  admin?: boolean;
  /** The origin the portal calls itself in links and tokens, when it sits behind a proxy. */
  publicUrl?: string;
}

export interface EmulatorInfo extends SeedInfo {
  baseUrl: string;
}

export interface Emulator {
  /** Where it listens, `http://127.0.0.1:PORT`. Links in responses use `info.baseUrl` (= `publicUrl` when set). */
  url: string;
  info: EmulatorInfo;
  close(): Promise<void>;
  setFaults(f: FaultOptions): void;
  /** Successful OAuth token requests so far, by grant type (`refresh_token`: renewals). */
  oauthGrantsIssued(): Record<string, number>;
  /** Back to the freshly seeded portal and the faults given at start. */
  reset(): void;
}

/** What an OAuth server plugged into the emulator provides. */
export interface OAuthPlugin {
  app: FetchHandler;
  /** Request paths the plugin answers instead of the portal. */
  paths: RegExp;
  verifyOAuthAccessToken: OAuthVerifier;
  /** Successful OAuth token requests by grant type. */
  grantsIssued(): Record<string, number>;
  reset(): void;
}

/** Builds the OAuth server for a portal (see `emulator/oauth-plugin.ts`). */
export type OAuthFactory = (deps: { directory: PortalDirectory; faults: FaultController }) => OAuthPlugin;

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const host = opts.host ?? '127.0.0.1';
  const seedOpts = { seed: opts.seed ?? 'demo', files: opts.files } as const;
  const faults = new FaultController(opts.faults);
  const timing = () => ({
    delayMs: faults.current.slowOperationsMs ?? 20,
    failWith: faults.current.failOperations,
  });
  let baseUrl = opts.publicUrl?.replace(/\/+$/, '') ?? `http://${formatHost(host)}:0`;
  let { portal, info } = createSeededPortal(baseUrl, seedOpts);
  let world: World = createWorld(portal, timing);
  const auth = new ApiAuth(() => world.portal, faults);
  const directory = createDirectory(() => world.portal);
  const oauth = createOAuthPlugin({ directory, faults });
  auth.setOAuthVerifier(oauth.verifyOAuthAccessToken);
  const reset = () => {
    world.ops.clear();
    oauth.reset();
    ({ portal, info } = createSeededPortal(baseUrl, seedOpts));
    world = createWorld(portal, timing);
    faults.set(opts.faults ?? {});
  };
  const app = createApp({ world: () => world, auth, faults, admin: opts.admin ?? false, reset, oauth });

  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: opts.port ?? 0, hostname: host }, () => resolve(s));
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const listening = `http://${formatHost(host)}:${port}`;
  if (!opts.publicUrl) {
    baseUrl = listening;
    world.portal.baseUrl = baseUrl;
  }
  const emulator: Emulator = {
    url: listening,
    get info(): EmulatorInfo {
      return { baseUrl, users: info.users, oauthApps: info.oauthApps };
    },
    setFaults: (f) => faults.set(f),
    oauthGrantsIssued: () => oauth.grantsIssued(),
    reset,
    close: () =>
      new Promise<void>((resolve) => {
        world.ops.clear();
        const s = server as unknown as { closeAllConnections?: () => void; close(cb: () => void): void };
        s.close(() => resolve());
        s.closeAllConnections?.();
      }),
  };
  return emulator;
}
