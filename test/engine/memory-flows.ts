/**
 * Flow-control state in memory with the store's expiry rule, for driving a gate (throttle, rate
 * limit) at whatever times a test names instead of waiting for them.
 */
export function memoryFlows() {
  const flows = new Map<string, { value: unknown; expiresAt: number | null }>();
  return {
    async getFlow<T>(kind: string, key: string, now: number): Promise<T | undefined> {
      const row = flows.get(`${kind}:${key}`);
      return row && (row.expiresAt === null || row.expiresAt > now) ? (row.value as T) : undefined;
    },
    async setFlow(kind: string, key: string, value: unknown, expiresAt: number | null): Promise<void> {
      flows.set(`${kind}:${key}`, { value, expiresAt });
    },
  };
}
