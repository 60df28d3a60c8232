import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { decodeCursor, encodeCursor } from "@/lib/interactions/cursor";

describe("explorer cursors", () => {
  it("round-trip a row's place and direction as URL-safe text", () => {
    for (const direction of ["older", "newer"] as const) {
      const cursor = { timestamp: new Date("2026-12-02T10:00:00.123Z"), id: "cmabc123xyz", direction };
      const text = encodeCursor(cursor);
      expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeCursor(text)).toEqual(cursor);
    }
  });

  const refused = (payload: unknown) => Buffer.from(typeof payload === "string" ? payload : JSON.stringify(payload)).toString("base64url");
  it.each([
    ["not JSON", refused("nope")],
    ["not a list", refused({ t: "2026-12-02T10:00:00.000Z" })],
    ["a timestamp that is not ISO", refused(["2026-12-02", "id", "o"])],
    ["an empty id", refused(["2026-12-02T10:00:00.000Z", "", "o"])],
    ["an id with a control character", refused(["2026-12-02T10:00:00.000Z", "a\u0000b", "o"])],
    ["an unknown direction", refused(["2026-12-02T10:00:00.000Z", "id", "sideways"])],
    ["cut short", encodeCursor({ timestamp: new Date(0), id: "abc", direction: "older" }).slice(0, 10)],
  ])("refuses %s as a VALIDATION error naming cursor", (_name, text) => {
    try {
      decodeCursor(text);
      throw new Error("accepted");
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe("VALIDATION");
      expect((err as AppError).details).toEqual({
        issues: [{ field: "cursor", message: expect.stringContaining("cursor is not one this API gave out") }],
      });
    }
  });
});
