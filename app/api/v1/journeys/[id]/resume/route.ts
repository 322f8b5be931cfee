import { journeyStatusRoute } from "@/app/api/v1/journeys/_lib/journey-status-route";

export const POST = journeyStatusRoute("resume");
