// Deterministic demo portal: one user per role, rooms of every type, nested folders, real office files.
// Same ids, keys and content on every run, so tests and docs can name them.
import { createHash } from 'node:crypto';
import { createOfficeFile, type OfficeExtension } from '../office/index.js';
import { type Doc, folderFiles, people, personalFiles, roomFiles } from './seed-data.js';
import { Portal, stableGuid } from './state.js';
import {
  Access,
  type Folder,
  type OAuthApp,
  type Role,
  RoomType,
  type RoomTypeNumber,
  type User,
} from './types.js';

export const DEMO_PASSWORD = 'demo-password';
const SEED_EPOCH = Date.UTC(2026, 0, 5, 9, 0, 0);

export interface SeedUser {
  id: string;
  email: string;
  password: string;
  apiKey: string;
  role: Role;
}

export interface SeedOAuthApp {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  /** A public client: PKCE with no client secret (DocSpace `allow_pkce`). */
  isPublic: boolean;
}

export interface SeedInfo {
  users: SeedUser[];
  oauthApps: SeedOAuthApp[];
}

export const ALL_SCOPES = [
  'accounts.self:read',
  'accounts.self:write',
  'accounts:read',
  'accounts:write',
  'files:read',
  'files:write',
  'rooms:read',
  'rooms:write',
  'openid',
];

function demoKey(email: string): string {
  return `sk-${createHash('sha256').update(`docspace-emulator-api-key:${email}`).digest('hex')}`;
}

function secret(seed: string): string {
  return createHash('sha256').update(`docspace-emulator-secret:${seed}`).digest('base64url').slice(0, 36);
}

function addDocs(portal: Portal, folder: Folder, docs: Doc[], by: string) {
  for (const [title, content] of docs) {
    const ext = title.slice(title.lastIndexOf('.') + 1) as OfficeExtension;
    portal.addFile({ folderId: folder.id, title, bytes: createOfficeFile(ext, content), createdBy: by });
  }
}

function seedApps(portal: Portal, owner: User): SeedOAuthApp[] {
  const redirectUris = [
    'http://127.0.0.1/oauth/callback',
    'http://127.0.0.1:8080/oauth/callback',
    'http://localhost:8080/oauth/callback',
  ];
  const apps: [string, boolean][] = [
    ['Demo MCP server', false],
    ['Demo public client', true],
  ];
  return apps.map(([name, pkce]) => {
    const app: OAuthApp = {
      clientId: stableGuid(`oauth-app:${name}`),
      clientSecret: secret(name),
      name,
      description: pkce ? 'Public client using PKCE, no secret.' : 'Confidential client for the MCP server.',
      redirectUris,
      allowedOrigins: ['http://127.0.0.1:8080', 'http://localhost:8080'],
      logoutRedirectUri: 'http://127.0.0.1:8080/',
      scopes: [...ALL_SCOPES],
      allowPkce: pkce,
      isPublic: true,
      enabled: true,
      websiteUrl: 'http://127.0.0.1:8080/',
      termsUrl: 'http://127.0.0.1:8080/terms',
      policyUrl: 'http://127.0.0.1:8080/privacy',
      logo: 'data:image/png;base64,iVBORw0KGgo=',
      createdBy: owner.id,
      created: portal.now(),
    };
    portal.oauthApps.set(app.clientId, app);
    return { clientId: app.clientId, clientSecret: app.clientSecret, redirectUris, isPublic: pkce };
  });
}

function room(
  portal: Portal,
  title: string,
  type: RoomTypeNumber,
  by: User,
  members: [User, number][],
): Folder {
  const r = portal.addFolder({ parentId: portal.roomsRootId, title, createdBy: by.id, roomType: type });
  for (const [u, a] of members) r.members.set(u.id, a);
  return r;
}

