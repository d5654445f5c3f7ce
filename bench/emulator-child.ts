// The emulator as its own process for the bench: prints its info as one JSON line on stdout
// and stops when its stdin closes (so it never outlives the bench) or on SIGTERM.
import { startEmulator } from '../emulator/index.js';

const files = Number(process.env.BENCH_EMULATOR_FILES ?? '600');
const emulator = await startEmulator({ files });
process.stdout.write(`${JSON.stringify(emulator.info)}\n`);
const stop = () => void emulator.close().then(() => process.exit(0));
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.once('SIGTERM', stop);
