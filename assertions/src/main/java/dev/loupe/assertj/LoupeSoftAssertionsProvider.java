package dev.loupe.assertj;

import dev.loupe.model.TraceTree;
import java.util.List;
import org.assertj.core.api.SoftAssertionsProvider;

/**
 * Adds Loupe's assertions to any AssertJ soft assertions class: implement it next to your own providers, or use
 * {@link LoupeSoftAssertions}. Navigation ({@code generation(name)}, {@code score(name)}, {@code toolCalls()}...)
 * stays soft.
 */
public interface LoupeSoftAssertionsProvider extends SoftAssertionsProvider {

    /** Starts soft assertions on one trace; failures are collected until {@code assertAll()}. */
    default TraceTreeAssert assertThat(TraceTree actual) {
        return proxy(TraceTreeAssert.class, TraceTree.class, actual).navigatingWith(Navigation.softly(this));
    }

    /** Starts soft assertions on the traces a test captured; failures are collected until {@code assertAll()}. */
    default CapturedTracesAssert assertThat(dev.loupe.junit.CapturedTraces actual) {
        return proxy(CapturedTracesAssert.class, dev.loupe.junit.CapturedTraces.class, actual);
    }

    /** Starts soft budget assertions on several traces; failures are collected until {@code assertAll()}. */
    default TracesAssert assertThatTraces(List<TraceTree> actual) {
        return Navigation.softly(this).toTraces(actual);
    }
}
