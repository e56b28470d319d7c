package dev.loupe.assertj;

import org.assertj.core.api.SoftAssertions;

/**
 * AssertJ's {@link SoftAssertions} with Loupe's {@code assertThat(TraceTree)}: every failure of a test is
 * collected, including those of navigated assertions, and reported together by {@code assertAll()}.
 *
 * <pre>
 * LoupeSoftAssertions softly = new LoupeSoftAssertions();
 * softly.assertThat(tree).hasNoErrors();
 * softly.assertThat(tree).generation("final-answer").hasModel("gpt-4o-mini");
 * softly.assertAll();
 * </pre>
 */
public class LoupeSoftAssertions extends SoftAssertions implements LoupeSoftAssertionsProvider {

    /** Creates soft assertions with no failure collected yet. */
    public LoupeSoftAssertions() {
        super();
    }
}
