import js from "@eslint/js";
import boundaries from "eslint-plugin-boundaries";
import tseslint from "typescript-eslint";

/**
 * The layers of docs/architecture.md, checked: each kind of module may import only the kinds listed
 * beside it, so a wrong import fails `npm run check` instead of waiting for a reviewer.
 */
const layers = {
  entry: { pattern: ["workers/index.ts", "workers/app.ts"], imports: ["entry", "wiring", "routes", "http", "queues", "objects", "domain", "lib", "web"] },
  wiring: { pattern: ["workers/context.ts", "workers/services.ts", "workers/*.d.ts"], imports: ["wiring", "domain", "data", "lib"] },
  routes: { pattern: ["workers/routes/**"], imports: ["routes", "http", "wiring", "domain", "lib", "web"] },
  http: { pattern: ["workers/http/**", "workers/middleware/**"], imports: ["http", "wiring", "domain", "lib"] },
  queues: { pattern: ["workers/queues/**"], imports: ["queues", "wiring", "domain", "lib"] },
  objects: { pattern: ["durable-objects/**"], imports: ["objects", "wiring", "domain", "lib"] },
  domain: { pattern: ["workers/domain/**"], imports: ["domain", "data", "lib"] },
  data: { pattern: ["workers/data/**"], imports: ["data", "lib"] },
  lib: { pattern: ["workers/lib/**"], imports: ["lib"] },
  web: { pattern: ["web/**"], imports: ["web", "domain", "lib"] },
  // Never deployed: they may use anything, and nothing deployed may use them.
  tooling: { pattern: ["scripts/**", "bench/**", "test/**", "*.ts"], imports: ["tooling", "entry", "wiring", "routes", "http", "queues", "objects", "domain", "data", "lib", "web"] },
};

/** Packages that speak SQL: only the data layer (and the tooling) may touch them. */
const SQL_PACKAGES = ["drizzle-orm", "drizzle-orm/*", "@neondatabase/*", "pg"];
/** Binding and runtime types the domain must not know, so tests and both Durable Objects can call it directly. */
const BINDING_TYPES = ["Env", "ExecutionContext", "DurableObjectState", "DurableObjectNamespace", "R2Bucket", "Queue", "MessageBatch", "KVNamespace", "Fetcher", "ImagesBinding", "RateLimit"];

const restrictPackages = (patterns, message) => ({
  "no-restricted-imports": ["error", { patterns: [{ group: patterns, message }] }],
});

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", ".local/", ".wrangler/", "worker-configuration.d.ts", "migrations/", "test-results/", "web/public/"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        project: ["./tsconfig.json", "./tsconfig.node.json"],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/only-throw-error": "error",
      eqeqeq: ["error", "smart"],
    },
  },
  // Browser scripts served as static assets (no build step): linted without type information.
  {
    files: ["web/public/**/*.js"],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      parserOptions: { project: null, projectService: false },
      globals: { document: "readonly", fetch: "readonly", setTimeout: "readonly", clearTimeout: "readonly", AbortController: "readonly" },
    },
  },
  {
    files: ["**/*.{ts,tsx}"],
    plugins: { boundaries },
    settings: {
      "boundaries/elements": Object.entries(layers).map(([type, { pattern }]) => ({ type, pattern, mode: "full" })),
      "boundaries/dependency-nodes": ["import", "export", "dynamic-import"],
      // v7 deprecates `mode: "full"` for `partialMatch: false`, which matches folders only; our entry and
      // wiring layers are single files at workers/ (as docs/architecture.md names them), so we keep it.
      "boundaries/legacy-warnings": false,
    },
    rules: {
      "boundaries/dependencies": [
        "error",
        {
          default: "disallow",
          checkUnknownLocals: true,
          message: "docs/architecture.md: {{from.type}} may not import {{to.type}}; see its layer table for what {{from.type}} may call instead (routes call the domain, the domain calls data).",
          policies: Object.entries(layers).map(([type, { imports }]) => ({
            from: { element: { type } },
            allow: { to: { element: { types: { anyOf: imports } } } },
          })),
        },
      ],
      "boundaries/no-unknown-files": "error",
    },
  },
  {
    files: ["workers/**/*.{ts,tsx}", "durable-objects/**/*.ts", "web/**/*.{ts,tsx}"],
    ignores: ["workers/data/**"],
    rules: restrictPackages(SQL_PACKAGES, "SQL lives in workers/data/: call a data function instead."),
  },
  {
    files: ["workers/domain/**/*.{ts,tsx}"],
    rules: {
      ...restrictPackages([...SQL_PACKAGES, "hono", "hono/*", "@hono/*", "cloudflare:*"], "workers/domain/ is plain code: no SQL, Hono or runtime modules."),
      "@typescript-eslint/no-restricted-types": [
        "error",
        { types: Object.fromEntries(BINDING_TYPES.map((name) => [name, "workers/domain/ takes plain values, not bindings: pass what it needs."])) },
      ],
    },
  },
  { files: ["*.js"], ...tseslint.configs.disableTypeChecked },
);
