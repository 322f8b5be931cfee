import { describe, expect, it } from "vitest";
import { ANSWER_SCHEMAS, campaignRates, type RecommendationBasis, redactSegmentFilter, type SubjectPerformance } from "@/core/ai/recommendation-kinds";
import { emptyTotals } from "@/core/analytics/engagement";
import { summarizeCampaign } from "@/lib/ai/heuristic/campaign-summary-rules";
import { contentFindings } from "@/lib/ai/heuristic/content-checks";
import { heuristicAnswer } from "@/lib/ai/heuristic/heuristic-model";
import { bestSlots, suggestSendTime } from "@/lib/ai/heuristic/send-time-rules";
import { featureLift, preheaderFrom, shorten, suggestSubjectLines } from "@/lib/ai/heuristic/subject-line-rules";
import { linksIn, visibleText } from "@/lib/ai/heuristic/text-features";
import { canonicalJson, recommendationInputHash } from "@/lib/ai/input-hash";
import { linkWithoutQuery, mergeLinks } from "@/lib/ai/recommendation-basis";

const template = (values: Partial<{ channel: string; subject: string | null; body: string }>) => ({
  id: "0190a0d4-5f6e-7000-8000-000000000000",
  name: "T",
  channel: "email",
  subject: "Your November picks",
  body: `<p>${"Words for readers. ".repeat(10)}</p><a href="https://example.com/a">A</a> {{ unsubscribe_url }}`,
  ...values,
});

