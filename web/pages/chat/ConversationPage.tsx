import type { ChatMessage } from "../../../workers/domain/chat-protocol.ts";
import type { ConversationHeader } from "../../../workers/domain/conversations.ts";
import { MAX_BODY_CHARS } from "../../../workers/domain/chat-protocol.ts";

interface Props {
  header: ConversationHeader;
  /** Oldest first. */
  messages: ChatMessage[];
  /** Sequence to page back from for older messages; null when these start at the first. */
  olderBefore: number | null;
}

/**
 * One conversation: the history is server-rendered (readable without JavaScript); /chat.js makes it
 * live (socket, sending, typing, read ticks, presence). Bodies are text, never HTML.
 */
export function ConversationPage({ header, messages, olderBefore }: Props) {
  const { conversation, me, otherParty } = header;
  const lastSeq = messages.at(-1)?.seq ?? 0;
  return (
    <section class="chat" data-chat data-conversation={conversation.id} data-me={me} data-last-seq={String(lastSeq)} data-other={otherParty.id}>
      <header class="chat__header">
        <h1>{otherParty.name}</h1>
        <p class="chat__status muted" id="chat-status" aria-live="polite"></p>
      </header>
      {olderBefore !== null ? (
        <a class="chat__older" id="chat-older" href={`/messages/${conversation.id}?before=${olderBefore}`} data-before={String(olderBefore)}>
          Older messages
        </a>
      ) : null}
      <ol class="chat__log" id="chat-log">
        {messages.map((message) => (
          <li class={message.senderId === me ? "msg msg--mine" : "msg"} data-seq={String(message.seq)} data-client-id={message.clientId}>
            <span class="msg__body">{message.body}</span>
            <time class="msg__time" datetime={message.at}>
              {message.at.slice(11, 16)}
            </time>
          </li>
        ))}
      </ol>
      <form class="chat__form" id="chat-form" hidden>
        <label class="visually-hidden" for="chat-body">
          Message
        </label>
        <textarea id="chat-body" name="body" rows={2} maxlength={MAX_BODY_CHARS} required placeholder="Write a message"></textarea>
        <button type="submit">Send</button>
      </form>
      <noscript>
        <p class="muted">Sending messages needs JavaScript; you can read the conversation here.</p>
      </noscript>
      <script type="module" src="/chat.js"></script>
    </section>
  );
}
