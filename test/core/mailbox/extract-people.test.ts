import { describe, expect, it } from "vitest";
import { directionOf, type ExtractableMessage, extractPeople } from "@/core/mailbox/extract-people";

const message = (overrides: Partial<ExtractableMessage>): ExtractableMessage => ({
  key: "m1",
  from: null,
  to: [],
  cc: [],
  replyTo: [],
  sentAt: "2024-01-01T09:00:00.000Z",
  automatedReason: null,
  signature: null,
  recipientsDropped: 0,
  ...overrides,
});
const options = { ownerAddresses: ["me@x.com"], fallbackSeenAt: "2024-06-01T00:00:00.000Z" };

describe("extractPeople", () => {
  it("takes From/To/Cc/Reply-To, never the owner or a machine, names split where safe", () => {
    const people = extractPeople(
      [
        message({
          from: { name: "Ann Lee", address: "ann@x.com" },
          to: [{ name: "Me", address: "me@x.com" }],
          cc: [{ name: "Sales Team", address: "sales@x.com" }, { name: null, address: "noreply@x.com" }],
          replyTo: [{ name: "Bob", address: "bob@x.com" }],
        }),
      ],
      options,
    );
    expect(people.map((p) => [p.email, p.values.firstName?.value ?? null, p.values.lastName?.value ?? null])).toEqual([
      ["ann@x.com", "Ann", "Lee"],
      ["sales@x.com", null, null],
      ["bob@x.com", "Bob", null],
    ]);
  });

  it("skips automated messages whole", () => {
    expect(extractPeople([message({ from: { name: "News", address: "news@x.com" }, automatedReason: "list-unsubscribe" })], options)).toEqual([]);
  });

  it("takes only the sender of mail to more recipients than the cap: a broadcast, not a relationship", () => {
    const cc = Array.from({ length: 100 }, (_, n) => ({ name: `R ${n}`, address: `r${n}@bomb.example.com` }));
    const bomb = message({ from: { name: "Bomber Man", address: "bomber@example.com" }, to: [{ name: "Ann", address: "ann@x.com" }], cc, recipientsDropped: 9_901 });
    expect(extractPeople([bomb], options).map((p) => [p.email, p.values.firstName?.value])).toEqual([["bomber@example.com", "Bomber"]]);
    // At the cap and not past it: the recipients are people the sender wrote to.
    expect(extractPeople([{ ...bomb, recipientsDropped: 0 }], options)).toHaveLength(102);
  });

  it("reads the signature for the sender only, and the newest value wins", () => {
    const people = extractPeople(
      [
        message({ key: "new", sentAt: "2024-02-01T00:00:00.000Z", from: { name: "Ann Lee", address: "ann@x.com" }, signature: ["Ann Lee", "CEO", "Acme Corp"] }),
        message({ key: "old", sentAt: "2024-01-01T00:00:00.000Z", from: { name: "Ann Lee", address: "ann@x.com" }, signature: ["Ann Lee", "Engineer", "Acme Corp"], to: [{ name: "Bob", address: "bob@x.com" }] }),
      ],
      options,
    );
    const ann = people.find((p) => p.email === "ann@x.com")!;
    expect(ann.values.title).toEqual({ value: "CEO", source: "signature", messageKey: "new", seenAt: "2024-02-01T00:00:00.000Z" });
    expect([ann.firstSeenAt, ann.lastSeenAt]).toEqual(["2024-01-01T00:00:00.000Z", "2024-02-01T00:00:00.000Z"]);
    expect(people.find((p) => p.email === "bob@x.com")!.values.title).toBeUndefined();
  });

  it("direction is sent when the owner wrote it", () => {
    expect(directionOf({ name: null, address: "me@x.com" }, ["Me@X.com"])).toBe("sent");
    expect(directionOf({ name: null, address: "ann@x.com" }, ["me@x.com"])).toBe("received");
    expect(directionOf(null, ["me@x.com"])).toBe("received");
  });
});
