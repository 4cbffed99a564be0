import type { Child } from "hono/jsx";
import type { OutboxEmail } from "../../workers/domain/outbox.ts";

/** The text body with each of its links made clickable (the links come in the order they appear). */
function LinkedText({ text, links }: { text: string; links: string[] }) {
  const parts: Child[] = [];
  let rest = text;
  for (const link of links) {
    const at = rest.indexOf(link);
    parts.push(rest.slice(0, at), <a href={link}>{link}</a>);
    rest = rest.slice(at + link.length);
  }
  parts.push(rest);
  return <>{parts}</>;
}

export function DevMailbox({ emails }: { emails: OutboxEmail[] }) {
  return (
    <section class="mailbox">
      <h1>Dev mailbox</h1>
      <p class="muted">The latest emails the app wrote to its outbox, newest first. With EMAIL_PROVIDER "log" none of them left this machine.</p>
      {emails.length === 0 ? (
        <p class="muted">No emails yet.</p>
      ) : (
        <ol class="mail-list">
          {emails.map((email) => (
            <li class="mail">
              <h2 class="mail__subject">{email.subject}</h2>
              <p class="mail__meta">
                <span>To {email.to}</span>
                <time datetime={email.createdAt.toISOString()}>{email.createdAt.toISOString().slice(0, 19).replace("T", " ")} UTC</time>
                <span class={`mail__status mail__status--${email.status}`}>{email.status}</span>
              </p>
              {email.lastError ? <p class="mail__error">{email.lastError}</p> : null}
              <p class="mail__body">
                <LinkedText text={email.text} links={email.links} />
              </p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
