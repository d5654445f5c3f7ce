import { FilesApi } from './files.js';
import { FoldersApi } from './folders.js';
import { OperationsApi } from './operations.js';
import { PeopleApi } from './people.js';
import { RoomsApi } from './rooms.js';
import { Transport, type TransportOptions } from './transport.js';
import { UploadApi, type UploadSettings } from './upload.js';

export interface DocSpaceClientOptions extends TransportOptions {
  upload?: UploadSettings;
}

/**
 * A DocSpace portal as one user sees it. Cheap to create: make one per MCP request with that
 * request's credential. Password sign-ins are cached per process (see auth.ts).
 *
 * @example
 * {@includeCode ./client.examples.ts#createDocSpaceClient}
 * (type-checked: `client.examples.ts`, region `createDocSpaceClient`)
 */
export class DocSpaceClient extends Transport {
  readonly operations: OperationsApi;
  readonly files: FilesApi;
  readonly folders: FoldersApi;
  readonly rooms: RoomsApi;
  readonly people: PeopleApi;

  constructor(opts: DocSpaceClientOptions) {
    super(opts);
    this.operations = new OperationsApi(this);
    this.files = new FilesApi(this, this.operations, new UploadApi(this, opts.upload));
    this.folders = new FoldersApi(this, this.operations);
    this.rooms = new RoomsApi(this, this.operations, this.folders);
    this.people = new PeopleApi(this);
  }
}

export function createDocSpaceClient(opts: DocSpaceClientOptions): DocSpaceClient {
  return new DocSpaceClient(opts);
}
