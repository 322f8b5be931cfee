import { afterEach, describe, expect, it, vi } from "vitest";
import { type Database, setDatabase } from "@/db";
import { closeDatabaseOnShutdown } from "@/db/close-on-shutdown";

const realExit = process.exit;
afterEach(() => {
  process.exit = realExit;
  vi.restoreAllMocks();
  setDatabase(undefined);
});

describe("closeDatabaseOnShutdown", () => {
  it("leaves the pool to in-flight requests on SIGTERM, closes it when Next exits after draining, then exits with Next's code", async () => {
    const handlers: Record<string, () => void> = {};
    vi.spyOn(process, "once").mockImplementation(((event: string, handler: () => void) => {
      handlers[event] = handler;
      return process;
    }) as never);
    const exits: Array<number | undefined> = [];
    process.exit = ((code?: number) => {
      exits.push(code);
    }) as never;
    const close = vi.fn(async () => {});
    setDatabase({ close } as unknown as Database);

    closeDatabaseOnShutdown();
    handlers.SIGTERM!();
    expect(close).not.toHaveBeenCalled();

    process.exit(143); // what Next calls once its server has closed
    await vi.waitFor(() => expect(exits).toEqual([143]));
    expect(close).toHaveBeenCalledOnce();
  });
});