describe("content checks", () => {
  it.each([
    ["a clean email", {}, []],
    ["no subject", { subject: "" }, ["problem:The email has no subject."]],
    ["no unsubscribe link", { body: `<p>${"Words for readers. ".repeat(10)}</p><a href="https://example.com">x</a>` }, ["problem:No unsubscribe link"]],
    ["a long subject", { subject: "x".repeat(75) }, ["warning:The subject is 75 characters"]],
    ["shouting and spam words", { subject: "FREE MONEY inside!!" }, ["warning:Spam-trigger phrases: \"free money\"", "warning:Capitals in the subject: FREE, MONEY.", "warning:Several exclamation marks"]],
    ["an image without alt text", { body: `<p>${"Words for readers. ".repeat(10)}</p><img src="x.png"> <a href="https://e.com">x</a> {{ unsubscribe_url }}` }, ["warning:1 image has no alt text."]],
    ["an insecure link", { body: `<p>${"Words for readers. ".repeat(10)}</p><a href="http://e.com">x</a> {{ unsubscribe_url }}` }, ["warning:1 link uses http://."]],
    ["a near-empty body", { body: "<img alt='sale' src='x.png'> <a href='https://e.com'>x</a> {{ unsubscribe_url }}" }, ["warning:Only 1 words"]],
    ["a long SMS", { channel: "sms", subject: null, body: "y ".repeat(100) }, ["info:The text is 199 characters: 2 SMS segments each."]],
  ])("%s", (_name, values, expected) => {
    const findings = contentFindings(template(values)).map((finding) => `${finding.severity}:${finding.issue}`);
    expect(findings).toHaveLength(expected.length);
    expected.forEach((prefix, index) => expect(findings[index]).toMatch(new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`)));
  });

  it("reads text and links as a person would, Liquid left out", () => {
    expect(visibleText("<style>p{}</style><p>Hi {{ contact.first_name }},</p>{% if x %}<b>sale</b>{% endif %}")).toBe("Hi , sale");
    expect(linksIn('<a href="https://a.example/x">a</a> see https://b.example/y.')).toEqual(["https://a.example/x", "https://b.example/y."]);
  });
});

const past = (subject: string, delivered: number, uniqueOpened: number): SubjectPerformance => ({ subject, campaigns: 1, delivered, uniqueOpened, openRate: uniqueOpened / delivered });

describe("subject line rules", () => {
  it.each([
    ["Short", 10, "Short"],
    ["A subject that runs on and on well past the limit of a phone", 30, "A subject that runs on and on"],
    ["Hello {{ contact.first_name }} and welcome", 20, "Hello"],
  ])("shorten(%j, %i) = %j", (subject, max, expected) => expect(shorten(subject, max)).toBe(expected));

  it("weighs open rates by delivered, and says nothing under the sample floor", () => {
    const rows = [past("Short one", 100, 40), past("A much longer subject line that goes past fifty characters", 100, 10)];
    expect(featureLift(rows, (subject) => subject.length <= 50)).toEqual({ with: 0.4, without: 0.1 });
    expect(featureLift([past("x", 10, 5)], () => true)).toEqual({ with: null, without: null });
  });

  it("suggests shorter, personalised and question forms, citing the workspace's own rates, and the best past subject", () => {
    const basis = {
      kind: "subject-lines",
      target: { type: "template", id: "t", name: "Winter" },
      template: template({ subject: "Our winter sale starts today with great savings for everyone in the family" }),
      pastSubjects: [past("{{ contact.first_name }}, autumn picks?", 200, 90), past("Autumn newsletter number twelve of the year for everyone", 200, 20)],
    } satisfies RecommendationBasis;
    const answer = suggestSubjectLines(basis);
    expect(ANSWER_SCHEMAS["subject-lines"].safeParse(answer).success).toBe(true);
    expect(answer.suggestions.map((s) => s.subject)).toEqual([
      "Our winter sale starts today with great",
      '{{ contact.first_name | default: "Hi" }}, our winter sale starts today',
      "Our winter sale starts today with great savings?",
      "{{ contact.first_name }}, autumn picks?",
    ]);
    expect(answer.suggestions[1]!.rationale).toBe("Past subjects that were personalised opened at 45.0% against 10.0% in this workspace.");
    expect(answer.suggestions[0]!.preheader).toBe("Words for readers.");
  });

  it("makes a preheader from the first sentence a reader sees", () => {
    expect(preheaderFrom("<p>{{ contact.first_name }}, the sale is on. Ends Sunday.</p>", "Sale")).toBe(", the sale is on.");
    expect(preheaderFrom("<img src=x>", "Sale")).toBe("A quick look at what is inside.");
  });
});

describe("send time rules", () => {
  const cells = [
    { dayOfWeek: 2, hour: 9, opens: 10, clicks: 0 },
    { dayOfWeek: 4, hour: 18, opens: 2, clicks: 4 },
    { dayOfWeek: 1, hour: 9, opens: 10, clicks: 0 },
  ];
  it("ranks cells by opens + 3 × clicks, earlier in the week first on ties", () => {
    expect(bestSlots(cells, 3).map((cell) => [cell.dayOfWeek, cell.hour])).toEqual([
      [4, 18],
      [1, 9],
      [2, 9],
    ]);
  });
  it.each([
    [cells, 26, [4, 1, 2]],
    [cells.slice(0, 1), 10, [2]],
  ])("answers from the heat map, or the default under the sample floor", (heatMap, total, days) => {
    const answer = suggestSendTime({ kind: "send-time", target: { type: "segment", id: "s", name: "S" }, segmentFilter: {}, timeZone: "Europe/Paris", heatMap, totalEngagements: total });
    expect(answer.slots.map((slot) => slot.dayOfWeek)).toEqual(days);
    expect(answer.explanation).toContain(total < 20 ? "Too little engagement" : "Europe/Paris");
  });
});

describe("campaign summary rules", () => {
  const totals = (values: Partial<ReturnType<typeof emptyTotals>>) => ({ ...emptyTotals(), ...values });
  const basis = (mine: ReturnType<typeof emptyTotals>, theirs: ReturnType<typeof emptyTotals>) =>
    ({
      kind: "campaign-summary",
      target: { type: "campaign", id: "c", name: "Spring" },
      campaign: { channel: "email", status: "sent", startedAt: null, finishedAt: null, audienceCount: 1000 },
      totals: mine,
      rates: campaignRates(mine),
      baseline: { campaigns: 4, rates: campaignRates(theirs) },
      topLinks: [{ url: "https://e.com/sale", uniqueClicked: 40 }],
    }) satisfies RecommendationBasis;

  it("says what beat the baseline and what breaks the bulk-sender rules", () => {
    const answer = summarizeCampaign(basis(totals({ sent: 1000, delivered: 950, uniqueOpened: 475, opened: 500, machineOpened: 500, uniqueClicked: 40, bounced: 50, complained: 5 }), totals({ sent: 4000, delivered: 3900, uniqueOpened: 1170, uniqueClicked: 200, bounced: 100 })));
    expect(answer.headline).toBe("Spring: 50.0% opened, 4.2% clicked");
    expect(answer.highlights).toEqual(["Open rate 50.0% against 30.0% for your other 4 campaign(s).", "Most clicked link: https://e.com/sale (40 people)."]);
    expect(answer.concerns).toEqual([
      "Bounce rate 5.0% against 2.5% for your other 4 campaign(s).",
      "Complaint rate 0.5% is over the 0.3% Gmail and Yahoo allow bulk senders.",
    ]);
    expect(answer.summary).toContain("50% of opens were machines");
  });
  it("says there is nothing yet before the first send", () => {
    expect(summarizeCampaign(basis(emptyTotals(), emptyTotals())).headline).toBe("Spring: nothing sent yet");
  });
});

describe("privacy and caching of the basis", () => {
  it("redacts every compared value of a segment filter", () => {
    expect(redactSegmentFilter({ all: [{ field: "email", op: "eq", value: "ann@x.com" }, { attribute: "age", op: "gt", value: 30 }, { attribute: "plan", op: "in", value: ["a", "b"] }, { engagement: "opened", within: "30d" }, { inList: "l1" }] })).toEqual({
      all: [{ field: "email", op: "eq", value: "<text>" }, { attribute: "age", op: "gt", value: "<number>" }, { attribute: "plan", op: "in", value: "<2 values>" }, { engagement: "opened", within: "30d" }, { inList: "l1" }],
    });
  });
  it("drops query strings from links and merges what they split", () => {
    expect(linkWithoutQuery("https://e.com/a?email=ann%40x.com#top")).toBe("https://e.com/a");
    expect(mergeLinks([{ url: "https://e.com/a?u=1", uniqueClicked: 1 }, { url: "https://e.com/a?u=2", uniqueClicked: 1 }, { url: "https://e.com/b", uniqueClicked: 1 }])).toEqual([
      { url: "https://e.com/a", uniqueClicked: 2 },
      { url: "https://e.com/b", uniqueClicked: 1 },
    ]);
  });
  it("hashes the same data the same whatever the key order, and apart per engine", () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
    const basis = { kind: "content-feedback", target: { type: "template", id: "t", name: "T" }, template: template({}) } satisfies RecommendationBasis;
    const reordered = JSON.parse(JSON.stringify({ template: basis.template, target: basis.target, kind: basis.kind })) as RecommendationBasis;
    expect(recommendationInputHash(basis, { source: "heuristic", model: null })).toBe(recommendationInputHash(reordered, { source: "heuristic", model: null }));
    expect(recommendationInputHash(basis, { source: "heuristic", model: null })).not.toBe(recommendationInputHash(basis, { source: "openai", model: "gpt-4o-mini" }));
  });
  it("every heuristic answer passes its kind's schema", () => {
    const basis = { kind: "content-feedback", target: { type: "template", id: "t", name: "T" }, template: template({ subject: "", body: "" }) } satisfies RecommendationBasis;
    expect(ANSWER_SCHEMAS["content-feedback"].safeParse(heuristicAnswer(basis)).success).toBe(true);
  });
});