/** Fills the portal. `demo` adds rooms and files; `files` adds that many small text files for load tests. */
export function seedPortal(portal: Portal, opts: { seed: 'demo' | 'empty'; files?: number }): SeedInfo {
  const realClock = portal.now;
  let tick = 0;
  portal.now = () => new Date(SEED_EPOCH + 60_000 * tick++);
  try {
    const users = people.map((p) =>
      portal.addUser({
        email: p.email,
        password: DEMO_PASSWORD,
        firstName: p.first,
        lastName: p.last,
        role: p.role,
      }),
    );
    const [owner, admin, roomAdmin, user, guest] = users as [User, User, User, User, User];
    for (const u of users) portal.addApiKey(u.id, 'Demo key', [], demoKey(u.email));
    // People that cannot sign in, so filters by status have something to find.
    portal.addUser({
      email: 'pending@example.com',
      password: '',
      firstName: 'Pat',
      lastName: 'Pending',
      role: 'user',
      activationStatus: 2,
    });
    portal.addUser({
      email: 'former@example.com',
      password: DEMO_PASSWORD,
      firstName: 'Fay',
      lastName: 'Former',
      role: 'user',
      status: 2,
    });

    const oauthApps = seedApps(portal, owner);

    if (opts.seed === 'demo') {
      const { RoomManager, ContentCreator, Editing, FillForms, Read, Comment } = Access;
      const rooms: Record<string, Folder> = {
        Forms: room(portal, 'Forms', RoomType.FillingFormsRoom, owner, [
          [user, FillForms],
          [roomAdmin, RoomManager],
        ]),
        'Team collaboration': room(portal, 'Team collaboration', RoomType.EditingRoom, roomAdmin, [
          [user, Editing],
          [guest, Read],
        ]),
        Projects: room(portal, 'Projects', RoomType.CustomRoom, owner, [
          [user, ContentCreator],
          [roomAdmin, RoomManager],
          [guest, Comment],
        ]),
        'Public docs': room(portal, 'Public docs', RoomType.PublicRoom, admin, [[user, ContentCreator]]),
        'Due diligence': room(portal, 'Due diligence', RoomType.VirtualDataRoom, owner, [
          [roomAdmin, RoomManager],
          [user, Read],
        ]),
        'Old project': room(portal, 'Old project', RoomType.CustomRoom, owner, [[user, Read]]),
      };
      const pub = rooms['Public docs'] as Folder;
      pub.links.push(
        portal.newLink(admin.id, { access: Read, linkType: 1, primary: true, title: 'Shared link' }),
      );
      (rooms.Projects as Folder).tags = ['planning', '2026'];
      for (const [name, r] of Object.entries(rooms)) addDocs(portal, r, roomFiles[name] ?? [], r.createdBy);
      const specs = portal.addFolder({
        parentId: (rooms.Projects as Folder).id,
        title: 'Specs',
        createdBy: owner.id,
      });
      const drafts = portal.addFolder({ parentId: specs.id, title: 'Drafts', createdBy: user.id });
      addDocs(portal, specs, folderFiles.Specs ?? [], owner.id);
      addDocs(portal, drafts, folderFiles.Drafts ?? [], user.id);
      portal.reparent(rooms['Old project'] as Folder, portal.archiveId);
      for (const u of users) {
        if (u.myFolderId === undefined) continue;
        addDocs(portal, portal.folder(u.myFolderId), personalFiles[u.email] ?? [], u.id);
      }
      const mine = portal.addFolder({
        parentId: user.myFolderId as number,
        title: 'Personal',
        createdBy: user.id,
      });
      const notes = portal.addFolder({ parentId: mine.id, title: 'Notes', createdBy: user.id });
      addDocs(
        portal,
        notes,
        [['Diary.md', { title: 'Diary', paragraphs: ['Dear diary, the emulator works.'] }]],
        user.id,
      );
      const report = portal.childFiles(user.myFolderId as number).find((f) => f.title === 'Report.docx');
      if (report) {
        const v2 = createOfficeFile('docx', {
          title: 'Report',
          paragraphs: ['Quarterly report, second draft.', 'Sales grew 14 percent.'],
        });
        report.versions.push({
          version: 2,
          bytes: v2,
          created: portal.now(),
          createdBy: user.id,
          comment: 'Edited',
        });
      }
    }

    if (opts.files && opts.files > 0) seedBulk(portal, owner, opts.files);

    return {
      users: users.map((u) => ({
        id: u.id,
        email: u.email,
        password: DEMO_PASSWORD,
        apiKey: demoKey(u.email),
        role: u.role,
      })),
      oauthApps,
    };
  } finally {
    portal.now = realClock;
  }
}

/** `count` small text files in a "Load test" room, 500 per folder, for benchmarks. */
function seedBulk(portal: Portal, owner: User, count: number) {
  const r = room(portal, 'Load test', RoomType.CustomRoom, owner, []);
  let folder: Folder = r;
  for (let i = 0; i < count; i++) {
    if (i % 500 === 0)
      folder = portal.addFolder({ parentId: r.id, title: `Batch ${i / 500 + 1}`, createdBy: owner.id });
    const text = `Load test file ${i + 1}\nLorem ipsum dolor sit amet, file number ${i + 1}.\n`;
    portal.addFile({
      folderId: folder.id,
      title: `file-${String(i + 1).padStart(5, '0')}.txt`,
      bytes: new TextEncoder().encode(text),
      createdBy: owner.id,
    });
  }
}

export function createSeededPortal(baseUrl: string, opts: { seed: 'demo' | 'empty'; files?: number }) {
  const portal = new Portal(baseUrl);
  const info = seedPortal(portal, opts);
  return { portal, info };
}
