import { z } from "zod";
import { ROLES } from "@/lib/auth/permissions";

export const roleSchema = z.enum(ROLES, { message: `role must be one of ${ROLES.join(", ")}` });

/** A new user, from the admin page or POST /api/v1/users. */
export const createUserSchema = z.strictObject({
  email: z.string().trim().toLowerCase().max(320, "email is too long").email("email must be a valid address"),
  name: z.string().trim().min(1, "name is required").max(200, "name must be at most 200 characters"),
  role: roleSchema,
  password: z.string().min(12, "password must be at least 12 characters").max(200, "password must be at most 200 characters"),
});

/** A change to a user, from the admin page or PATCH /api/v1/users/{id}. */
export const updateUserSchema = z
  .strictObject({
    role: roleSchema.optional(),
    disabled: z.boolean({ message: "disabled must be true or false" }).optional(),
    name: z.string().trim().min(1).max(200).optional(),
  })
  .refine((v) => v.role !== undefined || v.disabled !== undefined || v.name !== undefined, {
    message: "send at least one of role, disabled, name",
  });

/** A new API key. */
export const createApiKeySchema = z.strictObject({
  name: z.string().trim().min(1, "name is required").max(100, "name must be at most 100 characters"),
});
