package dev.loupe.assertj;

import dev.loupe.model.Observation;
import dev.loupe.model.TraceTree;
import dev.loupe.trace.ObservationType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.stream.Collectors;

/**
 * The expected shape of a trace written as an indented outline, one observation a line, children indented under
 * their parent; a line is a name, optionally preceded by its type:
 *
 * <pre>
 * support-agent
 *   GENERATION draft-reply
 *   TOOL search_docs
 * </pre>
 *
 * <p>Observations are matched by name and, when the line gives one, by type; never by position.
 */
final class Outline {

    /** One line of an outline: a type (or null for any type), a name and the lines indented under it. */
    record Node(ObservationType type, String name, List<Node> children) {

        /** Returns whether an observation has this line's name and, when the line gives one, its type. */
        boolean matches(Observation observation) {
            return Objects.equals(name, observation.name()) && (type == null || type == observation.type());
        }

        /** Returns the line as written: {@code TOOL search_docs} or {@code search_docs}. */
        @Override
        public String toString() {
            return type == null ? name : type + " " + name;
        }
    }

    /** Where a tree differs from an outline: under which observation (null at the top), what was expected there. */
    record Mismatch(Observation parent, String expected, List<Observation> found) {
    }

    private Outline() {
    }

    /**
     * Reads one observation pattern: {@code search_docs} or {@code TOOL search_docs}. A first word is a type only
     * when it is the upper-case name of an {@link ObservationType} and a name follows it.
     */
    static Node label(String text) {
        Objects.requireNonNull(text, "observation name");
        String trimmed = text.strip();
        int space = trimmed.indexOf(' ');
        if (space > 0) {
            String first = trimmed.substring(0, space);
            boolean isType = Arrays.stream(ObservationType.values()).anyMatch(type -> type.name().equals(first));
            if (isType) {
                return new Node(ObservationType.valueOf(first), trimmed.substring(space + 1).strip(), List.of());
            }
        }
        return new Node(null, trimmed, List.of());
    }

    /** Reads the patterns of several names at once. */
    static List<Node> labels(String... texts) {
        Objects.requireNonNull(texts, "names");
        return Arrays.stream(texts).map(Outline::label).collect(Collectors.toList());
    }

    /**
     * Reads an outline: blank lines are skipped, indentation (spaces) nests a line under the closest line above it
     * that is indented less.
     *
     * @throws IllegalArgumentException naming the line when the outline is empty, uses tabs or dedents to a depth
     *                                  no line above it has
     */
    static List<Node> parse(String outline) {
        if (outline == null || outline.isBlank()) {
            throw new IllegalArgumentException("The outline is empty: write one observation a line, children "
                    + "indented under their parent, such as \"support-agent\\n  TOOL search_docs\"");
        }
        List<Builder> top = new ArrayList<>();
        Deque<Builder> open = new ArrayDeque<>();
        String[] lines = outline.split("\\R");
        for (int number = 1; number <= lines.length; number++) {
            String line = lines[number - 1];
            if (line.isBlank()) {
                continue;
            }
            if (line.indexOf('\t') >= 0) {
                throw new IllegalArgumentException("Line " + number + " of the outline contains a tab: \"" + line
                        + "\"; indent with spaces");
            }
            int indent = line.length() - line.stripLeading().length();
            Builder node = new Builder(label(line), indent);
            while (!open.isEmpty() && open.peek().indent >= indent) {
                open.pop();
            }
            List<Builder> siblings = open.isEmpty() ? top : open.peek().children;
            if (!siblings.isEmpty() && siblings.get(0).indent != indent) {
                throw new IllegalArgumentException("Line " + number + " of the outline, \"" + line.strip()
                        + "\", is indented by " + indent + " spaces, but the lines at its level by "
                        + siblings.get(0).indent + "; indent it like its siblings");
            }
            siblings.add(node);
            open.push(node);
        }
        return top.stream().map(Builder::build).collect(Collectors.toList());
    }

    /** Returns the outline of the nodes, indented two spaces a level, for failure messages. */
    static String format(List<Node> nodes) {
        StringBuilder out = new StringBuilder();
        format(nodes, "", out);
        return out.toString();
    }

    private static void format(List<Node> nodes, String indent, StringBuilder out) {
        for (Node node : nodes) {
            out.append(out.length() == 0 ? "" : "\n").append(indent).append(node);
            format(node.children(), indent + "  ", out);
        }
    }

