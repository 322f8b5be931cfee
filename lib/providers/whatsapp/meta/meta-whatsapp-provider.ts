import { ProviderError } from "@/lib/providers/errors";
import type { WhatsAppContent, WhatsAppMessage, WhatsAppProvider, WhatsAppSendResult } from "@/lib/providers/whatsapp/whatsapp-provider";
import { type GraphApiError, graphProviderError } from "./graph-provider-error";

export const GRAPH_DEFAULT_BASE_URL = "https://graph.facebook.com";
export const GRAPH_DEFAULT_API_VERSION = "v21.0";
export const GRAPH_DEFAULT_TIMEOUT_MS = 10_000;

export type MetaWhatsAppProviderOptions = {
  accessToken: string;
  phoneNumberId: string;
  apiVersion?: string;
  baseUrl?: string;
  timeoutMs?: number;
};

/** The answer to a send: `messages[0].id` is the `wamid.…` every status webhook names. */
type GraphSendResponse = { messaging_product?: string; contacts?: { input: string; wa_id: string }[]; messages?: { id: string }[] };

/**
 * The WhatsApp Business Cloud API over plain fetch: one JSON `POST /{version}/{phone-number-id}/messages`
 * per message with the system user's bearer token. Meta's SDKs for it are unmaintained samples;
 * the API is a single endpoint, so fetch is the smaller dependency.
 */
export class MetaWhatsAppProvider implements WhatsAppProvider {
  readonly name = "meta";
  private readonly messagesUrl: string;

  constructor(private readonly options: MetaWhatsAppProviderOptions) {
    const baseUrl = (options.baseUrl ?? GRAPH_DEFAULT_BASE_URL).replace(/\/+$/, "");
    const version = options.apiVersion ?? GRAPH_DEFAULT_API_VERSION;
    this.messagesUrl = `${baseUrl}/${encodeURIComponent(version)}/${encodeURIComponent(options.phoneNumberId)}/messages`;
  }

  async send(message: WhatsAppMessage, options: { idempotencyKey: string }): Promise<WhatsAppSendResult> {
    const signal = AbortSignal.timeout(this.options.timeoutMs ?? GRAPH_DEFAULT_TIMEOUT_MS);
    let response: Response;
    try {
      response = await fetch(this.messagesUrl, {
        method: "POST",
        signal,
        headers: {
          Authorization: `Bearer ${this.options.accessToken}`,
          "Content-Type": "application/json",
          // Meta ignores it (see WhatsAppProvider.send); the loopback fake counts repeats with it.
          "Idempotency-Key": options.idempotencyKey,
        },
        body: JSON.stringify(graphMessage(message.to, message.content)),
      });
    } catch (error) {
      if (signal.aborted) throw new ProviderError("whatsapp: request timed out", "transient", { provider: "meta", code: "timeout" });
      throw new ProviderError(`whatsapp: ${(error as Error).message}`, "transient", { provider: "meta", code: "network" });
    }
    const body = parseJson(await response.text().catch(() => ""));
    if (!response.ok) throw graphProviderError(response.status, body as GraphApiError | null, response.headers.get("retry-after"));
    const id = (body as GraphSendResponse | null)?.messages?.[0]?.id;
    if (!id) throw new ProviderError("whatsapp: the answer named no message id", "transient", { provider: "meta", status: response.status });
    return { providerMessageId: id };
  }
}

/** The Cloud API's message object. `to` is the number without its "+", as Meta's wa_id is written. */
export function graphMessage(to: string, content: WhatsAppContent): Record<string, unknown> {
  const base = { messaging_product: "whatsapp", recipient_type: "individual", to: to.replace(/^\+/, "") };
  if (content.type === "text") return { ...base, type: "text", text: { preview_url: false, body: content.body } };
  const components = content.variables.length ? [{ type: "body", parameters: content.variables.map((text) => ({ type: "text", text })) }] : [];
  return { ...base, type: "template", template: { name: content.name, language: { code: content.language }, components } };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
