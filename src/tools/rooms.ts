import { z } from 'zod';
import { DocSpaceError } from '../docspace/errors.js';
import { accessLevelsFor, ROOM_TYPES } from '../docspace/rooms.js';
import { keysOf, MEMBER_FILTER, SEARCH_AREA, SORT_ROOMS } from './filters.js';
import { contentOutput, contentResult } from './folders.js';
import {
  entityId,
  idOut,
  entryOut,
  fieldsArg,
  folderOut,
  listOutput,
  nextPage,
  pagingArgs,
  searchArg,
  shareOut,
  sortOrderArg,
} from './schema.js';
import {
  ACCESS_IDS,
  accessName,
  contentFields,
  entryLine,
  FOLDER_FIELDS,
  fieldsFor,
  pageText,
  projectFolder,
  projectShare,
  ROOM_TYPE_IDS,
} from './shape.js';
import { CREATE, DESTROY, defineTool, READ, type ToolContext, ToolInputError, UPDATE } from './types.js';

const roomId = entityId();
const roomTypeArg = z.enum(
  Object.keys(ROOM_TYPE_IDS) as [keyof typeof ROOM_TYPE_IDS, ...(keyof typeof ROOM_TYPE_IDS)[]],
);
const inviteAccess = z.enum([
  'viewer',
  'reviewer',
  'commenter',
  'form_filler',
  'editor',
  'content_creator',
  'room_manager',
  'none',
]);

const levelOut = z.object({ access: z.string(), title: z.string() });

