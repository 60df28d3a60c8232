import { spawn } from "node:child_process";
import { expect } from "vitest";
import { freePort } from "./ports";

/** Runs the real `assay start` (what `npm start` runs) with `env` on free ports until it exits (killed after 30 s). */
export async function runStart(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const base: NodeJS.ProcessEnv = { ...process.env, PORT: String(await freePort()), ASSAY_PG_PORT: String(await freePort()) };
  for (const k of ["DATABASE_URL", "ASSAY_DATA_DIR", "HOST"]) delete base[k];
  const child = spawn(process.execPath, ["cli/bin.mjs", "start"], { env: { ...base, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  clearTimeout(timer);
  return { code, stdout, stderr };
}

/** The start failed with exactly one line, `message`, and no stack trace anywhere in its output. */
export function expectOneLine(res: { stdout: string; stderr: string }, message: string): void {
  expect(res.stderr).toBe(`error: ${message}\n`);
  expect(`${res.stdout}${res.stderr}`).not.toMatch(/\n\s+at |Error:|node:internal/);
}
