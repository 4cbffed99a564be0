import { refreshSearchVocabulary } from "../domain/search.ts";
import { readConfig } from "../lib/config.ts";
import { openStores } from "../services.ts";

/** The cron job: the typo and suggestion vocabulary follows the listings within a minute. */
export async function refreshVocabulary(env: Env): Promise<boolean> {
  return refreshSearchVocabulary(openStores(readConfig(env)).db);
}
