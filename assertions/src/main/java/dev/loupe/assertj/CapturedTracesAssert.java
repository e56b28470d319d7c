package dev.loupe.assertj;

import dev.loupe.junit.CapturedTraces;
import dev.loupe.model.Score;
import dev.loupe.model.TraceTree;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on the traces a test captured ({@link CapturedTraces}): how many, their names, each one through
 * {@link TraceTreeAssert}, and budgets over all of them. Obtained with
 * {@link LoupeAssertions#assertThat(CapturedTraces)}.
 */
// Not final: AssertJ's soft assertions subclass it (a proxy) to collect its failures.
public class CapturedTracesAssert extends AbstractAssert<CapturedTracesAssert, CapturedTraces> {

    /** Creates the assertion; prefer {@link LoupeAssertions#assertThat(CapturedTraces)}. */
    public CapturedTracesAssert(CapturedTraces actual) {
        super(actual, CapturedTracesAssert.class);
    }

    private List<TraceTree> traces() {
        isNotNull();
        return actual.all();
    }

    /** Verifies that the test captured exactly this many traces. */
    public CapturedTracesAssert hasCount(int expected) {
        List<TraceTree> trees = traces();
        if (trees.size() != expected) {
            throw failure("%s", LoupeErrors.shouldHaveCapturedCount(trees, expected));
        }
        return myself;
    }

    /** Verifies that the captured traces have exactly these names, in the order they began. */
    public CapturedTracesAssert hasNames(String... expected) {
        List<TraceTree> trees = traces();
        List<String> names = trees.stream().map(TraceTree::name).toList();
        if (!names.equals(List.of(expected))) {
            throw failure("%s", LoupeErrors.shouldHaveCapturedNames(trees, List.of(expected)));
        }
        return myself;
    }

    /** Verifies that one trace each satisfies the requirements, in the order the traces began; counts must match. */
    @SafeVarargs
    public final CapturedTracesAssert satisfiesExactly(Consumer<TraceTreeAssert>... requirements) {
        List<TraceTree> trees = traces();
        if (trees.size() != requirements.length) {
            throw failure("%s", LoupeErrors.shouldHaveCapturedCount(trees, requirements.length));
        }
        for (int i = 0; i < trees.size(); i++) {
            try {
                requirements[i].accept(new TraceTreeAssert(trees.get(i)));
            } catch (AssertionError failure) {
                throw failure("%s", LoupeErrors.capturedTraceFailed(trees.get(i), i + 1, trees.size(), failure));
            }
        }
        return myself;
    }

    /** Verifies that every captured trace satisfies the requirements. */
    public CapturedTracesAssert allSatisfy(Consumer<TraceTreeAssert> requirements) {
        List<TraceTree> trees = traces();
        for (int i = 0; i < trees.size(); i++) {
            try {
                requirements.accept(new TraceTreeAssert(trees.get(i)));
            } catch (AssertionError failure) {
                throw failure("%s", LoupeErrors.capturedTraceFailed(trees.get(i), i + 1, trees.size(), failure));
            }
        }
        return myself;
    }

    /** Verifies that at least one captured trace satisfies the requirements. */
    public CapturedTracesAssert anySatisfy(Consumer<TraceTreeAssert> requirements) {
        List<TraceTree> trees = traces();
        List<AssertionError> failures = new ArrayList<>();
        for (TraceTree tree : trees) {
            try {
                requirements.accept(new TraceTreeAssert(tree));
                return myself;
            } catch (AssertionError failure) {
                failures.add(failure);
            }
        }
        throw failure("%s", LoupeErrors.noCapturedTraceSatisfies(trees, failures));
    }

    /**
     * Checks that the test gave a score of a session alone ({@code tracer.session(id).score(...)}) with this name, and
     * returns an assertion on it.
     */
    public ScoreAssert sessionScore(String name) {
        isNotNull();
        List<Score> scores = actual.sessionScores();
        return scores.stream().filter(score -> name.equals(score.name())).findFirst().map(ScoreAssert::new)
                .orElseThrow(() -> failure("%s", LoupeErrors.shouldHaveSessionScore(name, scores)));
    }

    /** Verifies that exactly one trace was captured and returns assertions on it. */
    public TraceTreeAssert single() {
        hasCount(1);
        return new TraceTreeAssert(traces().get(0));
    }

    /** Verifies that exactly one trace with this name was captured and returns assertions on it. */
    public TraceTreeAssert single(String name) {
        List<TraceTree> trees = traces();
        List<TraceTree> named = trees.stream().filter(tree -> Objects.equals(tree.name(), name)).toList();
        if (named.isEmpty()) {
            throw failure("%s", LoupeErrors.shouldHaveCapturedNamed(trees, name));
        }
        if (named.size() > 1) {
            throw failure("%s", LoupeErrors.shouldHaveCapturedCount(named, 1).replace("to have captured 1 trace",
                    "to have captured 1 trace named '" + name + "'"));
        }
        return new TraceTreeAssert(named.get(0));
    }

    /** Verifies that all captured traces together stay within the budget (tokens and cost summed, each duration). */
    public CapturedTracesAssert isWithinBudget(Budget budget) {
        new TracesAssert(traces()).isWithinBudget(budget);
        return myself;
    }

    /** Verifies that all captured traces together used at most this many tokens. */
    public CapturedTracesAssert hasTotalTokensAtMost(long limit) {
        return isWithinBudget(Budget.builder().maxTokens(limit).build());
    }

    /** Verifies that all captured traces together cost at most this many US dollars. */
    public CapturedTracesAssert hasTotalCostAtMost(double limitUsd) {
        return isWithinBudget(Budget.builder().maxCostUsd(limitUsd).build());
    }
}
