import { z } from 'zod';
import { anyId, shareOut } from './schema.js';
import { ACCESS_IDS, entryLine, projectShare } from './shape.js';
import { CREATE, defineTool, READ, ToolInputError } from './types.js';

const target = {
  fileId: anyId.optional(),
  roomId: anyId.optional(),
};

function pickTarget(a: { fileId?: number | string; roomId?: number | string }): {
  kind: 'file' | 'room';
  id: number | string;
} {
  if ((a.fileId === undefined) === (a.roomId === undefined)) {
    throw new ToolInputError('bad_target', 'Give exactly one of `fileId` or `roomId`.');
  }
  return a.fileId !== undefined
    ? { kind: 'file', id: a.fileId }
    : { kind: 'room', id: a.roomId as number | string };
}

export const sharingTools = [
  defineTool({
    name: 'get_share_links',
    toolset: 'files',
    title: 'List share links',
    description: 'Lists the external links of a file or room (give fileId or roomId).',
    input: z.object(target),
    output: z.object({ links: z.array(shareOut) }),
    hints: READ,
    async handler(a, ctx) {
      const t = pickTarget(a);
      const raw =
        t.kind === 'file'
          ? await ctx.client.files.links(t.id, { signal: ctx.signal })
          : await ctx.client.rooms.links(t.id, { type: 1, signal: ctx.signal });
      const links = raw.filter((s) => s.sharedLink).map(projectShare);
      const text =
        links.length === 0
          ? `The ${t.kind} ${t.id} has no share links.`
          : [`Share links of ${t.kind} ${t.id}:`, ...links.map(entryLine)].join('\n');
      return { data: { links }, text };
    },
  }),
  defineTool({
    name: 'create_share_link',
    toolset: 'files',
    title: 'Create a share link',
    description:
      'Creates an external link to a file or room, for anyone with it (portal members only if internal).',
    input: z.object({
      ...target,
      access: z.enum(['viewer', 'commenter', 'reviewer', 'editor', 'form_filler']).default('viewer'),
      expiresAt: z.iso.datetime({ offset: true }).optional(),
      title: z.string().max(170).optional(),
      internal: z.boolean().default(false).describe('Portal members only'),
    }),
    output: shareOut,
    hints: { ...CREATE, openWorldHint: true },
    async handler(a, ctx) {
      const t = pickTarget(a);
      if (a.expiresAt && Date.parse(a.expiresAt) <= Date.now()) {
        throw new ToolInputError('expired', '`expiresAt` is in the past; give a future date-time.');
      }
      const req = {
        access: ACCESS_IDS[a.access],
        expirationDate: a.expiresAt,
        title: a.title,
        internal: a.internal,
      };
      const share =
        t.kind === 'file'
          ? await ctx.client.files.setLink(t.id, req, { signal: ctx.signal })
          : await ctx.client.rooms.setLink(t.id, { ...req, linkType: 1 }, { signal: ctx.signal });
      const link = projectShare(share);
      return {
        data: link,
        text: `Created ${a.access} link to ${t.kind} ${t.id}: ${link.url ?? '(no URL returned)'}${a.expiresAt ? `, expires ${a.expiresAt}` : ''}.`,
      };
    },
  }),
];
