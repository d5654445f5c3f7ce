// `GET /filehandler.ashx`: direct downloads (`action=download`) and prepared bulk results (`action=bulk`).
// Binary, not enveloped; authenticated like the API.
import type { Context } from 'hono';
import type { ApiAuth } from '../http/auth.js';
import { errorBody } from '../http/envelope.js';
import { accessOf, canRead } from '../portal/access.js';
import { contentTypeOf, fileBytes } from '../portal/actions.js';
import { messages } from '../portal/errors.js';
import type { World } from '../portal/world.js';

function attachment(c: Context, bytes: Uint8Array, filename: string, contentType: string): Response {
  c.header('Content-Type', contentType);
  c.header('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(filename)}`);
  c.header('Content-Length', String(bytes.length));
  return c.body(bytes as Uint8Array<ArrayBuffer>, 200);
}

export function fileHandler(getWorld: () => World, auth: ApiAuth) {
  return async (c: Context) => {
    const w = getWorld();
    const principal = await auth.resolve(c.req.raw);
    if (!principal) return c.body(null, 401);
    const action = c.req.query('action')?.toLowerCase();
    if (action === 'bulk') {
      const entry = w.downloads.get(c.req.query('filename') ?? '');
      if (!entry || entry.userId !== principal.user.id)
        return c.json(errorBody(messages.fileNotFound, 404), 404);
      return attachment(c, entry.download.bytes, entry.download.filename, entry.download.contentType);
    }
    if (action === 'download') {
      const id = Number(c.req.query('fileid'));
      const file = Number.isInteger(id) ? w.portal.files.get(id) : undefined;
      if (!file) return c.json(errorBody(messages.fileNotFound, 404), 404);
      if (!canRead(accessOf(w.portal, principal.user, file)))
        return c.json(errorBody(messages.accessDenied, 403), 403);
      const version = Number(c.req.query('version') ?? '0');
      const v = version ? file.versions.find((x) => x.version === version) : undefined;
      if (version && !v) return c.json(errorBody(messages.fileNotFound, 404), 404);
      const outputType = c.req.query('outputtype');
      try {
        const { bytes, title } = v
          ? { bytes: v.bytes, title: file.title }
          : fileBytes(file, outputType || undefined);
        w.portal.openedBy(principal.user.id, file.id);
        return attachment(c, bytes, title, contentTypeOf(title));
      } catch (err) {
        return c.json(errorBody((err as Error).message, 400), 400);
      }
    }
    return c.json(errorBody('Invalid action', 400), 400);
  };
}
