import { createHash } from "node:crypto";
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { childEnv } from "@/lib/env";

const SOURCES = [
  "app",
  "components",
  "lib",
  "proxy.ts",
  "next.config.ts",
  "postcss.config.mjs",
  "tsconfig.json",
  "package-lock.json",
  "prisma/schema.prisma",
];
const FINGERPRINT_FILE = path.join(".next", "assay-source-fingerprint");

function listFiles(entry: string): string[] {
  if (!fs.existsSync(entry)) return [];
  const stat = fs.statSync(entry);
  if (stat.isFile()) return [entry];
  if (entry.endsWith(path.join("lib", "generated"))) return [];
  return fs
    .readdirSync(entry)
    .sort()
    .flatMap((name) => listFiles(path.join(entry, name)));
}

/** SHA-256 over the web app's sources: a build is current when it was made from exactly these files. */
export function sourceFingerprint(root: string): string {
  const hash = createHash("sha256");
  for (const file of SOURCES.flatMap((s) => listFiles(path.join(root, s)))) {
    hash.update(path.relative(root, file));
    hash.update(fs.readFileSync(file));
  }
  return hash.digest("hex");
}

/** True when .next holds a production build (of whatever sources). */
export function hasBuild(root: string): boolean {
  return fs.existsSync(path.join(root, ".next", "BUILD_ID"));
}

/** True when .next holds a production build of the current sources. */
export function buildIsCurrent(root: string): boolean {
  const marker = path.join(root, FINGERPRINT_FILE);
  return hasBuild(root) && fs.existsSync(marker) && fs.readFileSync(marker, "utf8") === sourceFingerprint(root);
}

/** Runs `next build` and records the source fingerprint; output goes to `log`. */
export function buildWebApp(root: string, log: (line: string) => void): Promise<void> {
  const fingerprint = sourceFingerprint(root);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"], {
      cwd: root,
      env: childEnv({ NEXT_TELEMETRY_DISABLED: "1" }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    const onData = (d: Buffer) => {
      for (const line of d.toString().split("\n")) if (line.trim()) log(line);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`The web app's build failed (next build exit ${code}); its output is above.`));
      fs.writeFileSync(path.join(root, FINGERPRINT_FILE), fingerprint);
      resolve();
    });
  });
}
