package dev.loupe.assertj;

import dev.loupe.model.Observation;
import dev.loupe.model.Score;
import dev.loupe.model.TraceTree;
import dev.loupe.trace.Cost;
import dev.loupe.trace.ObservationType;
import dev.loupe.trace.Usage;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Finds the mistakes instrumentation makes, so that one check can list them all. */
final class WellFormedness {

    /** One mistake: the observation it concerns (null for the trace itself) and what is wrong. */
    record Problem(Observation observation, String description) {
    }

    private WellFormedness() {
    }

    /** Returns every problem of the tree, observations depth first, then scores. */
    static List<Problem> problems(TraceTree tree) {
        List<Problem> problems = new ArrayList<>();
        for (Observation observation : tree.walk()) {
            check(tree, observation, problems);
        }
        for (Score score : tree.scores()) {
            if (score.traceId() != null && !score.traceId().equals(tree.id())) {
                problems.add(new Problem(null, LoupeErrors.scoreOnOtherTrace(score)));
            } else if (score.observationId() != null && tree.observation(score.observationId()).isEmpty()) {
                problems.add(new Problem(null, LoupeErrors.scoreOnMissingObservation(score)));
            }
        }
        return problems;
    }

    private static void check(TraceTree tree, Observation observation, List<Problem> problems) {
        String parentId = observation.parentObservationId();
        if (parentId != null && tree.observation(parentId).isEmpty()) {
            problems.add(new Problem(observation, LoupeErrors.missingParent(parentId)));
        } else if (parentId != null && tree.parent(observation).isEmpty()) {
            problems.add(new Problem(observation, LoupeErrors.parentCycle(parentId)));
        }
        if (observation.startTime() == null) {
            problems.add(new Problem(observation, LoupeErrors.noStartTime()));
        }
        // Events are points in time: an event without an end is not a mistake.
        if (observation.endTime() == null && observation.type() != ObservationType.EVENT) {
            problems.add(new Problem(observation, LoupeErrors.neverEnded()));
        }
        if (observation.startTime() != null && observation.endTime() != null
                && observation.endTime().isBefore(observation.startTime())) {
            problems.add(new Problem(observation, LoupeErrors.endsBeforeItStarts(observation)));
        }
        if (observation.type().isModelCall()) {
            if (observation.model() == null || observation.model().isBlank()) {
                problems.add(new Problem(observation, LoupeErrors.noModel(observation)));
            }
            // A call that failed (level ERROR) often never got an answer to count: no usage is expected then.
            if (observation.usage() == null && !observation.isError()) {
                problems.add(new Problem(observation, LoupeErrors.noUsage(observation)));
            }
        }
        checkUsage(observation, problems);
        checkCost(observation, problems);
        Optional<Observation> parent = tree.parent(observation);
        if (parent.isPresent()) {
            Observation p = parent.get();
            if (observation.startTime() != null && p.startTime() != null
                    && observation.startTime().isBefore(p.startTime())) {
                problems.add(new Problem(observation, LoupeErrors.startsBeforeParent(observation, p)));
            }
            if (observation.endTime() != null && p.endTime() != null && observation.endTime().isAfter(p.endTime())) {
                problems.add(new Problem(observation, LoupeErrors.endsAfterParent(observation, p)));
            }
        }
    }

    private static void checkUsage(Observation observation, List<Problem> problems) {
        Usage usage = observation.usage();
        if (usage == null) {
            return;
        }
        boolean negative = false;
        for (Map.Entry<String, Long> detail : usage.details().entrySet()) {
            if (detail.getValue() < 0) {
                negative = true;
                problems.add(new Problem(observation, LoupeErrors.negativeUsage(detail.getKey(), detail.getValue())));
            }
        }
        Long total = usage.detail(Usage.TOTAL);
        if (!negative && total != null && usage.input() != null && usage.output() != null
                && total != usage.input() + usage.output()) {
            problems.add(new Problem(observation, LoupeErrors.inconsistentUsage(usage)));
        }
    }

    private static void checkCost(Observation observation, List<Problem> problems) {
        Cost cost = observation.cost();
        if (cost == null) {
            return;
        }
        for (Map.Entry<String, BigDecimal> detail : cost.details().entrySet()) {
            if (detail.getValue().signum() < 0) {
                problems.add(new Problem(observation, LoupeErrors.negativeCost(detail.getKey(), detail.getValue())));
            }
        }
    }
}
