import { describe, expect, it } from "vitest";
import { PREVIEW_CSP, previewSrcDoc } from "@/app/(dashboard)/_lib/preview-src-doc";

const META = `<meta http-equiv="Content-Security-Policy" content="${PREVIEW_CSP}">`;

describe("previewSrcDoc", () => {
  it("puts a policy that blocks every remote load (the open pixel included) first", () => {
    expect(previewSrcDoc(`<p>Hi</p><img src="https://sendline.localhost/t/o/abc.def">`)).toBe(`${META}<p>Hi</p><img src="https://sendline.localhost/t/o/abc.def">`);
    expect(PREVIEW_CSP).toContain("default-src 'none'");
    expect(PREVIEW_CSP).toContain("img-src data:");
    expect(PREVIEW_CSP).not.toMatch(/https?:|\*/);
  });

  it("keeps a leading doctype first, so the message renders in standards mode", () => {
    expect(previewSrcDoc(`<!DOCTYPE html>\n<html><body>x</body></html>`)).toBe(`<!DOCTYPE html>${META}\n<html><body>x</body></html>`);
  });
});
