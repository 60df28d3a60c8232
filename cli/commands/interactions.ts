import fs from "node:fs";
import cliProgress from "cli-progress";
import type { Command } from "commander";
import { interactionFileBatches } from "../interactionFile";
import { UsageError } from "../usage";

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
        for await (const b of interactionFileBatches(file)) {
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
