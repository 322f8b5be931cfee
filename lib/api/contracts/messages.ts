import { apiOperation } from "@/lib/api/api-operation";
import { messagesQuery, messageViewSchema } from "@/lib/messages/message-request";
import { idParams, paged } from "./common";

const tag = "Messages";
const message = messageViewSchema.meta({ id: "Message" });

export const messagesApi = {
  list: apiOperation({
    method: "get",
    path: "/messages",
    tag,
    summary: "List every message, transactional and campaign, email and SMS, newest first",
    query: messagesQuery,
    responses: { 200: { description: "A page of messages", schema: paged(message) } },
  }),
  get: apiOperation({
    method: "get",
    path: "/messages/{id}",
    tag,
    summary: "One message, with why it failed or was suppressed",
    params: idParams("message"),
    responses: { 200: { description: "The message", schema: message } },
    errors: { 404: "No such message in this workspace" },
  }),
};
