import { randomBytes } from "node:crypto";
import type http from "node:http";
import { type LoopbackServer, sendJson, startLoopbackServer } from "./loopback-server";

/**
 * A loopback stand-in for OpenAI's Chat Completions API (`POST /v1/chat/completions`) with
 * structured outputs. It checks what OpenAI checks: the Bearer key, a known model, the messages'
 * shape, and a `json_schema` response format whose schema strict mode accepts (every object
 * closed with `additionalProperties: false` and every property required). It answers with an
 * instance of the requested schema unless told to answer badly (malformed JSON, a refusal, an
 * answer cut off, one off the schema) or to fail (429, 500), and reports `usage` as OpenAI does.
 */

export type FakeOpenAiBehaviour = "answer" | "malformed-json" | "refusal" | "off-schema" | "cut-off";

export type FakeOpenAiRequest = { authorization: string | null; status: number; body: unknown; raw: string; atMs: number };

export type FakeOpenAi = {
  /** The base URL the SDK takes (OPENAI_BASE_URL): `http://127.0.0.1:<port>/v1`. */
  baseUrl: string;
  apiKey: string;
  models: string[];
  requests: FakeOpenAiRequest[];
  /** Completions answered 200 (whatever their content). */
  completions: number;
  /** What the next answers are; `answer` unless set. Applies until changed. */
  behave(behaviour: FakeOpenAiBehaviour): void;
  /** Answers the next `count` requests with this status (429, 500, …) before anything else. */
  failNext(count: number, status: number): void;
  /** The answer for a schema name, instead of the generated instance. */
  answerFor(schemaName: string, answer: unknown): void;
  stop(): Promise<void>;
};

const ROLES = new Set(["system", "developer", "user", "assistant"]);
const SCHEMA_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: unknown;
  items?: JsonSchema;
  enum?: unknown[];
  minimum?: number;
  minItems?: number;
  anyOf?: JsonSchema[];
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  definitions?: Record<string, JsonSchema>;
};

/** What strict mode refuses, as OpenAI words it (the first problem found, with its path). */
export function strictSchemaProblem(schema: JsonSchema, path = "root"): string | null {
  if (schema.type === "object" || schema.properties) {
    if (schema.additionalProperties !== false) return `In context=(${path}), 'additionalProperties' is required to be supplied and to be false.`;
    const keys = Object.keys(schema.properties ?? {});
    const missing = keys.filter((key) => !(schema.required ?? []).includes(key));
    if (missing.length > 0) return `In context=(${path}), 'required' is required to be supplied and to be an array including every key in properties. Missing '${missing[0]}'.`;
    for (const key of keys) {
      const problem = strictSchemaProblem(schema.properties![key]!, `${path}, '${key}'`);
      if (problem) return problem;
    }
  }
  if (schema.items) return strictSchemaProblem(schema.items, `${path}, items`);
  for (const option of schema.anyOf ?? []) {
    const problem = strictSchemaProblem(option, path);
    if (problem) return problem;
  }
  for (const [name, definition] of Object.entries(schema.$defs ?? schema.definitions ?? {})) {
    const problem = strictSchemaProblem(definition, `$defs, '${name}'`);
    if (problem) return problem;
  }
  return null;
}

/** The least instance of a schema: what a model answering "well" returns unless a test says otherwise. */
export function instanceOf(schema: JsonSchema, name = "value"): unknown {
  if (schema.enum) return schema.enum[0];
  if (schema.anyOf) return instanceOf(schema.anyOf[0]!, name);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "object":
      return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([key, value]) => [key, instanceOf(value, key)]));
    case "array":
      return Array.from({ length: Math.max(schema.minItems ?? 0, 1) }, () => instanceOf(schema.items ?? {}, name));
    case "integer":
    case "number":
      return schema.minimum ?? 0;
    case "boolean":
      return true;
    case "null":
      return null;
    default:
      return `fake ${name}`;
  }
}

const openAiError = (message: string, type: string, code: string | null, param: string | null = null) => ({ error: { message, type, param, code } });

