import { chmod, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { unenterableFolder } from "../../scripts/local/postgres.ts";

const made: string[] = [];
afterAll(async () => {
  for (const folder of made) await rm(folder, { recursive: true, force: true });
});

describe("the local Postgres as root", () => {
  it("names the folder the postgres user cannot enter (a private mktemp folder, as /root is)", async () => {
    const privateFolder = await mkdtemp(join(tmpdir(), "private-")); // mode 700, as mkdtemp makes it
    made.push(privateFolder);
    const project = join(privateFolder, "project", "node_modules");
    await mkdir(project, { recursive: true });
    expect(await unenterableFolder(project)).toBe(privateFolder);
    await chmod(privateFolder, 0o711);
    expect(await unenterableFolder(project)).toBeUndefined();
    expect(await unenterableFolder(join(project, "not", "made", "yet"))).toBeUndefined();
  });
});
