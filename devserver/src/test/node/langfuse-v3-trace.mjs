// Records one agent trace with the real `langfuse` 3.x SDK into the devserver at LANGFUSE_BASEURL, then reads it
// back through the SDK's own fetch calls and prints what they returned as one JSON document on stdout.
// Started by LangfuseSdkTest; the ids come from the test so that it can find the trace in the store.
import { Langfuse } from "langfuse";

const env = process.env;
const langfuse = new Langfuse({
  publicKey: env.LANGFUSE_PUBLIC_KEY,
  secretKey: env.LANGFUSE_SECRET_KEY,
  baseUrl: env.LANGFUSE_BASEURL,
  flushAt: 100,
  flushInterval: 60_000,
});
const failures = [];
langfuse.on("error", (error) => failures.push(String(error)));

const trace = langfuse.trace({
  id: env.TRACE_ID,
  name: "support-agent",
  userId: "user-7",
  sessionId: env.SESSION_ID,
  tags: ["sdk-v3"],
  metadata: { tier: "gold" },
  input: { question: "Where is order 42?" },
  release: "1.2.3",
  version: "agent-v7",
  environment: "sdk-test",
});
const span = trace.span({
  id: env.SPAN_ID,
  name: "plan",
  startTime: new Date("2026-01-05T10:00:00.000Z"),
  input: { goal: "find order 42" },
  metadata: { step: 1 },
});
const generation = span.generation({
  id: env.GENERATION_ID,
  name: "answer",
  startTime: new Date("2026-01-05T10:00:00.100Z"),
  completionStartTime: new Date("2026-01-05T10:00:00.300Z"),
  model: "gpt-4o",
  modelParameters: { temperature: 0.1, max_tokens: 200 },
  input: [{ role: "user", content: "Where is order 42?" }],
});
// end() would stamp the current time; update() sends the end time given.
generation.update({
  endTime: new Date("2026-01-05T10:00:01.000Z"),
  output: { role: "assistant", content: "Order 42 ships today." },
  usageDetails: { input: 120, output: 30, input_cached_tokens: 20 },
  costDetails: { input: 0.0003, output: 0.0006, input_cached_tokens: 0.00001 },
});
span.event({
  id: env.EVENT_ID,
  name: "cache-miss",
  startTime: new Date("2026-01-05T10:00:00.050Z"),
  level: "WARNING",
  statusMessage: "no cached answer",
});
span.update({ endTime: new Date("2026-01-05T10:00:02.000Z"), output: { answer: "Order 42 ships today." } });
trace.score({ id: env.TRACE_SCORE_ID, name: "helpfulness", value: 0.9, comment: "answered the question" });
generation.score({ id: env.OBSERVATION_SCORE_ID, name: "grounded", value: 1, dataType: "BOOLEAN" });
await langfuse.flushAsync();

// The v3 tracing client has no typed observations; its API client sends a tool call as Langfuse's typed create.
const toolCall = await langfuse.api.ingestionBatch({
  batch: [{
    id: env.TOOL_ID + "-event",
    type: "tool-create",
    timestamp: new Date().toISOString(),
    body: {
      id: env.TOOL_ID,
      traceId: env.TRACE_ID,
      parentObservationId: env.SPAN_ID,
      name: "lookup-order",
      startTime: "2026-01-05T10:00:00.500Z",
      endTime: "2026-01-05T10:00:00.700Z",
      input: { orderId: 42 },
      output: { status: "shipping" },
    },
  }],
});

// Updates sent after the creates were stored, in a later batch.
trace.update({ output: { answer: "Order 42 ships today." }, tags: ["answered"], metadata: { resolved: true } });
generation.update({ statusMessage: "finished", metadata: { retries: 0 } });
await langfuse.flushAsync();

const fetchedTrace = await langfuse.fetchTrace(env.TRACE_ID);
const fetchedObservations = await langfuse.fetchObservations({ traceId: env.TRACE_ID });
const fetchedScores = await langfuse.api.scoreV2Get({ traceId: env.TRACE_ID });
const fetchedSessions = await langfuse.fetchSessions({});
const projects = await langfuse.api.projectsGet();
await langfuse.shutdownAsync();

process.stdout.write(JSON.stringify({
  failures,
  toolCall,
  trace: fetchedTrace.data,
  observations: fetchedObservations.data,
  scores: fetchedScores.data,
  sessions: fetchedSessions.data,
  projects: projects.data,
}));
