import { z } from 'zod';
import type { ContentQuery } from '../docspace/params.js';
import type { FolderContentDto } from '../docspace/types.js';
import { keysOf, SHOW, SHOW_NAMES, SORT_ENTRIES } from './filters.js';
import {
  entityId,
  entryOut,
  idOut,
  fieldsArg,
  folderOut,
  nextPage,
  pagingArgs,
  searchArg,
  sortOrderArg,
} from './schema.js';
import {
  contentFields,
  entryLine,
  FOLDER_FIELDS,
  fieldsFor,
  pageText,
  projectFile,
  projectFolder,
} from './shape.js';
import { CREATE, DESTROY, defineTool, READ, UPDATE } from './types.js';

const folderId = entityId();

export const contentOutput = z.object({
  folder: entryOut,
  items: z.array(entryOut),
  total: z.number().int(),
  nextStartIndex: z.number().int().optional(),
});

/** Shapes a FolderContentDto page: folders first, then files, with paging guidance. */
export function contentResult(
  res: FolderContentDto,
  a: { startIndex: number; fields?: string[] },
  tool: string,
): { data: z.output<typeof contentOutput>; text: string } {
  const items = [
    // `?? []`: a trimmed answer may leave out an empty list.
    ...(res.folders ?? []).map((f) => projectFolder(f, a.fields)),
    ...(res.files ?? []).map((f) => projectFile(f, a.fields)),
  ];
  const total = res.total ?? items.length;
  const page = pageText(items.length, a.startIndex, total, tool);
  const folder = projectFolder(res.current);
  const path = res.pathParts?.map((p) => p.title).join(' / ');
  return {
    data: {
      folder: folder,
      items: items,
      total,
      ...nextPage(page.next),
    },
    text: [
      `${folder.kind} ${folder.id} "${path ?? folder.title}": ${page.text}`,
      ...items.map(entryLine),
    ].join('\n'),
  };
}

const listArgs = {
  show: z.enum(SHOW_NAMES).default('all').describe('Entries to list'),
  search: searchArg,
  extension: z.string().optional(),
  authorId: z.string().optional().describe('Creator’s user id'),
  excludeAuthor: z.boolean().optional(),
  sortBy: z.enum(keysOf(SORT_ENTRIES)).optional(),
  sortOrder: sortOrderArg,
  ...pagingArgs,
  fields: fieldsArg,
};

type ListArgs = z.output<z.ZodObject<typeof listArgs>>;

/** The DocSpace query for a folder listing's arguments. */
function listQuery(a: ListArgs): ContentQuery {
  return {
    startIndex: a.startIndex,
    count: a.count,
    search: a.search,
    ...SHOW[a.show],
    extension: a.extension,
    userIdOrGroupId: a.authorId,
    excludeSubject: a.authorId ? a.excludeAuthor : undefined,
    sortBy: a.sortBy && SORT_ENTRIES[a.sortBy],
    sortOrder: a.sortOrder,
    fields: contentFields(a.fields),
  };
}

export const foldersTools = [
  defineTool({
    name: 'create_folder',
    toolset: 'folders',
    title: 'Create a folder',
    description: 'Creates a folder in a folder or room.',
    input: z.object({
      parentId: entityId(),
      title: z.string().min(1).max(170),
    }),
    output: folderOut,
    hints: CREATE,
    async handler(a, ctx) {
      const folder = await ctx.client.folders.create(a.parentId, a.title, { signal: ctx.signal });
      const data = projectFolder(folder);
      return { data: data, text: `Created folder ${folder.id} "${folder.title}" in ${a.parentId}.` };
    },
  }),
  defineTool({
    name: 'delete_folder',
    toolset: 'folders',
    title: 'Delete a folder',
    description: 'Moves a folder with its contents to the Trash.',
    input: z.object({ folderId }),
    output: z.object({ folderId: idOut }),
    hints: DESTROY,
    confirm: (a) => `Move folder ${a.folderId} and everything in it to the Trash?`,
    async handler(a, ctx) {
      await ctx.client.folders.delete(a.folderId, {
        signal: ctx.signal,
        onProgress: (p, m) => void ctx.progress(p, 100, m),
      });
      return { data: { folderId: a.folderId }, text: `Moved folder ${a.folderId} to the Trash.` };
    },
  }),
  defineTool({
    name: 'get_folder_content',
    toolset: 'folders',
    title: 'List a folder',
    description: 'Lists a folder’s or room’s contents, filtered and sorted.',
    input: z.object({ folderId, ...listArgs }),
    output: contentOutput,
    hints: READ,
    async handler(a, ctx) {
      const res = await ctx.client.folders.content(a.folderId, listQuery(a), ctx.signal);
      return contentResult(res, a, 'get_folder_content');
    },
  }),
  defineTool({
    name: 'get_folder_info',
    toolset: 'folders',
    title: 'Get folder info',
    description: 'Returns a folder’s details.',
    input: z.object({ folderId, fields: fieldsArg }),
    output: folderOut,
    hints: READ,
    async handler(a, ctx) {
      const folder = await ctx.client.folders.info(a.folderId, {
        fields: fieldsFor(FOLDER_FIELDS, a.fields),
        signal: ctx.signal,
      });
      const data = projectFolder(folder, a.fields);
      return { data: data, text: entryLine(data).slice(2) };
    },
  }),
  defineTool({
    name: 'rename_folder',
    toolset: 'folders',
    title: 'Rename a folder',
    description: 'Renames a folder.',
    input: z.object({ folderId, title: z.string().min(1).max(170) }),
    output: folderOut,
    hints: UPDATE,
    async handler(a, ctx) {
      const folder = await ctx.client.folders.rename(a.folderId, a.title, { signal: ctx.signal });
      const data = projectFolder(folder);
      return { data: data, text: `Renamed folder ${folder.id} to "${folder.title}".` };
    },
  }),
  defineTool({
    name: 'get_my_folder',
    toolset: 'folders',
    title: 'List My documents',
    description: 'Lists My documents (its id is `folder.id`), filtered and sorted.',
    input: z.object(listArgs),
    output: contentOutput,
    hints: READ,
    async handler(a, ctx) {
      const res = await ctx.client.folders.my(listQuery(a), ctx.signal);
      return contentResult(res, a, 'get_my_folder');
    },
  }),
];
