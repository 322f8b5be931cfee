import { metrics } from "./metrics";

export type FunctionOperations = { function: string; completed: number; failed: number; retries: number; stepAttempts: number; stepErrors: number };
export type ProviderOperations = { channel: string; provider: string; calls: number; errors: number; rateLimited: number; errorRate: number; byKind: Record<string, number> };

type Sample = { labels: Record<string, string | number | undefined>; value: number; metricName?: string };

const label = (sample: Sample, name: string) => String(sample.labels[name] ?? "");

/**
 * What this process has seen since it started, per function and per provider, from the same
 * series /api/metrics exposes: for the operations page, which has no Prometheus to ask.
 */
export async function operationsSnapshot(): Promise<{ functions: FunctionOperations[]; providers: ProviderOperations[] }> {
  const m = metrics();
  const [runs, retries, steps, providerCalls, providerErrors, rateLimits] = await Promise.all([
    m.functionRuns.get(),
    m.functionRetries.get(),
    m.functionStepDuration.get(),
    m.providerRequestDuration.get(),
    m.providerErrors.get(),
    m.providerRateLimits.get(),
  ]);

  const functions = new Map<string, FunctionOperations>();
  const fn = (name: string) => {
    let entry = functions.get(name);
    if (!entry) functions.set(name, (entry = { function: name, completed: 0, failed: 0, retries: 0, stepAttempts: 0, stepErrors: 0 }));
    return entry;
  };
  for (const sample of runs.values) {
    const outcome = label(sample, "outcome");
    if (outcome === "completed" || outcome === "failed") fn(label(sample, "function"))[outcome] += sample.value;
  }
  for (const sample of retries.values) fn(label(sample, "function")).retries += sample.value;
  for (const sample of steps.values as Sample[]) {
    if (sample.metricName !== "sendline_function_step_duration_seconds_count") continue;
    const entry = fn(label(sample, "function"));
    entry.stepAttempts += sample.value;
    if (label(sample, "outcome") !== "ok") entry.stepErrors += sample.value;
  }

  const providers = new Map<string, ProviderOperations>();
  const provider = (sample: Sample) => {
    const key = `${label(sample, "channel")}/${label(sample, "provider")}`;
    let entry = providers.get(key);
    if (!entry) providers.set(key, (entry = { channel: label(sample, "channel"), provider: label(sample, "provider"), calls: 0, errors: 0, rateLimited: 0, errorRate: 0, byKind: {} }));
    return entry;
  };
  for (const sample of providerCalls.values as Sample[]) if (sample.metricName === "sendline_provider_request_duration_seconds_count") provider(sample).calls += sample.value;
  for (const sample of providerErrors.values) {
    const entry = provider(sample);
    entry.errors += sample.value;
    entry.byKind[label(sample, "kind")] = (entry.byKind[label(sample, "kind")] ?? 0) + sample.value;
  }
  for (const sample of rateLimits.values) provider(sample).rateLimited += sample.value;
  for (const entry of providers.values()) entry.errorRate = entry.calls > 0 ? entry.errors / entry.calls : 0;

  const byName = <T>(key: (item: T) => string) => (a: T, b: T) => key(a).localeCompare(key(b));
  return {
    functions: [...functions.values()].sort(byName((item) => item.function)),
    providers: [...providers.values()].sort(byName((item) => `${item.channel}/${item.provider}`)),
  };
}
