import { z } from 'zod';
import type { FolderContentDto } from '../docspace/types.js';
import { entityId, entityOut, fieldsArg, pagingArgs, searchArg } from './schema.js';
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

const folderId = entityId('Folder or room');

/** Which entries a content listing returns (DocSpace ApplyFilterOption / FilterType). */
const showArg = z.enum(['all', 'files', 'folders']).default('all').describe('Entries to list');
const SHOW = { all: undefined, files: 1, folders: 2 } as const;

export const contentOutput = z.object({
  folder: entityOut,
  items: z.array(entityOut),
  total: z.number().int(),
  nextStartIndex: z.number().int().nullable(),
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
      nextStartIndex: page.next,
    },
    text: [
      `${folder.kind} ${folder.id} "${path ?? folder.title}": ${page.text}`,
      ...items.map(entryLine),
    ].join('\n'),
  };
}

const listArgs = { show: showArg, search: searchArg, ...pagingArgs, fields: fieldsArg };

export const foldersTools = [
  defineTool({
    name: 'create_folder',
    toolset: 'folders',
    title: 'Create a folder',
    description: 'Creates a folder inside a folder or room. Returns the new folder.',
    input: z.object({
      parentId: entityId('Parent folder or room'),
      title: z.string().min(1).max(170).describe('Folder name'),
    }),
    output: entityOut,
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
    description: 'Moves a folder and everything in it to the Trash.',
    input: z.object({ folderId }),
    output: z.object({ folderId: z.number() }),
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
    description:
      'Lists the folders and files in a folder or room, one page at a time, optionally filtered by name.',
    input: z.object({ folderId, ...listArgs }),
    output: contentOutput,
    hints: READ,
    async handler(a, ctx) {
      const res = await ctx.client.folders.content(
        a.folderId,
        {
          startIndex: a.startIndex,
          count: a.count,
          search: a.search,
          applyFilterOption: SHOW[a.show],
          fields: contentFields(a.fields),
        },
        ctx.signal,
      );
      return contentResult(res, a, 'get_folder_content');
    },
  }),
  defineTool({
    name: 'get_folder_info',
    toolset: 'folders',
    title: 'Get folder info',
    description: 'Returns a folder’s id, title, parent, file and folder counts and last change.',
    input: z.object({ folderId, fields: fieldsArg }),
    output: entityOut,
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
    description: 'Renames a folder. Returns the updated folder.',
    input: z.object({ folderId, title: z.string().min(1).max(170).describe('New name') }),
    output: entityOut,
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
    description:
      'Lists the person’s private My documents folder (its id is in `folder.id`), one page at a time.',
    input: z.object(listArgs),
    output: contentOutput,
    hints: READ,
    async handler(a, ctx) {
      const res = await ctx.client.folders.my(
        {
          startIndex: a.startIndex,
          count: a.count,
          search: a.search,
          filterType: SHOW[a.show],
          fields: contentFields(a.fields),
        },
        ctx.signal,
      );
      return contentResult(res, a, 'get_my_folder');
    },
  }),
];
