package dev.loupe.opentelemetry.export;

/**
 * What an {@link OtlpExport} has done so far. Spans are lost only through {@link #dropped()}, which is also logged.
 *
 * @param exported spans the server took
 * @param dropped  spans lost: the export's queue was full, the server refused them or did not take them after the
 *                 last retry, or the export closed before they could be sent (or before their observation ended)
 * @param skipped  records OTLP has no place for: scores, and records for an observation already sent (a span cannot
 *                 be changed once sent)
 * @param retries  requests sent again after a 429, a 5xx or a connection failure
 * @param requests requests sent, retries not counted
 * @param queued   records waiting now: to be joined with their trace's attributes, to end, or to be sent
 */
public record OtlpExportStats(long exported, long dropped, long skipped, long retries, long requests, int queued) {
}
