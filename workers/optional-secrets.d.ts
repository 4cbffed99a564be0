// Secrets production may leave unset; `wrangler types` lists only the required ones (wrangler.toml [secrets]).
interface Env {
  /** A read replica's connection string. */
  DATABASE_REPLICA_URL?: string;
  /** The email API key, when EMAIL_PROVIDER is "http". */
  EMAIL_API_KEY?: string;
  /** A Cloudflare API token with the Cache Purge permission on CLOUDFLARE_ZONE_ID. */
  CLOUDFLARE_PURGE_TOKEN?: string;
}
declare namespace Cloudflare {
  interface Env {
    DATABASE_REPLICA_URL?: string;
    EMAIL_API_KEY?: string;
    CLOUDFLARE_PURGE_TOKEN?: string;
  }
}
