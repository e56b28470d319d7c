package dev.loupe.store;

import dev.loupe.model.ScoreDataType;
import java.time.Instant;

/**
 * Which scores to list, newest first. Every filter is optional and they combine with AND.
 *
 * @param name          exact score name
 * @param traceId       scores of this trace (of the trace itself and of its observations)
 * @param observationId scores of this observation
 * @param sessionId     scores of this session
 * @param dataType      scores of this data type
 * @param source        scores from this source, such as {@code API} or {@code TEST}
 * @param minValue      smallest numeric value, inclusive
 * @param maxValue      largest numeric value, inclusive
 * @param from          given at or after this instant
 * @param to            given before this instant
 * @param page          which page, and whether to count all matches
 */
public record ScoreQuery(
        String name,
        String traceId,
        String observationId,
        String sessionId,
        ScoreDataType dataType,
        String source,
        Double minValue,
        Double maxValue,
        Instant from,
        Instant to,
        PageRequest page) {

    /** Checks the ranges; no page means the first. */
    public ScoreQuery {
        page = page == null ? PageRequest.first() : page;
        Paging.range("time", from, to, from != null && to != null && from.isAfter(to));
        Paging.range("value", minValue, maxValue, minValue != null && maxValue != null && minValue > maxValue);
    }

    /** Returns a builder for a query of all scores, 50 per page. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link ScoreQuery} instances. */
    public static final class Builder {
        private String name;
        private String traceId;
        private String observationId;
        private String sessionId;
        private ScoreDataType dataType;
        private String source;
        private Double minValue;
        private Double maxValue;
        private Instant from;
        private Instant to;
        private PageRequest page = PageRequest.first();

        private Builder() {
        }

        /** Keeps only scores with this name. */
        public Builder name(String scoreName) {
            this.name = scoreName;
            return this;
        }

        /** Keeps only scores of this trace and its observations. */
        public Builder traceId(String id) {
            this.traceId = id;
            return this;
        }

        /** Keeps only scores of this observation. */
        public Builder observationId(String id) {
            this.observationId = id;
            return this;
        }

        /** Keeps only scores of this session. */
        public Builder sessionId(String id) {
            this.sessionId = id;
            return this;
        }

        /** Keeps only scores of this data type. */
        public Builder dataType(ScoreDataType type) {
            this.dataType = type;
            return this;
        }

        /** Keeps only scores from this source. */
        public Builder source(String scoreSource) {
            this.source = scoreSource;
            return this;
        }

        /** Keeps only scores whose numeric value is between min and max, inclusive. */
        public Builder value(double min, double max) {
            this.minValue = min;
            this.maxValue = max;
            return this;
        }

        /** Keeps only scores given at or after this instant. */
        public Builder from(Instant inclusive) {
            this.from = inclusive;
            return this;
        }

        /** Keeps only scores given before this instant. */
        public Builder to(Instant exclusive) {
            this.to = exclusive;
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
         * @throws IllegalArgumentException naming the parameter when a range is invalid
         */
        public ScoreQuery build() {
            return new ScoreQuery(name, traceId, observationId, sessionId, dataType, source, minValue, maxValue, from,
                    to, page);
        }
    }
}
