import { z } from "zod";
import { safeText } from "../lib/text.ts";

/** `POST /api/conversations`: from a listing's Contact button or a seller's profile. */
export const conversationStartInput = z.union([
  z.strictObject({ listingId: z.uuid() }),
  z.strictObject({ sellerUsername: z.string().trim().min(1).max(40) }),
]);
export type ConversationStartInput = z.infer<typeof conversationStartInput>;

/** History pages: messages before a sequence (the newest when omitted), newest first. */
export const historyQuery = z.object({
  before: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type HistoryQuery = z.infer<typeof historyQuery>;

/** An attachment's name as the other party will see it. */
export const attachmentName = safeText()
  .trim()
  .min(1)
  .max(200)
  .refine((name) => ![...name].some((char) => char < " " || char === "\u007f" || char === "/" || char === "\\"), "A file name has no slashes or control characters.");

/** `POST /api/conversations/:id/attachments?name=`: optional when a multipart part names its file. */
export const attachmentQuery = z.object({ name: attachmentName.optional() });
