import { recommendationRequested } from "./events";

/** Asks generate-recommendation to answer a stored recommendation; once per recommendation. */
export const recommendationRequestedEvent = (ids: { workspaceId: string; recommendationId: string }) =>
  recommendationRequested.create(ids, { id: `ai-recommendation-${ids.recommendationId}` });
