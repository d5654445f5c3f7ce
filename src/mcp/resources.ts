import {
  type McpServer,
  ProtocolError,
  ProtocolErrorCode,
  ResourceNotFoundError,
  ResourceTemplate,
} from '@modelcontextprotocol/server';
import { DocSpaceError } from '../docspace/errors.js';
import { fileContents, fileUri, MAX_RESOURCE_BYTES, mimeTypeOf } from '../tools/content.js';
import type { CallEnv } from './run-tool.js';

const RECENT_LISTED = 50;

/**
 * DocSpace's sentence instead of a stack, as a JSON-RPC error: a file that is not there is
 * "resource not found" (sent as -32602, as the 2026 spec requires), other failures stay -32603.
 */
async function plainErrors<T>(work: () => Promise<T>, uri?: string): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof DocSpaceError) {
      if (uri && e.code === 'not_found') throw new ResourceNotFoundError(uri, e.message);
      throw new Error(e.message);
    }
    throw e;
  }
}

/**
 * Files as resources: `docspace://files/{id}` reads the original bytes (text for text types,
 * base64 otherwise); download_file links here for files too large to embed. `resources/list`
 * offers the person's recent files, so clients with a resource picker can attach them.
 */
export function registerFileResources(server: McpServer, env: CallEnv): void {
  const template = new ResourceTemplate('docspace://files/{id}', {
    list: (ctx) => {
      if (env.configError) return { resources: [] };
      return plainErrors(async () => {
        const recent = await env.client().files.recent({ count: RECENT_LISTED }, ctx.mcpReq.signal);
        return {
          resources: recent.files.map((f) => ({
            uri: fileUri(f.id),
            name: f.title,
            mimeType: mimeTypeOf(f),
            ...(f.pureContentLength !== undefined ? { size: f.pureContentLength } : {}),
          })),
        };
      });
    },
  });
  server.registerResource(
    'file',
    template,
    { title: 'DocSpace file', description: 'A file’s content by id', mimeType: 'application/octet-stream' },
    (uri, variables, ctx) => {
      if (env.configError) throw new Error(env.configError);
      const id = Number(variables.id);
      if (!Number.isInteger(id) || id <= 0)
        throw new ProtocolError(
          ProtocolErrorCode.InvalidParams,
          `Bad file id in ${uri.href}: expected a positive integer.`,
        );
      return plainErrors(async () => {
        const client = env.client();
        const file = await client.files.info(id, { signal: ctx.mcpReq.signal });
        const mimeType = mimeTypeOf(file);
        const got = await client.files.download(id, {
          maxBytes: MAX_RESOURCE_BYTES,
          signal: ctx.mcpReq.signal,
        });
        // Text is fenced as untrusted, as download_file_as_text does.
        return { contents: [fileContents(uri.href, file, mimeType, got.bytes)] };
      }, uri.href);
    },
  );
}
