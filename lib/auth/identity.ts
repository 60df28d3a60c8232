import type { Role } from "@/lib/generated/prisma/enums";

/** Who is calling: a signed-in user (session) or an API key (acting for its user, or the bootstrap admin key). */
export interface Identity {
  via: "session" | "apiKey";
  userId: string | null;
  email: string | null;
  name: string;
  role: Role;
  apiKeyId?: string;
  apiKeyPrefix?: string;
}

/** The label audit events record for an identity. */
export function actorLabel(identity: Identity): string {
  if (identity.via === "apiKey") return `${identity.email ?? "bootstrap"} (API key ${identity.apiKeyPrefix})`;
  return identity.email ?? identity.name;
}
