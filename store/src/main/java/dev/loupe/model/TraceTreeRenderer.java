package dev.loupe.model;

import dev.loupe.trace.ObservationLevel;
import dev.loupe.trace.Usage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Renders a trace tree as a text outline. One renderer serves failure output in tests, assertion messages and the
 * devserver's text views, so a tree reads the same everywhere.
 */
final class TraceTreeRenderer {

    private static final String MARK = "   <-- here";

    private TraceTreeRenderer() {
    }

    static String render(TraceTree tree, String markedId) {
        StringBuilder out = new StringBuilder();
        Trace trace = tree.trace();
        TraceStats stats = tree.stats();
        out.append("trace ").append(trace.name() == null ? "(unnamed)" : trace.name())
                .append(" [").append(trace.id()).append(']');
        appendDuration(out, stats.latency(), stats.endTime() == null && stats.observationCount() > 0);
        if (stats.totalTokens() > 0) {
            out.append("  ").append(stats.totalTokens()).append(" tokens");
        }
        if (stats.totalCost() != null) {
            out.append("  ").append(formatCost(stats.totalCost()));
        }
        if (trace.userId() != null) {
            out.append("  user=").append(trace.userId());
        }
        if (trace.sessionId() != null) {
            out.append("  session=").append(trace.sessionId());
        }
        if (!trace.tags().isEmpty()) {
            out.append("  tags=").append(trace.tags());
        }
        appendScores(out, tree.traceScores());
        List<Observation> roots = tree.roots();
        for (int i = 0; i < roots.size(); i++) {
            renderObservation(tree, roots.get(i), "", i == roots.size() - 1, markedId, out);
        }
        return out.toString();
    }

    private static void renderObservation(TraceTree tree, Observation observation, String indent, boolean last,
            String markedId, StringBuilder out) {
        out.append('\n').append(indent).append(last ? "└─ " : "├─ ")
                .append(observation.type()).append(' ').append(observation.name());
        appendDuration(out, observation.duration(), observation.isOpen());
        if (observation.model() != null) {
            out.append("  ").append(observation.model());
        }
        Usage usage = observation.usage();
        if (usage != null) {
            out.append("  ");
            if (usage.input() != null || usage.output() != null) {
                out.append(usage.input() == null ? "?" : usage.input()).append(" in / ")
                        .append(usage.output() == null ? "?" : usage.output()).append(" out");
            } else {
                out.append(usage.total()).append(" tokens");
            }
        }
        if (observation.cost() != null && observation.cost().total() != null) {
            out.append("  ").append(formatCost(observation.cost().total()));
        }
        if (observation.level() != ObservationLevel.DEFAULT) {
            out.append("  ").append(observation.level());
            if (observation.statusMessage() != null) {
                out.append(": ").append(oneLine(observation.statusMessage()));
            }
        }
        appendScores(out, tree.scoresOf(observation));
        if (observation.id().equals(markedId)) {
            out.append(MARK);
        }
        List<Observation> children = tree.children(observation);
        String childIndent = indent + (last ? "   " : "│  ");
        for (int i = 0; i < children.size(); i++) {
            renderObservation(tree, children.get(i), childIndent, i == children.size() - 1, markedId, out);
        }
    }

    private static void appendDuration(StringBuilder out, Duration duration, boolean open) {
        if (open) {
            out.append("  (open)");
        } else if (duration != null) {
            out.append("  ").append(formatDuration(duration));
        }
    }

    private static void appendScores(StringBuilder out, List<Score> scores) {
        if (!scores.isEmpty()) {
            out.append("  scores: ").append(scores.stream()
                    .map(score -> score.name() + "=" + score.valueAsText())
                    .collect(Collectors.joining(", ")));
        }
    }

    static String formatDuration(Duration duration) {
        long micros = duration.toNanos() / 1_000;
        if (micros < 1_000) {
            return micros + " µs";
        }
        if (micros < 1_000_000) {
            return BigDecimal.valueOf(micros, 3).setScale(1, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString()
                    + " ms";
        }
        return BigDecimal.valueOf(micros, 6).setScale(2, RoundingMode.HALF_UP).toPlainString() + " s";
    }

    static String formatCost(BigDecimal cost) {
        return "$" + cost.setScale(6, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    private static String oneLine(String text) {
        String line = text.replace('\n', ' ').replace('\r', ' ');
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
