import { readSetting } from "@/lib/db/settings";

export const DEMO_SEEDED_KEY = "demo.seededAt";

/** True once the demo data has been seeded into this database. */
export async function demoSeeded(): Promise<boolean> {
  return (await readSetting(DEMO_SEEDED_KEY).catch(() => null)) !== null;
}
