// Every browser journey runs under the pages' Content-Security-Policy: a test during which any page reported a violation
// fails, so a script, style or eval the policy blocks is caught wherever a journey meets it.
import { afterAll, afterEach, expect } from "vitest";
import { takePolicyViolations } from "../support/policyViolations";

const check = () => expect(takePolicyViolations(), "Content-Security-Policy violations in the browser").toEqual([]);
afterEach(check);
afterAll(check);
