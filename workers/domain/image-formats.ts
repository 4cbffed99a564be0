/**
 * What an upload is, judged from its first bytes (magic numbers and the format's own header), never
 * from the declared Content-Type: the format, and the pixel size after EXIF orientation.
 */

export const ACCEPTED_TYPES = ["image/jpeg", "image/png", "image/webp"] as const;
export type ImageType = (typeof ACCEPTED_TYPES)[number];

export interface ImageHeader {
  type: ImageType;
  /** Width and height as shown, EXIF orientation applied (JPEG; PNG and WebP are taken as stored). */
  width: number;
  height: number;
}

/** What a header read can say: the image, not an accepted format, or "read more bytes". */
export type Sniff = { kind: "image"; header: ImageHeader } | { kind: "unsupported"; format: string } | { kind: "more" };

const u16be = (b: Uint8Array, i: number) => (b[i]! << 8) | b[i + 1]!;
const u32be = (b: Uint8Array, i: number) => ((b[i]! << 24) >>> 0) + (b[i + 1]! << 16) + (b[i + 2]! << 8) + b[i + 3]!;
const u16le = (b: Uint8Array, i: number) => b[i]! | (b[i + 1]! << 8);
const u24le = (b: Uint8Array, i: number) => b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16);
const ascii = (b: Uint8Array, from: number, to: number) => String.fromCharCode(...b.subarray(from, to));

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Judges the first bytes of an upload. `final` says no more bytes will come (a short file). */
export function sniffImage(b: Uint8Array, final: boolean): Sniff {
  const result = sniffKnown(b);
  if (result.kind === "more" && final) return { kind: "unsupported", format: "a truncated or unreadable file" };
  return result;
}

function sniffKnown(b: Uint8Array): Sniff {
  if (b.length < 32) return { kind: "more" };
  if (PNG_SIGNATURE.every((byte, i) => b[i] === byte)) {
    return { kind: "image", header: { type: "image/png", width: u32be(b, 16), height: u32be(b, 20) } };
  }
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return sniffJpeg(b);
  if (ascii(b, 0, 4) === "RIFF" && ascii(b, 8, 12) === "WEBP") return sniffWebp(b);
  if (ascii(b, 4, 8) === "ftyp") return { kind: "unsupported", format: `HEIF/HEIC (${ascii(b, 8, 12).trim()})` };
  return { kind: "unsupported", format: "an unrecognised format" };
}

function sniffWebp(b: Uint8Array): Sniff {
  const chunk = ascii(b, 12, 16);
  if (chunk === "VP8 ") return image("image/webp", u16le(b, 26) & 0x3fff, u16le(b, 28) & 0x3fff);
  if (chunk === "VP8L") {
    const bits = b[21]! | (b[22]! << 8) | (b[23]! << 16) | (b[24]! << 24);
    return image("image/webp", (bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
  }
  if (chunk === "VP8X") return image("image/webp", u24le(b, 24) + 1, u24le(b, 27) + 1);
  return { kind: "unsupported", format: "an unreadable WebP" };
}

const image = (type: ImageType, width: number, height: number): Sniff => ({ kind: "image", header: { type, width, height } });

/** Start-of-frame markers carry the size; C4 (Huffman tables), C8 and CC (arithmetic coding) do not. */
const isStartOfFrame = (marker: number) => marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

/** Walks the JPEG's segments to its frame header, noting the EXIF orientation on the way. */
function sniffJpeg(b: Uint8Array): Sniff {
  let orientation = 1;
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return { kind: "unsupported", format: "a corrupt JPEG" };
    const marker = b[i + 1]!;
    if (marker === 0xff) {
      i++;
      continue;
    }
    const length = u16be(b, i + 2);
    if (isStartOfFrame(marker)) {
      const height = u16be(b, i + 5);
      const width = u16be(b, i + 7);
      return orientation >= 5 ? image("image/jpeg", height, width) : image("image/jpeg", width, height);
    }
    if (marker === 0xe1 && i + 4 + length <= b.length) orientation = exifOrientation(b.subarray(i + 4, i + 2 + length)) ?? orientation;
    i += 2 + length;
  }
  return { kind: "more" };
}

/** The Orientation tag (0x0112) of IFD0 in an APP1 Exif segment, if there is one. */
export function exifOrientation(app1: Uint8Array): number | undefined {
  if (ascii(app1, 0, 4) !== "Exif") return undefined;
  const tiff = app1.subarray(6);
  if (tiff.length < 8) return undefined;
  const little = tiff[0] === 0x49;
  const u16 = (i: number) => (little ? u16le(tiff, i) : u16be(tiff, i));
  const u32 = (i: number) => (little ? (u16le(tiff, i) + u16le(tiff, i + 2) * 65536) : u32be(tiff, i));
  const ifd = u32(4);
  if (ifd + 2 > tiff.length) return undefined;
  const count = u16(ifd);
  for (let n = 0; n < count; n++) {
    const entry = ifd + 2 + n * 12;
    if (entry + 12 > tiff.length) return undefined;
    if (u16(entry) === 0x0112) return u16(entry + 8);
  }
  return undefined;
}
