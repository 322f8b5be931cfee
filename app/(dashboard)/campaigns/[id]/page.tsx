import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { ARCHIVABLE_CAMPAIGN_STATUSES, getCampaignArchive } from "@/db/queries/campaign-archives";
import { listCampaignFailures } from "@/db/queries/campaign-recipients";
import { getCampaign } from "@/db/queries/campaigns";
import { getTemplate } from "@/db/queries/templates";
import { decodeIdCursor, encodeIdCursor } from "@/core/pagination/cursor";
import { ARCHIVED_ROWS_NOTE, archivePanelView, rowsInArchive } from "@/lib/archives/archive-view";
import { campaignDetailView } from "@/lib/campaigns/campaign-view";
import { campaignAnalytics } from "@/lib/analytics/analytics-view";
import { campaignSealViews } from "@/lib/seals/seal-view";
import { AutoRefresh } from "../../_components/auto-refresh";
import { Fields, NoWorkspace, PageHeader, StatusBadge, Time } from "../../_components/ui";
import { campaignActionsFor } from "../../_lib/campaign-action";
import { campaignAudienceNames, audienceId } from "../../_lib/campaign-list";
import { CAMPAIGN_REFRESH_MS, isCampaignLive } from "../../_lib/campaign-progress";
import { href, param, type SearchParams } from "../../_lib/search-params";
import { dashboardContext } from "../../_lib/workspace";
import { CampaignAudience } from "../campaign-audience";
import { CampaignProgressBar } from "../campaign-progress-bar";
import { CampaignActionButtons } from "./campaign-action-buttons";
import { CampaignAnalytics } from "./campaign-analytics";
import { CampaignAnalysisPanel, campaignAnalysisPanelData } from "./campaign-analysis-panel";
import { CampaignArchivePanel } from "./campaign-archive-panel";
import { CampaignCounters } from "./campaign-counters";
import { CampaignFailures } from "./campaign-failures";
import { CampaignSeals } from "./campaign-seals";
import { CampaignZones } from "./campaign-zones";
import { CampaignAbTest } from "./campaign-ab-test";
import { LocalSendTimeForm } from "./local-send-time-form";
import { campaignRecommendations } from "./campaign-recommendations";

/** Failed recipients listed per page of the campaign page. */
const FAILURES_PAGE_SIZE = 50;

/** The heading of the status reason: a failure, or why a campaign is where it is. */
const REASON_LABEL: Partial<Record<string, string>> = { failed: "Campaign failed:", sent: "Sent with failures:" };

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Campaign" };

