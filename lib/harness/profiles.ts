// Workload profiles: what a synthetic load run sends (the mix of workloads, each one's prompt and answer lengths) and
// how (the arrival process and rate, or closed loop with N users). The built-in names are varcas's, so an engineer's
// `--profile chat_medium` keeps working; chat_medium's settings are those of a real varcas results file (Poisson,
// 20 requests/s, 60 s, chat with 50 input and 150 output tokens on average), the others are Assay's own choices in the
// same spirit. A custom profile is the same shape as JSON (customProfileSchema).
//
// Lengths are log-normal: a length L = round(mean x exp(sigma Z - sigma^2 / 2)), Z standard normal, so its mean is `mean`
// and its coefficient of variation sqrt(exp(sigma^2) - 1) (sigma 0.5: about 0.53, as varcas's chat_medium prompts show),
// then clipped to [min, max].
import { z } from "zod";
import { ARRIVAL_PROCESSES } from "./arrivals";

const lengthSchema = z
  .object({
    mean: z.number().positive().max(1_000_000),
    sigma: z.number().min(0).max(3).default(0.5),
    min: z.number().int().min(1).default(1),
    max: z.number().int().min(1).max(1_000_000).default(32_768),
  })
  .refine((l) => l.min <= l.max, { message: "min must not exceed max" });

export const workloadSchema = z.object({
  name: z.string().trim().min(1).max(64),
  /** chat, rag or code: how the synthetic prompt reads. */
  type: z.enum(["chat", "rag", "code"]),
  weight: z.number().positive().max(1_000_000),
  input: lengthSchema,
  output: lengthSchema,
});

export const customProfileSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .regex(/^[\w.-]+$/, "letters, digits, _, . and - only"),
    description: z.string().max(500).default(""),
    arrival: z.enum(ARRIVAL_PROCESSES).default("poisson"),
    /** Requests per second (open loop). */
    rate: z.number().positive().max(100_000).default(10),
    burstiness: z.number().positive().max(100).default(1),
    /** Closed loop: this many users, each sending its next request when its last one ends. */
    concurrentUsers: z.number().int().min(1).max(100_000).nullable().default(null),
    durationS: z.number().positive().max(86_400).default(60),
    workloads: z.array(workloadSchema).min(1).max(32),
  })
  .strict();

export type WorkloadSpec = z.infer<typeof workloadSchema>;
export type Profile = z.infer<typeof customProfileSchema>;

type ProfileInput = z.input<typeof customProfileSchema>;

const chat = (input: number, output: number, weight = 1): z.input<typeof workloadSchema> => ({
  name: "chat",
  type: "chat",
  weight,
  input: { mean: input, sigma: 0.5 },
  output: { mean: output, sigma: 0.6 },
});
const rag = (input: number, output: number, weight = 1): z.input<typeof workloadSchema> => ({
  name: "rag",
  type: "rag",
  weight,
  input: { mean: input, sigma: 0.3 },
  output: { mean: output, sigma: 0.5 },
});
const code = (input: number, output: number, weight = 1): z.input<typeof workloadSchema> => ({
  name: "code",
  type: "code",
  weight,
  input: { mean: input, sigma: 0.5 },
  output: { mean: output, sigma: 0.7 },
});

const BUILT_IN: ProfileInput[] = [
  { name: "chat_low", description: "Chat at 5 requests/s", rate: 5, workloads: [chat(50, 150)] },
  { name: "chat_medium", description: "Chat at 20 requests/s (varcas's chat_medium)", rate: 20, workloads: [chat(50, 150)] },
  { name: "chat_high", description: "Chat at 50 requests/s", rate: 50, workloads: [chat(50, 150)] },
  { name: "rag_small", description: "Retrieval-augmented, 500-token contexts, 10 requests/s", rate: 10, workloads: [rag(500, 200)] },
  { name: "rag_medium", description: "Retrieval-augmented, 1,000-token contexts, 8 requests/s", rate: 8, workloads: [rag(1000, 250)] },
  { name: "rag_large", description: "Retrieval-augmented, 2,000-token contexts, 5 requests/s", rate: 5, workloads: [rag(2000, 300)] },
  { name: "rag_xlarge", description: "Retrieval-augmented, 4,000-token contexts, 2 requests/s", rate: 2, workloads: [rag(4000, 400)] },
  { name: "code_low", description: "Code generation at 3 requests/s", rate: 3, workloads: [code(200, 400)] },
  { name: "code_medium", description: "Code generation at 8 requests/s", rate: 8, workloads: [code(300, 500)] },
  { name: "code_high", description: "Code generation at 20 requests/s", rate: 20, workloads: [code(300, 500)] },
  {
    name: "mixed",
    description: "Half chat, 30% retrieval, 20% code, at 15 requests/s",
    rate: 15,
    workloads: [chat(50, 150, 0.5), rag(1000, 250, 0.3), code(300, 500, 0.2)],
  },
  {
    name: "burst",
    description: "Chat in bursts: gamma arrivals, burstiness 0.25, 20 requests/s on average",
    arrival: "gamma",
    burstiness: 0.25,
    rate: 20,
    workloads: [chat(50, 150)],
  },
  {
    name: "closed_loop",
    description: "10 users, each sending its next chat request when the last one ends",
    concurrentUsers: 10,
    workloads: [chat(50, 150)],
  },
];

export const PROFILES: ReadonlyMap<string, Profile> = new Map(BUILT_IN.map((p) => [p.name, customProfileSchema.parse(p)]));
export const PROFILE_NAMES = [...PROFILES.keys()];

/** A built-in profile by name, or null. */
export function builtInProfile(name: string): Profile | null {
  return PROFILES.get(name) ?? null;
}

/** A custom profile from parsed JSON; throws an Error naming the first bad field and what is allowed. */
export function parseCustomProfile(json: unknown, source = "profile"): Profile {
  const parsed = customProfileSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue.path.length ? issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("") : "";
  throw new Error(`${source}${where}: ${issue.message}.`);
}
