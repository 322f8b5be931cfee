import { describe, expect, it } from "vitest";
import { mergeJourneyDrafts, sameJson } from "@/core/journeys/merge-drafts";

const T1 = "00000000-0000-4000-8000-000000000001";

/** send → wait → done, as saved at the base revision both editors started from. */
const base = () => ({
  trigger: { type: "event", eventName: "signup" },
  start: "welcome",
  nodes: [
    { id: "welcome", type: "send", channel: "email", templateId: T1, next: "pause" },
    { id: "pause", type: "wait", duration: { amount: 1, unit: "days" }, next: "done" },
    { id: "done", type: "exit" },
  ],
  layout: { welcome: { x: 0, y: 100 }, pause: { x: 0, y: 250 }, done: { x: 0, y: 400 } },
});

type Draft = ReturnType<typeof base>;
const edit = (change: (draft: Draft) => void): Draft => {
  const draft = structuredClone(base());
  change(draft);
  return draft;
};
const step = (draft: Record<string, unknown>, id: string) => (draft.nodes as { id: string }[]).find((node) => node.id === id);

describe("mergeJourneyDrafts: two saves on the same base revision", () => {
  it("keeps both changes when they touch different steps", () => {
    const mine = edit((draft) => (draft.nodes[1]!.duration = { amount: 3, unit: "days" }));
    const theirs = edit((draft) => (draft.nodes[0]!.next = "done"));
    const merged = mergeJourneyDrafts(base(), mine, theirs);
    expect(merged.ok).toBe(true);
    if (!merged.ok) return;
    expect(step(merged.draft, "pause")).toMatchObject({ duration: { amount: 3, unit: "days" } });
    expect(step(merged.draft, "welcome")).toMatchObject({ next: "done" });
  });

  it("keeps a step one side added and a step the other deleted", () => {
    const mine = edit((draft) => {
      draft.nodes.push({ id: "webhook-1", type: "webhook", url: "https://example.com/hook", next: "done" } as never);
      (draft.layout as Record<string, unknown>)["webhook-1"] = { x: 300, y: 250 };
    });
    const theirs = edit((draft) => {
      draft.nodes = draft.nodes.filter((node) => node.id !== "pause");
      draft.nodes[0]!.next = "done";
      delete (draft.layout as Record<string, unknown>).pause;
    });
    const merged = mergeJourneyDrafts(base(), mine, theirs);
    expect(merged.ok).toBe(true);
    if (!merged.ok) return;
    expect((merged.draft.nodes as { id: string }[]).map((node) => node.id)).toEqual(["welcome", "done", "webhook-1"]);
    expect(Object.keys(merged.draft.layout as object).sort()).toEqual(["done", "webhook-1", "welcome"]);
  });

  it("refuses two different changes to the same step, naming it", () => {
    const mine = edit((draft) => (draft.nodes[1]!.duration = { amount: 3, unit: "days" }));
    const theirs = edit((draft) => (draft.nodes[1]!.duration = { amount: 5, unit: "hours" }));
    expect(mergeJourneyDrafts(base(), mine, theirs)).toEqual({ ok: false, conflicts: [{ nodeId: "pause", field: null, message: "step pause: both of you changed it" }] });
  });

  const dropPause = (draft: Draft): void => {
    draft.nodes = draft.nodes.filter((node) => node.id !== "pause");
  };
  const loopPause = (draft: Draft): void => {
    draft.nodes[1]!.next = "welcome";
  };
  it.each([
    ["you deleted the step they changed", dropPause, loopPause],
    ["they deleted the step you changed", loopPause, dropPause],
  ])("refuses a delete against a change: %s", (message, mine, theirs) => {
    const merged = mergeJourneyDrafts(base(), edit(mine), edit(theirs));
    expect(merged).toEqual({ ok: false, conflicts: [{ nodeId: "pause", field: null, message: `step pause: ${message}` }] });
  });

  it("names a labelled step by its label", () => {
    const labelled = () => edit((draft) => ((draft.nodes[0] as Record<string, unknown>).label = "Welcome email"));
    const mine = labelled();
    mine.nodes[0]!.next = "done";
    const theirs = labelled();
    theirs.nodes[0]!.channel = "sms";
    const merged = mergeJourneyDrafts(labelled(), mine, theirs);
    expect(merged.ok ? [] : merged.conflicts.map((conflict) => conflict.message)).toEqual(["step “Welcome email” (welcome): both of you changed it"]);
  });

  it("takes the same change made on both sides once", () => {
    const change = (draft: Draft) => (draft.nodes[1]!.duration = { amount: 2, unit: "days" });
    const merged = mergeJourneyDrafts(base(), edit(change), edit(change));
    expect(merged.ok && step(merged.draft, "pause")).toMatchObject({ duration: { amount: 2, unit: "days" } });
  });

  it("treats the journey's settings as units: one side's trigger change merges, two different ones conflict", () => {
    const trigger = (eventName: string) => (draft: Draft) => (draft.trigger.eventName = eventName);
    const oneSide = mergeJourneyDrafts(base(), edit(trigger("purchase")), edit((draft) => (draft.nodes[0]!.next = "done")));
    expect(oneSide.ok && oneSide.draft.trigger).toEqual({ type: "event", eventName: "purchase" });
    expect(mergeJourneyDrafts(base(), edit(trigger("purchase")), edit(trigger("refund")))).toEqual({
      ok: false,
      conflicts: [{ nodeId: null, field: "trigger", message: "both changed the journey's trigger" }],
    });
  });

  it("never refuses over positions: both moved a step, the save being made wins", () => {
    const merged = mergeJourneyDrafts(
      base(),
      edit((draft) => (draft.layout.pause = { x: 10, y: 10 })),
      edit((draft) => (draft.layout.pause = { x: 99, y: 99 })),
    );
    expect(merged.ok && merged.draft.layout).toMatchObject({ pause: { x: 10, y: 10 } });
  });
});

describe("sameJson", () => {
  it.each([
    [{ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 }, true],
    [{ a: 1, b: undefined }, { a: 1 }, true],
    [[1, 2], [2, 1], false],
    [{ a: null }, { a: 0 }, false],
    [undefined, null, false],
  ])("%j vs %j → %s", (a, b, expected) => expect(sameJson(a, b)).toBe(expected));
});