export async function startFakeOpenAi(options: { port?: number; apiKey?: string; models?: string[] } = {}): Promise<FakeOpenAi> {
  const apiKey = options.apiKey ?? `sk-test-${randomBytes(12).toString("hex")}`;
  const models = options.models ?? ["gpt-4o-mini", "gpt-4o-2024-08-06"];
  const requests: FakeOpenAiRequest[] = [];
  const failures: number[] = [];
  const answers = new Map<string, unknown>();
  let behaviour: FakeOpenAiBehaviour = "answer";
  let completions = 0;

  function handle(req: http.IncomingMessage, res: http.ServerResponse, raw: string): void {
    const authorization = (req.headers.authorization as string | undefined) ?? null;
    let body: unknown = null;
    const answer = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      requests.push({ authorization, status, body, raw, atMs: Date.now() });
      sendJson(res, status, payload, { "x-request-id": `req_${randomBytes(8).toString("hex")}`, ...headers });
    };
    const path = new URL(req.url ?? "/", "http://fake").pathname;
    if (req.method !== "POST" || path !== "/v1/chat/completions") return answer(404, openAiError(`Invalid URL (${req.method} ${path})`, "invalid_request_error", null));
    if (authorization !== `Bearer ${apiKey}`) {
      return answer(401, openAiError("Incorrect API key provided.", "invalid_request_error", "invalid_api_key"));
    }
    try {
      body = JSON.parse(raw);
    } catch {
      return answer(400, openAiError("We could not parse the JSON body of your request.", "invalid_request_error", null));
    }
    const failure = failures.shift();
    if (failure === 429) return answer(429, openAiError("Rate limit reached for requests", "requests", "rate_limit_exceeded"), { "retry-after-ms": "10" });
    if (failure) return answer(failure, openAiError("The server had an error while processing your request.", "server_error", null));

    const request = body as { model?: unknown; messages?: unknown; response_format?: { type?: string; json_schema?: { name?: string; strict?: boolean; schema?: JsonSchema } } };
    if (typeof request.model !== "string") return answer(400, openAiError("you must provide a model parameter", "invalid_request_error", null, "model"));
    if (!models.includes(request.model)) {
      return answer(404, openAiError(`The model \`${request.model}\` does not exist or you do not have access to it.`, "invalid_request_error", "model_not_found"));
    }
    const messages = request.messages;
    if (!Array.isArray(messages) || messages.length === 0) return answer(400, openAiError("'messages' must contain at least one message.", "invalid_request_error", null, "messages"));
    const badMessage = messages.findIndex((message: { role?: unknown; content?: unknown }) => !ROLES.has(String(message?.role)) || typeof message?.content !== "string");
    if (badMessage >= 0) return answer(400, openAiError(`Invalid value for 'messages[${badMessage}]'.`, "invalid_request_error", null, `messages[${badMessage}]`));
    const format = request.response_format;
    if (format?.type !== "json_schema" || !format.json_schema) {
      return answer(400, openAiError("This fake only answers structured outputs: response_format must be json_schema.", "invalid_request_error", null, "response_format"));
    }
    const { name, strict, schema } = format.json_schema;
    if (!name || !SCHEMA_NAME.test(name)) return answer(400, openAiError("Invalid 'response_format.json_schema.name'.", "invalid_request_error", "invalid_value", "response_format.json_schema.name"));
    if (strict !== true || !schema) return answer(400, openAiError("This fake checks strict structured outputs: json_schema.strict must be true.", "invalid_request_error", null, "response_format"));
    const problem = strictSchemaProblem(schema);
    if (problem) return answer(400, openAiError(`Invalid schema for response_format '${name}': ${problem}`, "invalid_request_error", "invalid_json_schema", "response_format"));

    const instance = answers.has(name) ? answers.get(name) : instanceOf(schema, name);
    let content: string | null = JSON.stringify(instance);
    let refusal: string | null = null;
    let finishReason = "stop";
    if (behaviour === "malformed-json") content = `${content.slice(0, -3)}…`;
    if (behaviour === "off-schema") content = JSON.stringify({ unexpected: true });
    if (behaviour === "cut-off") {
      content = content.slice(0, Math.ceil(content.length / 2));
      finishReason = "length";
    }
    if (behaviour === "refusal") {
      content = null;
      refusal = "I'm sorry, I cannot help with that request.";
    }
    const promptTokens = Math.ceil(JSON.stringify(messages).length / 4);
    const completionTokens = Math.ceil((content ?? refusal ?? "").length / 4);
    completions += 1;
    answer(200, {
      id: `chatcmpl-${randomBytes(12).toString("hex")}`,
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model: request.model,
      choices: [{ index: 0, message: { role: "assistant", content, refusal, annotations: [] }, logprobs: null, finish_reason: finishReason }],
      usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
      system_fingerprint: "fp_fake",
    });
  }

  const server: LoopbackServer = await startLoopbackServer(handle, options.port ?? 0);
  return {
    baseUrl: `${server.url}/v1`,
    apiKey,
    models,
    requests,
    get completions() {
      return completions;
    },
    behave(next) {
      behaviour = next;
    },
    failNext(count, status) {
      for (let i = 0; i < count; i += 1) failures.push(status);
    },
    answerFor(schemaName, value) {
      answers.set(schemaName, value);
    },
    stop: () => server.stop(),
  };
}
