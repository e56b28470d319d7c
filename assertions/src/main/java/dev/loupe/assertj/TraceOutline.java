package dev.loupe.assertj;

import dev.loupe.model.Observation;
import dev.loupe.model.TraceTree;
import dev.loupe.trace.ObservationLevel;
import dev.loupe.trace.ObservationType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The normalised outline of a trace that a golden snapshot holds: one line per observation, indented by depth, with
 * its type, name, model, level, token counts and a tool's arguments; payloads on lines of their own when asked.
 * Whatever changes from run to run (ids, timestamps, durations) is replaced by placeholders.
 */
final class TraceOutline {

    private static final Pattern UUID = Pattern.compile(
            "\\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\b");
    private static final Pattern HEX_ID = Pattern.compile("\\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{16,64}\\b");
    private static final Pattern TIMESTAMP = Pattern.compile(
            "\\b\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:?\\d{2})?\\b");
    private static final Pattern DURATION = Pattern.compile(
            "\\bPT[0-9.HMS]+\\b|\\b\\d+(\\.\\d+)?\\s?(ms|µs|ns|s)\\b");
    /** The token counts of a line: {@code tokens: 120 in, 45 out}. */
    static final Pattern TOKENS = Pattern.compile("tokens: (\\d+) in, (\\d+) out");

    private TraceOutline() {
    }

    /** Returns the outline's lines for the trace with the settings' normalisers applied. */
    static List<String> of(TraceTree tree, Snapshot settings) {
        List<String> lines = new ArrayList<>();
        lines.add("trace " + tree.name());
        for (Observation root : tree.roots()) {
            add(tree, root, 0, settings, lines);
        }
        List<String> normalised = new ArrayList<>();
        for (String line : lines) {
            String text = normalise(line);
            for (UnaryOperator<String> normaliser : settings.normalisers()) {
                text = normaliser.apply(text);
            }
            normalised.add(text);
        }
        return normalised;
    }

    private static void add(TraceTree tree, Observation observation, int depth, Snapshot settings, List<String> lines) {
        String indent = "  ".repeat(depth);
        StringBuilder line = new StringBuilder(indent).append(observation.type()).append(' ')
                .append(observation.name());
        if (observation.model() != null) {
            line.append("  model: ").append(observation.model());
        }
        if (observation.level() != ObservationLevel.DEFAULT) {
            line.append("  level: ").append(observation.level());
        }
        if (observation.usage() != null && (observation.usage().input() != null || observation.usage().output() != null)) {
            line.append("  tokens: ").append(orZero(observation.usage().input())).append(" in, ")
                    .append(orZero(observation.usage().output())).append(" out");
        }
        if (observation.type() == ObservationType.TOOL && observation.input() != null) {
            line.append("  arguments: ").append(json(observation.input()));
        }
        lines.add(line.toString());
        if (settings.payloads()) {
            if (observation.input() != null && observation.type() != ObservationType.TOOL) {
                lines.add(indent + "    input: " + json(observation.input()));
            }
            if (observation.output() != null) {
                lines.add(indent + "    output: " + json(observation.output()));
            }
        }
        for (Observation child : tree.children(observation)) {
            add(tree, child, depth + 1, settings, lines);
        }
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }

    private static String json(String payload) {
        return JsonPayload.canonical(JsonPayload.parse(payload));
    }

    /** Replaces ids, timestamps and durations by placeholders. */
    static String normalise(String line) {
        String text = UUID.matcher(line).replaceAll("<uuid>");
        text = TIMESTAMP.matcher(text).replaceAll("<timestamp>");
        text = HEX_ID.matcher(text).replaceAll("<id>");
        return DURATION.matcher(text).replaceAll("<duration>");
    }

    /**
     * Returns whether a line of the snapshot and a line of the trace are the same, token counts allowed to differ
     * by the tolerance (a fraction of the snapshot's count).
     */
    static boolean sameLine(String expected, String actual, double tolerance) {
        if (expected.equals(actual)) {
            return true;
        }
        Matcher wanted = TOKENS.matcher(expected);
        Matcher found = TOKENS.matcher(actual);
        if (!wanted.find() || !found.find()) {
            return false;
        }
        String expectedRest = expected.substring(0, wanted.start()) + expected.substring(wanted.end());
        String actualRest = actual.substring(0, found.start()) + actual.substring(found.end());
        return expectedRest.equals(actualRest)
                && within(Long.parseLong(wanted.group(1)), Long.parseLong(found.group(1)), tolerance)
                && within(Long.parseLong(wanted.group(2)), Long.parseLong(found.group(2)), tolerance);
    }

    private static boolean within(long expected, long actual, double tolerance) {
        return Math.abs(actual - expected) <= tolerance * expected;
    }
}
