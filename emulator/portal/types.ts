// Portal state as the emulator keeps it. Numbers mirror DocSpace's enums (reference/docspace-api.md §3.1).

export type Role = 'owner' | 'admin' | 'roomAdmin' | 'user' | 'guest';

export const FolderType = {
  Default: 0,
  Trash: 3,
  User: 5,
  VirtualRooms: 14,
  FillingFormsRoom: 15,
  EditingRoom: 16,
  CustomRoom: 19,
  Archive: 20,
  PublicRoom: 22,
  VirtualDataRoom: 29,
} as const;

export const RoomType = {
  FillingFormsRoom: 1,
  EditingRoom: 2,
  CustomRoom: 5,
  PublicRoom: 6,
  VirtualDataRoom: 8,
} as const;
export type RoomTypeNumber = (typeof RoomType)[keyof typeof RoomType];

/** Room type → the folder type DocSpace stores for that room. */
export const roomFolderType: Record<RoomTypeNumber, number> = {
  1: FolderType.FillingFormsRoom,
  2: FolderType.EditingRoom,
  5: FolderType.CustomRoom,
  6: FolderType.PublicRoom,
  8: FolderType.VirtualDataRoom,
};

export const Access = {
  None: 0,
  ReadWrite: 1,
  Read: 2,
  Restrict: 3,
  Varies: 4,
  Review: 5,
  Comment: 6,
  FillForms: 7,
  CustomFilter: 8,
  RoomManager: 9,
  Editing: 10,
  ContentCreator: 11,
} as const;

export const accessNames = Object.keys(Access) as (keyof typeof Access)[];

export interface User {
  id: string;
  email: string;
  password: string;
  firstName: string;
  lastName: string;
  role: Role;
  /** EmployeeStatus: 1 Active, 2 Terminated, 4 Pending. */
  status: 1 | 2 | 4;
  /** EmployeeActivationStatus: 0 NotActivated, 1 Activated, 2 Pending. */
  activationStatus: 0 | 1 | 2 | 4;
  created: Date;
  createdBy?: string;
  myFolderId?: number;
  trashFolderId: number;
  cultureName: string;
  /** The anonymous caller of an [AllowAnonymous] route whose credentials did not authenticate. */
  anonymous?: true;
}

export interface ShareLink {
  id: string;
  title: string;
  access: number;
  /** 0 Invitation, 1 External. */
  linkType: 0 | 1;
  primary: boolean;
  internal: boolean;
  denyDownload: boolean;
  password?: string;
  expirationDate?: Date;
  requestToken: string;
  createdBy: string;
}

interface EntryBase {
  id: number;
  title: string;
  createdBy: string;
  modifiedBy: string;
  created: Date;
  updated: Date;
  links: ShareLink[];
  /** Where the entry lived before it went to Trash (for restore and origin* fields). */
  origin?: { folderId: number; roomId?: number };
  favoriteOf: Set<string>;
}

export interface Folder extends EntryBase {
  kind: 'folder';
  parentId: number;
  folderType: number;
  /** Present on rooms only. */
  roomType?: RoomTypeNumber;
  /** Room members: user id → access level (FileShare). The room creator is kept here as RoomManager. */
  members: Map<string, number>;
  tags: string[];
  pinned: boolean;
  indexing: boolean;
  denyDownload: boolean;
  private: boolean;
  color: string;
}

export interface FileVersion {
  version: number;
  bytes: Uint8Array;
  created: Date;
  createdBy: string;
  comment: string;
}

export interface File extends EntryBase {
  kind: 'file';
  folderId: number;
  versions: FileVersion[];
  locked: boolean;
  lockedBy?: string;
}

export type Entry = Folder | File;

export interface ApiKey {
  id: string;
  name: string;
  key: string;
  userId: string;
  permissions: string[];
  created: Date;
  expires?: Date;
}

export interface PersonalToken {
  token: string;
  userId: string;
  expires: Date;
}

/** OAuth apps are the OAuth server's own record; the portal keeps them in its state. */
export type { OAuthApp } from '../oauth/directory.js';
