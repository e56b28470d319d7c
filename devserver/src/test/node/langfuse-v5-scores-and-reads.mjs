// Sends a trace score and an observation score with the real `@langfuse/client` 5.x into the devserver at
// LANGFUSE_BASE_URL, then reads through the client's own API calls: the trace, its observations page by page with
// the v2 cursor, its scores, the projects and the health check. Prints what they returned as JSON on stdout.
// Started by LangfuseSdkTest, which ingested the trace before.
import { LangfuseClient } from "@langfuse/client";

const env = process.env;
const langfuse = new LangfuseClient();

langfuse.score.create({ id: env.TRACE_SCORE_ID, traceId: env.TRACE_ID, name: "correct", value: 1,
  dataType: "BOOLEAN", comment: "checked against the order system" });
langfuse.score.create({ id: env.OBSERVATION_SCORE_ID, traceId: env.TRACE_ID, observationId: env.GENERATION_ID,
  name: "tone", value: "friendly", dataType: "CATEGORICAL" });
await langfuse.score.flush();

const pages = [];
let cursor;
do {
  const page = await langfuse.api.observations.getMany({ traceId: env.TRACE_ID, limit: 2, cursor,
    fields: "core,basic,usage" });
  pages.push(page.data.map((observation) => observation.id));
  cursor = page.meta.cursor;
} while (cursor);
const generation = await langfuse.api.observations.getMany({ traceId: env.TRACE_ID, type: "GENERATION" });
const scores = await langfuse.api.scores.getMany({ traceId: env.TRACE_ID });
const trace = await langfuse.api.trace.get(env.TRACE_ID);
const projects = await langfuse.api.projects.get();
const health = await langfuse.api.health.health();
await langfuse.shutdown();

process.stdout.write(JSON.stringify({ pages, generation: generation.data[0], scores: scores.data, trace,
  projects: projects.data, health }));
