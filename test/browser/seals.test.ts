import { generateKeyPairSync } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, inject } from "vitest";
import { openDatabase } from "@/db";
import { sealCampaignMetrics } from "@/lib/seals/seal-campaign-metrics";
import { engagedCampaign } from "@/test/support/sealed-campaign";
import { test } from "./support/dashboard-test";
import { expectText, expectVisible, heading, visit } from "./support/page-checks";

/**
 * A real seal of a real campaign's rollups (the suite's app runs in production mode without
 * SEAL_SIGNING_KEY, so the seal is made here with a key of the test's own, as a configured
 * deployment would), checked by the public page in Chromium's WebCrypto: verified as sealed,
 * failed once a number in the stored row is changed.
 */
describe("sealed metrics", () => {
  test("the campaign page links its seal; the public page verifies it in the browser, and fails it once tampered", async ({ page, workspace, suite }) => {
    const database = openDatabase({ url: inject("browserSuite").databaseUrl });
    let campaignId: string;
    let sealId: string;
    try {
      const { campaign } = await engagedCampaign(database.db, { workspaceId: workspace.id, prefix: "browser-seal" });
      campaignId = campaign.id;
      const key = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
      const result = await sealCampaignMetrics(database.db, { workspaceId: workspace.id, campaignId, kind: "finished", actor: "test" }, { NODE_ENV: "production", SEAL_SIGNING_KEY: key });
      if (result.outcome !== "sealed") throw new Error(`not sealed: ${result.outcome}`);
      sealId = result.seal.id;
    } finally {
      await database.close();
    }

    await visit(page, `/campaigns/${campaignId!}`);
    const panel = page.getByRole("region", { name: "Sealed metrics" });
    await expectVisible(panel.getByRole("heading", { name: "Sealed metrics" }), panel.getByRole("cell", { name: "verifies" }), panel.getByRole("cell", { name: "no change" }));
    await panel.getByRole("link", { name: "Verify seal 1" }).click();
    await page.waitForURL(`**/seals/${sealId!}`);
    await expectVisible(heading(page, "Sealed campaign metrics"));
    const status = page.getByRole("status");
    await expectText(status, "Verified: these numbers are exactly what was sealed and signed.");
    const checks = page.getByRole("table", { name: "Checks" });
    await expectVisible(checks.getByRole("row", { name: /Ed25519 signature passed/ }), checks.getByRole("row", { name: /Canonical hash .* passed/ }));
    await expectVisible(page.getByRole("table", { name: "Sealed numbers" }).getByRole("row", { name: "sent 3" }));

    // Public: no dashboard login needed, for the page and its JSON.
    for (const path of [`/seals/${sealId!}`, `/api/public/seals/${sealId!}`, "/.well-known/sendline-seal-key"]) {
      expect((await fetch(new URL(path, suite.baseUrl))).status, path).toBe(200);
    }

    const tamper = openDatabase({ url: inject("browserSuite").databaseUrl });
    try {
      await tamper.db.execute(sql`update metric_seals set body = jsonb_set(body, '{metrics,opened}', '42') where id = ${sealId!}`);
    } finally {
      await tamper.close();
    }
    await page.reload();
    await expectText(status, /^Verification failed: Canonical hash \(SHA-256 of RFC 8785 JSON\)\.$/);
    await expectVisible(checks.getByRole("row", { name: /Canonical hash .* FAILED .*the content was changed/ }));

    await visit(page, `/campaigns/${campaignId!}`);
    await expectVisible(page.getByRole("region", { name: "Sealed metrics" }).getByRole("cell", { name: /^FAILS: .*the content was changed/ }));
  });
});
