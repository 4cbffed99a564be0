import type { ChatAttachment } from "../../../workers/domain/chat-protocol.ts";

/** The link the page (and /chat.js, for live messages) gives each attached file. */
export const attachmentHref = (conversationId: string, attachment: ChatAttachment) => `/api/conversations/${conversationId}/attachments/${attachment.id}`;
