package dev.loupe.langchain4j;

import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.ContentMetadata;
import dev.langchain4j.rag.content.retriever.listener.ContentRetrieverErrorContext;
import dev.langchain4j.rag.content.retriever.listener.ContentRetrieverListener;
import dev.langchain4j.rag.content.retriever.listener.ContentRetrieverRequestContext;
import dev.langchain4j.rag.content.retriever.listener.ContentRetrieverResponseContext;
import dev.langchain4j.rag.query.Metadata;
import dev.langchain4j.rag.query.Query;
import dev.loupe.trace.ObservationType;
import dev.loupe.trace.Span;
import dev.loupe.trace.TraceContext;
import dev.loupe.trace.Tracer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Records each retrieval of a content retriever as a RETRIEVER observation: the query in, the contents found out. It
 * nests under the AI service invocation the query names, or else under what is current, and stays current while
 * the retriever works, so that the embedding of the query nests under it.
 */
final class RetrieverRecorder implements ContentRetrieverListener {

    private static final Object OPEN = new Object() {
        @Override
        public String toString() {
            return "loupe.retrieval";
        }
    };

    private final Supplier<Tracer> tracers;

    RetrieverRecorder(Supplier<Tracer> tracers) {
        this.tracers = tracers;
    }

    /** A retrieval in progress and what was current on its thread before it. */
    private record Open(Span span, TraceContext before, Thread thread) {
    }

    @Override
    public void onRequest(ContentRetrieverRequestContext context) {
        try {
            Tracer tracer = tracers.get();
            if (!tracer.isEnabled()) {
                return;
            }
            Query query = context.query();
            TraceContext parent = TraceContext.current();
            Metadata metadata = query == null ? null : query.metadata();
            if (metadata != null && metadata.invocationContext() != null) {
                Invocation invocation = Invocations.get(metadata.invocationContext().invocationId());
                if (invocation != null) {
                    parent = invocation.context;
                }
            }
            TraceContext before = TraceContext.current();
            parent.makeCurrent();
            // Named for what it does: LangChain4j hands its listeners a wrapper, not the retriever it wraps.
            Span span = tracer.startObservation(ObservationType.RETRIEVER, "retrieve");
            if (query != null) {
                span.input(query.text());
            }
            context.attributes().put(OPEN, new Open(span, before, Thread.currentThread()));
        } catch (RuntimeException | LinkageError failure) {
            Failures.report(tracers, "recording a retrieval", failure);
        }
    }

    @Override
    public void onResponse(ContentRetrieverResponseContext context) {
        try {
            if (context.attributes().remove(OPEN) instanceof Open open) {
                List<Map<String, Object>> found = new ArrayList<>();
                for (Content content : context.contents()) {
                    Map<String, Object> item = new LinkedHashMap<>();
                    item.put("text", content.textSegment() == null ? null : content.textSegment().text());
                    Object score = content.metadata() == null ? null : content.metadata().get(ContentMetadata.SCORE);
                    if (score != null) {
                        item.put("score", score);
                    }
                    found.add(item);
                }
                open.span().output(Payloads.immutable(found));
                close(open);
            }
        } catch (RuntimeException | LinkageError failure) {
            Failures.report(tracers, "recording a retrieval's result", failure);
        }
    }

    @Override
    public void onError(ContentRetrieverErrorContext context) {
        try {
            if (context.attributes().remove(OPEN) instanceof Open open) {
                open.span().error(context.error());
                close(open);
            }
        } catch (RuntimeException | LinkageError failure) {
            Failures.report(tracers, "recording a retrieval's failure", failure);
        }
    }

    private static void close(Open open) {
        open.span().end();
        if (open.thread() == Thread.currentThread()) {
            open.before().makeCurrent();
        }
    }

    @Override
    public String toString() {
        return "Loupe content retriever listener";
    }
}
