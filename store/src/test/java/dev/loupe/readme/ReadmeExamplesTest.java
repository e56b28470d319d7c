package dev.loupe.readme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loupe.Loupe;
import dev.loupe.engine.Exporter;
import dev.loupe.engine.ModelPrices;
import dev.loupe.engine.TracerBuilder;
import dev.loupe.model.MatchedObservation;
import dev.loupe.model.Observation;
import dev.loupe.model.TraceSummary;
import dev.loupe.model.TraceTree;
import dev.loupe.store.MetadataFilter;
import dev.loupe.store.ObservationQuery;
import dev.loupe.store.Page;
import dev.loupe.store.PageRequest;
import dev.loupe.store.TraceQuery;
import dev.loupe.store.TraceStore;
import dev.loupe.trace.Generation;
import dev.loupe.trace.ObservationLevel;
import dev.loupe.trace.ObservationType;
import dev.loupe.trace.Span;
import dev.loupe.trace.TraceContext;
import dev.loupe.trace.Tracer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Java examples. Each region between {@code tag::} and {@code end::} appears verbatim in README.md
 * (ReadmeSnippetsTest in the examples module checks that), and each test runs its region and checks what it recorded.
 */
class ReadmeExamplesTest {

    @TempDir
    Path directory;

    Tracer previous;
    Tracer tracer;
    TraceStore store;

    // What the examples talk to: a fake model and a fake search.
    final List<Map<String, String>> messages = List.of(Map.of("role", "user", "content", "How do I reset my password?"));
    final String userMessage = "How do I reset my password?";
    final FakeModel llm = new FakeModel();

    record Doc(String title) {
    }

    static final class FakeModel {
        String complete(List<Map<String, String>> prompt) {
            return "Open Settings > Security";
        }
    }

    List<Doc> search(String query) {
        return List.of(new Doc("Reset your password"));
    }

    @BeforeEach
    void installTracer() {
        store = TraceStore.open(directory);
        previous = Loupe.setTracer(TracerBuilder.create().store(store).shutdownHook(false).build());
        tracer = Loupe.tracer();
    }

    @AfterEach
    void restoreTracer() {
        Loupe.setTracer(previous).close();
        store.close();
    }

    TraceTree onlyTrace() {
        tracer.flush();
        List<TraceSummary> traces = store.traces(TraceQuery.all()).items();
        assertThat(traces).hasSize(1);
        return store.trace(traces.get(0).trace().id()).orElseThrow();
    }

    @Test
    void callbackStyleRecordsATraceOfNestedObservations() {
        // tag::callbacks[]
        Tracer tracer = Loupe.tracer();             // global tracer, writes to the default local store
        String answer = tracer.trace("support-agent", root -> {
            root.input(userMessage).userId("user-123").sessionId("session-456").tags("support");
            String draft = tracer.generation("draft-reply", gen -> {
                gen.model("gpt-4o-mini").input(messages).modelParameters(Map.of("temperature", 0.2));
                String text = llm.complete(messages);
                gen.output(text).usage(120, 45);    // cost is computed from the model's price
                return text;
            });
            List<Doc> docs = tracer.tool("search_docs", tool -> {
                tool.input(Map.of("query", draft));
                return search(draft);               // the return value becomes the output when none was set
            });
            String result = tracer.generation("final-answer", gen -> {
                gen.model("gpt-4o-mini").input(docs);
                return llm.complete(messages);
            });
            root.score("helpfulness", 0.92, "answered from the docs");
            return result;
        });
        // end::callbacks[]

        TraceTree trace = onlyTrace();
        assertThat(answer).isEqualTo("Open Settings > Security");
        assertThat(trace.children(trace.root())).extracting(Observation::name)
                .containsExactly("draft-reply", "search_docs", "final-answer");
        assertThat(trace.find("draft-reply").orElseThrow().cost().total()).isPositive();
        assertThat(trace.find("search_docs").orElseThrow().output()).contains("Reset your password");
        assertThat(trace.score("helpfulness").orElseThrow().value()).isEqualTo(0.92);
        assertThat(trace.trace().userId()).isEqualTo("user-123");
    }

