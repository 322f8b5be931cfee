import { afterEach, describe, expect, it, vi } from "vitest";
import { register } from "@/instrumentation";
import { captureLogs } from "@/lib/observability/logger";

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe("register (server start)", () => {
  it("refuses to start a production server with an unusable value, naming it", async () => {
    vi.stubEnv("NEXT_RUNTIME", "nodejs");
    vi.stubEnv("NODE_ENV", "production");
    vi.stubEnv("CAMPAIGN_CHUNK_SIZE", "lots");
    await expect(register()).rejects.toThrow('CAMPAIGN_CHUNK_SIZE="lots" must be a whole number from 1 to 10000');
  });

  it("logs the problem in development and starts", async () => {
    vi.stubEnv("NEXT_RUNTIME", "nodejs");
    vi.stubEnv("NODE_ENV", "development");
    vi.stubEnv("SMS_PROVIDER", "pigeon");
    const lines: string[] = [];
    const restore = captureLogs({ write: (line: string) => void lines.push(line) });
    try {
      await register();
    } finally {
      restore();
    }
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({ level: "warn", msg: expect.stringContaining('SMS_PROVIDER="pigeon" is not one of: outbox, twilio') }),
    ]);
  });

  it("starts quietly when every value is usable", async () => {
    vi.stubEnv("NEXT_RUNTIME", "nodejs");
    vi.stubEnv("NODE_ENV", "production");
    await expect(register()).resolves.toBeUndefined();
  });
});
