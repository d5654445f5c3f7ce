// Shared by the emulator's integration tests: one emulator per file, small fetch helpers.
import { type Emulator, type EmulatorOptions, startEmulator } from '../../../emulator/index.js';

export interface Envelope<T = unknown> {
  response: T;
  count: number;
  total?: number;
  links: { href: string; action: string }[];
  status: number;
  statusCode: number;
  error?: { message: string; type: unknown; stack: unknown; hresult: number };
}

export interface Reply<T = unknown> {
  status: number;
  headers: Headers;
  body: Envelope<T>;
  text: string;
}

export type Role = 'owner' | 'admin' | 'roomAdmin' | 'user' | 'guest';

export class Harness {
  private constructor(readonly emu: Emulator) {}

  static async start(opts: EmulatorOptions = {}): Promise<Harness> {
    return new Harness(await startEmulator({ admin: true, ...opts }));
  }

  get url(): string {
    return this.emu.url;
  }

  user(role: Role) {
    const u = this.emu.info.users.find((x) => x.role === role);
    if (!u) throw new Error(`no seeded ${role}`);
    return u;
  }

  /** `Authorization` header for a role's seeded API key. */
  key(role: Role): Record<string, string> {
    return { Authorization: `Bearer ${this.user(role).apiKey}` };
  }

  async call<T = unknown>(
    method: string,
    path: string,
    opts: {
      as?: Role;
      headers?: Record<string, string>;
      json?: unknown;
      body?: string | FormData | Uint8Array;
    } = {},
  ): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...(opts.as ? this.key(opts.as) : {}), ...opts.headers };
    let body = opts.body;
    if (opts.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(opts.json);
    }
    const r = await fetch(`${this.url}${path.startsWith('/') ? path : `/api/2.0/${path}`}`, {
      method,
      headers,
      body: body as RequestInit['body'],
    });
    const text = await r.text();
    let parsed: Envelope<T>;
    try {
      parsed = text ? (JSON.parse(text) as Envelope<T>) : ({} as Envelope<T>);
    } catch {
      parsed = {} as Envelope<T>;
    }
    return { status: r.status, headers: r.headers, body: parsed, text };
  }

  get<T = unknown>(path: string, as?: Role, headers?: Record<string, string>) {
    return this.call<T>('GET', path, { as, headers });
  }

  /** Polls `files/fileops` until the operation is reported finished (bounded). */
  async waitOp(id: string, as: Role): Promise<Record<string, unknown>> {
    for (let i = 0; i < 50; i++) {
      const r = await this.get<Record<string, unknown>[]>('files/fileops', as);
      const op = r.body.response.find((o) => o.id === id);
      if (op?.finished) return op;
      await new Promise((res) => setTimeout(res, 20));
    }
    throw new Error(`operation ${id} did not finish`);
  }

  close(): Promise<void> {
    return this.emu.close();
  }
}

export interface FolderContent {
  files: Record<string, unknown>[];
  folders: Record<string, unknown>[];
  current: Record<string, unknown>;
  pathParts: { id: number; title: string; folderType: number; roomType?: number }[];
  startIndex: number;
  count: number;
  total: number;
}

/** Finds a room by title among those the role can see. */
export async function roomId(h: Harness, title: string, as: Role = 'owner'): Promise<number> {
  const r = await h.get<FolderContent>('files/rooms?searchArea=Any', as);
  const room = r.body.response.folders.find((f) => f.title === title);
  if (!room) throw new Error(`room ${title} not visible to ${as}`);
  return room.id as number;
}
