#!/usr/bin/env node
// `npm test`: lint, typecheck, unit tests, then integration + end-to-end tests against a real stack.
// Installs Debian's Chromium first when it is missing and we may (root with apt-get); otherwise says what to install.
import { execSync, spawnSync } from "node:child_process";
import fs from "node:fs";

function has(cmd) {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
}

if (!has("chromium")) {
  const root = typeof process.getuid === "function" && process.getuid() === 0;
  if (root && has("apt-get")) {
    console.log("Chromium is missing: installing Debian's chromium package…");
    execSync("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium", { stdio: "inherit" });
  } else {
    console.error("The end-to-end tests need Debian's Chromium. Install it with: sudo apt-get install -y chromium");
    process.exit(1);
  }
}

fs.mkdirSync("tests/.artifacts", { recursive: true });
const steps = [
  ["lint", ["npm", "run", "--silent", "lint"]],
  ["typecheck", ["npx", "tsc", "--noEmit", "-p", "."]],
  ["unit", ["npx", "vitest", "run", "--reporter=default", "--reporter=json", "--outputFile.json=tests/.artifacts/unit.json"]],
  [
    "integration + e2e",
    [
      "npx",
      "vitest",
      "run",
      "--config",
      "vitest.app.config.ts",
      "--reporter=default",
      "--reporter=json",
      "--outputFile.json=tests/.artifacts/app.json",
    ],
  ],
];

let passed = 0;
let failed = 0;
const started = Date.now();
for (const [name, [cmd, ...args]] of steps) {
  const t = Date.now();
  console.log(`\n=== ${name} ===`);
  const res = spawnSync(cmd, args, { stdio: "inherit", env: process.env });
  const seconds = ((Date.now() - t) / 1000).toFixed(1);
  const report = name === "unit" ? "tests/.artifacts/unit.json" : name.startsWith("integration") ? "tests/.artifacts/app.json" : null;
  if (report && fs.existsSync(report)) {
    const r = JSON.parse(fs.readFileSync(report, "utf8"));
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    if (r.numTotalTests === 0) {
      console.error(`${name}: no tests ran`);
      process.exit(1);
    }
  }
  console.log(`=== ${name}: ${res.status === 0 ? "ok" : "FAILED"} in ${seconds} s ===`);
  if (res.status !== 0) {
    console.log(`\nTests: ${passed} passed, ${Math.max(failed, 1)} failed`);
    process.exit(res.status ?? 1);
  }
}
console.log(`\nAll tiers passed in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
console.log(`Tests: ${passed} passed, ${failed} failed`);
