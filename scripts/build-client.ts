// Bundles the browser scripts into web/public (served as static assets). wrangler runs this before
// `wrangler dev` and `wrangler deploy` ([build] in wrangler.toml), so the output is never committed.
import { build } from "esbuild";
import { projectRoot } from "./local/bin.ts";

await build({
  absWorkingDir: projectRoot,
  entryPoints: { chat: "web/client/chat.ts", photos: "web/client/photos.ts" },
  outdir: "web/public",
  bundle: true,
  format: "esm",
  minify: true,
  sourcemap: "linked",
  target: "es2022",
  logLevel: "warning",
});
