import { Command, CommanderError } from "commander";
import packageJson from "../package.json";
import { ExitWith, UsageError } from "./usage";
import { EnvError } from "@/lib/env";
import { registerSimulate } from "./commands/simulate";
import { registerPlan } from "./commands/plan";
import { registerStart } from "./commands/start";
import { registerBuild } from "./commands/build";
import { registerInteractions } from "./commands/interactions";
import { registerAa } from "./commands/aa";
import { registerAnalyze } from "./commands/analyze";
import { registerAgreement } from "./commands/agreement";
import { registerJudge } from "./commands/judge";
import { registerPairwise } from "./commands/pairwise";
import { registerReport } from "./commands/report";
import { registerCompare } from "./commands/compare";
import { registerHarness } from "./commands/harness";
import { registerBandit } from "./commands/bandit";

/** Builds the `assay` program; each command lives in cli/commands/<name>.ts. */
export function buildProgram(): Command {
  const program = new Command("assay")
    .description("Assay: A/B experiments for LLM applications, end to end")
    .version(packageJson.version)
    .exitOverride()
    .showHelpAfterError("(run with --help for usage)");
  registerStart(program);
  registerBuild(program);
  registerSimulate(program);
  registerPlan(program);
  registerInteractions(program);
  registerAnalyze(program);
  registerAa(program);
  registerAgreement(program);
  registerJudge(program);
  registerPairwise(program);
  registerHarness(program);
  registerReport(program);
  registerCompare(program);
  registerBandit(program);
  const all = (c: Command): Command[] => [c, ...c.commands.flatMap(all)];
  for (const cmd of all(program).slice(1)) cmd.exitOverride();
  return program;
}

/** Runs the CLI and returns its exit code: 0 ok, 1 runtime failure, 2 bad usage. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.code === "commander.help") return 0;
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof ExitWith) {
      process.stderr.write(`${err.message}\n`);
      return err.code;
    }
    if (err instanceof UsageError || err instanceof EnvError) {
      process.stderr.write(`error: ${err.message}\n`);
      return 2;
    }
    // Several lines only when the message is a list (a refused batch's rows); never a stack trace.
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
