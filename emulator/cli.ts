// `docspace-mcp emulator [flags]`: runs the emulator as its own process until SIGINT/SIGTERM.
import { type EmulatorOptions, startEmulator } from './index.js';

export class EmulatorCliError extends Error {
  readonly code = 'emulator_cli';
  constructor(message: string) {
    super(message);
    this.name = 'EmulatorCliError';
  }
}

export const EMULATOR_USAGE = `Usage: docspace-mcp emulator [options]

Runs a fake ONLYOFFICE DocSpace portal (REST API and OAuth server) in memory.

Options:
  --port N           port to listen on (default 0: any free port)
  --host H           address to bind (default 127.0.0.1)
  --seed demo|empty  seeded content (default demo)
  --files N          add N small text files in a "Load test" room
  --admin            serve /__emulator/faults and /__emulator/reset
  --json             print one JSON line with the URL, users, API keys and OAuth apps
  --help             show this help
`;

interface CliOptions extends EmulatorOptions {
  json: boolean;
  help: boolean;
}

export function parseEmulatorArgs(argv: string[]): CliOptions {
  const out: CliOptions = { json: false, help: false };
  const value = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new EmulatorCliError(`${flag} needs a value`);
    return v;
  };
  const int = (v: string, flag: string, max: number): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0 || n > max)
      throw new EmulatorCliError(`${flag} must be a whole number from 0 to ${max}, got "${v}"`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = (argv[i] as string).split(/=(.*)/s, 2) as [string, string | undefined];
    const take = () => {
      if (inline !== undefined) return inline;
      const v = value(i, flag);
      i++;
      return v;
    };
    switch (flag) {
      case '--port':
        out.port = int(take(), flag, 65535);
        break;
      case '--host':
        out.host = take();
        break;
      case '--files':
        out.files = int(take(), flag, 1_000_000);
        break;
      case '--seed': {
        const v = take();
        if (v !== 'demo' && v !== 'empty')
          throw new EmulatorCliError(`--seed must be "demo" or "empty", got "${v}"`);
        out.seed = v;
        break;
      }
      case '--admin':
        out.admin = true;
        break;
      case '--json':
        out.json = true;
        break;
      case '--help':
      case '-h':
        out.help = true;
        break;
      default:
        throw new EmulatorCliError(`Unknown option "${flag}" (see --help)`);
    }
  }
  return out;
}

/** Starts the emulator, prints how to reach it, and resolves once a signal has closed it. */
export async function runEmulatorCli(argv: string[]): Promise<void> {
  const opts = parseEmulatorArgs(argv);
  if (opts.help) {
    process.stdout.write(EMULATOR_USAGE);
    return;
  }
  const { json, help: _help, ...emulatorOpts } = opts;
  const emu = await startEmulator(emulatorOpts);
  const info = emu.info;
  if (json) {
    process.stdout.write(`${JSON.stringify(info)}\n`);
  } else {
    const lines = [
      `DocSpace emulator listening on ${info.baseUrl}`,
      '',
      'Users (password for all: demo-password):',
      ...info.users.map((u) => `  ${u.role.padEnd(9)} ${u.email.padEnd(24)} API key ${u.apiKey}`),
      '',
      'OAuth apps:',
      ...info.oauthApps.map(
        (a) =>
          `  ${a.isPublic ? 'public      ' : 'confidential'} client_id ${a.clientId}${a.isPublic ? '' : `  secret ${a.clientSecret}`}`,
      ),
      '',
      opts.admin
        ? `Admin routes: ${info.baseUrl}/__emulator/faults, /__emulator/reset`
        : 'Admin routes off (--admin to enable)',
      'Press Ctrl+C to stop.',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      emu.close().then(resolve, resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
