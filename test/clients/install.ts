/**
 * Installs the pinned clients into a cache outside the project (they are large: ≈ 1.4 GB),
 * keyed by a hash of the versions, and reuses it when it is complete.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { run } from './proc.js';
import { CLIENTS, type ClientPackage } from './versions.js';

export interface Installed {
  dir: string;
  /** Version each package reports in its installed package.json. */
  versions: Record<ClientPackage, string>;
  bin(name: string): string;
  /** Seconds spent installing (0 when the cache was reused). */
  installSeconds: number;
}

export function cacheDir(): string {
  const base = process.env.DOCSPACE_MCP_CLIENTS_CACHE
    ? process.env.DOCSPACE_MCP_CLIENTS_CACHE
    : join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'docspace-mcp-clients');
  const hash = createHash('sha256').update(JSON.stringify(CLIENTS)).digest('hex').slice(0, 12);
  return join(base, hash);
}

export async function installClients(log: (line: string) => void): Promise<Installed> {
  const dir = cacheDir();
  const marker = join(dir, '.complete');
  let installSeconds = 0;
  if (!existsSync(marker)) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'package.json'),
      `${JSON.stringify({ name: 'docspace-mcp-client-suite', private: true, dependencies: CLIENTS }, null, 2)}\n`,
    );
    log(
      `installing ${Object.entries(CLIENTS)
        .map(([n, v]) => `${n}@${v}`)
        .join(' ')} into ${dir}`,
    );
    const started = Date.now();
    const npm = await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
      env: { ...(process.env as Record<string, string>) },
      cwd: dir,
      timeoutMs: 300_000,
    });
    installSeconds = Math.round((Date.now() - started) / 1000);
    if (npm.code !== 0) {
      throw new Error(
        `npm install failed${npm.timedOut ? ' (timed out after 300 s)' : ''}: ${npm.stderr.trim().split('\n').slice(-3).join(' ')}`,
      );
    }
    writeFileSync(marker, new Date().toISOString());
  } else {
    log(`reusing the client install in ${dir}`);
  }
  const versions = {} as Record<ClientPackage, string>;
  for (const name of Object.keys(CLIENTS) as ClientPackage[]) {
    const pkg = JSON.parse(readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8')) as {
      version: string;
    };
    versions[name] = pkg.version;
  }
  return { dir, versions, bin: (name) => join(dir, 'node_modules', '.bin', name), installSeconds };
}
