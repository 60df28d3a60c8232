// Server-sent events as OpenAI-compatible servers stream them, cut into whole events: the gateway forwards each one
// as soon as it is complete, the load harness times each one. Pure.

/** Cuts SSE text into whole events; an event ends at a blank line ("\n\n", or "\r\n\r\n" as some servers send). */
export class SseEventSplitter {
  private pending = "";

  /** The events completed by this text, each without its terminating blank line; the rest waits for more text. */
  push(text: string): string[] {
    this.pending += text;
    const events: string[] = [];
    for (;;) {
      const match = /\r?\n\r?\n/.exec(this.pending);
      if (!match) break;
      events.push(this.pending.slice(0, match.index));
      this.pending = this.pending.slice(match.index + match[0].length);
    }
    return events;
  }

  /** What is left unterminated when the stream ends (usually nothing). */
  rest(): string {
    const rest = this.pending;
    this.pending = "";
    return rest;
  }
}

/** The data of one event: its `data:` lines joined with "\n" (SSE's rule), or null when it has none (a comment, a keep-alive). */
export function eventData(event: string): string | null {
  let data: string | null = null;
  for (const line of event.split(/\r?\n/)) {
    if (!line.startsWith("data:")) continue;
    const value = line.slice(line[5] === " " ? 6 : 5);
    data = data === null ? value : `${data}\n${value}`;
  }
  return data;
}