export const roomsTools = [
  defineTool({
    name: 'create_room',
    toolset: 'rooms',
    title: 'Create a room',
    description: 'Creates a room of a type get_room_types lists.',
    input: z.object({
      title: z.string().min(1).max(170),
      roomType: roomTypeArg.default('custom'),
    }),
    output: folderOut,
    hints: CREATE,
    async handler(a, ctx) {
      const room = await ctx.client.rooms.create(
        { title: a.title, roomType: ROOM_TYPE_IDS[a.roomType] },
        { signal: ctx.signal },
      );
      const data = projectFolder(room);
      return { data: data, text: `Created ${a.roomType} room ${room.id} "${room.title}".` };
    },
  }),
  defineTool({
    name: 'get_room_info',
    toolset: 'rooms',
    title: 'Get room info',
    description: 'Returns a room’s details.',
    input: z.object({ roomId, fields: fieldsArg }),
    output: folderOut,
    hints: READ,
    async handler(a, ctx) {
      const room = await ctx.client.rooms.info(a.roomId, {
        fields: fieldsFor(FOLDER_FIELDS, a.fields),
        signal: ctx.signal,
      });
      const data = projectFolder(room, a.fields);
      return { data: data, text: entryLine(data).slice(2) };
    },
  }),
  defineTool({
    name: 'update_room',
    toolset: 'rooms',
    title: 'Update a room',
    description: 'Renames a room and/or replaces its tags.',
    input: z.object({
      roomId,
      title: z.string().min(1).max(170).optional(),
      tags: z.array(z.string()).optional().describe('Replaces the current ones'),
    }),
    output: folderOut,
    hints: UPDATE,
    async handler(a, ctx) {
      if (a.title === undefined && a.tags === undefined) {
        throw new ToolInputError('nothing_to_change', 'Give `title` and/or `tags` to change.');
      }
      const room = await ctx.client.rooms.update(
        a.roomId,
        { title: a.title, tags: a.tags },
        { signal: ctx.signal },
      );
      const data = projectFolder(room, ['tags']);
      return { data: data, text: `Updated room ${room.id} "${room.title}".` };
    },
  }),
  defineTool({
    name: 'archive_room',
    toolset: 'rooms',
    title: 'Archive a room',
    description: 'Moves a room to the Archive, read-only for its members.',
    input: z.object({ roomId }),
    output: z.object({ roomId: idOut, archived: z.boolean() }),
    hints: DESTROY,
    confirm: (a) => `Archive room ${a.roomId}? Its members will only be able to read it.`,
    async handler(a, ctx) {
      await ctx.client.rooms.archive(a.roomId, {
        signal: ctx.signal,
        onProgress: (p, m) => void ctx.progress(p, 100, m),
      });
      return { data: { roomId: a.roomId, archived: true }, text: `Archived room ${a.roomId}.` };
    },
  }),
  defineTool({
    name: 'unarchive_room',
    toolset: 'rooms',
    title: 'Unarchive a room',
    description: 'Moves a room from the Archive back to Rooms.',
    input: z.object({ roomId }),
    output: z.object({ roomId: idOut, archived: z.boolean() }),
    hints: UPDATE,
    async handler(a, ctx) {
      await ctx.client.rooms.unarchive(a.roomId, {
        signal: ctx.signal,
        onProgress: (p, m) => void ctx.progress(p, 100, m),
      });
      return {
        data: { roomId: a.roomId, archived: false },
        text: `Restored room ${a.roomId} from the Archive.`,
      };
    },
  }),
  defineTool({
    name: 'set_room_security',
    toolset: 'rooms',
    title: 'Manage room members',
    description: 'Invites people to a room (id or email), changes their access or removes them (none).',
    input: z.object({
      roomId,
      invitations: z
        .array(
          z.object({
            id: z.string().optional(),
            email: z.string().email().optional(),
            access: inviteAccess,
          }),
        )
        .min(1),
      notify: z.boolean().default(false),
      message: z.string().max(500).optional(),
      culture: z.string().optional().describe('e.g. en-US'),
    }),
    output: z.object({ members: z.array(shareOut), warning: z.string().optional() }),
    hints: { ...DESTROY, openWorldHint: true },
    confirm: (a) => {
      const removed = a.invitations.filter((i) => i.access === 'none').length;
      return removed > 0 ? `Remove ${removed} member(s) from room ${a.roomId}?` : undefined;
    },
    async handler(a, ctx) {
      const missing = a.invitations.findIndex((i) => !i.id && !i.email);
      if (missing >= 0)
        throw new ToolInputError(
          'no_subject',
          `\`invitations.${missing}\`: give the person's \`id\` or \`email\`.`,
        );
      const res = await ctx.client.rooms
        .setSecurity(
          a.roomId,
          {
            invitations: a.invitations.map((i) => ({
              id: i.id,
              email: i.email,
              access: ACCESS_IDS[i.access],
            })),
            notify: a.notify,
            message: a.message,
            culture: a.culture,
          },
          { signal: ctx.signal },
        )
        .catch(async (e: unknown) => {
          throw isRoleNotAvailable(e) ? await roleNotAvailable(e, a, ctx) : e;
        });
      const members = (res.members ?? []).map(projectShare);
      const warning = res.warning || undefined;
      return {
        data: { members, ...(warning ? { warning } : {}) },
        text: [
          `Updated access to room ${a.roomId}:`,
          ...members.map(entryLine),
          ...(warning ? [`Warning: ${warning}`] : []),
        ].join('\n'),
      };
    },
  }),
  defineTool({
    name: 'get_room_security_info',
    toolset: 'rooms',
    title: 'List room members',
    description: 'Lists a room’s people, groups and links with their access.',
    input: z.object({
      roomId,
      show: z.enum(keysOf(MEMBER_FILTER)).default('all'),
      search: searchArg,
      ...pagingArgs,
    }),
    output: listOutput(entryOut),
    hints: READ,
    async handler(a, ctx) {
      const filterType = MEMBER_FILTER[a.show];
      const page = await ctx.client.rooms.security(
        a.roomId,
        { filterType, search: a.search, startIndex: a.startIndex, count: a.count },
        ctx.signal,
      );
      const items = page.items.map(projectShare);
      const paging = pageText(items.length, a.startIndex, page.total, 'get_room_security_info');
      return {
        data: { items, total: page.total, ...nextPage(paging.next) },
        text: [`Room ${a.roomId} access: ${paging.text}`, ...items.map(entryLine)].join('\n'),
      };
    },
  }),
  defineTool({
    name: 'get_rooms_folder',
    toolset: 'rooms',
    title: 'List rooms',
    description: 'Lists the rooms the person can see, filtered and sorted.',
    input: z.object({
      search: searchArg,
      roomType: z.array(roomTypeArg).optional(),
      searchArea: z.enum(keysOf(SEARCH_AREA)).default('active'),
      subjectId: z.string().optional().describe('Rooms this user is in'),
      tags: z.array(z.string()).optional(),
      withoutTags: z.boolean().optional(),
      sortBy: z.enum(keysOf(SORT_ROOMS)).optional(),
      sortOrder: sortOrderArg,
      ...pagingArgs,
      fields: fieldsArg,
    }),
    output: contentOutput,
    hints: READ,
    async handler(a, ctx) {
      const res = await ctx.client.folders.rooms(
        {
          search: a.search,
          type: a.roomType?.map((t) => ROOM_TYPE_IDS[t]),
          searchArea: SEARCH_AREA[a.searchArea],
          subjectId: a.subjectId,
          tags: a.tags,
          withoutTags: a.withoutTags,
          sortBy: a.sortBy && SORT_ROOMS[a.sortBy],
          sortOrder: a.sortOrder,
          startIndex: a.startIndex,
          count: a.count,
          fields: contentFields(a.fields),
        },
        ctx.signal,
      );
      return contentResult(res, a, 'get_rooms_folder');
    },
  }),
  defineTool({
    name: 'get_room_types',
    toolset: 'rooms',
    title: 'List room types',
    description: 'Lists the room types create_room accepts.',
    input: z.object({}),
    output: z.object({
      types: z.array(z.object({ roomType: z.string(), title: z.string(), description: z.string() })),
    }),
    hints: READ,
    async handler() {
      const types = Object.entries(ROOM_TYPE_IDS).map(([name, id]) => {
        const info = ROOM_TYPES.find((t) => t.roomType === id);
        return { roomType: name, title: info?.title ?? name, description: info?.description ?? '' };
      });
      return {
        data: { types },
        text: types.map((t) => `- ${t.roomType}: ${t.title}. ${t.description}`).join('\n'),
      };
    },
  }),
  defineTool({
    name: 'get_room_access_levels',
    toolset: 'rooms',
    title: 'List room access levels',
    description: 'Lists the access levels set_room_security can give in a room.',
    input: z.object({ roomId }),
    output: z.object({ roomType: z.string().optional(), levels: z.array(levelOut) }),
    hints: READ,
    async handler(a, ctx) {
      const room = await ctx.client.rooms.info(a.roomId, { signal: ctx.signal });
      const levels = accessLevelsFor(room.roomType).map((l) => ({
        access: accessName(l.access) ?? String(l.access),
        title: l.title,
      }));
      const type = projectFolder(room).roomType as string | undefined;
      return {
        data: { ...(type ? { roomType: type } : {}), levels },
        text: [
          `Room ${a.roomId}${type ? ` (${type})` : ''} allows:`,
          ...levels.map((l) => `- ${l.access}: ${l.title}`),
        ].join('\n'),
      };
    },
  }),
];

