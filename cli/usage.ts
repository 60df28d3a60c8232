import { InvalidArgumentError } from "commander";

/** Thrown for bad command-line usage; the CLI prints the message and exits 2. */
export class UsageError extends Error {}

/** Ends a command with this exit code after printing the message (e.g. 130: stopped by Ctrl-C, results written). */
export class ExitWith extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** Commander argument parser for a finite number; names the flag in the error. */
export function parseNumberFlag(flag: string, opts: { min?: number; max?: number; integer?: boolean } = {}) {
  return (raw: string): number => {
    const value = Number(raw);
    if (raw.trim() === "" || !Number.isFinite(value)) {
      throw new InvalidArgumentError(`${flag} must be a number, got "${raw}".`);
    }
    if (opts.integer && !Number.isInteger(value)) {
      throw new InvalidArgumentError(`${flag} must be a whole number, got "${raw}".`);
    }
    if (opts.min !== undefined && value < opts.min) {
      throw new InvalidArgumentError(`${flag} must be at least ${opts.min}, got ${raw}.`);
    }
    if (opts.max !== undefined && value > opts.max) {
      throw new InvalidArgumentError(`${flag} must be at most ${opts.max}, got ${raw}.`);
    }
    return value;
  };
}
