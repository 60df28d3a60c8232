import fs from "node:fs";
import readline from "node:readline";
import cliProgress from "cli-progress";
import type { Command } from "commander";
import Papa from "papaparse";
import { csvRecords } from "../../lib/ingest/csv";
import { UsageError } from "../usage";

const BATCH = 1000;
const MAX_JSON_BYTES = 100 * 1024 * 1024;

interface SendFlags {
  url: string;
  experiment?: string;
  quiet?: boolean;
}

interface Answer {
  accepted?: number;
  duplicates?: number;
  rejected?: { index: number; field: string; message: string }[];
  error?: { message: string };
}

/** Records of a file, in batches, with where each is in the file ("line 12", "row 4", "record 7") and the bytes read so far. */
async function* batches(file: string): AsyncGenerator<{ records: unknown[]; where: (i: number) => string; bytes: number }> {
  const lower = file.toLowerCase();
  const stream = () => fs.createReadStream(file);
  if (lower.endsWith(".ndjson") || lower.endsWith(".jsonl")) {
    const s = stream();
    const lines = readline.createInterface({ input: s, crlfDelay: Infinity });
    let n = 0;
    let records: unknown[] = [];
    let at: number[] = [];
    for await (const line of lines) {
      n++;
      if (!line.trim()) continue;
      try {
        records.push(JSON.parse(line));
      } catch {
        throw new UsageError(`${file}: line ${n} is not valid JSON; each line must be one JSON object.`);
      }
      at.push(n);
      if (records.length === BATCH) {
        const lineNumbers = at;
        yield { records, where: (i) => `line ${lineNumbers[i]}`, bytes: s.bytesRead };
        records = [];
        at = [];
      }
    }
    if (records.length) yield { records, where: (i) => `line ${at[i]}`, bytes: s.bytesRead };
  } else if (lower.endsWith(".csv")) {
    const s = stream();
    const rows = s.pipe(Papa.parse(Papa.NODE_STREAM_INPUT, { skipEmptyLines: "greedy" }));
    let header: string[] | null = null;
    let pending: string[][] = [];
    let offset = 0;
    const flush = function* () {
      const raw = csvRecords(header!, pending, offset);
      const bad = raw.find((r) => r.problem);
      if (bad?.problem) throw new UsageError(`${file}: row ${bad.index + 2}: ${bad.problem.message}.`);
      const first = offset;
      offset += pending.length;
      pending = [];
      yield { records: raw.map((r) => r.value), where: (i: number) => `row ${first + i + 2}`, bytes: s.bytesRead };
    };
    for await (const row of rows as AsyncIterable<string[]>) {
      if (!header) {
        header = row.map((h) => h.replace(/^\uFEFF/, ""));
        continue;
      }
      pending.push(row);
      if (pending.length === BATCH) yield* flush();
    }
    if (!header) throw new UsageError(`${file}: the CSV is empty; its first line must name the fields (request_id,user_id,…).`);
    if (pending.length) yield* flush();
  } else if (lower.endsWith(".json")) {
    const size = fs.statSync(file).size;
    if (size > MAX_JSON_BYTES)
      throw new UsageError(`${file}: a .json file is read whole, so at most 100 MB; save large files as NDJSON or CSV.`);
    let all: unknown;
    try {
      all = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch {
      throw new UsageError(`${file} is not valid JSON.`);
    }
    if (!Array.isArray(all)) throw new UsageError(`${file} must hold a JSON list of records: [{...}, {...}].`);
    for (let i = 0; i < all.length; i += BATCH) {
      yield {
        records: all.slice(i, i + BATCH),
        where: (j) => `record ${i + j + 1}`,
        bytes: Math.round((size * Math.min(all.length, i + BATCH)) / all.length),
      };
    }
  } else {
    throw new UsageError(`${file}: name the file .csv, .ndjson, .jsonl or .json so Assay knows how to read it.`);
  }
}

/** `assay interactions send <file>`: logs a file of interactions through POST /api/v1/interactions, 1,000 at a time. */
export function registerInteractions(program: Command): void {
  const interactions = program.command("interactions").description("Log interactions from files");
  interactions
    .command("send <file>")
    .description("Send a CSV, NDJSON or JSON file of interactions to Assay, 1,000 at a time; sending it again stores nothing twice")
    .option("--url <url>", "Assay's address", process.env.ASSAY_URL ?? "http://localhost:3000")
    .option("--experiment <key>", "the experiment of rows that name none (experiment_key)")
    .option("--quiet", "no progress bar")
    .addHelpText("after", "\nThe API key comes from ASSAY_API_KEY (a key of an ADMIN, PM or ENGINEER; Settings > API keys).")
    .action(async (file: string, flags: SendFlags) => {
      const key = process.env.ASSAY_API_KEY;
      if (!key) throw new UsageError("Set ASSAY_API_KEY to an API key (create one in Settings > API keys).");
      let base: URL;
      try {
        base = new URL(flags.url);
        if (!/^https?:$/.test(base.protocol)) throw new Error();
      } catch {
        throw new UsageError(`--url must be an http(s) address like http://localhost:3000, got "${flags.url}".`);
      }
      if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new UsageError(`${file}: no such file.`);
      const total = fs.statSync(file).size;
      const bar =
        flags.quiet || !process.stderr.isTTY
          ? null
          : new cliProgress.SingleBar(
              { format: "{bar} {percentage}% | {stored} stored, {duplicates} already there", stream: process.stderr },
              cliProgress.Presets.shades_classic,
            );
      bar?.start(total, 0, { stored: 0, duplicates: 0 });
      let accepted = 0;
      let duplicates = 0;
      try {
        for await (const b of batches(file)) {
          const body = b.records.map((r) =>
            flags.experiment && r && typeof r === "object" && !Array.isArray(r) && !("experiment_key" in r)
              ? { experiment_key: flags.experiment, ...r }
              : r,
          );
          let res: Response;
          try {
            res = await fetch(new URL("/api/v1/interactions", base), {
              method: "POST",
              headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
              body: JSON.stringify(body),
            });
          } catch {
            throw new Error(`Could not reach Assay at ${base.origin}; is it running? ${accepted} rows were stored before.`);
          }
          const answer = (await res.json().catch(() => ({}))) as Answer;
          if (!res.ok) {
            const lines = (answer.rejected ?? []).slice(0, 20).map((r) => `  ${b.where(r.index)}, ${r.field}: ${r.message}`);
            const head = lines.length
              ? `A batch was refused, so none of its rows were stored (${accepted} stored before it). Fix these and send the file again (rows already stored count as duplicates):`
              : (answer.error?.message ?? `Assay answered ${res.status}.`);
            throw new Error([head, ...lines].join("\n"));
          }
          accepted += answer.accepted ?? 0;
          duplicates += answer.duplicates ?? 0;
          bar?.update(b.bytes, { stored: accepted, duplicates });
        }
      } finally {
        bar?.stop();
      }
      process.stdout.write(`${accepted} stored, ${duplicates} already there.\n`);
    });
}
