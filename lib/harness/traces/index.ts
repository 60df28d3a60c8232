// lib/harness/traces: every load-trace format Assay reads (varcas's trace and results files, Azure, BurstGPT,
// Mooncake, ShareGPT, and Assay's CSV and JSON Lines), streamed as TraceRequests; and varcas's trace format written.
export { TRACE_FORMATS, detectTraceFormat, type TraceFormat } from "./detect";
export { TraceFormatError } from "./errors";
export { readTrace, readTraceFromString, type ReadTraceOptions } from "./read";
export type { TraceReading } from "./reading";
export { writeVarcasTrace, varcasTraceText, type WriteVarcasTraceOptions } from "./varcasWriter";
