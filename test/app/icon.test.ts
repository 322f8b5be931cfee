import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

describe("app/icon.svg", () => {
  it("is the app's icon by Next's metadata convention: a square SVG", () => {
    const svg = fs.readFileSync(path.resolve(__dirname, "../../app/icon.svg"), "utf8");
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 32 32">/);
    expect(svg.trim().endsWith("</svg>")).toBe(true);
  });
});
