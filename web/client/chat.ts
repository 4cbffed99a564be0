import type { ChatAttachment, ChatMessage, ServerFrame } from "../../workers/domain/chat-protocol.ts";
import { ChatConnection, type PendingMessage } from "./chat-connection.ts";
import { uploadFiles } from "./chat-uploads.ts";
import { attachmentHref } from "../pages/chat/attachments.ts";
import { formatBytes } from "../format.ts";

/**
 * The conversation page made live: renders frames into the server-rendered log (as text, never HTML),
 * sends typed messages, shows typing, presence and read ticks, and loads older history on scroll up.
 */

const TYPING_SHOWN_MS = 4000;
const TYPING_SENT_EVERY_MS = 2500;

function start(root: HTMLElement): void {
  const { conversation = "", me = "", other = "" } = root.dataset;
  const log = byId<HTMLOListElement>("chat-log");
  // A column-reverse scroller: scrollTop is 0 at the bottom (the newest) and negative above it.
  const scroller = byId<HTMLElement>("chat-scroll");
  const form = byId<HTMLFormElement>("chat-form");
  const input = byId<HTMLTextAreaElement>("chat-body");
  const files = byId<HTMLInputElement>("chat-files");
  const status = byId<HTMLElement>("chat-status");
  const view = { online: false, typingUntil: 0, connection: "connecting" };
  const protocol = location.protocol === "https:" ? "wss:" : "ws:";
  const connection = new ChatConnection(`${protocol}//${location.host}/api/conversations/${conversation}/ws`, Number(root.dataset.lastSeq ?? 0), `chat-outbox:${conversation}`, {
    frame: (frame) => onFrame(frame),
    status: (state, retryInMs) => {
      view.connection = state === "offline" ? `Reconnecting${retryInMs ? ` in ${Math.ceil(retryInMs / 1000)} s` : ""}…` : state === "connecting" ? "Connecting…" : "";
      showStatus();
    },
  });

  function showStatus(): void {
    const typing = Date.now() < view.typingUntil ? "typing…" : view.online ? "online" : "";
    status.textContent = view.connection || typing;
    root.dataset.connection = view.connection ? "offline" : "online";
  }

  function onFrame(frame: ServerFrame): void {
    switch (frame.type) {
      case "message":
        return void place(frame.message);
      case "resumed":
        view.connection = "";
        showStatus();
        for (const [userId, seq] of Object.entries(frame.reads)) if (userId === other) markRead(seq);
        return readUpTo(frame.lastSeq);
      case "read":
        return frame.userId === other ? markRead(frame.seq) : undefined;
      case "typing":
        view.typingUntil = Date.now() + TYPING_SHOWN_MS;
        showStatus();
        return void setTimeout(showStatus, TYPING_SHOWN_MS);
      case "presence":
        if (frame.userId === other) view.online = frame.online;
        return showStatus();
      case "ack":
        return;
      case "error":
        status.textContent = frame.message;
    }
  }

  /** Adds a message in sequence order, or fills in the pending copy of one this page sent. */
  function place(message: ChatMessage): void {
    const existing = log.querySelector<HTMLLIElement>(`li[data-client-id="${CSS.escape(message.clientId)}"]`) ?? log.querySelector(`li[data-seq="${message.seq}"]`);
    const item = existing ?? messageItem(message.senderId === me, message, conversation);
    item.dataset.seq = String(message.seq);
    item.classList.remove("msg--pending");
    item.querySelector("time")?.replaceWith(timeOf(message.at));
    if (!existing) insertInOrder(item, message.seq);
    if (message.senderId !== me) readUpTo(message.seq);
  }

  function insertInOrder(item: HTMLLIElement, seq: number): void {
    const after = [...log.querySelectorAll<HTMLLIElement>("li[data-seq]")].find((other) => Number(other.dataset.seq) > seq);
    const nearBottom = -scroller.scrollTop < 80;
    if (after) log.insertBefore(item, after);
    else log.insertBefore(item, log.querySelector("li.msg--pending"));
    if (nearBottom) item.scrollIntoView({ block: "end" });
  }

  function readUpTo(seq: number): void {
    if (seq > 0 && document.visibilityState === "visible") connection.send({ type: "read", seq });
  }

  function markRead(seq: number): void {
    for (const item of log.querySelectorAll<HTMLLIElement>("li.msg--mine[data-seq]")) {
      if (Number(item.dataset.seq) <= seq) item.classList.add("msg--read");
    }
  }

  function showPending(message: PendingMessage): void {
    const item = messageItem(true, message, conversation);
    item.classList.add("msg--pending");
    log.append(item);
    item.scrollIntoView({ block: "end" });
  }

  let lastTypingSent = 0;
  input.addEventListener("input", () => {
    if (Date.now() - lastTypingSent < TYPING_SENT_EVERY_MS) return;
    lastTypingSent = Date.now();
    connection.send({ type: "typing" });
  });
  const chosenCount = byId<HTMLElement>("chat-files-chosen");
  const showChosen = () => (chosenCount.textContent = files.files?.length ? ` (${files.files.length})` : "");
  files.addEventListener("change", showChosen);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const body = input.value.trim();
    const chosen = [...(files.files ?? [])];
    if (!body && chosen.length === 0) return;
    form.inert = true;
    uploadFiles(conversation, chosen, (text) => (status.textContent = text))
      .then((attachments) => {
        showPending(connection.post(body, attachments));
        input.value = "";
        files.value = "";
        showChosen();
      })
      .catch((error: unknown) => (status.textContent = error instanceof Error ? error.message : "The files could not be uploaded."))
      .finally(() => (form.inert = false));
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) form.requestSubmit();
  });
  document.addEventListener("visibilitychange", () => readUpTo(Number(log.querySelector<HTMLLIElement>("li[data-seq]:last-of-type")?.dataset.seq ?? 0)));
  loadOlderOnScroll(scroller, log, conversation, me);
  for (const message of connection.unacknowledged) showPending(message);
  form.hidden = false;
  connection.connect();
}

