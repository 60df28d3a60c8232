/** Seeds the demo experiments (the guide's Prompt A vs Prompt B and one per status). Filled in by the experiment studio. */
export async function seedDemoExperiments(_owners: Record<string, string>): Promise<void> {
  void _owners;
}
