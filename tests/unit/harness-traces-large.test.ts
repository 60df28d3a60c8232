// lib/harness/traces on a ~100 MB varcas trace: read whole, and written back, it must stream (the heap grows far less
// than the file) and give every request. The file is generated here, in varcas's own layout (indent 2, Python floats).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { readTrace, writeVarcasTrace } from "@/lib/harness/traces";
import { pythonFloat } from "@/lib/harness/traces/varcasWriter";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-traces-large-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const TARGET_BYTES = 100 * 1024 * 1024;
const MB = 1024 * 1024;
const file = path.join(dir, "large.json");
let generated: { count: number; bytes: number; lastTimestamp: number };

/** The SHA-256 of a file from the "prompts" array on (the metadata before it differs: total_requests, exported_at). */
async function promptsHash(target: string): Promise<string> {
  const fd = fs.openSync(target, "r");
  const buffer = Buffer.alloc(4096);
  fs.readSync(fd, buffer, 0, buffer.length, 0);
  fs.closeSync(fd);
  const start = buffer.indexOf('"prompts": [');
  const hash = createHash("sha256");
  for await (const chunk of fs.createReadStream(target, { start })) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Runs `body`, sampling the heap every `every` calls of the sampler it is given; returns the peak growth in MB. */
async function heapGrowthMb(body: (sample: () => void) => Promise<void>): Promise<number> {
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  let calls = 0;
  await body(() => {
    if (++calls % 5000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
  });
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  return (peak - before) / MB;
}

/** Writes a varcas trace of about TARGET_BYTES; returns its request count and last timestamp. */
async function writeLargeTrace(target: string): Promise<{ count: number; bytes: number; lastTimestamp: number }> {
  const out = fs.createWriteStream(target);
  const words = "the of and to in is you that it he was for on are as with his they at be this have from".split(" ");
  let bytes = 0;
  let count = 0;
  let timestamp = 0;
  const put = async (text: string) => {
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
  };
  await put(
    '{\n  "metadata": {\n    "source": "varcas_load_harness",\n    "total_requests": 0,\n    "profile": "chat_medium"\n  },\n  "prompts": [\n',
  );
  let batch = "";
  while (bytes + batch.length < TARGET_BYTES) {
    const prompt = Array.from({ length: 40 + (count % 60) }, (_, i) => words[(count + i * 7) % words.length]).join(" ");
    batch +=
      (count > 0 ? ",\n" : "") +
      `    {\n      "timestamp": ${pythonFloat(timestamp)},\n      "prompt": "User: ${prompt}.\\nAssistant:",\n      "max_tokens": ${1 + (count % 300)},\n` +
      `      "workload_type": "chat",\n      "input_tokens": ${40 + (count % 60)},\n      "output_tokens": ${count % 300}\n    }`;
    count++;
    timestamp += 0.05;
    if (batch.length > 256 * 1024) {
      await put(batch);
      batch = "";
    }
  }
  await put(`${batch}\n  ]\n}`);
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return { count, bytes, lastTimestamp: timestamp - 0.05 };
}

describe("a ~100 MB varcas trace", () => {
  it("streams when read: every request, the heap growing far less than the file", async () => {
    generated = await writeLargeTrace(file);
    const { count, bytes, lastTimestamp } = generated;
    expect(fs.statSync(file).size).toBe(bytes);
    expect(bytes).toBeGreaterThanOrEqual(TARGET_BYTES);

    let read = 0;
    let last = -1;
    const growthMb = await heapGrowthMb(async (sample) => {
      const reading = await readTrace(file);
      expect(reading.format).toBe("varcas-trace");
      for await (const request of reading.requests) {
        read++;
        last = request.timestamp;
        sample();
      }
    });
    expect(read).toBe(count);
    expect(last).toBeCloseTo(lastTimestamp, 6);
    expect(growthMb).toBeLessThan(60);
  }, 60_000);

  it("streams when written back, and the requests come out byte for byte as they went in", async () => {
    const target = path.join(dir, "written.json");
    const growthMb = await heapGrowthMb(async (sample) => {
      const reading = await readTrace(file);
      async function* sampled() {
        for await (const request of reading.requests) {
          sample();
          yield request;
        }
      }
      const { count } = await writeVarcasTrace(target, sampled(), reading.metadata);
      expect(count).toBe(generated.count);
    });
    expect(growthMb).toBeLessThan(60);
    expect(await promptsHash(target)).toBe(await promptsHash(file));
  }, 60_000);
});
