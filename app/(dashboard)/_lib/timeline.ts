import type { Message } from "@/db/queries/messages";

/** A message keeps the time of every status it reached; the timeline is those, in order. */
const TIMELINE: [label: string, at: (message: Message) => Date | null][] = [
  ["queued", (m) => m.queuedAt],
  ["sent", (m) => m.sentAt],
  ["delivered", (m) => m.deliveredAt],
  ["opened", (m) => m.openedAt],
  ["clicked", (m) => m.clickedAt],
  ["bounced", (m) => m.bouncedAt],
  ["complained", (m) => m.complainedAt],
  ["failed", (m) => m.failedAt],
  ["suppressed", (m) => m.suppressedAt],
];

export function timeline(message: Message): { status: string; at: Date }[] {
  return TIMELINE.flatMap(([status, at]) => {
    const value = at(message);
    return value ? [{ status, at: value }] : [];
  }).sort((a, b) => a.at.getTime() - b.at.getTime());
}
