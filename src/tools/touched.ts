/**
 * What a tool call touched, for the person's activity log: ids and titles only, never content.
 * Generic over the tool records: ids come from the declared arguments whose names end in `Id`
 * or `Ids` (`fileId`, `folderIds`, `destFolderId`, `roomId`…), titles from the result's
 * `title` fields — the result itself and its direct child objects (`folder` of a listing), not
 * list items (a listing of 100 files touched the folder, not each file). Nothing else of the
 * arguments or result is read: not `content`, `text`, `url`, e-mails or link passwords.
 */
export interface Touched {
  id?: string;
  title?: string;
}

/** Bounds, so one call's entry stays small whatever the tool returned. */
export const MAX_TOUCHED = 10;
export const MAX_ID_LENGTH = 64;
export const MAX_TITLE_LENGTH = 120;

const ID_ARG = /Ids?$/;
/** The keys a result object names itself by, in order of preference. */
const ID_FIELDS = ['id', 'fileId', 'folderId', 'roomId'] as const;

function clip(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}

function idOf(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && value.length > 0) return clip(value, MAX_ID_LENGTH);
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function titled(value: Record<string, unknown>): Touched | undefined {
  if (typeof value.title !== 'string' || value.title.length === 0) return undefined;
  const title = clip(value.title, MAX_TITLE_LENGTH);
  for (const field of ID_FIELDS) {
    const id = idOf(value[field]);
    if (id !== undefined) return { id, title };
  }
  return { title };
}

/**
 * The ids and titles one call touched: argument ids first (with the result's title when it
 * names the same id), then titled objects of the result; at most `MAX_TOUCHED`.
 *
 * @example
 * touchedBy({ fileId: 7, length: 100 }, { fileId: 7, title: 'Plan.docx', text: '…' });
 * // → [{ id: '7', title: 'Plan.docx' }]
 */
export function touchedBy(args: unknown, data: unknown): Touched[] {
  const fromResult: Touched[] = [];
  if (isPlainObject(data)) {
    const own = titled(data);
    if (own) fromResult.push(own);
    for (const value of Object.values(data)) {
      if (!isPlainObject(value)) continue;
      const child = titled(value);
      if (child) fromResult.push(child);
    }
  }
  const out: Touched[] = [];
  const seen = new Set<string>();
  const add = (item: Touched) => {
    if (out.length >= MAX_TOUCHED) return;
    if (item.id !== undefined) {
      if (seen.has(item.id)) return;
      seen.add(item.id);
    }
    out.push(item);
  };
  if (isPlainObject(args)) {
    for (const [key, value] of Object.entries(args)) {
      if (!ID_ARG.test(key)) continue;
      for (const one of Array.isArray(value) ? value : [value]) {
        const id = idOf(one);
        if (id === undefined) continue;
        const title = fromResult.find((t) => t.id === id)?.title;
        add(title === undefined ? { id } : { id, title });
      }
    }
  }
  for (const item of fromResult) add(item);
  return out;
}
