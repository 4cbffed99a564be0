import type { FaqEntry } from "../../workers/data/schema/index.ts";

/** Canned copy that listings, orders and reviews are assembled from. */

export const INTROS = [
  "Hi, I'm {name}, a {role} with {years} years of experience.",
  "Welcome! I'm {name}, a professional {role}, and I have been doing this for {years} years.",
  "Looking for a reliable {role}? I'm {name}, and I have {years} years of experience to offer.",
  "Hello! {name} here, a full-time {role} who has been freelancing for {years} years.",
];

export const OFFERS = ["In this gig I will {offer}.", "I will {offer}, tailored to your goals and your audience.", "Need someone to {offer}? That is exactly what I do."];

export const CLOSERS = [
  "Please message me before ordering so we can discuss your project.",
  "Not sure which package fits? Send me a message and I'll recommend one.",
  "I revise until you are happy with the result.",
  "Custom requests are welcome, just ask.",
  "Order now and let's get started!",
];

export const BIO_CLOSERS = [
  "I reply within a few hours and love long-term collaborations.",
  "Let's talk about your project before you order, and I'll suggest the best package.",
  "Quality, honesty and clear communication are how I work.",
  "When I'm not working you'll find me hiking, reading or learning something new.",
  "I treat every project as if it were my own business.",
];

export const FAQ: FaqEntry[] = [
  { question: "What do you need from me to get started?", answer: "A short brief, any examples you like and your deadline. I'll ask follow-up questions if anything is unclear." },
  { question: "Can you deliver faster?", answer: "Often, yes. Add the extra-fast delivery option or message me to check my schedule." },
  { question: "How many revisions do I get?", answer: "Each package lists its revisions. Small tweaks after delivery are always free." },
  { question: "Will I own the final work?", answer: "Yes. Once the order is complete you receive full commercial rights to everything delivered." },
  { question: "Can I get a custom offer?", answer: "Of course. Describe your project in a message and I'll send you a custom offer." },
  { question: "Which package should I choose?", answer: "Basic suits small projects, Standard is the most popular, and Premium includes everything with priority support." },
  { question: "Do you work with clients in other time zones?", answer: "Yes, most of my clients are abroad. I reply within a few hours on working days." },
  { question: "What if I'm not satisfied?", answer: "Tell me what is missing and I'll make it right. If we still can't agree, we'll find a fair solution." },
];

export const TIER_NAMES = {
  basic: ["Basic", "Starter", "Essential", "Lite"],
  standard: ["Standard", "Professional", "Business", "Plus"],
  premium: ["Premium", "Ultimate", "Complete", "Pro"],
} as const;

export const TIER_DESCRIPTIONS = {
  basic: ["A simple {leaf} package to get you started.", "The essentials, ideal for small projects and tight budgets."],
  standard: ["The most popular choice, with more depth and polish.", "More features and revisions for growing projects."],
  premium: ["The complete {leaf} package with priority delivery and support.", "Full service: every feature, top priority and extended support."],
} as const;

export const EXTRA_FAST = "Extra-fast delivery";

export const REQUIREMENTS = [
  "Please follow the brief I attached and keep the tone friendly.",
  "Our brand colors are navy and coral. Examples we like are in the shared folder.",
  "Deadline is firm, please keep me posted on progress.",
  "Target audience is small business owners aged 30 to 50.",
  "See the attached notes. Happy to jump on a quick call if needed.",
  "",
];

export const REVIEWS = {
  great: [
    "Absolutely fantastic work, exceeded my expectations.",
    "Fast, professional and a pleasure to work with. Will order again!",
    "Delivered ahead of schedule and the quality is outstanding.",
    "Understood exactly what I wanted from a very short brief.",
    "Great communication throughout. Highly recommended.",
    "Second order with this seller and just as good as the first.",
    "Went above and beyond, even suggested improvements I hadn't thought of.",
  ],
  good: [
    "Good work overall, needed one small revision but handled quickly.",
    "Solid result and friendly communication.",
    "Happy with the delivery. A little slower than expected, but worth it.",
    "Did what was promised. Would work with again.",
  ],
  mixed: [
    "The result is okay, but it took a few rounds to get there.",
    "Decent work, though communication could have been better.",
    "Average experience. Delivered on time but needed more polish.",
  ],
  poor: [
    "Not what I asked for, and the revisions didn't really fix it.",
    "Delivery was late and the quality was below what the samples showed.",
    "Communication was difficult and the final result was disappointing.",
  ],
} as const;

export const SELLER_REPLIES = {
  positive: ["Thank you so much! It was a pleasure working with you.", "Thanks for the kind words, looking forward to the next project!", "Really appreciate it, glad you're happy with the result."],
  negative: ["Sorry to hear this. I offered further revisions and remain available to fix it.", "Thank you for the feedback. I'll use it to improve my process."],
} as const;

/** Fills {placeholders} in a template. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (match, key: string) => String(values[key] ?? match));
}

/** "a eye-catching logo" → "an eye-catching logo", "a SEO audit" → "an SEO audit" (the copy avoids "u" words). */
export function fixArticles(text: string): string {
  return text.replace(/\b([Aa]) (?=[aeioAEIO]|[FHLMNSX][A-Z])/g, "$1n ");
}
