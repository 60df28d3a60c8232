/** Content-Security-Policy violations reported by the pages of every browser context (tests/support/browser.ts) not yet checked. */
export const policyViolations: string[] = [];

/** Returns and clears the violations seen so far. */
export function takePolicyViolations(): string[] {
  return policyViolations.splice(0);
}
