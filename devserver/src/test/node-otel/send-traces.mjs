// Sends one trace with the real Langfuse JS SDK v5 (@langfuse/tracing + @langfuse/otel on the OpenTelemetry JS SDK)
// to the server at LANGFUSE_BASE_URL, then prints {"traceId": ...} on one line. Started by LangfuseJsSdkOtlpTest.
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { LangfuseSpanProcessor } from "@langfuse/otel";
import { propagateAttributes, startActiveObservation, startObservation } from "@langfuse/tracing";

const processor = new LangfuseSpanProcessor({
  publicKey: "pk-lf-local",
  secretKey: "sk-lf-local",
  baseUrl: process.env.LANGFUSE_BASE_URL,
  environment: "node-test",
  release: "r-42",
});
const provider = new NodeTracerProvider({ spanProcessors: [processor] });
provider.register();

let traceId;
await propagateAttributes(
  { userId: "user-7", sessionId: "session-7", tags: ["node", "v5"], traceName: "node-support" },
  () =>
    startActiveObservation(
      "support-agent",
      async (agent) => {
        traceId = agent.traceId;
        agent.update({ input: { question: "How do I reset my password?" } });
        const generation = startObservation(
          "draft-reply",
          {
            model: "gpt-4o-mini",
            input: [{ role: "user", content: "How do I reset my password?" }],
            modelParameters: { temperature: 0.1 },
          },
          { asType: "generation" },
        );
        generation.update({
          output: { role: "assistant", content: "Use Settings > Security." },
          // Langfuse's names, each kind apart: input without its cached part, output without its reasoning.
          usageDetails: { input: 12, output: 6, input_cached_tokens: 4, output_reasoning_tokens: 2 },
          costDetails: { input: 0.00003, input_cached_tokens: 0.000005, output: 0.00006 },
        });
        generation.end();
        const tool = startObservation("search_docs", { input: { query: "reset password" } }, { asType: "tool" });
        tool.update({ output: ["doc-1"], level: "WARNING", statusMessage: "one hit only" });
        tool.end();
        agent.update({ output: "Use Settings > Security." });
      },
      { asType: "agent" },
    ),
);
await processor.forceFlush();
await provider.shutdown();
console.log(JSON.stringify({ traceId }));
