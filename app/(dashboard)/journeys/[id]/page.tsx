import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { describeStep, describeTrigger, journeyGraph, stepsInOrder } from "@/core/journeys/graph";
import { countSegmentMembers } from "@/db/queries/journey-segment-members";
import { getJourney, getJourneyVersion, journeyStepCounts, listEnrollments } from "@/db/queries/journeys";
import { journeyAbTestsView } from "@/lib/journeys/journey-ab-test-view";
import { Empty, Fields, FormOutcome, NoWorkspace, PageHeader, StatusBadge, Time } from "../../_components/ui";
import { href, param, type SearchParams } from "../../_lib/search-params";
import { dashboardContext } from "../../_lib/workspace";
import { pauseJourneyAction, publishJourneyAction, resumeJourneyAction } from "../actions";
import { JourneyAbTests } from "./journey-ab-tests";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Journey" };

const ENROLLMENTS_SHOWN = 50;

export default async function JourneyPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const [{ id }, query] = await Promise.all([params, searchParams]);
  const { db, workspace } = await dashboardContext(param(query, "workspace"));
  if (!workspace) {
    return (
      <>
        <PageHeader title="Journey" />
        <NoWorkspace />
      </>
    );
  }
  if (!z.uuid().safeParse(id).success) notFound();
  const journey = await getJourney(db, { workspaceId: workspace.id, journeyId: id });
  if (!journey) notFound();
  const version = journey.publishedVersion ? await getJourneyVersion(db, { journeyId: journey.id, version: journey.publishedVersion }) : undefined;
  const graph = version ? journeyGraph.safeParse(version.graph) : undefined;
  const counts = version ? await journeyStepCounts(db, { journeyId: journey.id, version: version.version }) : {};
  // A segment trigger's members as the last evaluation (or the publish) saw them: who "entering" is judged against.
  const members = version && graph?.success && graph.data.trigger.type === "segment" ? await countSegmentMembers(db, { journeyId: journey.id, version: version.version }) : undefined;
  const abTests = version && graph?.success ? await journeyAbTestsView(db, { workspaceId: workspace.id, journeyId: journey.id, version: version.version, graph: graph.data }) : [];
  const enrollments = await listEnrollments(db, { workspaceId: workspace.id, journeyId: journey.id, limit: ENROLLMENTS_SHOWN });
  const notice = param(query, "notice");
  const problem = param(query, "problem");
  const hidden = (
    <>
      <input type="hidden" name="workspace" value={workspace.id} />
      <input type="hidden" name="journey" value={journey.id} />
    </>
  );

  return (
    <>
      <PageHeader title={journey.name} subtitle="The published version's steps with their counts; edit the draft on the canvas (or through the API, PUT /api/v1/journeys/{id}/draft).">
        {journey.status !== "archived" ? <Link href={href(`/journeys/${journey.id}/edit`, { workspace: workspace.id })}>Edit on the canvas</Link> : null}{" "}
        {journey.status !== "archived" ? (
          <form action={publishJourneyAction} className="inline-form">
            {hidden}
            <button type="submit">Publish draft</button>
          </form>
        ) : null}{" "}
        {journey.status === "active" ? (
          <form action={pauseJourneyAction} className="inline-form">
            {hidden}
            <button type="submit">Pause</button>
          </form>
        ) : null}
        {journey.status === "paused" ? (
          <form action={resumeJourneyAction} className="inline-form">
            {hidden}
            <button type="submit">Resume</button>
          </form>
        ) : null}
      </PageHeader>
      <FormOutcome notice={notice} problem={problem} />
      <Fields
        rows={[
          ["Status", <StatusBadge key="status" status={journey.status} />],
          ["Why", journey.statusReason ?? "—"],
          ["Published version", journey.publishedVersion ?? "none yet"],
          ["Draft revision", `${journey.draftRevision} (saved ${journey.draftSavedAt.toISOString()})`],
          ["Trigger", graph?.success ? describeTrigger(graph.data.trigger) : "—"],
          ...(members === undefined ? [] : [["Segment members last seen", `${members} (re-evaluated every 15 minutes; a contact not among them that joins is enrolled)`] as [string, string]]),
          ["Re-entry", graph?.success ? (graph.data.reentry.mode === "after" ? `after ${graph.data.reentry.days} days` : graph.data.reentry.mode) : "—"],
          ["Goal", graph?.success ? (graph.data.goal?.eventName ?? "none") : "—"],
        ]}
      />
      <section>
        <h2>Steps{version ? ` of version ${version.version}` : ""}</h2>
        {!graph?.success ? (
          <Empty>Not published yet: publish the draft to see its steps.</Empty>
        ) : (
          <table className="data" aria-label="Steps">
            <thead>
              <tr>
                <th scope="col">Step</th>
                <th scope="col">What it does</th>
                <th scope="col" className="num">
                  Entered
                </th>
                <th scope="col" className="num">
                  Waiting
                </th>
                <th scope="col" className="num">
                  Passed
                </th>
                <th scope="col" className="num">
                  Exited
                </th>
              </tr>
            </thead>
            <tbody>
              {stepsInOrder(graph.data).map((node) => {
                const count = counts[node.id] ?? { entered: 0, waiting: 0, passed: 0, exited: 0 };
                return (
                  <tr key={node.id}>
                    <td>{node.label ?? node.id}</td>
                    <td>{describeStep(node)}</td>
                    <td className="num">{count.entered}</td>
                    <td className="num">{count.waiting}</td>
                    <td className="num">{count.passed}</td>
                    <td className="num">{count.exited}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
      {version ? <JourneyAbTests steps={abTests} workspaceId={workspace.id} journeyId={journey.id} version={version.version} /> : null}
      <section>
        <h2>Enrollments</h2>
        {enrollments.length === 0 ? (
          <Empty>No one has entered this journey yet.</Empty>
        ) : (
          <table className="data" aria-label="Enrollments">
            <thead>
              <tr>
                <th scope="col">Contact</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Version
                </th>
                <th scope="col">Step</th>
                <th scope="col">Entered</th>
                <th scope="col">Timeline</th>
              </tr>
            </thead>
            <tbody>
              {enrollments.map((enrollment) => (
                <tr key={enrollment.id}>
                  <td>
                    <Link href={href(`/contacts/${enrollment.contactId}`, { workspace: workspace.id })}>{enrollment.contactId.slice(0, 8)}</Link>
                  </td>
                  <td>
                    <StatusBadge status={enrollment.status} />
                    {enrollment.exitReason ? <span className="muted"> {enrollment.exitReason}</span> : null}
                  </td>
                  <td className="num">{enrollment.version}</td>
                  <td>{enrollment.currentStepId ?? "—"}</td>
                  <td className="nowrap">
                    <Time at={enrollment.enteredAt} />
                  </td>
                  <td>
                    <Link href={href(`/journeys/${journey.id}/enrollments/${enrollment.id}`, { workspace: workspace.id })}>Timeline</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
