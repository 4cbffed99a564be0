/**
 * Decodes a small 8-bit, non-interlaced PNG (what the transformer renders for the placeholder) into
 * RGBA pixels. Only for tiny renditions: full-size photos are never decoded in the isolate.
 */
export interface Pixels {
  width: number;
  height: number;
  rgba: Uint8Array;
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };

async function inflate(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function chunks(png: Uint8Array) {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const idat: Uint8Array[] = [];
  let header: { width: number; height: number; depth: number; colour: number; interlace: number } | undefined;
  for (let i = 8; i + 8 <= png.length; ) {
    const length = view.getUint32(i);
    const type = String.fromCharCode(...png.subarray(i + 4, i + 8));
    const data = png.subarray(i + 8, i + 8 + length);
    if (type === "IHDR") header = { width: view.getUint32(i + 8), height: view.getUint32(i + 12), depth: data[8]!, colour: data[9]!, interlace: data[12]! };
    if (type === "IDAT") idat.push(data);
    i += 12 + length;
  }
  if (!header || header.depth !== 8 || header.interlace !== 0 || !CHANNELS[header.colour]) throw new Error("unsupported PNG rendition");
  const all = new Uint8Array(idat.reduce((n, c) => n + c.length, 0));
  idat.reduce((offset, c) => (all.set(c, offset), offset + c.length), 0);
  return { ...header, channels: CHANNELS[header.colour]!, data: all };
}

const paeth = (a: number, b: number, c: number) => {
  const p = a + b - c;
  const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
};

/** Undoes the per-row filters (PNG spec, section 9) in place, row by row. */
function unfilter(raw: Uint8Array, width: number, height: number, bpp: number): Uint8Array {
  const stride = width * bpp;
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const left = x >= bpp ? out[y * stride + x - bpp]! : 0;
      const up = y > 0 ? out[(y - 1) * stride + x]! : 0;
      const upLeft = y > 0 && x >= bpp ? out[(y - 1) * stride + x - bpp]! : 0;
      const predictor = [0, left, up, (left + up) >> 1, paeth(left, up, upLeft)][filter] ?? 0;
      out[y * stride + x] = (line[x]! + predictor) & 0xff;
    }
  }
  return out;
}

export async function decodePng(png: Uint8Array): Promise<Pixels> {
  const { width, height, channels, data } = chunks(png);
  const pixels = unfilter(await inflate(data), width, height, channels);
  const rgba = new Uint8Array(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    const s = pixels.subarray(p * channels, (p + 1) * channels);
    const grey = channels <= 2;
    rgba.set([s[0]!, grey ? s[0]! : s[1]!, grey ? s[0]! : s[2]!, channels === 2 ? s[1]! : channels === 4 ? s[3]! : 255], p * 4);
  }
  return { width, height, rgba };
}
