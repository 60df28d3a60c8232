// `assay simulate` as a user runs it: a real child process of cli/bin.mjs.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { startSimulator } from "../../lib/simulator";

const BIN = path.resolve(__dirname, "../../cli/bin.mjs");
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

function run(args: string[]) {
  const child = spawn(process.execPath, [BIN, "simulate", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk) => (stdout += chunk));
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    child,
    exited,
    output: () => ({ stdout, stderr }),
    /** Resolves with the printed URL once the simulator is listening. */
    listening: () =>
      new Promise<string>((resolve, reject) => {
        const check = () => {
          const match = stdout.match(/listening on (http:\/\/\S+)/);
          if (match) resolve(match[1]);
        };
        child.stdout!.on("data", check);
        child.on("exit", () => reject(new Error(`exited early: ${stderr}`)));
        check();
      }),
  };
}

describe("assay simulate", () => {
  it.each([
    [["--port", "abc"], "--port"],
    [["--error-rate", "2"], "--error-rate"],
    [["--jitter", "-1"], "--jitter"],
    [["--max-concurrency", "0"], "--max-concurrency"],
    [["--ttft-ms", "soon"], "--ttft-ms"],
  ])("%j exits 2 naming the flag", async (args, flag) => {
    const cli = run(args);
    expect(await cli.exited).toBe(2);
    expect(cli.output().stderr).toContain(flag);
  });

  it("starts on a free port, prints URL and models, serves, and exits 0 on SIGINT", async () => {
    const cli = run(["--port", "0", "--seed", "3", "--ttft-ms", "1", "--itl-ms", "0", "--model", "a,b", "--model", "c"]);
    const url = await cli.listening();
    expect(cli.output().stdout).toMatch(/models: a, b, c/);
    const models = await (await fetch(`${url}/v1/models`)).json();
    expect(models.data.map((m: { id: string }) => m.id)).toEqual(["a", "b", "c"]);
    const res = await fetch(`${url}/v1/chat/completions`, {
      method: "POST",
      body: JSON.stringify({ messages: [{ role: "user", content: "hi" }] }),
    });
    expect((await res.json()).model).toBe("a");
    cli.child.kill("SIGINT");
    expect(await cli.exited).toBe(0);
    expect(cli.output().stdout).toMatch(/Stopped on SIGINT/);
  });

  it("an OpenAI client's streaming request to `assay simulate` gets tokens and a usage chunk", async () => {
    const cli = run(["--port", "0", "--ttft-ms", "2", "--itl-ms", "1"]);
    const url = await cli.listening();
    const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: "unused", maxRetries: 0 });
    const stream = await client.chat.completions.create({
      model: "assay-sim-1",
      messages: [{ role: "user", content: "How do I reset my password?" }],
      max_tokens: 25,
      stream: true,
      stream_options: { include_usage: true },
    });
    const tokens: string[] = [];
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta?.content;
      if (delta) tokens.push(delta);
      if (chunk.usage) usage = chunk.usage;
    }
    expect(tokens.length).toBeGreaterThan(0);
    expect(usage?.completion_tokens).toBe(tokens.length);
    cli.child.kill("SIGINT");
    expect(await cli.exited).toBe(0);
  });

  it("exits 0 on SIGTERM while a stream is in flight", async () => {
    const cli = run(["--port", "0", "--itl-ms", "50"]);
    const url = await cli.listening();
    const res = await fetch(`${url}/v1/completions`, {
      method: "POST",
      body: JSON.stringify({ prompt: "hi", max_tokens: 500, ignore_eos: true, stream: true }),
    });
    const reading = res.text().catch((err: unknown) => err);
    cli.child.kill("SIGTERM");
    expect(await cli.exited).toBe(0);
    await reading;
  });

  it("exits 1 with a clear message when the port is taken", async () => {
    const sim = await startSimulator({ port: 0 });
    try {
      const cli = run(["--port", String(sim.port)]);
      expect(await cli.exited).toBe(1);
      expect(cli.output().stderr).toMatch(/already in use/);
    } finally {
      await sim.close();
    }
  });
});
