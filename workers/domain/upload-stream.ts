import { AppError } from "../lib/errors.ts";
import { sniffImage, type Sniff } from "./image-formats.ts";

/** A JPEG's frame header usually sits in the first few KiB; EXIF thumbnails can push it to ~64 KiB. */
const MAX_HEAD_BYTES = 256 * 1024;

const concat = (a: Uint8Array, b: Uint8Array) => {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
};

/**
 * Reads just enough of a stream to judge its header, then gives back the verdict and a stream of the
 * whole body (the bytes read so far, then the rest as it arrives), so nothing is buffered beyond the head.
 */
export async function sniffStream(body: ReadableStream<Uint8Array>): Promise<{ sniff: Sniff; body: ReadableStream<Uint8Array> }> {
  const reader = body.getReader();
  let head: Uint8Array = new Uint8Array(0);
  let done = false;
  let sniff: Sniff = { kind: "more" };
  while (sniff.kind === "more") {
    const chunk = await reader.read();
    done = chunk.done;
    if (chunk.value) head = concat(head, chunk.value);
    sniff = sniffImage(head, done || head.length >= MAX_HEAD_BYTES);
  }
  let first: Uint8Array | undefined = head;
  const rest = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (first) {
        controller.enqueue(first);
        first = undefined;
        if (done) controller.close();
        return;
      }
      const chunk = await reader.read();
      if (chunk.done) controller.close();
      else controller.enqueue(chunk.value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return { sniff, body: rest };
}

/** Passes bytes through and fails the stream (413) once more than `max` have gone by. */
export function limitBytes(max: number, refusal: () => Error = () => tooLarge(max)): TransformStream<Uint8Array, Uint8Array> {
  let seen = 0;
  return new TransformStream({
    transform(chunk, controller) {
      seen += chunk.length;
      if (seen > max) controller.error(refusal());
      else controller.enqueue(chunk);
    },
  });
}

export const tooLarge = (max: number) => new AppError("payload_too_large", `Images are limited to ${max / (1024 * 1024)} MB.`);

const encoder = new TextEncoder();

function indexOf(haystack: Uint8Array, needle: Uint8Array, from = 0): number {
  outer: for (let i = from; i <= haystack.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/**
 * The bytes of one field of a multipart/form-data body, as a stream, found as the body arrives: parts
 * before it are skipped, the field's bytes flow on (holding back only a delimiter's length), and
 * reading stops at its closing delimiter. Fails with 400 if the body has no such field.
 */
export function multipartField(body: ReadableStream<Uint8Array>, boundary: string, field: string): ReadableStream<Uint8Array> {
  return multipartReader(body, boundary, field).stream;
}

/** The same field with its part's headers (`Content-Disposition`, `Content-Type`), read before its bytes. */
export async function multipartPart(body: ReadableStream<Uint8Array>, boundary: string, field: string): Promise<{ headers: string; body: ReadableStream<Uint8Array> }> {
  const reader = multipartReader(body, boundary, field);
  return { headers: await reader.open(), body: reader.stream };
}

function multipartReader(body: ReadableStream<Uint8Array>, boundary: string, field: string) {
  const delimiter = encoder.encode(`\r\n--${boundary}`);
  const reader = body.getReader();
  // A leading CRLF lets the first delimiter match like every other one.
  let buffer: Uint8Array = encoder.encode("\r\n");
  let opened: Promise<string> | undefined;
  const more = async () => {
    const chunk = await reader.read();
    if (chunk.done) throw new AppError("invalid_input", `Send the file as the multipart field "${field}".`);
    buffer = concat(buffer, chunk.value);
  };
  /** Skips to the part whose headers name the field and answers its headers; fails when the body ends first. */
  const findField = async (): Promise<string> => {
    for (;;) {
      const start = indexOf(buffer, delimiter);
      const headersEnd = start < 0 ? -1 : indexOf(buffer, encoder.encode("\r\n\r\n"), start);
      if (headersEnd < 0) {
        // Nothing before a delimiter is wanted: keep only what could be the start of one.
        if (start < 0) buffer = buffer.slice(Math.max(0, buffer.length - delimiter.length));
        await more();
        continue;
      }
      const headers = new TextDecoder().decode(buffer.subarray(start + delimiter.length, headersEnd));
      buffer = buffer.subarray(headersEnd + 4);
      if (new RegExp(`name="${field}"`, "i").test(headers)) return headers;
    }
  };
  const open = () => (opened ??= findField());
  // Each pull enqueues something or closes: a pull that returns empty-handed would never be called again.
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      await open();
      for (;;) {
        const end = indexOf(buffer, delimiter);
        if (end >= 0) {
          if (end > 0) controller.enqueue(buffer.slice(0, end));
          controller.close();
          await reader.cancel();
          return;
        }
        const safe = buffer.length - delimiter.length;
        if (safe > 0) {
          controller.enqueue(buffer.slice(0, safe));
          buffer = buffer.slice(safe);
          return;
        }
        await more();
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return { open, stream };
}
