// Secrets production may leave unset; `wrangler types` lists only the required ones (wrangler.toml [secrets]).
interface Env {
  /** A read replica's connection string. */
  DATABASE_REPLICA_URL?: string;
  /** The email API key, when EMAIL_PROVIDER is "http". */
  EMAIL_API_KEY?: string;
}
declare namespace Cloudflare {
  interface Env {
    DATABASE_REPLICA_URL?: string;
    EMAIL_API_KEY?: string;
  }
}
