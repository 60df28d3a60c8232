"use client";

import { useEffect, useState } from "react";

/** A form's draft kept in this browser's localStorage, with when it was kept. */
export interface KeptDraft<T> {
  savedAt: string;
  value: T;
}

const VERSION = 1;
const DELAY_MS = 400;

function read<T>(storageKey: string, isDraft: (x: unknown) => x is T): KeptDraft<T> | null {
  try {
    const raw = window.localStorage.getItem(storageKey);
    if (!raw) return null;
    const kept = JSON.parse(raw) as { v?: unknown; savedAt?: unknown; value?: unknown };
    if (kept.v !== VERSION || typeof kept.savedAt !== "string" || !isDraft(kept.value)) return null;
    return { savedAt: kept.savedAt, value: kept.value };
  } catch {
    return null; // unreadable or private mode: nothing to offer
  }
}

/**
 * Keeps a form's draft in localStorage as the person types (a short pause after each change), and offers the draft kept from
 * an earlier visit: nothing is written until that offer is answered, so restoring stays possible. A draft equal to the
 * empty form is not kept.
 */
export function useLocalDraft<T>({
  storageKey,
  value,
  empty,
  isDraft,
}: {
  storageKey: string;
  value: T;
  /** The form as it opens; a draft equal to it is removed rather than kept. */
  empty: T;
  /** Checks a stored value still fits the form (an older shape is dropped). */
  isDraft: (x: unknown) => x is T;
}) {
  const [offer, setOffer] = useState<KeptDraft<T> | null>(null);
  const [answered, setAnswered] = useState(false);
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const [finished, setFinished] = useState(false);
  const serialized = JSON.stringify(value);
  const emptySerialized = JSON.stringify(empty);

  useEffect(() => {
    const kept = read(storageKey, isDraft);
    // The offer can only be known in the browser, after the server's render: set it once on mount.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    if (kept && JSON.stringify(kept.value) !== emptySerialized) setOffer(kept);
    else setAnswered(true);
  }, [storageKey, isDraft, emptySerialized]);

  useEffect(() => {
    if (!answered || finished) return;
    const timer = window.setTimeout(() => {
      try {
        if (serialized === emptySerialized) {
          window.localStorage.removeItem(storageKey);
          setSavedAt(null);
        } else {
          const at = new Date().toISOString();
          window.localStorage.setItem(storageKey, JSON.stringify({ v: VERSION, savedAt: at, value: JSON.parse(serialized) }));
          setSavedAt(at);
        }
      } catch {
        // Storage full or refused: the form still works, only the kept copy is missing.
      }
    }, DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [answered, finished, serialized, emptySerialized, storageKey]);

  return {
    /** The draft kept from an earlier visit, until restored or discarded. */
    offer,
    /** When the current draft was last kept, or null. */
    savedAt,
    /** Takes the offered draft (the form sets its fields from it). */
    restore(): T | null {
      const kept = offer;
      setOffer(null);
      setAnswered(true);
      return kept?.value ?? null;
    },
    /** Drops the kept draft: the offered one, or the current one; with `finished`, keeps nothing more (the form was submitted). */
    discard({ finished: done = false }: { finished?: boolean } = {}) {
      if (done) setFinished(true);
      try {
        window.localStorage.removeItem(storageKey);
      } catch {
        // nothing kept
      }
      setOffer(null);
      setSavedAt(null);
      setAnswered(true);
    },
  };
}
