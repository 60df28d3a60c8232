import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { env, EnvError, setEnv } from "@/lib/env";

const saved = { ...process.env };
afterEach(() => {
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  setEnv(saved as Record<string, string>);
});

describe("lib/env", () => {
  it("applies the documented defaults", () => {
    for (const k of ["PORT", "ASSAY_PG_PORT", "ASSAY_WORKERS", "ASSAY_DATA_DIR", "DATABASE_URL"]) delete process.env[k];
    setEnv({});
    expect(env()).toMatchObject({
      PORT: 3000,
      ASSAY_PG_PORT: 54329,
      ASSAY_WORKERS: 1,
      ASSAY_DATA_DIR: ".assay",
      ASSAY_LOGIN_MAX_FAILURES: 10,
      ASSAY_MAX_BODY_BYTES: 1_048_576,
    });
    expect(env().DATABASE_URL).toBeUndefined();
  });

  it.each([
    ["PORT", "abc", "PORT must be a whole number from 0 to 65535"],
    ["PORT", "70000", "PORT must be a whole number from 0 to 65535"],
    ["ASSAY_WORKERS", "-1", "ASSAY_WORKERS must be a whole number from 0 to 16"],
    ["DATABASE_URL", "mysql://x", "DATABASE_URL must be a postgresql:// connection string"],
    ["ASSAY_DEMO", "maybe", "ASSAY_DEMO must be 1 or 0"],
    ["NEXTAUTH_SECRET", "short", "NEXTAUTH_SECRET must be at least 16 characters"],
    ["ASSAY_BOOTSTRAP_API_KEY", "sk-123", "ASSAY_BOOTSTRAP_API_KEY must look like assay_"],
  ])("%s=%s is refused naming the variable", (name, value, message) => {
    setEnv({ [name]: value });
    expect(() => env()).toThrow(EnvError);
    expect(() => env()).toThrow(message);
  });

  it("needs both bootstrap admin variables or neither", () => {
    setEnv({ ASSAY_BOOTSTRAP_ADMIN_EMAIL: "boss@example.com" });
    expect(() => env()).toThrow("set both ASSAY_BOOTSTRAP_ADMIN_EMAIL and ASSAY_BOOTSTRAP_ADMIN_PASSWORD, or neither");
  });

  it("assay start exits 2 with the message when the environment is wrong, and writes nothing", () => {
    const res = spawnSync(process.execPath, ["cli/bin.mjs", "start"], {
      env: { ...saved, PORT: "abc", ASSAY_DATA_DIR: "/nonexistent/should-not-be-created" },
      encoding: "utf8",
    });
    expect(res.status).toBe(2);
    expect(res.stderr).toContain("PORT must be a whole number from 0 to 65535");
    expect(res.stderr).not.toMatch(/\n\s+at /);
    expect(fs.existsSync("/nonexistent/should-not-be-created")).toBe(false);
  });
});
