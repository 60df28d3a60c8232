// The one OpenAI-compatible client's transport (lib/openai/transport.ts) against small real servers: only Assay's own
// headers go out (the endpoint's key as the bearer), a silent endpoint times out, a closed port is a connection failure,
// and a stream that stalls midway is reported after its answer began.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { postChatCompletion, UpstreamFailure } from "@/lib/openai/transport";
import { freePort } from "../support/ports";

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (s) =>
        new Promise<void>((resolve) => {
          s.closeAllConnections();
          s.close(() => resolve());
        }),
    ),
  );
});

async function serve(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}

const body = Buffer.from(JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }] }));

describe("the upstream call", () => {
  it("sends only Assay's headers: JSON, the request id and the endpoint's key as the bearer", async () => {
    let seen: http.IncomingHttpHeaders = {};
    let path = "";
    const baseUrl = await serve((req, res) => {
      seen = req.headers;
      path = req.url ?? "";
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
    const call = postChatCompletion({ baseUrl, apiKey: "sk-endpoint-key", label: "e" }, body, { timeoutMs: 5000, requestId: "req-1" });
    const res = await call.response;
    res.resume();
    expect(res.statusCode).toBe(200);
    expect(path).toBe("/v1/chat/completions");
    expect(Object.keys(seen).sort()).toEqual([
      "accept",
      "authorization",
      "connection",
      "content-length",
      "content-type",
      "host",
      "x-request-id",
    ]);
    expect(seen).toMatchObject({ authorization: "Bearer sk-endpoint-key", "content-type": "application/json", "x-request-id": "req-1" });
  });

  it("sends no authorization at all when the endpoint has no key", async () => {
    let seen: http.IncomingHttpHeaders = {};
    const baseUrl = await serve((req, res) => {
      seen = req.headers;
      res.end("{}");
    });
    (await postChatCompletion({ baseUrl, apiKey: null, label: "e" }, body, { timeoutMs: 5000, requestId: "r" }).response).resume();
    expect(seen.authorization).toBeUndefined();
  });

  it("a closed port is a connection failure (ECONNREFUSED)", async () => {
    const port = await freePort();
    const call = postChatCompletion({ baseUrl: `http://127.0.0.1:${port}/v1`, apiKey: null, label: "e" }, body, {
      timeoutMs: 5000,
      requestId: "r",
    });
    await expect(call.response).rejects.toMatchObject({ name: "UpstreamFailure", kind: "connection", code: "ECONNREFUSED" });
  });

  it("an endpoint that never answers times out after the timeout", async () => {
    const baseUrl = await serve(() => undefined);
    const started = Date.now();
    const call = postChatCompletion({ baseUrl, apiKey: null, label: "e" }, body, { timeoutMs: 300, requestId: "r" });
    await expect(call.response).rejects.toBeInstanceOf(UpstreamFailure);
    await expect(call.response).rejects.toMatchObject({ kind: "timeout" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("a stream that stalls midway ends incomplete, with the timeout as its failure", async () => {
    const baseUrl = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write('data: {"choices":[{"index":0,"delta":{"content":"Hel"}}]}\n\n');
    });
    const call = postChatCompletion({ baseUrl, apiKey: null, label: "e" }, body, { timeoutMs: 300, requestId: "r" });
    const res = await call.response;
    const chunks: string[] = [];
    await new Promise<void>((resolve) => {
      res.on("data", (c: Buffer) => chunks.push(c.toString()));
      res.once("close", () => resolve());
      res.once("error", () => resolve());
    });
    expect(chunks.join("")).toContain("Hel");
    expect(res.complete).toBe(false);
    expect(call.failure()).toMatchObject({ kind: "timeout" });
  });

  it("reuses kept-alive connections, and retries once on a new one when a reused connection is reset before any answer", async () => {
    const requestsOn = new Map<unknown, number>();
    const baseUrl = await serve((req, res) => {
      const n = (requestsOn.get(req.socket) ?? 0) + 1;
      requestsOn.set(req.socket, n);
      // As a server whose keep-alive timeout struck just as the request arrived: the connection is gone, nothing answered.
      if (n === 3) return void req.socket.destroy();
      res.end("{}");
    });
    const ended = async () => {
      const res = await postChatCompletion({ baseUrl, apiKey: null, label: "e" }, body, { timeoutMs: 5000, requestId: "r" }).response;
      await new Promise((resolve) => res.resume().once("end", resolve));
      return res.statusCode;
    };
    expect([await ended(), await ended()]).toEqual([200, 200]);
    expect(requestsOn.size).toBe(1);
    expect(await ended()).toBe(200);
    expect([...requestsOn.values()]).toEqual([3, 1]);
  });
});
