// Upstash's Lua accepts `#!lua flags=allow-key-locking` (which @upstash/ratelimit puts on every script)
// but stock Redis refuses unknown shebang flags. Scripts are stripped of that flag before Redis sees
// them, and SHA1s are translated both ways, so EVALSHA with the hash of the script as the client
// wrote it still finds the script and SCRIPT LOAD still answers that hash.
import { createHash } from "node:crypto";

type Arg = string | number | boolean;
export type Command = [name: string, ...args: Arg[]];

const UPSTASH_ONLY_FLAGS = new Set(["allow-key-locking"]);

export interface LuaTranslation {
  command: Command;
  /** Rewrites Redis's reply into the one the client expects. */
  reply?: (reply: unknown) => unknown;
}

export function createLuaCompat(): { translate(command: Command): LuaTranslation } {
  // SHA1 of the script as sent → SHA1 of the script Redis cached.
  const redisSha = new Map<string, string>();

  function strip(script: string): string {
    if (!script.startsWith("#!")) return script;
    const newline = script.indexOf("\n");
    const end = newline === -1 ? script.length : newline;
    const shebang = script
      .slice(0, end)
      .split(" ")
      .map((part) => {
        if (!part.startsWith("flags=")) return part;
        const flags = part.slice("flags=".length).split(",").filter((flag) => !UPSTASH_ONLY_FLAGS.has(flag));
        return flags.length > 0 ? `flags=${flags.join(",")}` : "";
      })
      .filter(Boolean)
      .join(" ");
    const stripped = shebang + script.slice(end);
    if (stripped !== script) redisSha.set(sha1(script), sha1(stripped));
    return stripped;
  }

  const toRedisSha = (sha: Arg) => redisSha.get(String(sha).toLowerCase()) ?? String(sha);

  return {
    translate(command) {
      const [name, first, ...rest] = command;
      const upper = name.toUpperCase();
      if (first === undefined) return { command };
      if (upper === "EVAL" || upper === "EVAL_RO") return { command: [name, strip(String(first)), ...rest] };
      if (upper === "EVALSHA" || upper === "EVALSHA_RO") return { command: [name, toRedisSha(first), ...rest] };
      if (upper !== "SCRIPT") return { command };
      const sub = String(first).toUpperCase();
      if (sub === "EXISTS") return { command: [name, first, ...rest.map(toRedisSha)] };
      if (sub === "LOAD" && rest.length === 1) {
        const script = String(rest[0]);
        const stripped = strip(script);
        if (stripped === script) return { command };
        return { command: [name, first, stripped], reply: () => Buffer.from(sha1(script)) };
      }
      return { command };
    },
  };
}

function sha1(text: string): string {
  return createHash("sha1").update(text).digest("hex");
}
