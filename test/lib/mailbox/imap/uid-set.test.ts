import { describe, expect, it } from "vitest";
import { uidSet } from "@/lib/mailbox/imap/uid-set";

describe("uidSet", () => {
  it.each([
    [[7], "7"],
    [[1, 2, 3, 4], "1:4"],
    [[200, 199, 198, 10, 12, 11, 50], "10:12,50,198:200"],
    [[5, 5, 6], "5:6"],
  ])("folds %j into %s", (uids, expected) => {
    expect(uidSet(uids)).toBe(expected);
  });
});
