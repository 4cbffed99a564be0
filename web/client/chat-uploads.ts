import { chatAttachment, MAX_ATTACHMENTS, type ChatAttachment } from "../../workers/domain/chat-protocol.ts";

/**
 * Uploads the files of one message before it is sent (docs/chat-protocol.md, Attachments): one request
 * per file, through XMLHttpRequest because fetch reports no upload progress.
 */

export type Progress = (text: string) => void;

export async function uploadFiles(conversationId: string, files: File[], progress: Progress): Promise<ChatAttachment[]> {
  if (files.length > MAX_ATTACHMENTS) throw new Error(`A message carries at most ${MAX_ATTACHMENTS} files.`);
  const uploaded: ChatAttachment[] = [];
  for (const [index, file] of files.entries()) {
    const label = files.length > 1 ? `Uploading ${index + 1} of ${files.length}` : "Uploading";
    uploaded.push(await uploadOne(conversationId, file, (fraction) => progress(`${label}… ${Math.round(fraction * 100)}%`)));
  }
  progress("");
  return uploaded;
}

function uploadOne(conversationId: string, file: File, onProgress: (fraction: number) => void): Promise<ChatAttachment> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", `/api/conversations/${conversationId}/attachments?name=${encodeURIComponent(file.name)}`);
    request.setRequestHeader("Content-Type", file.type || "application/octet-stream");
    request.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    });
    request.addEventListener("load", () => {
      const answer = safeJson(request.responseText) as { attachment?: unknown; error?: { message?: string } } | null;
      const parsed = chatAttachment.safeParse(answer?.attachment);
      if (request.status === 201 && parsed.success) resolve(parsed.data);
      else reject(new Error(answer?.error?.message ?? `${file.name} could not be uploaded.`));
    });
    request.addEventListener("error", () => reject(new Error(`${file.name} could not be uploaded; check the connection.`)));
    request.send(file);
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
