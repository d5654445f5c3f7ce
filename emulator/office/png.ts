// A small RGB picture (a diagonal two-colour gradient, its hue taken from the title) so image
// files in the emulator are real PNGs that viewers and thumbnailers accept.
import { zlibSync } from 'fflate';

const SIZE = 32;
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of data) c = (CRC_TABLE[(c ^ byte) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

export function createPng(title: string | undefined): Uint8Array {
  let hash = 0;
  for (const ch of title ?? '') hash = (hash * 31 + (ch.codePointAt(0) as number)) >>> 0;
  const base = [hash & 0xff, (hash >>> 8) & 0xff, (hash >>> 16) & 0xff];

  const header = new Uint8Array(13);
  const hv = new DataView(header.buffer);
  hv.setUint32(0, SIZE);
  hv.setUint32(4, SIZE);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit depth, truecolour, deflate, adaptive filter, no interlace

  const raw = new Uint8Array(SIZE * (1 + SIZE * 3));
  for (let y = 0; y < SIZE; y++) {
    const row = y * (1 + SIZE * 3);
    raw[row] = 0; // filter type None
    for (let x = 0; x < SIZE; x++) {
      const t = (x + y) / (2 * SIZE - 2);
      for (let c = 0; c < 3; c++)
        raw[row + 1 + x * 3 + c] = Math.round((base[c] as number) * (1 - t) + 255 * t);
    }
  }
  const parts = [
    Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
    chunk('IHDR', header),
    chunk('IDAT', zlibSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
