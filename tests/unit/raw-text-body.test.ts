// Uploads of traces and results files: read as they stream in and refused as soon as they pass the limit (a body
// streamed without a length is never held whole), and refused when empty or not UTF-8, each with what to do.
import { describe, expect, it } from "vitest";
import { readTextBody } from "@/lib/http/rawText";

const streamed = (chunks: Uint8Array[]) => {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled < chunks.length) controller.enqueue(chunks[pulled++]);
      else controller.close();
    },
  });
  return { req: new Request("http://x/", { method: "POST", body, duplex: "half" } as RequestInit), pulled: () => pulled };
};

describe("readTextBody", () => {
  it("returns the text of a body within the limit", async () => {
    const { req } = streamed([new TextEncoder().encode("héllo "), new TextEncoder().encode("world")]);
    expect(await readTextBody(req, 1024, "The trace")).toBe("héllo world");
  });

  it("stops reading an oversized body at the limit: 413 naming the limit", async () => {
    const chunk = new Uint8Array(1024 * 1024).fill(65);
    const s = streamed(Array.from({ length: 100 }, () => chunk));
    await expect(readTextBody(s.req, 2 * 1024 * 1024, "The trace")).rejects.toMatchObject({
      code: "PAYLOAD_TOO_LARGE",
      message: "The trace is larger than 2 MB; send a smaller file.",
    });
    expect(s.pulled()).toBeLessThan(10);
    const declared = new Request("http://x/", { method: "POST", body: "x", headers: { "content-length": String(10 * 1024 * 1024) } });
    await expect(readTextBody(declared, 1024 * 1024, "The trace")).rejects.toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
  });

  it("refuses an empty body and one that is not UTF-8", async () => {
    await expect(readTextBody(new Request("http://x/", { method: "POST", body: "" }), 1024, "The trace")).rejects.toMatchObject({
      code: "VALIDATION",
      message: "The trace is empty: send the file as the request body.",
    });
    const latin1 = streamed([new Uint8Array([0x74, 0x69, 0x6d, 0xe9, 0xff])]);
    await expect(readTextBody(latin1.req, 1024, "The results file")).rejects.toMatchObject({
      message: "The results file is not UTF-8 text; save the file as UTF-8 and send it again.",
    });
  });
});
