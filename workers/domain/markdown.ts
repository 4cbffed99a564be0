import { micromark } from "micromark";

/**
 * Listing descriptions are a safe subset of Markdown: paragraphs, emphasis, lists, quotes, headings and
 * code. micromark escapes any HTML in the text; links and images are switched off as well, because a
 * description is no place to send buyers off the platform or to load third-party pictures.
 */
const SAFE_SUBSET = { disable: { null: ["htmlFlow", "htmlText", "labelStartImage", "labelStartLink", "autolink", "definition"] } };

export function renderDescription(markdown: string): string {
  return micromark(markdown, { extensions: [SAFE_SUBSET] });
}
