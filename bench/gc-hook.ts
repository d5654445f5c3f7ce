// Preloaded into the server only by the bench's memory measurement (`--expose-gc --import`):
// on SIGUSR2 it runs a full GC and writes the heap figures as one stderr line, so growth per
// request is judged on live objects rather than on how lazily V8 hands pages back.
const gc = (globalThis as { gc?: () => void }).gc;
process.on('SIGUSR2', () => {
  gc?.();
  const m = process.memoryUsage();
  process.stderr.write(
    `${JSON.stringify({ benchHeap: { heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers, rss: m.rss } })}\n`,
  );
});
