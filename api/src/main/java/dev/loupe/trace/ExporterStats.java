package dev.loupe.trace;

/**
 * What a tracer's exporter has done so far. Records are lost only through {@link #dropped()} and
 * {@link #failed()}; both are also logged.
 *
 * @param enqueued         records handed to the exporter
 * @param exported         records written to the store (or passed to listeners when there is no store)
 * @param dropped          records not accepted because the queue stayed full or the exporter was closed
 * @param failed           records the store refused or could not write
 * @param listenerFailures exceptions thrown by listeners
 * @param internalErrors   failures inside the tracing API that were caught so the application went on
 * @param queued           records waiting in the queue now
 * @param capacity         how many records the queue holds
 */
public record ExporterStats(
        long enqueued,
        long exported,
        long dropped,
        long failed,
        long listenerFailures,
        long internalErrors,
        int queued,
        int capacity) {

    /** Returns how many records were lost: dropped plus failed. */
    public long lost() {
        return dropped + failed;
    }
}