    @Test
    void manualStyleEndsObservationsExplicitly() {
        // tag::manual[]
        try (var root = tracer.startTrace("nightly-reindex")) {
            root.input(Map.of("collection", "help-centre"));
            try (Generation embed = tracer.startGeneration("embed-chunks")) {
                embed.model("text-embedding-3-small").usage(5_000, 0);
            }
            Span upload = tracer.startSpan("upload");   // current on this thread until it ends
            try {
                upload.output("42 chunks");
            } catch (RuntimeException failure) {
                upload.error(failure);                   // level ERROR, message and exception type
                throw failure;
            } finally {
                upload.end();
            }
        }
        // end::manual[]

        TraceTree trace = onlyTrace();
        assertThat(trace.children(trace.root())).extracting(Observation::name).containsExactly("embed-chunks", "upload");
    }

    @Test
    void contextFollowsWorkOntoOtherThreads() throws Exception {
        // tag::threads[]
        ExecutorService pool = TraceContext.propagating(Executors.newFixedThreadPool(4));
        tracer.trace("research-agent", root -> {
            // Each task nests under the observation current when it was submitted.
            var web = pool.submit(() -> tracer.tool("web_search", tool -> search("password")));
            var kb = pool.submit(() -> tracer.retriever("kb_lookup", step -> search("password")));
            // CompletableFuture stages carry the context too.
            CompletableFuture<String> summary = TraceContext.supplyAsync(
                    () -> tracer.generation("summarize", gen -> gen.model("gpt-4o-mini").output("ok")).toString());
            return List.of(web.get(), kb.get(), summary.join());
        });
        pool.shutdown();
        // end::threads[]

        TraceTree trace = onlyTrace();
        assertThat(trace.children(trace.root())).extracting(Observation::name)
                .containsExactlyInAnyOrder("web_search", "kb_lookup", "summarize");
    }

    @Test
    void traceAttributesEventsAndLateScoresAreRecordedFromAnywhere() {
        String traceId = tracer.trace("support-agent", root -> {
            tracer.span("load-profile", () -> {
                // tag::attributes[]
                // Deep inside a trace: set trace-level attributes without passing handles around.
                tracer.currentTrace().userId("user-123").sessionId("session-456").tags("vip")
                        .metadata("plan", "pro");
                tracer.event("cache-miss", Map.of("key", "profile:123"));     // a point in time, no duration
                tracer.currentObservation().level(ObservationLevel.WARNING).statusMessage("profile is stale");
                // end::attributes[]
            });
            return root.traceId();
        });
        // tag::late-scores[]
        // Later, for example when the user clicks "thumbs up":
        tracer.traceById(traceId).score("user-feedback", true, "thumbs up");
        tracer.session("session-456").score("resolved", "yes");
        // end::late-scores[]

        TraceTree trace = onlyTrace();
        assertThat(trace.trace().tags()).containsExactly("vip");
        assertThat(trace.trace().metadata()).isEqualTo("{\"plan\":\"pro\"}");
        assertThat(trace.events()).extracting(Observation::name).containsExactly("cache-miss");
        assertThat(trace.find("load-profile").orElseThrow().level()).isEqualTo(ObservationLevel.WARNING);
        assertThat(trace.score("user-feedback").orElseThrow().isTrue()).isTrue();
        assertThat(store.session("session-456").orElseThrow().scores()).extracting(s -> s.stringValue())
                .containsExactly("yes");
    }

