package dev.loupe.store;

import dev.loupe.trace.ObservationLevel;
import dev.loupe.trace.ObservationType;
import java.time.Instant;

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
 * @param page                the page, from 1
 * @param limit               the page size, 1 to 1000
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
        int page,
        int limit) {

    /** Checks the paging and the time range. */
    public ObservationQuery {
        Paging.page(page);
        Paging.limit(limit);
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
        private int page = 1;
        private int limit = Paging.DEFAULT_LIMIT;

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

        /** Sets the page, from 1. */
        public Builder page(int number) {
            this.page = number;
            return this;
        }

        /** Sets the page size, 1 to 1000. */
        public Builder limit(int size) {
            this.limit = size;
            return this;
        }

        /**
         * Returns the query.
         *
         * @throws IllegalArgumentException naming the parameter when paging or the time range is invalid
         */
        public ObservationQuery build() {
            return new ObservationQuery(traceId, type, name, parentObservationId, level, model, from, to, page,
                    limit);
        }
    }
}
