"use client";

import { useSyncExternalStore } from "react";
import { formatDateTime, formatRelative } from "@/lib/format/dateTime";

// The clock relative times read: the current 30-second tick, so it stays the same value between ticks (as
// useSyncExternalStore needs) and "just now" ages while the page stays open.
const TICK_MS = 30_000;
const currentTick = () => Math.floor(Date.now() / TICK_MS) * TICK_MS;
function subscribe(onTick: () => void): () => void {
  const timer = setInterval(onTick, TICK_MS);
  return () => clearInterval(timer);
}

/**
 * A moment on screen, through the one date format. `relative` (activity feeds) reads "5 minutes ago" with the exact time
 * beside it or, when `compact`, in its tooltip. The server's and the browser's clocks may straddle a tick, hence
 * suppressHydrationWarning.
 */
export function Time({ value, relative = false, compact = false }: { value: Date | string; relative?: boolean; compact?: boolean }) {
  const now = useSyncExternalStore(subscribe, currentTick, currentTick);
  const iso = (value instanceof Date ? value : new Date(value)).toISOString();
  const exact = formatDateTime(value);
  if (!relative) return <time dateTime={iso}>{exact}</time>;
  const ago = formatRelative(value, now);
  return (
    <time dateTime={iso} title={exact} suppressHydrationWarning>
      {compact || ago === exact ? ago : `${ago} · ${exact}`}
    </time>
  );
}
