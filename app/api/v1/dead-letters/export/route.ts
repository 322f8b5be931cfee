import { apiRoute, readQuery } from "@/lib/api/route";
import { deadLettersApi } from "@/lib/api/contracts/dead-letters";
import { deadLetterFilter } from "@/lib/dead-letters/dead-letter-request";
import { deadLettersCsvResponse } from "@/lib/dead-letters/dead-letters-csv";

/** The dead letters matching the list's filters, as a streamed CSV download. */
export const GET = apiRoute(async ({ db, principal, request }) => {
  const query = readQuery(request, deadLettersApi.export.query);
  if (!query.ok) return query.response;
  return deadLettersCsvResponse(db, { workspaceId: principal.workspaceId, filter: deadLetterFilter(query.data) });
});