export default async function CampaignPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const [{ id }, query] = await Promise.all([params, searchParams]);
  const { db, workspace } = await dashboardContext(param(query, "workspace"));
  if (!workspace) return <NoWorkspace />;
  if (!z.uuid().safeParse(id).success) notFound();
  const campaign = await getCampaign(db, { workspaceId: workspace.id, campaignId: id });
  if (!campaign) notFound();
  const failuresAfter = decodeIdCursor(param(query, "failures") ?? "") ?? undefined;
  const [detail, names, template, failures, archive] = await Promise.all([
    campaignDetailView(db, campaign),
    campaignAudienceNames(db, workspace.id, [campaign.audience]),
    getTemplate(db, { workspaceId: workspace.id, templateId: campaign.templateId }),
    listCampaignFailures(db, { workspaceId: workspace.id, campaignId: campaign.id, channel: campaign.channel, afterContactId: failuresAfter, limit: FAILURES_PAGE_SIZE + 1 }),
    getCampaignArchive(db, { workspaceId: workspace.id, campaignId: id }),
  ]);
  const archivable = (ARCHIVABLE_CAMPAIGN_STATUSES as readonly string[]).includes(campaign.status);
  const { stats, progress } = detail;
  const failuresPage = failures.slice(0, FAILURES_PAGE_SIZE);
  const failuresNext = failures.length > FAILURES_PAGE_SIZE ? encodeIdCursor(failuresPage.at(-1)!.contactId) : null;

  return (
    <>
      <p className="breadcrumbs">
        <Link href="/campaigns">Campaigns</Link> / <span className="mono">{campaign.id}</span>
      </p>
      <PageHeader title={campaign.name} subtitle={<>{campaign.channel} campaign · created <Time at={campaign.createdAt} /></>}>
        <AutoRefresh active={isCampaignLive(campaign.status)} intervalMs={CAMPAIGN_REFRESH_MS} while="the campaign is scheduled or sending" />
        <StatusBadge status={campaign.status} />
      </PageHeader>

      {campaign.statusReason ? (
        <div className="alert" role="alert">
          <strong>{REASON_LABEL[campaign.status] ?? "Reason:"}</strong> {campaign.statusReason}
        </div>
      ) : null}

      <section className="import-progress">
        <CampaignProgressBar status={campaign.status} counts={stats} />
        <p className="muted">
          Chunks done: {progress.chunksDone.toLocaleString("en-US")} / {progress.chunks.toLocaleString("en-US")}
        </p>
      </section>

      <section>
        <h2>Actions</h2>
        <CampaignActionButtons workspaceId={workspace.id} campaignId={campaign.id} status={campaign.status} actions={campaignActionsFor(campaign.status)} />
        {(campaign.status === "draft" || campaign.status === "scheduled") && !campaign.abTest ? (
          <LocalSendTimeForm workspaceId={workspace.id} campaignId={campaign.id} localSendTime={campaign.localSendTime} />
        ) : null}
      </section>

      {campaign.localSendTime ? <CampaignZones localSendTime={campaign.localSendTime} zones={detail.zones} /> : null}
      {detail.abTest ? <CampaignAbTest test={detail.abTest} workspaceId={workspace.id} campaignId={campaign.id} /> : null}

      <CampaignArchivePanel
        workspaceId={workspace.id}
        campaignId={campaign.id}
        archiveBlockedBy={archivable ? null : `A ${campaign.status} campaign may still send: only sent, failed or cancelled campaigns are archived.`}
        archive={archivePanelView(archive)}
      />

      <CampaignCounters stats={stats} />
      <CampaignAnalysisPanel {...await campaignAnalysisPanelData(db, { workspaceId: workspace.id, campaignId: campaign.id })} />

      {rowsInArchive(archive) && stats.failed > 0 ? (
        <section>
          <h2>Failures</h2>
          <p className="muted" data-archived-rows>
            {ARCHIVED_ROWS_NOTE}
          </p>
        </section>
      ) : null}
      {failuresPage.length > 0 ? (
        <CampaignFailures
          failures={failuresPage}
          total={stats.failed}
          firstHref={href(`/campaigns/${campaign.id}`)}
          nextHref={failuresNext ? href(`/campaigns/${campaign.id}`, { failures: failuresNext }) : null}
          isFirst={!failuresAfter}
        />
      ) : null}

      <CampaignAnalytics
        view={await campaignAnalytics(db, { workspaceId: workspace.id, campaignId: campaign.id, query: {} })}
        workspaceId={workspace.id}
        campaignId={campaign.id}
      />
      <CampaignSeals seals={await campaignSealViews(db, { workspaceId: workspace.id, campaignId: campaign.id })} />
      {await campaignRecommendations(db, workspace.id, campaign)}

      <section>
        <h2>Details</h2>
        <Fields
          rows={[
            ["Status", <StatusBadge key="s" status={campaign.status} />],
            ["Channel", campaign.channel],
            ["Audience", <CampaignAudience key="a" audience={campaign.audience} name={names.get(audienceId(campaign.audience)) ?? null} />],
            ["Template", template ? template.name : <code key="t">{campaign.templateId}</code>],
            ["From", campaign.fromAddress ? <span key="f" className="mono">{campaign.fromAddress}</span> : null],
            ["Reply-To", campaign.replyTo ? <span key="r" className="mono">{campaign.replyTo}</span> : null],
            ["Provider account", campaign.providerAccount ? <code key="p">{campaign.providerAccount}</code> : null],
            ["Send at", <Time key="sa" at={campaign.sendAt} />],
            ["Local send time", campaign.localSendTime ? `${campaign.localSendTime} in each recipient's time zone (the workspace's zone when unknown)` : "— (everyone at the send time)"],
            ["Started", <Time key="st" at={campaign.startedAt} />],
            ["Last progress", <Time key="pr" at={campaign.progressAt} />],
            ["Finished", <Time key="fi" at={campaign.finishedAt} />],
            ["Created", <Time key="c" at={campaign.createdAt} />],
            ["Updated", <Time key="u" at={campaign.updatedAt} />],
          ]}
        />
      </section>
    </>
  );
}
