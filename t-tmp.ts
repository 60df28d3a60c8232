import { startSimulator } from "@/lib/simulator";
import { runLoad } from "@/lib/harness/run";
import { arrivalOffsets } from "@/lib/harness/arrivals";
import { quantile } from "simple-statistics";
const sim = await startSimulator({ port: 0, ttftMs: 40, itlMs: 8, jitter: 0, maxConcurrency: 1000 });
for (const rate of [200, 500]) {
const n = rate*2;
const offsets = arrivalOffsets({ process: "constant", rate, seed: 1 }, { limit: n });
const out = await runLoad({ requests: Array.from({ length: n }, (_, i) => ({timestamp:0,prompt:"User: hello "+i,maxTokens:4,workloadType:"chat",inputTokens:null,outputTokens:null})), offsets }, {url: sim.url, apiKey:null, model:"assay-sim-1", endpoint:"chat", overrides:{}, timeoutMs:10000, drainS:10, warmupS:0, cooldownS:0});
const lags = out.records.map((r) => (r.timestamp_sent - r.assay!.intended_send_time) * 1000);
console.log(rate, quantile(lags,0.5).toFixed(2), quantile(lags,0.99).toFixed(2), Math.max(...lags).toFixed(1), out.clientCpuCores.toFixed(2));
}
await sim.close();
