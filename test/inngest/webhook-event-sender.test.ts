import { describe, expect, it } from "vitest";
import { coalescingSender, WEBHOOK_EVENTS_PER_SEND } from "@/inngest/webhook-event-sender";

const event = (n: number) => ({ data: { provider: "resend" as const, deliveryId: `msg_${n}` }, id: `webhook-resend-msg_${n}` });

/** A send whose calls are released by hand, recording what each carried. */
function gatedSend() {
  const calls: { ids: string[]; release: (error?: Error) => void }[] = [];
  const send = (events: { id?: string }[]) =>
    new Promise<void>((resolve, reject) => calls.push({ ids: events.map((e) => e.id!), release: (error) => (error ? reject(error) : resolve()) }));
  return { calls, send };
}

describe("coalescingSender", () => {
  it("sends a lone event at once, and the events that arrive meanwhile together in the next call", async () => {
    const { calls, send } = gatedSend();
    const sender = coalescingSender(send);
    const first = sender(event(1));
    expect(calls.map((c) => c.ids)).toEqual([["webhook-resend-msg_1"]]);
    const waiting = [2, 3, 4].map((n) => sender(event(n)));
    expect(calls).toHaveLength(1);
    calls[0]!.release();
    await first;
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls[1]!.ids).toEqual(["webhook-resend-msg_2", "webhook-resend-msg_3", "webhook-resend-msg_4"]);
    calls[1]!.release();
    await Promise.all(waiting);
  });

  it("fails exactly the callers of a failed call, and goes on with the next group", async () => {
    const { calls, send } = gatedSend();
    const sender = coalescingSender(send);
    const first = sender(event(1));
    const second = sender(event(2));
    calls[0]!.release(new Error("event API down"));
    await expect(first).rejects.toThrow("event API down");
    await new Promise((resolve) => setImmediate(resolve));
    calls[1]!.release();
    await expect(second).resolves.toBeUndefined();
  });

  it("never puts more than WEBHOOK_EVENTS_PER_SEND events in one call", async () => {
    const { calls, send } = gatedSend();
    const sender = coalescingSender(send);
    const all = Array.from({ length: WEBHOOK_EVENTS_PER_SEND + 2 }, (_, n) => sender(event(n)));
    calls[0]!.release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls[1]!.ids).toHaveLength(WEBHOOK_EVENTS_PER_SEND);
    calls[1]!.release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls[2]!.ids).toHaveLength(1);
    calls[2]!.release();
    await Promise.all(all);
  });
});
