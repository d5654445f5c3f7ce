/**
 * What every client driver gets: the servers, the person, a fresh home directory per run, and
 * a browser: drive-sign-in (headless Chromium playing the person) behind `$BROWSER`.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Demo } from '../../src/demo.js';
import type { CimdHost } from './cimd-host.js';

const DRIVER = fileURLToPath(new URL('../helpers/drive-sign-in.js', import.meta.url));

export interface Person {
  email: string;
  password: string;
  apiKey: string;
}

export interface Drive {
  ok: boolean;
  steps: string[];
  finalUrl?: string;
  error?: string;
}

export interface Browser {
  env: Record<string, string>;
  /** The driver's report, waited for a little (the client may finish before the browser closes). */
  result(): Promise<Drive | undefined>;
  /** True once the driver has given up (stuck on a page): the client would wait for ever. */
  failed(): boolean;
}

export class Context {
  private readonly browserScript: string;

  constructor(
    readonly root: string,
    readonly bin: (name: string) => string,
    /** The demo with metadata documents on, routed to the local document host. */
    readonly main: Demo,
    /** The demo with `--oauth-cimd false`: clients must register. */
    readonly noCimd: Demo,
    readonly cimd: CimdHost,
    readonly person: Person,
  ) {
    // One executable path: Claude Code runs `$BROWSER` as a program, xdg-open splits it on spaces.
    // The driver leaves the client's session, as a browser would: a client under a pty (`script`)
    // would otherwise take it down on exit before it reports. Bounded by `timeout`.
    this.browserScript = join(root, 'browser.sh');
    writeFileSync(
      this.browserScript,
      `#!/bin/sh\nexec setsid -f timeout 120 '${process.execPath}' '${DRIVER}' "$1" </dev/null >/dev/null 2>&1\n`,
    );
    chmodSync(this.browserScript, 0o755);
  }

  /** A fresh home directory for one client run. */
  home(name: string): string {
    const dir = join(this.root, 'homes', name);
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  /** A clean environment for a client: its own HOME and XDG dirs, no desktop, our browser. */
  env(home: string, extra: Record<string, string> = {}): Record<string, string> {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      XDG_CONFIG_HOME: join(home, '.config'),
      XDG_DATA_HOME: join(home, '.local', 'share'),
      XDG_STATE_HOME: join(home, '.local', 'state'),
      XDG_CACHE_HOME: join(home, '.cache'),
      TERM: 'xterm-256color',
      LANG: 'C.UTF-8',
      NO_UPDATE_NOTIFIER: '1',
      BROWSER: this.browserScript,
      ...extra,
    };
    if (process.env.CHROMIUM_PATH) env.CHROMIUM_PATH = process.env.CHROMIUM_PATH;
    return env;
  }

  /** A browser for one sign-in; its screenshots go to test-artifacts/clients-<name>-*.png. */
  browser(name: string, demo: Demo): Browser {
    const file = join(this.root, `drive-${name}.jsonl`);
    return {
      env: {
        DRIVE_RESULT: file,
        DRIVE_EMAIL: this.person.email,
        DRIVE_PASSWORD: this.person.password,
        DRIVE_SERVER: demo.server.publicBaseUrl,
        DRIVE_PORTAL: demo.emulator.url,
        DRIVE_NAME: `clients-${name}`,
      },
      failed() {
        try {
          return readFileSync(file, 'utf8').includes('"ok":false');
        } catch {
          return false;
        }
      },
      async result() {
        for (let waited = 0; waited < 10_000; waited += 200) {
          try {
            const lines = readFileSync(file, 'utf8').trim().split('\n');
            return JSON.parse(lines.at(-1) ?? '') as Drive;
          } catch {
            await new Promise((r) => setTimeout(r, 200));
          }
        }
        return undefined;
      },
    };
  }
}

/** An API key of the right shape that DocSpace does not know. */
export const WRONG_KEY = `sk-${'0'.repeat(48)}`;

export { freePort } from '../helpers/ports.js';

/** A sign-in's browser part as a reason, when it did not finish. */
export function driveProblem(drive: Drive | undefined): string | undefined {
  if (!drive) return 'the browser was never opened';
  if (!drive.ok) return `browser: ${drive.error ?? 'did not finish'}`;
  return undefined;
}
