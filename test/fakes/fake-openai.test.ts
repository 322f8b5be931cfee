import OpenAI from "openai";
import { zodResponseFormat } from "openai/helpers/zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { type FakeOpenAi, startFakeOpenAi } from "./fake-openai";

/** The fake refuses what OpenAI refuses, to the real SDK, so a test passing against it means something. */
let fake: FakeOpenAi;
let client: OpenAI;
const answer = z.strictObject({ title: z.string(), tags: z.array(z.string()).min(1) });
const format = zodResponseFormat(answer, "note");
const messages = [{ role: "user" as const, content: "hi" }];

beforeAll(async () => {
  fake = await startFakeOpenAi();
  client = new OpenAI({ apiKey: fake.apiKey, baseURL: fake.baseUrl, maxRetries: 0 });
});
afterAll(() => fake.stop());

describe("fake OpenAI", () => {
  it("answers an instance of the strict schema, with usage", async () => {
    const completion = await client.chat.completions.create({ model: "gpt-4o-mini", messages, response_format: format });
    expect(answer.parse(JSON.parse(completion.choices[0]!.message.content!))).toEqual({ title: "fake title", tags: ["fake tags"] });
    expect(completion.usage!.total_tokens).toBe(completion.usage!.prompt_tokens + completion.usage!.completion_tokens);
  });

  it.each([
    ["a wrong key", () => new OpenAI({ apiKey: "sk-wrong", baseURL: fake.baseUrl, maxRetries: 0 }).chat.completions.create({ model: "gpt-4o-mini", messages, response_format: format }), 401],
    ["an unknown model", () => client.chat.completions.create({ model: "gpt-nope", messages, response_format: format }), 404],
    ["no messages", () => client.chat.completions.create({ model: "gpt-4o-mini", messages: [], response_format: format }), 400],
    ["a non-strict schema", () => client.chat.completions.create({ model: "gpt-4o-mini", messages, response_format: { type: "json_schema", json_schema: { name: "x", strict: false, schema: {} } } }), 400],
    [
      "an open object",
      () =>
        client.chat.completions.create({
          model: "gpt-4o-mini",
          messages,
          response_format: { type: "json_schema", json_schema: { name: "x", strict: true, schema: { type: "object", properties: { a: { type: "string" } }, required: ["a"] } } },
        }),
      400,
    ],
  ])("refuses %s", async (_name, call, status) => {
    await expect(call()).rejects.toMatchObject({ status });
  });

  it("fails on demand with 429 and 500, then answers again", async () => {
    fake.failNext(1, 429);
    fake.failNext(1, 500);
    const create = () => client.chat.completions.create({ model: "gpt-4o-mini", messages, response_format: format });
    await expect(create()).rejects.toBeInstanceOf(OpenAI.RateLimitError);
    await expect(create()).rejects.toBeInstanceOf(OpenAI.InternalServerError);
    await expect(create()).resolves.toMatchObject({ object: "chat.completion" });
  });

  it("answers a refusal as OpenAI does: no content, a refusal message", async () => {
    fake.behave("refusal");
    const completion = await client.chat.completions.create({ model: "gpt-4o-mini", messages, response_format: format });
    expect(completion.choices[0]!.message).toMatchObject({ content: null, refusal: expect.any(String) });
    fake.behave("answer");
  });
});
