import { describe, expect, it } from "vitest";
import { splitDisplayName } from "@/core/mailbox/display-name";

describe("splitDisplayName", () => {
  it.each([
    ["Ann Lee", { firstName: "Ann", lastName: "Lee" }],
    ["Jürgen Müller", { firstName: "Jürgen", lastName: "Müller" }],
    ["Lee, Ann", { firstName: "Ann", lastName: "Lee" }],
    ["Cher", { firstName: "Cher", lastName: null }],
    ["Jean-Luc O'Neil", { firstName: "Jean-Luc", lastName: "O'Neil" }],
    ['"Ann Lee"', { firstName: "Ann", lastName: "Lee" }],
  ])("%s → %o", (name, expected) => expect(splitDisplayName(name, "x@y.z")).toEqual(expected));

  it.each([["Sales Team"], ["Ann Marie van der Berg"], ["ann@x.com"], ["Room 101"], ["ACME Support"], [""], ["x@y.z"]])("%s is not split", (name) => {
    expect(splitDisplayName(name, "x@y.z")).toBeNull();
  });
});
