import sharp from "sharp";

/** A marker written into the fixtures' camera and GPS tags: it must not survive into any variant. */
export const EXIF_MARKER = "FixtureCam";

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");

/** A noisy picture (so encoders have real work), width x height, opaque or with alpha. */
function picture(width: number, height: number, channels: 3 | 4 = 3) {
  const pixels = Buffer.alloc(width * height * channels);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7 + ((i / width) | 0) * 3) & 0xff;
  return sharp(pixels, { raw: { width, height, channels } });
}

/** A PNG header claiming a size over the 100-megapixel bound (a header is all the upload reads). */
function oversizedPng(): Uint8Array {
  const header = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(header, 0);
  header.writeUInt32BE(13, 8);
  header.write("IHDR", 12, "ascii");
  header.writeUInt32BE(20_000, 16);
  header.writeUInt32BE(20_000, 20);
  header.set([8, 6, 0, 0, 0], 24);
  return Buffer.concat([header, Buffer.alloc(2048)]);
}

/**
 * The photos the tests upload, made with sharp in Node (the Worker tests cannot load it) and handed to
 * them base64-encoded: a phone photo stored landscape with EXIF orientation 6 and GPS tags, a PNG with
 * alpha, a WebP, a truncated JPEG, text named like a JPEG, HEIC's signature, and an over-large header.
 */
export async function makeImageFixtures(): Promise<Record<string, string>> {
  const phone = await picture(2000, 1000)
    .jpeg({ quality: 85 })
    .withExif({ IFD0: { Make: EXIF_MARKER, Model: `${EXIF_MARKER} 12` }, IFD3: { GPSLatitudeRef: "N", GPSLatitude: "51/1 30/1 0/1", GPSLongitudeRef: "W", GPSLongitude: "0/1 7/1 0/1" } })
    .withMetadata({ orientation: 6 })
    .toBuffer();
  const small = await picture(300, 200).jpeg().toBuffer();
  const heic = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from("ftypheic\0\0\0\0mif1heic"), Buffer.alloc(64)]);
  return {
    phoneJpeg: b64(phone),
    smallJpeg: b64(small),
    alphaPng: b64(await picture(640, 480, 4).png().toBuffer()),
    webp: b64(await picture(500, 300).webp().toBuffer()),
    truncatedJpeg: b64(phone.subarray(0, Math.floor(phone.length / 3))),
    textAsJpeg: b64(Buffer.from("This is a note saved as photo.jpg, not a picture at all.\n".repeat(4))),
    heic: b64(heic),
    oversizedPng: b64(oversizedPng()),
  };
}
