import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { getEnrollment, getJourney, listStepEvents } from "@/db/queries/journeys";
import { Fields, NoWorkspace, PageHeader, StatusBadge, Time } from "../../../../_components/ui";
import { href, param, type SearchParams } from "../../../../_lib/search-params";
import { dashboardContext } from "../../../../_lib/workspace";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Enrollment timeline" };

export default async function EnrollmentPage({ params, searchParams }: { params: Promise<{ id: string; enrollmentId: string }>; searchParams: Promise<SearchParams> }) {
  const [{ id, enrollmentId }, query] = await Promise.all([params, searchParams]);
  const { db, workspace } = await dashboardContext(param(query, "workspace"));
  if (!workspace) {
    return (
      <>
        <PageHeader title="Enrollment" />
        <NoWorkspace />
      </>
    );
  }
  if (!z.uuid().safeParse(id).success || !z.uuid().safeParse(enrollmentId).success) notFound();
  const journey = await getJourney(db, { workspaceId: workspace.id, journeyId: id });
  const enrollment = journey ? await getEnrollment(db, { workspaceId: workspace.id, enrollmentId }) : undefined;
  if (!journey || !enrollment || enrollment.journeyId !== journey.id) notFound();
  const timeline = await listStepEvents(db, { enrollmentId: enrollment.id });

  return (
    <>
      <PageHeader title={`Timeline in ${journey.name}`} subtitle={<Link href={href(`/journeys/${journey.id}`, { workspace: workspace.id })}>Back to the journey</Link>} />
      <Fields
        rows={[
          ["Contact", <Link key="contact" href={href(`/contacts/${enrollment.contactId}`, { workspace: workspace.id })}>{enrollment.contactId}</Link>],
          ["Status", <StatusBadge key="status" status={enrollment.status} />],
          ["Exit reason", enrollment.exitReason ?? "—"],
          ["Version", enrollment.version],
          ["Entered", <Time key="entered" at={enrollment.enteredAt} />],
        ]}
      />
      <table className="data" aria-label="Timeline">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Step</th>
            <th scope="col">What</th>
            <th scope="col">Detail</th>
          </tr>
        </thead>
        <tbody>
          {timeline.map((event) => (
            <tr key={event.id}>
              <td className="nowrap">
                <Time at={event.at} />
              </td>
              <td>{event.stepId}</td>
              <td>{event.type}</td>
              <td className="truncate">{Object.entries(event.detail).map(([key, value]) => `${key}: ${String(value)}`).join(", ") || "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
