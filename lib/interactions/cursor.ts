// The explorer's page cursors: opaque to callers, a row's place in the order (timestamp desc, id desc) and which way to read
// from it. Keyset paging, so a page costs the same at row 1 and at row 1,000,000, and rows logged meanwhile never shift one.
import { fieldIssuesError } from "@/lib/validation/issues";

/** Which side of the cursor's row the page lies: older rows follow it, newer rows precede it. */
export type CursorDirection = "older" | "newer";

export interface PageCursor {
  timestamp: Date;
  id: string;
  direction: CursorDirection;
}

const INVALID = "cursor is not one this API gave out (it may have been cut short); leave it out to start from the newest";

/** The cursor as base64url text: [ISO timestamp, id, "o" | "n"]. */
export function encodeCursor(cursor: PageCursor): string {
  const payload = [cursor.timestamp.toISOString(), cursor.id, cursor.direction === "older" ? "o" : "n"];
  return Buffer.from(JSON.stringify(payload), "utf8").toString("base64url");
}

/** Reads a cursor made by encodeCursor; anything else is a VALIDATION error naming `cursor`. */
export function decodeCursor(text: string): PageCursor {
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    throw fieldIssuesError([{ field: "cursor", message: INVALID }]);
  }
  if (
    !Array.isArray(payload) ||
    payload.length !== 3 ||
    typeof payload[0] !== "string" ||
    typeof payload[1] !== "string" ||
    !/^[\x21-\x7e]{1,200}$/.test(payload[1]) ||
    (payload[2] !== "o" && payload[2] !== "n")
  )
    throw fieldIssuesError([{ field: "cursor", message: INVALID }]);
  const timestamp = new Date(payload[0]);
  if (Number.isNaN(timestamp.getTime()) || timestamp.toISOString() !== payload[0])
    throw fieldIssuesError([{ field: "cursor", message: INVALID }]);
  return { timestamp, id: payload[1], direction: payload[2] === "o" ? "older" : "newer" };
}
