// An OpenFeature server provider on Assay's local client: a flag key is an experiment key, the evaluation context's
// targetingKey is the user id and its other fields are the user's attributes. A string flag gives the variant key, an
// object flag the variant's settings. https://openfeature.dev/docs/reference/concepts/provider
import type { EvaluationContext, JsonValue, Provider, ResolutionDetails } from "@openfeature/server-sdk";
import { ErrorCode, StandardResolutionReasons } from "@openfeature/server-sdk";
import type { Attributes } from "@/lib/assignment";
import { AssayClient, type AssayClientOptions, type ClientAssignment } from "./index";

const REASONS: Record<ClientAssignment["reason"], string> = {
  hash: StandardResolutionReasons.SPLIT,
  sticky: StandardResolutionReasons.CACHED,
  forced: StandardResolutionReasons.TARGETING_MATCH,
  notTargeted: StandardResolutionReasons.DEFAULT,
  killSwitch: StandardResolutionReasons.DISABLED,
  notRunning: StandardResolutionReasons.DISABLED,
  shipped: StandardResolutionReasons.STATIC,
};

export class AssayProvider implements Provider {
  readonly metadata = { name: "Assay" } as const;
  readonly runsOn = "server" as const;
  readonly client: AssayClient;

  constructor(
    options: AssayClientOptions,
    private readonly experiments: string[],
  ) {
    this.client = new AssayClient(options);
  }

  async initialize(): Promise<void> {
    await Promise.all(this.experiments.map((e) => this.client.load(e)));
  }

  async onClose(): Promise<void> {
    await this.client.close();
  }

  private evaluate(flagKey: string, context: EvaluationContext): ClientAssignment | { error: ResolutionDetails<never> } {
    const { targetingKey, ...rest } = context;
    if (!targetingKey)
      return {
        error: {
          value: undefined as never,
          reason: StandardResolutionReasons.ERROR,
          errorCode: ErrorCode.TARGETING_KEY_MISSING,
          errorMessage: "Set targetingKey (the user id) in the evaluation context.",
        },
      };
    const attributes: Attributes = {};
    for (const [k, v] of Object.entries(rest))
      if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") attributes[k] = v;
    try {
      return this.client.assign(flagKey, targetingKey, attributes);
    } catch (err) {
      return {
        error: {
          value: undefined as never,
          reason: StandardResolutionReasons.ERROR,
          errorCode: ErrorCode.FLAG_NOT_FOUND,
          errorMessage: (err as Error).message,
        },
      };
    }
  }

  private details<T>(a: ClientAssignment, value: T): ResolutionDetails<T> {
    return { value, variant: a.variant, reason: REASONS[a.reason], flagMetadata: { inExperiment: a.inExperiment, assayReason: a.reason } };
  }

  async resolveStringEvaluation(flagKey: string, defaultValue: string, context: EvaluationContext): Promise<ResolutionDetails<string>> {
    const a = this.evaluate(flagKey, context);
    if ("error" in a) return { ...a.error, value: defaultValue };
    return this.details(a, a.variant);
  }

  async resolveObjectEvaluation<T extends JsonValue>(
    flagKey: string,
    defaultValue: T,
    context: EvaluationContext,
  ): Promise<ResolutionDetails<T>> {
    const a = this.evaluate(flagKey, context);
    if ("error" in a) return { ...a.error, value: defaultValue };
    return this.details(a, a.config as T);
  }

  async resolveBooleanEvaluation(_flagKey: string, defaultValue: boolean): Promise<ResolutionDetails<boolean>> {
    return {
      value: defaultValue,
      reason: StandardResolutionReasons.ERROR,
      errorCode: ErrorCode.TYPE_MISMATCH,
      errorMessage: "An Assay experiment is a string flag (the variant key) or an object flag (its settings).",
    };
  }

  async resolveNumberEvaluation(_flagKey: string, defaultValue: number): Promise<ResolutionDetails<number>> {
    return {
      value: defaultValue,
      reason: StandardResolutionReasons.ERROR,
      errorCode: ErrorCode.TYPE_MISMATCH,
      errorMessage: "An Assay experiment is a string flag (the variant key) or an object flag (its settings).",
    };
  }
}
