package dev.loupe.store;

/** How a list of traces is sorted. */
public enum TraceOrder {
    /** Newest first (the default). */
    TIMESTAMP_DESC,
    /** Oldest first. */
    TIMESTAMP_ASC,
    /** Slowest first. */
    LATENCY_DESC,
    /** Fastest first. */
    LATENCY_ASC
}
