// The dashboard's photo picker, over the plain file form (which still works without this script): several
// photos at once, each downsized in the browser when it is large, sent through the API with a progress
// bar, then its processing status polled until it is ready or failed.

const ACCEPTED = ["image/jpeg", "image/png", "image/webp"];
/** Long edge sent from the phone: plenty for the 1600 px variant, a fraction of a camera's bytes. */
const LONG_EDGE = 2560;
const POLL_MS = 1000;

interface ImageBody {
  image?: { id: string; status: "processing" | "ready" | "failed"; reason: string | null };
  error?: { message: string };
}

/** A large photo (or one in a format the server refuses, such as HEIC where the browser decodes it) re-encoded as JPEG, oriented. */
async function downsized(file: File): Promise<Blob> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  } catch {
    return file; // the browser cannot read it: the server judges it and says why
  }
  const scale = Math.min(1, LONG_EDGE / Math.max(bitmap.width, bitmap.height));
  if (scale === 1 && ACCEPTED.includes(file.type)) {
    bitmap.close();
    return file;
  }
  const canvas = new OffscreenCanvas(Math.round(bitmap.width * scale), Math.round(bitmap.height * scale));
  canvas.getContext("2d")!.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  return canvas.convertToBlob({ type: "image/jpeg", quality: 0.85 });
}

/** Sends the bytes with their type, reporting upload progress; resolves with the status and JSON answer. */
function send(url: string, blob: Blob, progress: HTMLProgressElement): Promise<{ status: number; body: ImageBody }> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("Content-Type", blob.type || "application/octet-stream");
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) progress.value = event.loaded / event.total;
    };
    xhr.onload = () => {
      let body: ImageBody = {};
      try {
        body = JSON.parse(xhr.responseText) as ImageBody;
      } catch {
        // not JSON: the status alone says it failed
      }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => resolve({ status: 0, body: { error: { message: "The connection dropped; try again." } } });
    xhr.send(blob);
  });
}

async function untilSettled(imageId: string, status: HTMLElement): Promise<void> {
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    const res = await fetch(`/api/images/${imageId}`, { headers: { Accept: "application/json" } });
    if (!res.ok) continue;
    const { image } = (await res.json()) as ImageBody;
    if (image?.status === "ready") return void (status.textContent = "Ready");
    if (image?.status === "failed") return void (status.textContent = `Failed: ${image.reason ?? "unknown reason"}`);
  }
}

/** One file's row: its name, a progress bar, and a status line read out as it changes. */
function row(list: HTMLElement, name: string) {
  const item = document.createElement("li");
  item.className = "picker__item";
  const label = document.createElement("span");
  label.textContent = name;
  const progress = document.createElement("progress");
  progress.max = 1;
  progress.value = 0;
  progress.setAttribute("aria-label", `Upload of ${name}`);
  const status = document.createElement("span");
  status.className = "picker__status";
  status.setAttribute("role", "status");
  status.textContent = "Preparing…";
  item.append(label, progress, status);
  list.append(item);
  return { progress, status };
}

async function uploadOne(listingId: string, list: HTMLElement, file: File) {
  const { progress, status } = row(list, file.name);
  const blob = await downsized(file);
  status.textContent = "Uploading…";
  const { status: code, body } = await send(`/api/listings/${listingId}/images`, blob, progress);
  if (code !== 202 || !body.image) {
    status.textContent = `Failed: ${body.error?.message ?? `the server answered ${code}`}`;
    return;
  }
  progress.value = 1;
  status.textContent = "Processing…";
  await untilSettled(body.image.id, status);
}

const form = document.querySelector<HTMLFormElement>("form[data-photo-picker]");
if (form) {
  const listingId = form.dataset.photoPicker!;
  const input = form.querySelector<HTMLInputElement>('input[type="file"]')!;
  input.multiple = true;
  const list = document.createElement("ul");
  list.className = "picker";
  form.after(list);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const files = [...(input.files ?? [])];
    input.value = "";
    void Promise.all(files.map((file) => uploadOne(listingId, list, file)));
  });
}
