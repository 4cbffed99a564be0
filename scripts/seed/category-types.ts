/** A subcategory and the vocabulary its listings are written from. */
export interface LeafCategory {
  name: string;
  slug: string;
  description: string;
  /** Listing titles after "I will"; {style} and {subject} are filled in from the lists below. */
  titles: string[];
  styles: string[];
  subjects: string[];
  tags: string[];
  /** Typical price of the basic package, in dollars. */
  price: number;
}

export interface RootCategory {
  name: string;
  slug: string;
  description: string;
  /** What a seller here calls themselves: "graphic designer". */
  role: string;
  skills: string[];
  /** Package features, ordered roughly from basic to premium. */
  features: string[];
  extras: string[];
  /** Selling points for descriptions, one sentence each. */
  pitches: string[];
  /** Delivery days of a basic package: [fastest, slowest]. */
  days: [number, number];
  leaves: LeafCategory[];
}
