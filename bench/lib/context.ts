import { request } from './http.js';
import type { EmulatorProc } from './procs.js';

/** What every measurement gets: the mode, the emulator process and the portal's ids. */
export interface BenchContext {
  quick: boolean;
  emulator: EmulatorProc;
  fx: Fixtures;
  progress(msg: string): void;
}

export interface Fixtures {
  baseUrl: string;
  apiKey: string;
  email: string;
  password: string;
  /** The "Load test" room, its first batch folder (≥ 50 files) and files in it. */
  roomId: number;
  folderId: number;
  fileIds: number[];
}

interface Entry {
  id: number;
  title: string;
}

async function api<T>(baseUrl: string, apiKey: string, path: string): Promise<T> {
  const res = await request(`${baseUrl}/api/2.0/${path}`, {
    headers: { authorization: `Bearer ${apiKey}`, accept: 'application/json' },
  });
  if (res.status !== 200) throw new Error(`emulator ${path}: HTTP ${res.status}`);
  return (JSON.parse(res.body.toString('utf8')) as { response: T }).response;
}

/** Finds the seeded load-test room and its files through the portal's own REST API. */
export async function discoverFixtures(emulator: EmulatorProc): Promise<Fixtures> {
  const { baseUrl, users } = emulator.info;
  const owner = users.find((u) => u.role === 'owner') ?? users[0];
  if (!owner) throw new Error('the emulator has no users');
  const rooms = await api<{ folders: Entry[] }>(baseUrl, owner.apiKey, 'files/rooms');
  const room = rooms.folders.find((f) => f.title === 'Load test');
  if (!room) throw new Error('the emulator has no "Load test" room: start it with files');
  const inRoom = await api<{ folders: Entry[] }>(baseUrl, owner.apiKey, `files/${room.id}`);
  const batch = inRoom.folders[0];
  if (!batch) throw new Error('the "Load test" room has no batch folder');
  const content = await api<{ files: Entry[] }>(
    baseUrl,
    owner.apiKey,
    `files/${batch.id}?startIndex=0&count=100`,
  );
  if (content.files.length < 50) throw new Error('the load-test folder holds fewer than 50 files');
  return {
    baseUrl,
    apiKey: owner.apiKey,
    email: owner.email,
    password: owner.password,
    roomId: room.id,
    folderId: batch.id,
    fileIds: content.files.map((f) => f.id),
  };
}

/** Runs `fn` `count` times with at most `concurrency` in flight. */
export async function pool(
  count: number,
  concurrency: number,
  fn: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await fn(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
