import { type McpServer, ResourceTemplate } from '@modelcontextprotocol/server';
import { DocSpaceError } from '../docspace/errors.js';
import { isTextMime, MAX_RESOURCE_BYTES, mimeTypeOf } from '../tools/content.js';
import type { CallEnv } from './run-tool.js';

const TEMPLATE = new ResourceTemplate('docspace://files/{id}', { list: undefined });

/**
 * Files as resources: `docspace://files/{id}` reads the original bytes (text for text types,
 * base64 otherwise). download_file links here for files too large to embed.
 */
export function registerFileResources(server: McpServer, env: CallEnv): void {
  server.registerResource(
    'file',
    TEMPLATE,
    { title: 'DocSpace file', description: 'A file’s content by id', mimeType: 'application/octet-stream' },
    async (uri, variables, ctx) => {
      if (env.configError) throw new Error(env.configError);
      const id = Number(variables.id);
      if (!Number.isInteger(id) || id <= 0)
        throw new Error(`Bad file id in ${uri.href}: expected a positive integer.`);
      const client = env.client();
      try {
        const file = await client.files.info(id, { signal: ctx.mcpReq.signal });
        const mimeType = mimeTypeOf(file);
        const got = await client.files.download(id, {
          maxBytes: MAX_RESOURCE_BYTES,
          signal: ctx.mcpReq.signal,
        });
        const contents = isTextMime(mimeType)
          ? { uri: uri.href, mimeType, text: new TextDecoder().decode(got.bytes) }
          : { uri: uri.href, mimeType, blob: Buffer.from(got.bytes).toString('base64') };
        return { contents: [contents] };
      } catch (e) {
        // A JSON-RPC error with DocSpace's actionable sentence, not a stack.
        if (e instanceof DocSpaceError) throw new Error(e.message);
        throw e;
      }
    },
  );
}
