import type { BadgeTone } from "@/components/ui/Badge";

/** Badge colour of each experiment status. */
export const statusTone: Record<string, BadgeTone> = { DRAFT: "gray", RUNNING: "blue", STOPPED: "amber", DECIDED: "green" };
