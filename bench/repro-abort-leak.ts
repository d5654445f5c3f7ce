// `node --expose-gc dist/bench/repro-abort-leak.js`: shows that on this Node version a
// composite (AbortSignal.any) or timeout signal with an 'abort' listener stays in memory,
// with what its listener reaches, until it aborts — the leak behind docs/performance.md §1.
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  process.stderr.write('run with --expose-gc\n');
  process.exit(2);
}

type Mode = 'none' | 'listener' | 'listener-removed' | 'timeout-listener';

async function retainedPerIteration(mode: Mode, n = 20_000): Promise<number> {
  gc?.();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < n; i++) {
    const signal = AbortSignal.any([new AbortController().signal, new AbortController().signal]);
    const payload = new Array(100).fill(i);
    const listener = () => payload.length;
    if (mode === 'listener' || mode === 'listener-removed')
      signal.addEventListener('abort', listener, { once: true });
    if (mode === 'listener-removed') signal.removeEventListener('abort', listener);
    if (mode === 'timeout-listener')
      AbortSignal.timeout(300_000).addEventListener('abort', listener, { once: true });
  }
  await new Promise((r) => setTimeout(r, 50));
  gc?.();
  return Math.round((process.memoryUsage().heapUsed - before) / n);
}

for (const mode of ['none', 'listener', 'listener-removed', 'timeout-listener'] as Mode[]) {
  process.stdout.write(
    `${mode.padEnd(18)} ${await retainedPerIteration(mode)} B retained per signal (Node ${process.version})\n`,
  );
}
process.exit(0);
