export { fnv1a32, bucketNumber, bucketNumberFromSeed, seedState } from "./hash";
export { bucketRanges, chooseRange, type BucketRange } from "./buckets";
export {
  compileTargeting,
  patternProblem,
  MAX_PATTERN_LENGTH,
  TARGETING_OPERATORS,
  type Attributes,
  type TargetingCondition,
  type TargetingOperator,
} from "./targeting";
export { assign, type AssignmentReason, type AssignmentResult, type AssignmentSettings, type AssignInput } from "./evaluate";
