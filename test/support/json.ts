import type { ErrorBody } from "../../workers/lib/errors.ts";

/**
 * A JSON response body as the type the API declares for it (import those from the domain's view
 * modules: `ListingResponse`, `ListingsPage`, `UserResponse`…), instead of a shape cast by hand in
 * each test. When the answer is not JSON the test fails with its status and the start of its body.
 */
export async function json<T>(res: Response): Promise<T> {
  const text = await res.text();
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`expected a JSON body, got ${res.status}: ${text.slice(0, 200)}`);
  }
}

/** Where one input was refused: zod's issues from `validate`, or the publication rules' problems. */
interface Refused {
  path: string;
  message: string;
}

/** The error envelope of a refused input; the envelope types `details` as unknown, these are the two shapes it takes. */
export type RefusalBody = ErrorBody & { error: { details?: { issues?: Refused[]; problems?: Refused[] } } };

export type { ErrorBody };