/** DocSpace refuses a level the room type (or the person's account type) does not allow with this. */
function isRoleNotAvailable(e: unknown): e is DocSpaceError {
  return (
    e instanceof DocSpaceError &&
    e.code === 'forbidden' &&
    /role is not available/i.test(e.docspaceMessage ?? '')
  );
}

/** The refusal, reworded: which level, which room type, and which levels it allows. */
async function roleNotAvailable(
  e: DocSpaceError,
  a: { roomId: number | string; invitations: { access: string }[] },
  ctx: ToolContext,
): Promise<Error> {
  const room = await ctx.client.rooms
    .info(a.roomId, { fields: ['id', 'roomType'], signal: ctx.signal })
    .catch(() => undefined);
  const type = projectFolder(room ?? { id: a.roomId, title: '' }).roomType as string | undefined;
  const allowed = accessLevelsFor(room?.roomType)
    .map((l) => accessName(l.access))
    .filter((n) => n !== 'none');
  const asked = [...new Set(a.invitations.map((i) => i.access).filter((x) => x !== 'none'))].join(', ');
  return new ToolInputError(
    'role_not_available',
    `DocSpace refused the access level (${asked}): it is not available ${type ? `in a ${type} room` : 'in this room'}, or not for that person's account type (guests cannot be room managers). ${type ? `A ${type} room allows: ${allowed.join(', ')}.` : ''}`.trim(),
  );
}
