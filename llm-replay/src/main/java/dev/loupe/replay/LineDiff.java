package dev.loupe.replay;

import java.util.ArrayList;
import java.util.List;

/** A line-by-line comparison of two texts: how far apart they are, and a diff to show a person. */
final class LineDiff {

    /** Texts longer than this many lines are compared by their common lines only, to bound the work. */
    private static final int MAX_LINES = 2_000;

    private LineDiff() {
    }

    /** Returns the number of lines to remove and add to turn one text into the other. */
    static int distance(String from, String to) {
        String[] a = lines(from);
        String[] b = lines(to);
        return a.length + b.length - 2 * commonLength(a, b)[0][0];
    }

    /**
     * Returns a diff of two texts: unchanged lines start with two spaces, removed ones with {@code "- "} and added
     * ones with {@code "+ "}; runs of more than three unchanged lines are shortened to {@code "  ..."}.
     */
    static String diff(String from, String to) {
        String[] a = lines(from);
        String[] b = lines(to);
        int[][] common = commonLength(a, b);
        List<String> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.length || j < b.length) {
            if (i < a.length && j < b.length && a[i].equals(b[j])) {
                out.add("  " + a[i]);
                i++;
                j++;
            } else if (j < b.length && (i == a.length || common[i][j + 1] > common[i + 1][j])) {
                out.add("+ " + b[j++]);
            } else {
                out.add("- " + a[i++]);
            }
        }
        return shorten(out);
    }

    private static String shorten(List<String> lines) {
        StringBuilder text = new StringBuilder();
        for (int index = 0; index < lines.size(); index++) {
            String line = lines.get(index);
            boolean unchanged = line.startsWith("  ");
            boolean nearChange = false;
            for (int near = Math.max(0, index - 3); near <= Math.min(lines.size() - 1, index + 3); near++) {
                nearChange |= !lines.get(near).startsWith("  ");
            }
            if (unchanged && !nearChange) {
                if (!text.toString().endsWith("  ...\n")) {
                    text.append("  ...\n");
                }
                continue;
            }
            text.append(line).append('\n');
        }
        return text.toString();
    }

    private static String[] lines(String text) {
        String[] lines = text.split("\n", -1);
        if (lines.length <= MAX_LINES) {
            return lines;
        }
        String[] bounded = new String[MAX_LINES];
        System.arraycopy(lines, 0, bounded, 0, MAX_LINES);
        return bounded;
    }

    /** Returns, for each i and j, the length of the longest common subsequence of a[i..] and b[j..]. */
    private static int[][] commonLength(String[] a, String[] b) {
        int[][] length = new int[a.length + 1][b.length + 1];
        for (int i = a.length - 1; i >= 0; i--) {
            for (int j = b.length - 1; j >= 0; j--) {
                length[i][j] = a[i].equals(b[j]) ? length[i + 1][j + 1] + 1
                        : Math.max(length[i + 1][j], length[i][j + 1]);
            }
        }
        return length;
    }
}
