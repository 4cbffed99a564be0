import type { InboxPage as Inbox } from "../../../workers/domain/conversations.ts";
import { Pager } from "../../components/Pager.tsx";
import { formatWhen } from "../../format.ts";

/** The inbox: newest activity first, readable without JavaScript. */
export function InboxPage({ inbox, onFirstPage }: { inbox: Inbox; onFirstPage: boolean }) {
  return (
    <section class="chat-inbox">
      <h1>Messages</h1>
      {inbox.items.length === 0 ? <p class="muted">No conversations yet. Contact a seller from one of their services.</p> : null}
      <ul class="inbox">
        {inbox.items.map((item) => (
          <li>
            <a class="inbox__item" href={`/messages/${item.id}`}>
              <span class="inbox__name">{item.otherParty.name}</span>
              <span class="inbox__meta">
                <time class="muted" datetime={item.lastActivityAt}>
                  {formatWhen(item.lastActivityAt)}
                </time>
                {item.unreadCount > 0 ? (
                  <span class="badge badge--ok" aria-label={`${item.unreadCount} unread`}>
                    {item.unreadCount}
                  </span>
                ) : null}
              </span>
              <span class="inbox__preview muted">{item.lastMessage?.preview ?? "No messages yet"}</span>
            </a>
          </li>
        ))}
      </ul>
      <Pager path="/messages" nextCursor={inbox.nextCursor} onFirstPage={onFirstPage} next="Older conversations" />
    </section>
  );
}
