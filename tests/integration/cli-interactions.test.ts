// `assay interactions send <file>` against the running stack: NDJSON, CSV and JSON files land through the ingestion API,
// a second send stores nothing twice, a refused batch names the file's line and field, and bad usage exits 2 in one line.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { api, baseUrl } from "../support/http";
import { minimalExperimentBody } from "../support/experiments";
import { demoCredentials } from "../support/roles";

const KEY = `cli-ingest-${Date.now().toString(36)}`;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-cli-ingest-"));
let creds: Awaited<ReturnType<typeof demoCredentials>>;

function send(file: string, key: string | undefined, extra: string[] = []) {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.ASSAY_API_KEY;
  if (key) env.ASSAY_API_KEY = key;
  return spawnSync(
    process.execPath,
    ["cli/bin.mjs", "interactions", "send", file, "--url", baseUrl(), "--experiment", KEY, "--quiet", ...extra],
    { env, encoding: "utf8" },
  );
}

const row = (i: number, over: Record<string, unknown> = {}) => ({
  request_id: `cli-${i}`,
  user_id: `u${i}`,
  variant_id: i % 2 ? "A" : "B",
  latency_ms: 1000 + i,
  ...over,
});

beforeAll(async () => {
  creds = await demoCredentials();
  expect((await api("/api/v1/experiments", { key: inject("apiKey"), body: minimalExperimentBody(KEY) })).status).toBe(201);
});

describe("assay interactions send", () => {
  it("sends NDJSON in batches of 1,000, and a second send finds them all already there", () => {
    const file = path.join(dir, "logs.ndjson");
    fs.writeFileSync(file, Array.from({ length: 2500 }, (_, i) => JSON.stringify(row(i))).join("\n") + "\n");
    const first = send(file, creds.ENGINEER.key);
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    expect(first.stdout).toBe("2500 stored, 0 already there.\n");
    expect(send(file, creds.ENGINEER.key).stdout).toBe("0 stored, 2500 already there.\n");
  });

  it("sends CSV and JSON files the same way", () => {
    const csv = path.join(dir, "logs.csv");
    fs.writeFileSync(csv, ["request_id,user_id,variant_id,latency_ms,metrics.resolved", "csv-1,u1,A,900,1", "csv-2,u2,B,950,0"].join("\n"));
    expect(send(csv, creds.ENGINEER.key).stdout).toBe("2 stored, 0 already there.\n");
    const json = path.join(dir, "logs.json");
    fs.writeFileSync(json, JSON.stringify([row(9001), row(9002), row(9003)]));
    expect(send(json, creds.ENGINEER.key).stdout).toBe("3 stored, 0 already there.\n");
  });

  it("a refused batch names the line and field, and exits 1 without a stack trace", () => {
    const file = path.join(dir, "bad.ndjson");
    fs.writeFileSync(file, [row(5001), row(5002), row(5003, { latency_ms: -1 })].map((r) => JSON.stringify(r)).join("\n"));
    const res = send(file, creds.ENGINEER.key);
    expect(res.status).toBe(1);
    expect(res.stderr).toContain("none of its rows were stored (0 stored before it)");
    expect(res.stderr).toContain("  line 3, latency_ms: latency_ms must not be negative");
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });

  it("bad usage exits 2 in one line: no key, a bad URL, no such file, an unknown extension; a REVIEWER's key is refused", () => {
    const file = path.join(dir, "logs.ndjson");
    const noKey = send(file, undefined);
    expect(noKey.status).toBe(2);
    expect(noKey.stderr).toBe("error: Set ASSAY_API_KEY to an API key (create one in Settings > API keys).\n");
    const badUrl = spawnSync(process.execPath, ["cli/bin.mjs", "interactions", "send", file, "--url", "ftp://x"], {
      env: { ...process.env, ASSAY_API_KEY: "k" },
      encoding: "utf8",
    });
    expect(badUrl.status).toBe(2);
    expect(badUrl.stderr).toContain("--url must be an http(s) address");
    expect(send(path.join(dir, "missing.csv"), creds.ENGINEER.key).stderr).toContain("no such file");
    const txt = path.join(dir, "logs.txt");
    fs.writeFileSync(txt, "x");
    expect(send(txt, creds.ENGINEER.key).status).toBe(2);
    const reviewer = send(file, creds.REVIEWER.key);
    expect(reviewer.status).toBe(1);
    expect(reviewer.stderr).toBe("error: Your role (REVIEWER) may not do this (interactions:write).\n");
  });
});
