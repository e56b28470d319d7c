package dev.loupe.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The bounded hand-off between the threads that end spans and the thread that maps them. */
class SpanQueueTest {

    private static List<SpanData> spans(int count) {
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        try (SdkTracerProvider provider = SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()) {
            for (int i = 0; i < count; i++) {
                provider.get("test").spanBuilder("span-" + i).startSpan().end();
            }
            return exporter.getFinishedSpanItems();   // before close, which empties the exporter
        }
    }

    @Test
    void spansThatFindTheQueueFullAreDroppedAndCountedAndTheOthersMapped() throws Exception {
        CountDownLatch mappingStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> mapped = new CopyOnWriteArrayList<>();
        SpanQueue queue = new SpanQueue(2, span -> {
            mappingStarted.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            mapped.add(span.getName());
        });
        List<SpanData> spans = spans(5);

        queue.offer(spans.get(0));
        assertThat(mappingStarted.await(10, TimeUnit.SECONDS)).isTrue();   // the thread holds span-0
        spans.subList(1, 5).forEach(queue::offer);                          // two fit, two do not
        release.countDown();

        assertThat(queue.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(queue.dropped()).isEqualTo(2);
        assertThat(mapped).containsExactly("span-0", "span-1", "span-2");
    }

    @Test
    void aMappingThatThrowsLosesItsSpanButNotTheThread() {
        List<String> mapped = new CopyOnWriteArrayList<>();
        SpanQueue queue = new SpanQueue(8, span -> {
            if (span.getName().equals("span-0")) {
                throw new IllegalStateException("cannot map " + span.getName());
            }
            mapped.add(span.getName());
        });

        spans(2).forEach(queue::offer);

        assertThat(queue.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(mapped).containsExactly("span-1");
    }

    @Test
    void afterShutdownSpansAreDroppedAndCounted() {
        SpanQueue queue = new SpanQueue(8, span -> { });
        List<SpanData> spans = spans(2);
        queue.offer(spans.get(0));

        assertThat(queue.shutdown(Duration.ofSeconds(10))).isTrue();
        queue.offer(spans.get(1));

        assertThat(queue.dropped()).isEqualTo(1);
    }
}
