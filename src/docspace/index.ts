/**
 * The DocSpace REST client: the only way the rest of docspace-mcp talks to a portal.
 * Nothing here knows about tools, MCP or HTTP servers.
 */

export { clearTokenCache } from './auth.js';
export { createDocSpaceClient, DocSpaceClient, type DocSpaceClientOptions } from './client.js';
export type { Credential, CredentialKind } from './credential.js';
export type { DownloadedFile, DownloadOptions, FileText, TextOptions } from './download.js';
export { DocSpaceError, type DocSpaceErrorCode, isDocSpaceError } from './errors.js';
export type { BatchItems, FileLinkRequest, FilesApi, SearchQuery, TransferRequest } from './files.js';
export type { DeleteOptions, FoldersApi, RoomsQuery } from './folders.js';
export type { OperationOptions, OperationsApi, ProgressCallback, WaitOptions } from './operations.js';
export type { ContentQuery, ListQuery, ReadOptions, SortOrder, WriteOptions } from './params.js';
export type { PeopleApi, PeopleQuery } from './people.js';
export type {
  AccessLevelInfo,
  CreateRoomRequest,
  RoomInvitation,
  RoomLinkRequest,
  RoomSecurityQuery,
  RoomsApi,
  RoomTypeInfo,
  SetRoomSecurityRequest,
  UpdateRoomRequest,
} from './rooms.js';
export { accessLevelsFor, ROOM_TYPES } from './rooms.js';
export {
  type ApiResult,
  type Clock,
  type Query,
  type RequestOptions,
  type RetryOptions,
  systemClock,
  type TransportOptions,
} from './transport.js';
export type * from './types.js';
export type { UploadData, UploadRequest, UploadSettings } from './upload.js';
