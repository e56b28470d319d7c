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

    /** Starts soft budget assertions on several traces; failures are collected until {@code assertAll()}. */
    default TracesAssert assertThatTraces(List<TraceTree> actual) {
        return Navigation.softly(this).toTraces(actual);
    }
}
