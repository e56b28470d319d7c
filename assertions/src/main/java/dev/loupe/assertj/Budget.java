package dev.loupe.assertj;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Limits on what traces may spend: tokens and cost in US dollars summed over all traces checked, and the duration
 * of each trace. A limit that is not set is not checked.
 *
 * <pre>
 * Budget budget = Budget.builder().maxTokens(2_000).maxCostUsd(0.05).maxDuration(Duration.ofSeconds(5)).build();
 * assertThat(tree).isWithinBudget(budget);
 * </pre>
 */
public final class Budget {

    private final Long maxTokens;
    private final BigDecimal maxCostUsd;
    private final Duration maxDuration;

    private Budget(Builder builder) {
        this.maxTokens = builder.maxTokens;
        this.maxCostUsd = builder.maxCostUsd;
        this.maxDuration = builder.maxDuration;
    }

    /** Returns a builder of a budget with no limit set. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the most tokens all traces checked may use together, if limited. */
    public OptionalLong maxTokens() {
        return maxTokens == null ? OptionalLong.empty() : OptionalLong.of(maxTokens);
    }

    /** Returns the most all traces checked may cost together in US dollars, if limited. */
    public Optional<BigDecimal> maxCostUsd() {
        return Optional.ofNullable(maxCostUsd);
    }

    /** Returns the longest each trace checked may take, if limited. */
    public Optional<Duration> maxDuration() {
        return Optional.ofNullable(maxDuration);
    }

    /** Returns the limits as a failure message names them, such as {@code at most 2000 tokens, at most $0.05}. */
    @Override
    public String toString() {
        return LoupeErrors.limits(this);
    }

    /** Returns whether the other object is a budget with the same limits. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Budget budget && Objects.equals(maxTokens, budget.maxTokens)
                && (maxCostUsd == null ? budget.maxCostUsd == null
                        : budget.maxCostUsd != null && maxCostUsd.compareTo(budget.maxCostUsd) == 0)
                && Objects.equals(maxDuration, budget.maxDuration);
    }

    /** Returns a hash of the limits. */
    @Override
    public int hashCode() {
        return Objects.hash(maxTokens, maxCostUsd == null ? null : maxCostUsd.stripTrailingZeros(), maxDuration);
    }

    /** Builds a {@link Budget}; each limit is optional and must not be negative. */
    public static final class Builder {
        private Long maxTokens;
        private BigDecimal maxCostUsd;
        private Duration maxDuration;

        private Builder() {
        }

        /** Sets the most tokens (total units of all model calls) the traces may use together. */
        public Builder maxTokens(long maxTokens) {
            if (maxTokens < 0) {
                throw new IllegalArgumentException("maxTokens is " + maxTokens + ": a budget cannot be negative");
            }
            this.maxTokens = maxTokens;
            return this;
        }

        /** Sets the most the traces may cost together, in US dollars. */
        public Builder maxCostUsd(double maxCostUsd) {
            if (!Double.isFinite(maxCostUsd)) {
                throw new IllegalArgumentException("maxCostUsd is " + maxCostUsd + ": give a finite amount in US dollars");
            }
            return maxCostUsd(BigDecimal.valueOf(maxCostUsd));
        }

        /** Sets the most the traces may cost together, in US dollars. */
        public Builder maxCostUsd(BigDecimal maxCostUsd) {
            Objects.requireNonNull(maxCostUsd, "maxCostUsd");
            if (maxCostUsd.signum() < 0) {
                throw new IllegalArgumentException("maxCostUsd is " + maxCostUsd.toPlainString()
                        + ": a budget cannot be negative");
            }
            this.maxCostUsd = maxCostUsd;
            return this;
        }

        /** Sets the longest each trace may take, from its start to the end of its last observation. */
        public Builder maxDuration(Duration maxDuration) {
            Objects.requireNonNull(maxDuration, "maxDuration");
            if (maxDuration.isNegative()) {
                throw new IllegalArgumentException("maxDuration is " + maxDuration + ": a budget cannot be negative");
            }
            this.maxDuration = maxDuration;
            return this;
        }

        /** Returns the budget. */
        public Budget build() {
            return new Budget(this);
        }
    }
}
