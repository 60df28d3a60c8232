import { z } from "zod";
import { ROLES } from "@/lib/auth/permissions";
import { name } from "./text";

export const roleSchema = z.enum(ROLES, { message: `role must be one of ${ROLES.join(", ")}` });

/** A new user, from the admin page or POST /api/v1/users. */
export const createUserSchema = z.strictObject({
  email: name("email", 320).toLowerCase().email("email must be a valid address"),
  name: name("name", 200).trim().min(1, "name is required"),
  role: roleSchema,
  password: z.string().min(12, "password must be at least 12 characters").max(200, "password must be at most 200 characters"),
});

/** A change to a user, from the admin page or PATCH /api/v1/users/{id}. */
export const updateUserSchema = z
  .strictObject({
    role: roleSchema.optional(),
    disabled: z.boolean({ message: "disabled must be true or false" }).optional(),
    name: name("name", 200).trim().min(1, "name must not be empty").optional(),
  })
  .refine((v) => v.role !== undefined || v.disabled !== undefined || v.name !== undefined, {
    message: "send at least one of role, disabled, name",
  });

/** A new API key. */
export const createApiKeySchema = z.strictObject({
  name: name("name", 100).trim().min(1, "name is required"),
});
