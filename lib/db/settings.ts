import { db } from "./client";
import type { Prisma } from "@/lib/generated/prisma/client";

/** A stored setting's value, or null. */
export async function readSetting(key: string): Promise<Prisma.JsonValue | null> {
  const row = await db().setting.findUnique({ where: { key } });
  return row?.value ?? null;
}

/** Stores a setting. */
export function writeSetting(key: string, value: Prisma.InputJsonValue) {
  return db().setting.upsert({ where: { key }, create: { key, value }, update: { value } });
}
