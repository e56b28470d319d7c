package dev.loupe.store;

import dev.loupe.trace.ObservationLevel;
import dev.loupe.trace.ObservationType;
import java.time.Instant;
import java.util.List;

/**
 * Which observations to list, oldest first; modelled on Langfuse's observation list filters. Every filter is
 * optional and they combine with AND. Build one with {@link #builder()}.
 *
 * @param traceId             only observations of this trace
 * @param type                only observations of this type
 * @param name                exact name
 * @param parentObservationId only children of this observation
 * @param level               only observations of this level
 * @param model               exact model name
 * @param from                started at or after this instant
 * @param to                  started before this instant
 * @param metadata            conditions on the observation's own metadata (empty: any)
 * @param search              a full-text search of the observation (see {@link Builder#search})
 * @param page                which page, and whether to count all matches
 */
public record ObservationQuery(
        String traceId,
        ObservationType type,
        String name,
        String parentObservationId,
        ObservationLevel level,
        String model,
        Instant from,
        Instant to,
        List<MetadataFilter> metadata,
        String search,
        PageRequest page) {

    /** Checks the time range and that a search has words; no page means the first. */
    public ObservationQuery {
        metadata = metadata == null ? List.of() : List.copyOf(metadata);
        search = search == null || search.isBlank() ? null : search.trim();
        if (search != null) {
            dev.loupe.store.internal.SearchQuery.parse(search);
        }
        page = page == null ? PageRequest.first() : page;
        Paging.range("time", from, to, from != null && to != null && from.isAfter(to));
    }

    /** Returns a builder for a query of all observations, 50 per page. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link ObservationQuery} instances. */
    public static final class Builder {
        private String traceId;
        private ObservationType type;
        private String name;
        private String parentObservationId;
        private ObservationLevel level;
        private String model;
        private Instant from;
        private Instant to;
        private List<MetadataFilter> metadata;
        private String search;
        private PageRequest page = PageRequest.first();

        private Builder() {
        }

        /** Keeps only observations of this trace. */
        public Builder traceId(String id) {
            this.traceId = id;
            return this;
        }

        /** Keeps only observations of this type. */
        public Builder type(ObservationType observationType) {
            this.type = observationType;
            return this;
        }

        /** Keeps only observations with this name. */
        public Builder name(String observationName) {
            this.name = observationName;
            return this;
        }

        /** Keeps only children of this observation. */
        public Builder parentObservationId(String id) {
            this.parentObservationId = id;
            return this;
        }

        /** Keeps only observations of this level. */
        public Builder level(ObservationLevel observationLevel) {
            this.level = observationLevel;
            return this;
        }

        /** Keeps only model calls to this model. */
        public Builder model(String modelName) {
            this.model = modelName;
            return this;
        }

        /** Keeps only observations that started at or after this instant. */
        public Builder from(Instant inclusive) {
            this.from = inclusive;
            return this;
        }

        /** Keeps only observations that started before this instant. */
        public Builder to(Instant exclusive) {
            this.to = exclusive;
            return this;
        }

        /** Keeps only observations whose own metadata meets each of these conditions. */
        public Builder metadata(MetadataFilter... allOf) {
            this.metadata = List.of(allOf);
            return this;
        }

        /**
         * Keeps only observations in whose name, input, output, status message or metadata full-text search finds
         * every term of this text; the terms are those of {@link TraceQuery.Builder#search}. With
         * {@link #traceId}, this finds the observations of one trace that hold a text.
         *
         * @throws IllegalArgumentException on {@link #build()} when the text holds no word
         */
        public Builder search(String text) {
            this.search = text;
            return this;
        }

        /** Sets which page to return ({@link PageRequest#first()} unless set). */
        public Builder page(PageRequest request) {
            this.page = request;
            return this;
        }

        /**
         * Returns the query.
         *
         * @throws IllegalArgumentException naming the parameter when the time range is invalid
         */
        public ObservationQuery build() {
            return new ObservationQuery(traceId, type, name, parentObservationId, level, model, from, to, metadata,
                    search, page);
        }
    }
}
