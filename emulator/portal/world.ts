// Everything `reset()` throws away at once: the portal plus its running operations, upload
// sessions and prepared downloads.
import type { Download } from './actions.js';
import { FileOps, type OperationTiming } from './fileops.js';
import type { Portal } from './state.js';

export interface UploadSession {
  id: string;
  userId: string;
  folderId: number;
  fileName: string;
  fileSize: number;
  createNewIfExist: boolean;
  chunks: Uint8Array[];
  bytesUploaded: number;
  created: Date;
  expires: Date;
}

export interface World {
  portal: Portal;
  ops: FileOps;
  uploads: Map<string, UploadSession>;
  downloads: Map<string, { userId: string; download: Download }>;
}

export function createWorld(portal: Portal, timing: () => OperationTiming): World {
  return { portal, ops: new FileOps(timing), uploads: new Map(), downloads: new Map() };
}