    @Test
    void anExceptionMarksTheObservationAndIsRethrownUnchanged() {
        assertThatThrownBy(() -> {
            // tag::errors[]
            tracer.trace("support-agent", root ->
                    tracer.tool("refund", tool -> {
                        throw new IllegalStateException("billing API is down");  // rethrown unchanged
                    }));
            // end::errors[]
        }).isInstanceOf(IllegalStateException.class).hasMessage("billing API is down");

        Observation refund = onlyTrace().find("refund").orElseThrow();
        assertThat(refund.level()).isEqualTo(ObservationLevel.ERROR);
        assertThat(refund.statusMessage()).isEqualTo("billing API is down");
        assertThat(refund.type()).isEqualTo(ObservationType.TOOL);
    }

    @Test
    void aTracerCanBeConfiguredInCode() {
        // tag::builder[]
        Tracer custom = TracerBuilder.create()
                .storePath(directory.resolve("agent-traces"))   // or .inMemoryStore(), .withoutStore()
                .queueCapacity(50_000)
                .offerTimeout(Duration.ofMillis(5))             // then drop (counted) rather than block longer
                .maxPayloadChars(64 * 1024)                     // longer payloads are cut with a marker
                .modelPrices(ModelPrices.defaults().with("acme-llm-.*", 0.50, 1.50))  // USD per 1M tokens
                .environment("staging")
                .retention(Duration.ofDays(7))                  // traces older are deleted when it closes
                .build();
        // end::builder[]
        custom.generation("price-check", gen -> gen.model("acme-llm-large").usage(1_000_000, 0));
        assertThat(custom.flush()).isTrue();
        TraceStore customStore = Exporter.of(custom).orElseThrow().store();
        String id = customStore.traces(TraceQuery.all()).items().get(0).trace().id();
        assertThat(customStore.trace(id).orElseThrow().find("price-check").orElseThrow().cost().total())
                .isEqualByComparingTo("0.50");
        assertThat(customStore.trace(id).orElseThrow().trace().environment()).isEqualTo("staging");
        custom.close();
    }

    @Test
    void theStoreAnswersQueries() {
        tracer.trace("support-agent", root -> root.tags("support").output("done"));
        tracer.flush();
        // tag::queries[]
        Page<TraceSummary> failing = store.traces(TraceQuery.builder()
                .name("support-agent").tags("support").hasError(false)
                .from(java.time.Instant.now().minus(Duration.ofDays(1)))
                .page(PageRequest.first(20))
                .build());
        for (TraceSummary summary : failing.items()) {
            TraceTree tree = store.trace(summary.trace().id()).orElseThrow();
            System.out.println(tree.render());            // the tree as a readable outline
        }
        // end::queries[]
        assertThat(failing.totalItems()).isEqualTo(1);
    }

    @Test
    void theStoreSearchesTextAndFiltersByMetadata() {
        tracer.trace("support-agent", root -> {
            root.metadata("customer", Map.of("tier", "gold"));
            tracer.tool("issue_refund", tool -> {
                tool.metadata("region", "eu-west");
                return "Order A-1042: refund approved";
            });
            return "done";
        });
        tracer.trace("support-agent", root -> root.metadata("customer", Map.of("tier", "silver")).output("refund"));
        tracer.flush();
        // tag::search[]
        Page<TraceSummary> refunds = store.traces(TraceQuery.builder()
                .search("\"refund approved\" order*")                   // words, "a phrase", prefix*
                .metadata(MetadataFilter.atPath("$.customer.tier", "gold"), // the trace's or an observation's
                        MetadataFilter.keyEquals("region", "eu-west"))
                .page(PageRequest.first(20).withoutTotal())
                .build());
        for (TraceSummary summary : refunds.items()) {
            summary.matches().forEach(match -> System.out.println(match.name()));  // where the text was found
        }
        String traceId = refunds.items().get(0).trace().id();
        Page<Observation> inTrace = store.observations(ObservationQuery.builder()
                .traceId(traceId).search("refund").build());            // find in one trace
        // end::search[]
        assertThat(refunds.items()).singleElement().satisfies(summary -> assertThat(summary.matches())
                .extracting(MatchedObservation::name).containsExactly("issue_refund"));
        assertThat(inTrace.items()).extracting(Observation::name).containsExactly("issue_refund");
    }
}
