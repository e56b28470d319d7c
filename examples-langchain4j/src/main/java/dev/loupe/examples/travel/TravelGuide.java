package dev.loupe.examples.travel;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.rag.content.retriever.ContentRetriever;
import dev.langchain4j.rag.content.retriever.EmbeddingStoreContentRetriever;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import java.util.List;

/** The travel guide the agent retrieves from: a few passages embedded into an in-memory store. */
public final class TravelGuide {

    /** The guide's passages. */
    public static final List<String> PASSAGES = List.of(
            "Lyon: the old town and the Fourviere hill are best seen on foot; bouchons serve lunch until 2 pm.",
            "Marseille: the Calanques are closed on windy days; the Vieux-Port fish market opens at 8 am.",
            "Lille: the Braderie flea market fills the centre on the first weekend of September.");

    private TravelGuide() {
    }

    /**
     * Embeds the passages with the model and returns a retriever over them that finds the two closest to a
     * question. The model given here embeds the questions too; wrap it with listeners before if they should be seen.
     */
    public static ContentRetriever retriever(EmbeddingModel indexing, EmbeddingModel querying) {
        EmbeddingStore<TextSegment> store = new InMemoryEmbeddingStore<>();
        List<TextSegment> segments = PASSAGES.stream().map(TextSegment::from).toList();
        store.addAll(indexing.embedAll(segments).content(), segments);
        return EmbeddingStoreContentRetriever.builder()
                .embeddingStore(store)
                .embeddingModel(querying)
                .maxResults(2)
                .build();
    }
}
