import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../context.ts";
import { readListing, readSeller } from "../domain/catalog-reads.ts";
import { conversationHeader, inboxPage, participantConversation, startConversation } from "../domain/conversations.ts";
import { pageQuery } from "../domain/pagination.ts";
import { validate } from "../lib/validate.ts";
import { ContactPage } from "../../web/pages/chat/ContactPage.tsx";
import { ConversationPage } from "../../web/pages/chat/ConversationPage.tsx";
import { InboxPage } from "../../web/pages/chat/InboxPage.tsx";
import { readContext } from "../http/catalog-cache.ts";
import { blockInConversation, conversationHistory, isBlocking } from "../http/conversations.ts";
import { idParam, slugParam, usernameParam } from "../http/params.ts";
import { requireAuth } from "../middleware/auth.ts";
import { formPost, page, signedInOnly } from "./page-forms.ts";

const HISTORY_PAGE = 50;
const beforeQuery = validate("query", z.object({ before: z.coerce.number().int().min(1).optional() }));

/** The inbox and conversation pages, and the Contact buttons of listings and seller profiles. */
export const chatPages = new Hono<AppEnv>()
  .get("/messages", page, signedInOnly(), validate("query", pageQuery.pick({ cursor: true })), async (c) => {
    const { cursor } = c.req.valid("query");
    const inbox = await inboxPage(c.var.db, requireAuth(c), { cursor, limit: 20 });
    return c.render(<InboxPage inbox={inbox} onFirstPage={cursor === undefined} />, { title: "Messages" });
  })
  .get("/messages/:id", page, signedInOnly(), idParam, beforeQuery, async (c) => {
    const header = await conversationHeader(c.var.db, requireAuth(c), c.req.valid("param").id);
    const { before } = c.req.valid("query");
    const [newestFirst, blocking] = await Promise.all([
      conversationHistory(c, header.conversation.id, before, HISTORY_PAGE),
      isBlocking(c, header.conversation.id, header.me),
    ]);
    const oldest = newestFirst.at(-1)?.seq;
    const olderBefore = newestFirst.length === HISTORY_PAGE && oldest !== undefined && oldest > 1 ? oldest : null;
    return c.render(<ConversationPage header={header} messages={newestFirst.toReversed()} olderBefore={olderBefore} blocking={blocking} paged={before !== undefined} />, {
      title: `Messages with ${header.otherParty.name}`,
    });
  })
  .post("/messages/:id/:action{block|unblock}", formPost, signedInOnly(), idParam, async (c) => {
    const { id } = await participantConversation(c.var.db, requireAuth(c), c.req.valid("param").id);
    await blockInConversation(c, id, requireAuth(c).userId, c.req.param("action") === "block");
    return c.redirect(`/messages/${id}`, 303);
  })
  .get("/listings/:slug/contact", page, signedInOnly(), slugParam, async (c) => {
    const { value: listing } = await readListing(readContext(c), c.req.valid("param").slug);
    return c.render(<ContactPage sellerName={listing.seller.displayName} about={listing.title} action={`/listings/${listing.slug}/contact`} />, {
      title: `Contact ${listing.seller.displayName}`,
    });
  })
  .post("/listings/:slug/contact", formPost, signedInOnly(), slugParam, async (c) => {
    const { value: listing } = await readListing(readContext(c), c.req.valid("param").slug);
    const conversation = await startConversation(c.var.db, requireAuth(c), { listingId: listing.id });
    return c.redirect(`/messages/${conversation.id}`, 303);
  })
  .get("/sellers/:username/contact", page, signedInOnly(), usernameParam, async (c) => {
    const { seller } = (await readSeller(readContext(c), c.req.valid("param").username)).value;
    return c.render(<ContactPage sellerName={seller.displayName} action={`/sellers/${seller.username}/contact`} />, { title: `Contact ${seller.displayName}` });
  })
  .post("/sellers/:username/contact", formPost, signedInOnly(), usernameParam, async (c) => {
    const conversation = await startConversation(c.var.db, requireAuth(c), { sellerUsername: c.req.valid("param").username });
    return c.redirect(`/messages/${conversation.id}`, 303);
  });
