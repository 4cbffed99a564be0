// What the global setup (test/setup/global-setup.ts) provides to every test project.
declare module "vitest" {
  interface ProvidedContext {
    /** The Worker's vars pointing at this run's stack. */
    workerVars: Record<string, string>;
    /** A second migrated database, standing in for a read replica. */
    replicaDatabaseUrl: string;
    /** An Upstash endpoint whose Redis the tests may stop and start (never the shared one). */
    outageRedis: { url: string; token: string };
    /** Loopback URL of the harness control server (stop/start the outage Redis). */
    harnessUrl: string;
    /** Test photos made with sharp (test/setup/image-fixtures.ts), base64 by name. */
    imageFixtures: Record<string, string>;
  }
}

export {};
