import type { ChatAttachment, ChatMessage } from "../../../workers/domain/chat-protocol.ts";
import type { ConversationHeader } from "../../../workers/domain/conversations.ts";
import { MAX_ATTACHMENTS, MAX_BODY_CHARS } from "../../../workers/domain/chat-protocol.ts";
import { formatBytes } from "../../format.ts";
import { attachmentHref } from "./attachments.ts";

interface Props {
  header: ConversationHeader;
  /** Oldest first. */
  messages: ChatMessage[];
  /** Sequence to page back from for older messages; null when these start at the first. */
  olderBefore: number | null;
  /** Whether I have blocked the other party (their messages are refused while I do). */
  blocking: boolean;
  /** Whether this is an older page (`?before=`), which links back to the latest messages. */
  paged: boolean;
}

function Attachments({ conversationId, attachments }: { conversationId: string; attachments: ChatAttachment[] }) {
  if (attachments.length === 0) return null;
  return (
    <ul class="msg__files">
      {attachments.map((attachment) => (
        <li>
          <a href={attachmentHref(conversationId, attachment)} download={attachment.name}>
            {attachment.name}
          </a>{" "}
          <span class="muted">({formatBytes(attachment.size)})</span>
        </li>
      ))}
    </ul>
  );
}

/**
 * One conversation: the history is server-rendered (readable without JavaScript); /chat.js makes it
 * live (socket, sending, typing, read ticks, presence). Bodies are text, never HTML.
 */
export function ConversationPage({ header, messages, olderBefore, blocking, paged }: Props) {
  const { conversation, me, otherParty } = header;
  const lastSeq = messages.at(-1)?.seq ?? 0;
  return (
    <section class="chat" data-chat data-conversation={conversation.id} data-me={me} data-last-seq={String(lastSeq)} data-other={otherParty.id}>
      <header class="chat__header">
        <h1>{otherParty.name}</h1>
        <p class="chat__status muted" id="chat-status" aria-live="polite"></p>
        <form method="post" action={`/messages/${conversation.id}/${blocking ? "unblock" : "block"}`} class="chat__block">
          <button type="submit" class="button--link">
            {blocking ? `Unblock ${otherParty.name}` : `Block ${otherParty.name}`}
          </button>
        </form>
      </header>
      {olderBefore !== null ? (
        <a class="chat__older" id="chat-older" href={`/messages/${conversation.id}?before=${olderBefore}`} data-before={String(olderBefore)}>
          Older messages
        </a>
      ) : null}
      {/* A column-reverse scroller starts at its end, so the newest message is in view without JavaScript. */}
      <div class="chat__scroll" id="chat-scroll">
        <ol class="chat__log" id="chat-log">
          {messages.map((message) => (
            <li class={message.senderId === me ? "msg msg--mine" : "msg"} data-seq={String(message.seq)} data-client-id={message.clientId}>
              <span class="msg__body">{message.body}</span>
              <Attachments conversationId={conversation.id} attachments={message.attachments} />
              <time class="msg__time" datetime={message.at}>
                {message.at.slice(11, 16)}
              </time>
            </li>
          ))}
        </ol>
      </div>
      {paged ? (
        <a class="chat__older" href={`/messages/${conversation.id}`}>
          Latest messages
        </a>
      ) : null}
      <form class="chat__form" id="chat-form" hidden>
        <label class="visually-hidden" for="chat-body">
          Message
        </label>
        <textarea id="chat-body" name="body" rows={2} maxlength={MAX_BODY_CHARS} placeholder="Write a message"></textarea>
        <label class="chat__attach" title={`Attach up to ${MAX_ATTACHMENTS} files`}>
          Attach<span id="chat-files-chosen"></span>
          <input type="file" id="chat-files" class="visually-hidden" multiple />
        </label>
        <button type="submit">Send</button>
      </form>
      <noscript>
        <p class="muted">Sending messages needs JavaScript; you can read the conversation here.</p>
      </noscript>
      <script type="module" src="/chat.js"></script>
    </section>
  );
}
