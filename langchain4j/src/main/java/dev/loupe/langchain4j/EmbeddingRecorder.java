package dev.loupe.langchain4j;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.listener.EmbeddingModelErrorContext;
import dev.langchain4j.model.embedding.listener.EmbeddingModelListener;
import dev.langchain4j.model.embedding.listener.EmbeddingModelRequestContext;
import dev.langchain4j.model.embedding.listener.EmbeddingModelResponseContext;
import dev.langchain4j.model.output.Response;
import dev.loupe.trace.Generation;
import dev.loupe.trace.TraceContext;
import dev.loupe.trace.Tracer;
import dev.loupe.trace.Usage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Records each call of an embedding model as an EMBEDDING observation nested under what is current. */
final class EmbeddingRecorder implements EmbeddingModelListener {

    private static final Object GENERATION = new Object() {
        @Override
        public String toString() {
            return "loupe.embedding";
        }
    };

    private final Supplier<Tracer> tracers;

    EmbeddingRecorder(Supplier<Tracer> tracers) {
        this.tracers = tracers;
    }

    @Override
    public void onRequest(EmbeddingModelRequestContext context) {
        try {
            Tracer tracer = tracers.get();
            if (!tracer.isEnabled()) {
                return;
            }
            String model = context.embeddingRequest() != null && context.embeddingRequest().modelName() != null
                    ? context.embeddingRequest().modelName()
                    : context.embeddingModel() == null ? null : context.embeddingModel().modelName();
            Generation embedding = Contexts.startUnder(TraceContext.current(),
                    () -> tracer.startEmbedding(model == null ? "embeddings" : "embeddings " + model));
            embedding.model(model);
            List<String> texts = new ArrayList<>();
            if (context.textSegments() != null) {
                for (TextSegment segment : context.textSegments()) {
                    texts.add(segment.text());
                }
            }
            embedding.input(Payloads.immutable(texts));
            context.attributes().put(GENERATION, embedding);
        } catch (RuntimeException | LinkageError failure) {
            Failures.report(tracers, "recording an embedding request", failure);
        }
    }

    @Override
    public void onResponse(EmbeddingModelResponseContext context) {
        try {
            if (context.attributes().remove(GENERATION) instanceof Generation embedding) {
                Response<List<Embedding>> response = context.response();
                if (response != null) {
                    Map<String, Object> output = new LinkedHashMap<>();
                    List<Embedding> vectors = response.content();
                    output.put("embeddings", vectors == null ? 0 : vectors.size());
                    if (vectors != null && !vectors.isEmpty()) {
                        output.put("dimensions", vectors.get(0).dimension());
                    }
                    embedding.output(Payloads.immutable(output));
                    Usage usage = Payloads.usage(response.tokenUsage());
                    if (usage != null) {
                        embedding.usage(usage);
                    }
                }
                embedding.end();
            }
        } catch (RuntimeException | LinkageError failure) {
            Failures.report(tracers, "recording an embedding response", failure);
        }
    }

    @Override
    public void onError(EmbeddingModelErrorContext context) {
        try {
            if (context.attributes().remove(GENERATION) instanceof Generation embedding) {
                embedding.error(context.error()).end();
            }
        } catch (RuntimeException | LinkageError failure) {
            Failures.report(tracers, "recording an embedding failure", failure);
        }
    }

    @Override
    public String toString() {
        return "Loupe embedding model listener";
    }
}
