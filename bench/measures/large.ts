import { randomBytes } from 'node:crypto';
import type { BenchContext } from '../lib/context.js';
import { request } from '../lib/http.js';
import { expectOk, HttpMcp } from '../lib/mcp.js';
import { sampleProc, startServerProc, watchProc } from '../lib/procs.js';
import { type MeasureResult, row } from '../lib/report.js';
import { mb, ms } from '../lib/stats.js';

/**
 * A 25 MB file up through `upload_file` (base64 in the JSON-RPC body: the protocol has no
 * other way in) and back down through `resources/read docspace://files/{id}` (what
 * `download_file` links to above the inline limit). Each on a fresh server so its peak RSS
 * (VmHWM) belongs to that one operation.
 */
const SIZE = 25_000_000;
/** The quick mode checks the path works, not how fast: 5 MB is enough for that. */
const QUICK_SIZE = 5_000_000;

export async function measureLargeFiles(
  ctx: BenchContext,
  opts: { size?: number } = {},
): Promise<MeasureResult> {
  const { fx } = ctx;
  const size = opts.size ?? (ctx.quick ? QUICK_SIZE : SIZE);
  const env = { DOCSPACE_BASE_URL: fx.baseUrl, DOCSPACE_API_KEY: fx.apiKey };
  const bytes = randomBytes(size);
  const content = bytes.toString('base64');

  ctx.progress(`large files: uploading ${mb(size)}`);
  let server = await startServerProc(env);
  let fileId: number;
  let upload: { ms: number; peakRss: number; idleRss: number; sampledMax: number };
  try {
    const mcp = new HttpMcp(`${server.url}/mcp`, 'modern');
    expectOk(await mcp.listTools(), 'warm-up');
    const idleRss = sampleProc(server.pid).rss;
    const watch = watchProc(server.pid, 50);
    const t0 = performance.now();
    const r = expectOk(
      await mcp.callTool('upload_file', {
        parentId: fx.roomId,
        filename: `bench-${Date.now()}.bin`,
        content,
        encoding: 'base64',
      }),
      'upload_file 25 MB',
    );
    const took = performance.now() - t0;
    const w = watch.stop();
    fileId = Number((r.structuredContent as { id?: number } | undefined)?.id);
    if (!Number.isInteger(fileId)) throw new Error('upload_file returned no file id');
    upload = { ms: took, peakRss: sampleProc(server.pid).peakRss, idleRss, sampledMax: w.maxRss };
  } finally {
    await server.stop();
  }

  ctx.progress(`large files: downloading ${mb(size)}`);
  server = await startServerProc(env);
  let download: { ms: number; peakRss: number; idleRss: number; sampledMax: number; directMs: number };
  try {
    const mcp = new HttpMcp(`${server.url}/mcp`, 'modern');
    expectOk(await mcp.listTools(), 'warm-up');
    const idleRss = sampleProc(server.pid).rss;
    const watch = watchProc(server.pid, 50);
    const uri = `docspace://files/${fileId}`;
    const t0 = performance.now();
    const r = await mcp.rpc('resources/read', { uri }, uri);
    const took = performance.now() - t0;
    const w = watch.stop();
    if (r.error || !r.result) throw new Error(`resources/read: ${r.error?.message ?? `HTTP ${r.status}`}`);
    const blob = (r.result.contents as { blob?: string }[] | undefined)?.[0]?.blob ?? '';
    if (Buffer.from(blob, 'base64').length !== size)
      throw new Error('resources/read returned a different size than was uploaded');
    const d0 = performance.now();
    const direct = await request(`${fx.baseUrl}/filehandler.ashx?action=download&fileid=${fileId}`, {
      headers: { authorization: `Bearer ${fx.apiKey}`, accept: '*/*' },
    });
    const directMs = performance.now() - d0;
    if (direct.status !== 200 || direct.body.length !== size)
      throw new Error(`direct download: HTTP ${direct.status}, ${direct.body.length} bytes`);
    download = { ms: took, peakRss: sampleProc(server.pid).peakRss, idleRss, sampledMax: w.maxRss, directMs };
  } finally {
    await server.stop();
  }

  return {
    name: 'largeFiles',
    rows: [
      row(
        `Upload ${mb(size)} (upload_file, base64)`,
        '—',
        `${ms(upload.ms)}; server peak RSS ${mb(upload.peakRss)} (idle ${mb(upload.idleRss)})`,
      ),
      row(
        `Download ${mb(size)} (resources/read)`,
        '—',
        `${ms(download.ms)} (emulator direct ${ms(download.directMs)}); server peak RSS ${mb(download.peakRss)} (idle ${mb(download.idleRss)})`,
      ),
    ],
    data: { bytes: size, upload, download },
  };
}
