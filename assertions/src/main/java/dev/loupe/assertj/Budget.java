package dev.loupe.assertj;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Limits on what traces may spend: tokens, cost in US dollars, tool calls (in all and per tool) and model requests
 * summed over all traces checked; the duration of each trace; and two rules each trace must keep: no tool called
 * twice with the same arguments, and no tool call after an observation failed. A limit that is not set is not
 * checked.
 *
 * <pre>
 * Budget budget = Budget.builder().maxTokens(2_000).maxCostUsd(0.05).maxDuration(Duration.ofSeconds(5))
 *         .maxToolCalls(6).maxCallsOf("search_docs", 2).maxModelRequests(3).noRepeatedToolCalls().build();
 * assertThat(tree).isWithinBudget(budget);
 * </pre>
 */
public final class Budget {

    private final Long maxTokens;
    private final BigDecimal maxCostUsd;
    private final Duration maxDuration;
    private final Integer maxToolCalls;
    private final Map<String, Integer> maxCallsPerTool;
    private final Integer maxModelRequests;
    private final boolean noRepeatedToolCalls;
    private final boolean noToolCallAfterError;

    private Budget(Builder builder) {
        this.maxTokens = builder.maxTokens;
        this.maxCostUsd = builder.maxCostUsd;
        this.maxDuration = builder.maxDuration;
        this.maxToolCalls = builder.maxToolCalls;
        this.maxCallsPerTool = Collections.unmodifiableMap(new LinkedHashMap<>(builder.maxCallsPerTool));
        this.maxModelRequests = builder.maxModelRequests;
        this.noRepeatedToolCalls = builder.noRepeatedToolCalls;
        this.noToolCallAfterError = builder.noToolCallAfterError;
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

    /** Returns the most tool calls all traces checked may make together, if limited. */
    public OptionalInt maxToolCalls() {
        return maxToolCalls == null ? OptionalInt.empty() : OptionalInt.of(maxToolCalls);
    }

    /** Returns the most calls of each limited tool, by tool name, that all traces checked may make together. */
    public Map<String, Integer> maxCallsPerTool() {
        return maxCallsPerTool;
    }

    /** Returns the most model requests (generations and embeddings) all traces checked may make together, if limited. */
    public OptionalInt maxModelRequests() {
        return maxModelRequests == null ? OptionalInt.empty() : OptionalInt.of(maxModelRequests);
    }

    /** Returns whether no trace may call a tool twice with the same arguments. */
    public boolean noRepeatedToolCalls() {
        return noRepeatedToolCalls;
    }

    /** Returns whether no trace may start a tool call after one of its observations failed. */
    public boolean noToolCallAfterError() {
        return noToolCallAfterError;
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
                && Objects.equals(maxDuration, budget.maxDuration)
                && Objects.equals(maxToolCalls, budget.maxToolCalls)
                && maxCallsPerTool.equals(budget.maxCallsPerTool)
                && Objects.equals(maxModelRequests, budget.maxModelRequests)
                && noRepeatedToolCalls == budget.noRepeatedToolCalls
                && noToolCallAfterError == budget.noToolCallAfterError;
    }

    /** Returns a hash of the limits. */
    @Override
    public int hashCode() {
        return Objects.hash(maxTokens, maxCostUsd == null ? null : maxCostUsd.stripTrailingZeros(), maxDuration,
                maxToolCalls, maxCallsPerTool, maxModelRequests, noRepeatedToolCalls, noToolCallAfterError);
    }

    /** Builds a {@link Budget}; each limit is optional and must not be negative. */
    public static final class Builder {
        private Long maxTokens;
        private BigDecimal maxCostUsd;
        private Duration maxDuration;
        private Integer maxToolCalls;
        private final Map<String, Integer> maxCallsPerTool = new LinkedHashMap<>();
        private Integer maxModelRequests;
        private boolean noRepeatedToolCalls;
        private boolean noToolCallAfterError;

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

        /** Sets the most tool calls the traces may make together. */
        public Builder maxToolCalls(int maxToolCalls) {
            this.maxToolCalls = notNegative("maxToolCalls", maxToolCalls);
            return this;
        }

        /** Sets the most calls of one tool, by name, the traces may make together; other tools are not limited. */
        public Builder maxCallsOf(String tool, int maxCalls) {
            Objects.requireNonNull(tool, "tool");
            maxCallsPerTool.put(tool, notNegative("maxCallsOf(\"" + tool + "\")", maxCalls));
            return this;
        }

        /** Sets the most model requests (generations and embeddings) the traces may make together. */
        public Builder maxModelRequests(int maxModelRequests) {
            this.maxModelRequests = notNegative("maxModelRequests", maxModelRequests);
            return this;
        }

        /** Forbids calling a tool twice with the same arguments (compared as JSON) in one trace. */
        public Builder noRepeatedToolCalls() {
            this.noRepeatedToolCalls = true;
            return this;
        }

        /** Forbids starting a tool call after an observation of the same trace failed (level ERROR). */
        public Builder noToolCallAfterError() {
            this.noToolCallAfterError = true;
            return this;
        }

        private static int notNegative(String name, int value) {
            if (value < 0) {
                throw new IllegalArgumentException(name + " is " + value + ": a budget cannot be negative");
            }
            return value;
        }

        /** Returns the budget. */
        public Budget build() {
            return new Budget(this);
        }
    }
}
