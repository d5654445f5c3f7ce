/**
 * The examples of the doc comments in `./client.ts` and `./transport.ts`. tsc compiles them
 * with the rest of the code, so an example that no longer matches the API fails the build;
 * they are never run. Each doc comment names its region here.
 */
import { createDocSpaceClient, type DocSpaceClient } from './client.js';
import type { FileDto } from './types.js';

export async function createDocSpaceClientExample(baseUrl: string, apiKey: string, bytes: Uint8Array) {
  //#region createDocSpaceClient
  const ds = createDocSpaceClient({ baseUrl, credential: { kind: 'apiKey', apiKey } });
  const me = await ds.people.self();
  const mine = await ds.folders.my({ count: 20 });
  const file = await ds.files.upload({ folderId: mine.current.id, fileName: 'a.txt', data: bytes });
  //#endregion createDocSpaceClient
  return { me, file };
}

export async function requestExample(client: DocSpaceClient) {
  //#region request
  const file = await client.request<FileDto>('GET', 'files/file/12', { subject: 'file 12' });
  //#endregion request
  return file;
}