/**
 * Scrolling to the top of the log fetches the page before the oldest message shown. The scroller is
 * anchored at its bottom, so prepending keeps the view where it was.
 */
function loadOlderOnScroll(scroller: HTMLElement, log: HTMLOListElement, conversation: string, me: string): void {
  const link = document.getElementById("chat-older");
  let before = Number(link?.dataset.before ?? 0);
  let loading = false;
  link?.remove();
  scroller.addEventListener("scroll", () => {
    if (scroller.scrollHeight - scroller.clientHeight + scroller.scrollTop > 40 || loading || before <= 1) return;
    loading = true;
    void fetch(`/api/conversations/${conversation}/messages?before=${before}&limit=50`, { credentials: "same-origin" })
      .then((res) => (res.ok ? (res.json() as Promise<{ messages: ChatMessage[]; nextBefore: number | null }>) : null))
      .then((page) => {
        if (!page) return;
        for (const message of page.messages) {
          const item = messageItem(message.senderId === me, message, conversation);
          item.dataset.seq = String(message.seq);
          item.append(timeOf(message.at));
          log.prepend(item);
        }
        before = page.nextBefore ?? 0;
      })
      .finally(() => (loading = false));
  });
}

function messageItem(mine: boolean, message: { clientId: string; body: string; attachments: ChatAttachment[] }, conversation: string): HTMLLIElement {
  const item = document.createElement("li");
  item.className = mine ? "msg msg--mine" : "msg";
  item.dataset.clientId = message.clientId;
  const text = document.createElement("span");
  text.className = "msg__body";
  text.textContent = message.body;
  item.append(text);
  if (message.attachments.length > 0) item.append(fileList(message.attachments, conversation));
  return item;
}

/** The same links the server renders (ConversationPage's Attachments), built as text nodes. */
function fileList(attachments: ChatAttachment[], conversation: string): HTMLUListElement {
  const list = document.createElement("ul");
  list.className = "msg__files";
  for (const attachment of attachments) {
    const link = document.createElement("a");
    link.href = attachmentHref(conversation, attachment);
    link.download = attachment.name;
    link.textContent = attachment.name;
    const size = document.createElement("span");
    size.className = "muted";
    size.textContent = ` (${formatBytes(attachment.size)})`;
    const item = document.createElement("li");
    item.append(link, size);
    list.append(item);
  }
  return list;
}

function timeOf(at: string): HTMLTimeElement {
  const time = document.createElement("time");
  time.className = "msg__time";
  time.dateTime = at;
  time.textContent = at.slice(11, 16);
  return time;
}

function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from the conversation page`);
  return element as T;
}

const root = document.querySelector<HTMLElement>("[data-chat]");
if (root) start(root);
