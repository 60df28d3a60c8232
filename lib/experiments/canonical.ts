// One way to compare designs and configurations: JSON with sorted keys, so key order never makes two equal values differ.

/** JSON with sorted keys and without undefined, so equal designs compare equal whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, (v as Record<string, unknown>)[k]]),
        )
      : v,
  );
}

/** A configuration as it behaves: text trimmed with Windows line ends made plain, empty text and empty groups (rag: {}) dropped. */
export function canonicalConfig(config: object): string {
  const clean = (value: unknown): unknown => {
    if (typeof value === "string") {
      const text = value.replace(/\r\n?/g, "\n").trim();
      return text === "" ? undefined : text;
    }
    if (value && typeof value === "object" && !Array.isArray(value)) {
      const entries = Object.entries(value)
        .map(([k, v]) => [k, clean(v)] as const)
        .filter(([, v]) => v !== undefined && v !== null);
      return entries.length ? Object.fromEntries(entries) : undefined;
    }
    return value;
  };
  return canonicalJson(clean(config) ?? {});
}
