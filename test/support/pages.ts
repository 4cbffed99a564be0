// Helpers for the server-rendered pages' tests: a browser's request for a page, and the account
// forms as a person fills them in.
import type { UserResponse } from "../../workers/domain/views.ts";
import { Client, STRONG_PASSWORD, uniqueEmail } from "./client.ts";
import { json } from "./json.ts";

export const page = (client: Client, path: string) => client.request(path, { headers: { Accept: "text/html" } });
export const html = (res: Response) => res.text();

export const me = async (client: Client) => (await json<UserResponse>(await client.request("/api/me"))).user;

/** Signs up through the form; returns the credentials and the response. */
export async function formSignUp(client = new Client()) {
  const fields = { name: "Form User", email: uniqueEmail("form"), password: STRONG_PASSWORD };
  const res = await client.form("/signup", fields);
  return { client, res, ...fields };
}
