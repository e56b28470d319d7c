package dev.loupe.assertj;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * How {@link TraceTreeAssert#matchesSnapshot(Snapshot)} compares a trace with its golden file: the file's name,
 * whether payloads (inputs and outputs) are part of the outline, how far token counts may drift, and the
 * normalisers that blank out what changes from run to run. Immutable; each method returns new settings.
 *
 * <p>The outline always holds names, types, models, levels, token counts and tools with their arguments. Ids
 * (UUIDs and hex ids), timestamps and durations found in it are replaced by {@code <id>}, {@code <timestamp>} and
 * {@code <duration>}; token counts match when within {@link #withTokenTolerance the tolerance} (10% by default).
 *
 * <pre>
 * assertThat(tree).matchesSnapshot(Snapshot.defaults().withPayloads().normalising("ticket-\\d+", "ticket-N"));
 * </pre>
 */
public final class Snapshot {

    /** The system property that, set to {@code true}, rewrites every snapshot compared. */
    public static final String UPDATE_PROPERTY = "loupe.snapshots.update";
    /** The environment variable that, set to {@code true}, rewrites every snapshot compared. */
    public static final String UPDATE_ENVIRONMENT_VARIABLE = "LOUPE_SNAPSHOTS_UPDATE";
    /** The system property naming the directory of snapshot files; {@code src/test/resources/loupe-snapshots}. */
    public static final String DIRECTORY_PROPERTY = "loupe.snapshots.dir";

    private static final Snapshot DEFAULTS = new Snapshot(null, false, 0.10, List.of());

    private final String name;
    private final boolean payloads;
    private final double tokenTolerance;
    private final List<UnaryOperator<String>> normalisers;

    private Snapshot(String name, boolean payloads, double tokenTolerance, List<UnaryOperator<String>> normalisers) {
        this.name = name;
        this.payloads = payloads;
        this.tokenTolerance = tokenTolerance;
        this.normalisers = List.copyOf(normalisers);
    }

    /** Returns the default settings: no payloads, token counts within 10%, the built-in normalisers only. */
    public static Snapshot defaults() {
        return DEFAULTS;
    }

    /**
     * Returns these settings with the file named: {@code <directory>/<TestClass>/<name>.txt}. Without a name, the
     * file is named after the test method and the trace: {@code <method>.<trace name>.txt}.
     */
    public Snapshot named(String fileName) {
        Objects.requireNonNull(fileName, "fileName");
        if (fileName.isBlank() || fileName.contains("..")) {
            throw new IllegalArgumentException("Snapshot name '" + fileName + "' cannot be used as a file name: give "
                    + "a plain name such as \"refund-flow\"");
        }
        return new Snapshot(fileName, payloads, tokenTolerance, normalisers);
    }

    /** Returns these settings with each observation's input and output in the outline too. */
    public Snapshot withPayloads() {
        return new Snapshot(name, true, tokenTolerance, normalisers);
    }

    /**
     * Returns these settings with token counts matching when they differ from the snapshot's by at most this
     * fraction of it, such as {@code 0.2} for 20%; {@code 0} requires the same counts.
     */
    public Snapshot withTokenTolerance(double fraction) {
        if (!(fraction >= 0) || Double.isInfinite(fraction)) {
            throw new IllegalArgumentException("Token tolerance is " + fraction
                    + ": give a fraction of zero or more, such as 0.1 for 10%");
        }
        return new Snapshot(name, payloads, fraction, normalisers);
    }

    /** Returns these settings with every match of the regular expression in the outline replaced. */
    public Snapshot normalising(String regex, String replacement) {
        Objects.requireNonNull(regex, "regex");
        Objects.requireNonNull(replacement, "replacement");
        Pattern pattern;
        try {
            pattern = Pattern.compile(regex);
        } catch (PatternSyntaxException invalid) {
            throw new IllegalArgumentException("Normaliser \"" + regex + "\" is not a valid regular expression: "
                    + invalid.getDescription(), invalid);
        }
        return normalising(text -> pattern.matcher(text).replaceAll(replacement));
    }

    /** Returns these settings with one more normaliser, applied to the outline after the built-in ones. */
    public Snapshot normalising(UnaryOperator<String> normaliser) {
        Objects.requireNonNull(normaliser, "normaliser");
        List<UnaryOperator<String>> more = new ArrayList<>(normalisers);
        more.add(normaliser);
        return new Snapshot(name, payloads, tokenTolerance, more);
    }

    String name() {
        return name;
    }

    boolean payloads() {
        return payloads;
    }

    double tokenTolerance() {
        return tokenTolerance;
    }

    List<UnaryOperator<String>> normalisers() {
        return normalisers;
    }
}
