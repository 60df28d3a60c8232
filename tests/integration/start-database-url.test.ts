// `npm start` with a DATABASE_URL the test stack's real PostgreSQL refuses: one line naming DATABASE_URL, what is wrong and
// what to do, never the password (the cases needing no server, refused and unknown host, are in tests/unit/start-errors).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { expectOneLine, runStart } from "../support/assayStart";

let dir: string;
let server: URL;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-start-url-"));
  server = new URL(inject("databaseUrl"));
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function withChanges(change: (url: URL) => void): string {
  const url = new URL(server);
  change(url);
  return url.toString();
}

describe("assay start with a DATABASE_URL the server refuses", () => {
  it("a wrong password: names the user, not the password", async () => {
    const url = withChanges((u) => (u.password = "not-the-password-42"));
    const res = await runStart({ DATABASE_URL: url, ASSAY_DATA_DIR: path.join(dir, "password") });
    expect(res.code).toBe(1);
    expectOneLine(
      res,
      `The database server at 127.0.0.1:${server.port} refused the user "${server.username}" or its password: fix the user and password in DATABASE_URL.`,
    );
    expect(res.stdout + res.stderr).not.toContain("not-the-password-42");
    expect(res.stdout + res.stderr).not.toContain(decodeURIComponent(server.password));
  });

  it("a database that does not exist: says how to create it", async () => {
    const url = withChanges((u) => (u.pathname = "/no_such_database"));
    const res = await runStart({ DATABASE_URL: url, ASSAY_DATA_DIR: path.join(dir, "database") });
    expect(res.code).toBe(1);
    expectOneLine(
      res,
      `The database "no_such_database" does not exist on 127.0.0.1:${server.port}: create it (\`createdb no_such_database\`), or fix the database name at the end of DATABASE_URL.`,
    );
    expect(res.stdout + res.stderr).not.toContain(decodeURIComponent(server.password));
  });
});
