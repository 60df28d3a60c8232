// Issue 10 item 2 and issue 11 item 3: one OpenAI-compatible client in lib/ serves the judge, the gateway and the load
// harness. Its transport (lib/openai/transport.ts) is the only product file that opens HTTP requests to a model server
// (http.request / https.request / http.get, or an agent of its own); the three callers import it. This check fails
// when a new caller grows a client of its own.
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { sourceFiles } from "../support/sourceFiles";

const product = ["lib", "components", "app", "cli", "workers"]
  .flatMap((dir) => sourceFiles(dir, (name) => /\.(ts|tsx|mjs)$/.test(name)))
  .filter((file) => !file.startsWith("lib/generated/"));
const read = (file: string) => fs.readFileSync(file, "utf8");

describe("one OpenAI-compatible client", () => {
  it("only lib/openai/transport.ts sends requests with node:http(s) or makes agents", () => {
    const client = /\bhttps?\.(request|get)\(|new\s+https?\.Agent\(|\btransport\.(request|get)\(/;
    expect(product.filter((file) => client.test(read(file)))).toEqual(["lib/openai/transport.ts"]);
  });

  it("the gateway, the judge and the harness reach model servers through it", () => {
    const imports = (file: string) => /from "@\/lib\/openai\/(transport|chat|stream)"/.test(read(file));
    // The gateway's data plane, the judge's chat call, the harness's timed stream and its model lookup.
    for (const file of [
      "lib/dataPlane/gateway.ts",
      "lib/judge/judge.ts",
      "lib/openai/stream.ts",
      "lib/openai/chat.ts",
      "lib/harness/run.ts",
      "lib/harness/harness.ts",
    ]) {
      expect(imports(file), file).toBe(true);
    }
    expect(read("lib/openai/chat.ts")).toMatch(/from "@\/lib\/openai\/transport"/);
    expect(read("lib/openai/stream.ts")).toMatch(/from "@\/lib\/openai\/transport"/);
    expect(read("lib/dataPlane/gateway.ts")).toMatch(/from "@\/lib\/openai\/transport"/);
  });
});
