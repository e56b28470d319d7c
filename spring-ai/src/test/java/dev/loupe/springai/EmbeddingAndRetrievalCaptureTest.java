package dev.loupe.springai;

import static dev.loupe.assertj.LoupeAssertions.assertThat;

import dev.loupe.junit.CapturedTraces;
import dev.loupe.model.TraceTree;
import dev.loupe.trace.ObservationType;
import io.micrometer.observation.ObservationRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.SimpleVectorStore;
import org.springframework.beans.factory.annotation.Autowired;

class EmbeddingAndRetrievalCaptureTest extends SpringAiBootTest {

    @Autowired
    EmbeddingModel embeddingModel;

    @Autowired
    ObservationRegistry observations;

    @Test
    void anEmbeddingCallIsAnEmbeddingObservationWithModelAndInputTokens(CapturedTraces traces) {
        List<float[]> vectors = embeddingModel.embed(List.of("reset my password", "refund policy"));

        assertThat(vectors).hasSize(2);
        TraceTree trace = traces.single();
        assertThat(trace).hasShape("EMBEDDING embedding text-embedding-3-small");
        assertThat(trace).generation("embedding text-embedding-3-small")
                .hasModel("text-embedding-3-small")
                .hasInput(List.of("reset my password", "refund policy"))
                .hasOutputAtPath("embeddings", 2);
        assertThat(trace.ofType(ObservationType.EMBEDDING).get(0).usage().input()).isPositive();
    }

    @Test
    void aVectorStoreQueryIsARetrieverWithTheQueryAndTheDocumentsFound(CapturedTraces traces) {
        SimpleVectorStore store = SimpleVectorStore.builder(embeddingModel).observationRegistry(observations)
                .build();
        store.add(List.of(new Document("doc-1", "Reset your password under Settings.", Map.of()),
                new Document("doc-2", "Refunds take five days.", Map.of())));

        List<Document> found = store.similaritySearch(SearchRequest.builder().query("password").topK(1).build());

        assertThat(found).hasSize(1);
        TraceTree query = trace(traces, "vector_store query");
        assertThat(query).hasShape("""
                RETRIEVER vector_store query
                  EMBEDDING embedding text-embedding-3-small
                """);
        assertThat(query).observation("vector_store query")
                .hasInputAtPath("query", "password")
                .hasInputAtPath("top_k", 1)
                .hasOutputAtPath("[0].id", found.get(0).getId())
                .hasMetadataEntry("db.system", "simple");
        // The store embeds each document it adds, one call each.
        assertThat(trace(traces, "vector_store add")).hasObservationCount(ObservationType.EMBEDDING, 2)
                .root().hasType(ObservationType.SPAN);
    }

    private static TraceTree trace(CapturedTraces traces, String name) {
        return traces.all().stream().filter(trace -> name.equals(trace.name())).findFirst()
                .orElseThrow(() -> new AssertionError("No trace named " + name + " in " + traces.all()));
    }
}
