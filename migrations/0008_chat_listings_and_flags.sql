CREATE TABLE "conversation_listings" (
	"conversation_id" uuid NOT NULL,
	"listing_id" uuid NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "conversation_listings_conversation_id_listing_id_pk" PRIMARY KEY("conversation_id","listing_id")
);
--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "flagged" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "conversation_listings" ADD CONSTRAINT "conversation_listings_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_listings" ADD CONSTRAINT "conversation_listings_listing_id_listings_id_fk" FOREIGN KEY ("listing_id") REFERENCES "public"."listings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "conversation_listings_listing_idx" ON "conversation_listings" USING btree ("listing_id");