    /**
     * Returns where the tree's observations under {@code parent} (its top-level observations when null) differ from
     * the outline's nodes, comparing the whole subtree; empty when they match.
     */
    static Optional<Mismatch> compare(TraceTree tree, Observation parent, List<Node> expected, boolean anyOrder) {
        List<Observation> actual = parent == null ? tree.roots() : tree.children(parent);
        if (!anyOrder) {
            if (expected.size() != actual.size() || !labelsMatchInOrder(expected, actual)) {
                return Optional.of(new Mismatch(parent, describe(expected), actual));
            }
            for (int i = 0; i < expected.size(); i++) {
                Optional<Mismatch> below = compare(tree, actual.get(i), expected.get(i).children(), false);
                if (below.isPresent()) {
                    return below;
                }
            }
            return Optional.empty();
        }
        if (expected.size() != actual.size() || !perfectMatch(expected, actual, (node, observation) ->
                node.matches(observation))) {
            return Optional.of(new Mismatch(parent, describe(expected) + " in any order", actual));
        }
        if (perfectMatch(expected, actual, (node, observation) -> matchesExactly(tree, node, observation, true))) {
            return Optional.empty();
        }
        for (Node node : expected) {
            List<Observation> candidates = actual.stream().filter(node::matches).collect(Collectors.toList());
            boolean matched = candidates.stream().anyMatch(candidate -> matchesExactly(tree, node, candidate, true));
            if (!matched) {
                Optional<Mismatch> below = compare(tree, candidates.get(0), node.children(), true);
                if (below.isPresent()) {
                    return below;
                }
            }
        }
        return Optional.of(new Mismatch(parent, describe(expected) + " in any order", actual));
    }

    /** Returns whether the observations are exactly the patterns, in order. */
    static boolean inOrder(List<Node> expected, List<Observation> actual) {
        return expected.size() == actual.size() && labelsMatchInOrder(expected, actual);
    }

    /** Returns whether the observations are exactly the patterns, in any order. */
    static boolean inAnyOrder(List<Node> expected, List<Observation> actual) {
        return perfectMatch(expected, actual, Node::matches);
    }

    /** Returns whether the observations contain the patterns in order, others allowed in between. */
    static boolean containsInOrder(List<Node> expected, List<Observation> actual) {
        int next = 0;
        for (Node node : expected) {
            while (next < actual.size() && !node.matches(actual.get(next))) {
                next++;
            }
            if (next == actual.size()) {
                return false;
            }
            next++;
        }
        return true;
    }

    private static boolean labelsMatchInOrder(List<Node> expected, List<Observation> actual) {
        for (int i = 0; i < expected.size(); i++) {
            if (!expected.get(i).matches(actual.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean matchesExactly(TraceTree tree, Node node, Observation observation, boolean anyOrder) {
        return node.matches(observation) && compare(tree, observation, node.children(), anyOrder).isEmpty();
    }

    /** Returns whether every node can be paired with its own observation (Kuhn's augmenting paths). */
    private static boolean perfectMatch(List<Node> nodes, List<Observation> observations,
            BiPredicate<Node, Observation> fits) {
        if (nodes.size() != observations.size()) {
            return false;
        }
        boolean[][] compatible = new boolean[nodes.size()][observations.size()];
        for (int n = 0; n < nodes.size(); n++) {
            for (int o = 0; o < observations.size(); o++) {
                compatible[n][o] = fits.test(nodes.get(n), observations.get(o));
            }
        }
        int[] owner = new int[observations.size()];
        Arrays.fill(owner, -1);
        for (int n = 0; n < nodes.size(); n++) {
            if (!augment(n, compatible, owner, new boolean[observations.size()])) {
                return false;
            }
        }
        return true;
    }

    private static boolean augment(int node, boolean[][] compatible, int[] owner, boolean[] seen) {
        for (int o = 0; o < owner.length; o++) {
            if (compatible[node][o] && !seen[o]) {
                seen[o] = true;
                if (owner[o] < 0 || augment(owner[o], compatible, owner, seen)) {
                    owner[o] = node;
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Returns whether the subtree of {@code observation} contains the node's pattern: the same name (and type when
     * given), and under it each child pattern in the given order, other observations allowed in between.
     */
    static boolean contains(TraceTree tree, Node node, Observation observation) {
        if (!node.matches(observation)) {
            return false;
        }
        List<Observation> children = tree.children(observation);
        int next = 0;
        for (Node child : node.children()) {
            while (next < children.size() && !contains(tree, child, children.get(next))) {
                next++;
            }
            if (next == children.size()) {
                return false;
            }
            next++;
        }
        return true;
    }

    /** Returns the deepest place where an observation that matches the node's line lacks part of its subtree. */
    static Mismatch explainMissing(TraceTree tree, Node node, Observation observation) {
        List<Observation> children = tree.children(observation);
        int next = 0;
        Node previous = null;
        for (Node child : node.children()) {
            int from = next;
            while (next < children.size() && !contains(tree, child, children.get(next))) {
                next++;
            }
            if (next == children.size()) {
                Optional<Observation> sameName = children.subList(from, children.size()).stream()
                        .filter(child::matches).findFirst();
                if (sameName.isPresent()) {
                    return explainMissing(tree, child, sameName.get());
                }
                return new Mismatch(observation, "a child " + child
                        + (previous == null ? "" : " after " + previous), children);
            }
            previous = child;
            next++;
        }
        return new Mismatch(observation, describe(node.children()), children);
    }

    private static String describe(List<Node> nodes) {
        return nodes.isEmpty() ? "no children"
                : nodes.stream().map(Node::toString).collect(Collectors.joining(", ", "[", "]"));
    }

    private static final class Builder {
        private final Node label;
        private final int indent;
        private final List<Builder> children = new ArrayList<>();

        private Builder(Node label, int indent) {
            this.label = label;
            this.indent = indent;
        }

        private Node build() {
            return new Node(label.type(), label.name(),
                    children.stream().map(Builder::build).collect(Collectors.toUnmodifiableList()));
        }
    }
}
