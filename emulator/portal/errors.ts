// Errors the portal raises, mapped to DocSpace's exception → status table (reference/docspace-api.md §1.2).

export type PortalErrorKind = 'notFound' | 'argument' | 'forbidden' | 'unauthenticated' | 'invalidOperation';

const statusOf: Record<PortalErrorKind, number> = {
  notFound: 404,
  argument: 400,
  forbidden: 403,
  unauthenticated: 401,
  invalidOperation: 403,
};

export class PortalError extends Error {
  readonly kind: PortalErrorKind;
  readonly status: number;
  constructor(kind: PortalErrorKind, message: string, status?: number) {
    super(message);
    this.name = 'PortalError';
    this.kind = kind;
    this.status = status ?? statusOf[kind];
  }
}

/** A model-binding failure: DocSpace wraps it in a success-shaped envelope with status 1 (§1.3). */
export class ValidationError extends Error {
  readonly errors: Record<string, string[]>;
  constructor(errors: Record<string, string[]>) {
    super('One or more validation errors occurred.');
    this.name = 'ValidationError';
    this.errors = errors;
  }
}

export const messages = {
  fileNotFound: 'The required file was not found',
  folderNotFound: 'The required folder was not found',
  userNotFound: 'The user could not be found',
  itemNotFound: 'Item not found',
  accessDenied: 'Access denied',
  // FilesCommonResource.resx ErrorMessage_SecurityException_ReadFile (GetFileAsync's InvalidOperationException).
  fileReadDenied: "You don't have enough permission to view the file",
  // ErrorMessage_ManyDownloads: a second bulk download while one runs (FileOperationsManager.cs CheckRunning).
  tooManyDownloads: 'Too many downloads.',
  // System.Security.Authentication.AuthenticationException's default text, thrown by GetFolderAsync
  // for an anonymous caller who may not read the folder (FileStorageService.cs), answered with 401.
  authenticationFailed: 'Authentication failed, see inner exception.',
  folderReadDenied: "You don't have enough permission to view the folder content",
  createDenied: "You don't have enough permission to create",
  authFailed: 'User authentication failed',
  /** FilesCommonResource.ErrorMessage_RoleNotAvailable */
  roleNotAvailable: 'The role is not available for this user type',
} as const;

export const notFoundFile = () => new PortalError('notFound', messages.fileNotFound);
export const notFoundFolder = () => new PortalError('notFound', messages.folderNotFound);
export const notFoundUser = () => new PortalError('notFound', messages.userNotFound);
export const denied = () => new PortalError('forbidden', messages.accessDenied);
export const invalidOp = (message: string) => new PortalError('invalidOperation', message);
export const badArgument = (message: string) => new PortalError('argument', message);
