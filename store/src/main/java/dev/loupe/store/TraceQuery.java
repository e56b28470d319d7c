package dev.loupe.store;

import java.time.Instant;
import java.util.List;

/**
 * Which traces to list, in what order and which page; modelled on Langfuse's trace list filters. Every filter is
 * optional and they combine with AND. Build one with {@link #builder()}.
 *
 * @param ids         only these trace ids (empty: any)
 * @param name        exact trace name
 * @param userId      exact user id
 * @param sessionId   exact session id
 * @param tags        the trace has all of these tags
 * @param from        began at or after this instant
 * @param to          began before this instant
 * @param release     exact release
 * @param version     exact version
 * @param environment exact environment
 * @param hasError    true: has an observation with level ERROR; false: has none
 * @param scoreName   has a score with this name (and, with the bounds, a numeric value within them)
 * @param scoreMin    the score's smallest value, inclusive
 * @param scoreMax    the score's largest value, inclusive
 * @param metadata    conditions on metadata, each met by the trace's metadata or by that of one of its
 *                    observations (empty: any)
 * @param search      a full-text search of the trace and all its observations (see {@link Builder#search})
 * @param order       the sort order
 * @param page        which page, and whether to count all matches
 */
public record TraceQuery(
        List<String> ids,
        String name,
        String userId,
        String sessionId,
        List<String> tags,
        Instant from,
        Instant to,
        String release,
        String version,
        String environment,
        Boolean hasError,
        String scoreName,
        Double scoreMin,
        Double scoreMax,
        List<MetadataFilter> metadata,
        String search,
        TraceOrder order,
        PageRequest page) {

    /**
     * Checks the ranges, that score bounds come with a score name and that a search has words; no page means the
     * first.
     */
    public TraceQuery {
        ids = ids == null ? List.of() : List.copyOf(ids);
        tags = tags == null ? List.of() : List.copyOf(tags);
        metadata = metadata == null ? List.of() : List.copyOf(metadata);
        search = search == null || search.isBlank() ? null : search.trim();
        if (search != null) {
            dev.loupe.store.internal.SearchQuery.parse(search);
        }
        order = order == null ? TraceOrder.TIMESTAMP_DESC : order;
        page = page == null ? PageRequest.first() : page;
        Paging.range("time", from, to, from != null && to != null && from.isAfter(to));
        Paging.range("score", scoreMin, scoreMax, scoreMin != null && scoreMax != null && scoreMin > scoreMax);
        if ((scoreMin != null || scoreMax != null) && scoreName == null) {
            throw new IllegalArgumentException("score bounds " + scoreMin + ".." + scoreMax
                    + " were given without a score name: say which score they apply to");
        }
    }

    /** Returns a builder for a query of all traces, newest first, 50 per page. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the first page of all traces, newest first. */
    public static TraceQuery all() {
        return builder().build();
    }

    /** Builds {@link TraceQuery} instances. */
    public static final class Builder {
        private List<String> ids;
        private String name;
        private String userId;
        private String sessionId;
        private List<String> tags;
        private Instant from;
        private Instant to;
        private String release;
        private String version;
        private String environment;
        private Boolean hasError;
        private String scoreName;
        private Double scoreMin;
        private Double scoreMax;
        private List<MetadataFilter> metadata;
        private String search;
        private TraceOrder order;
        private PageRequest page = PageRequest.first();

        private Builder() {
        }

        /** Keeps only traces with these ids. */
        public Builder ids(List<String> traceIds) {
            this.ids = traceIds;
            return this;
        }

        /** Keeps only traces with this name. */
        public Builder name(String traceName) {
            this.name = traceName;
            return this;
        }

        /** Keeps only traces of this user. */
        public Builder userId(String user) {
            this.userId = user;
            return this;
        }

        /** Keeps only traces of this session. */
        public Builder sessionId(String session) {
            this.sessionId = session;
            return this;
        }

        /** Keeps only traces that have all of these tags. */
        public Builder tags(String... allOf) {
            this.tags = List.of(allOf);
            return this;
        }

        /** Keeps only traces that began at or after this instant. */
        public Builder from(Instant inclusive) {
            this.from = inclusive;
            return this;
        }

        /** Keeps only traces that began before this instant. */
        public Builder to(Instant exclusive) {
            this.to = exclusive;
            return this;
        }

        /** Keeps only traces of this release. */
        public Builder release(String value) {
            this.release = value;
            return this;
        }

        /** Keeps only traces of this version. */
        public Builder version(String value) {
            this.version = value;
            return this;
        }

        /** Keeps only traces of this environment. */
        public Builder environment(String value) {
            this.environment = value;
            return this;
        }

        /** Keeps only traces with (true) or without (false) an observation of level ERROR. */
        public Builder hasError(boolean withErrors) {
            this.hasError = withErrors;
            return this;
        }

        /** Keeps only traces that have a score with this name. */
        public Builder score(String scoreName) {
            this.scoreName = scoreName;
            return this;
        }

        /** Keeps only traces that have a numeric score with this name between min and max, inclusive. */
        public Builder score(String scoreName, double min, double max) {
            this.scoreName = scoreName;
            this.scoreMin = min;
            this.scoreMax = max;
            return this;
        }

        /**
         * Keeps only traces whose metadata, or the metadata of one of their observations, meets each of these
         * conditions (each may be met by a different observation).
         */
        public Builder metadata(MetadataFilter... allOf) {
            this.metadata = List.of(allOf);
            return this;
        }

        /**
         * Keeps only traces in which full-text search finds every term of this text: in the trace's name, input,
         * output or metadata, or in the name, input, output, status message or metadata of one of its observations.
         * Terms are words, found whole and ignoring case; a word ending in {@code *} matches every word it begins;
         * text in double quotes is a phrase. Each listed trace names the observations the text was found in
         * ({@link dev.loupe.model.TraceSummary#matches()}). Newest first, the first page of a search costs about the
         * same however many traces the store holds.
         *
         * @throws IllegalArgumentException on {@link #build()} when the text holds no word
         */
        public Builder search(String text) {
            this.search = text;
            return this;
        }

        /** Sets the sort order. */
        public Builder order(TraceOrder traceOrder) {
            this.order = traceOrder;
            return this;
        }

        /**
         * Sets which page to return ({@link PageRequest#first()} unless set). A page without the total
         * ({@link PageRequest#withoutTotal()}) costs the same however many traces match.
         */
        public Builder page(PageRequest request) {
            this.page = request;
            return this;
        }

        /**
         * Returns the query.
         *
         * @throws IllegalArgumentException naming the parameter when a range is invalid
         */
        public TraceQuery build() {
            return new TraceQuery(ids, name, userId, sessionId, tags, from, to, release, version, environment,
                    hasError, scoreName, scoreMin, scoreMax, metadata, search, order, page);
        }
    }
}
