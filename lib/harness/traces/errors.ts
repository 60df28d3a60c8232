import { AppError } from "@/lib/errors";

/** A trace file Assay cannot read: `line` (1-based) and `field` say where, the message says what to fix. */
export class TraceFormatError extends AppError {
  constructor(
    message: string,
    public readonly line: number,
    public readonly field: string | null,
  ) {
    super("VALIDATION", message, { line, field });
    this.name = "TraceFormatError";
  }
}
