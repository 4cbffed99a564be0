// Secrets production may leave unset; `wrangler types` lists only the required ones (wrangler.toml [secrets]).
interface OptionalSecrets {
  /** A read replica's connection string. */
  DATABASE_REPLICA_URL?: string;
  /** The email API key, when EMAIL_PROVIDER is "http". */
  EMAIL_API_KEY?: string;
}

interface Env extends OptionalSecrets {}
declare namespace Cloudflare {
  interface Env extends OptionalSecrets {}
}
