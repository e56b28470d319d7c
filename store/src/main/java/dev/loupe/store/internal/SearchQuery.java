package dev.loupe.store.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * A full-text search read into terms, all of which must be found. Words are separated by spaces; a word that ends in
 * {@code *} matches every word it begins; text in double quotes is a phrase, its words next to each other in this
 * order in one field; a word that {@link SearchText} cuts into several (such as {@code password-reset}, or Han
 * characters) is a phrase of them too.
 *
 * @param terms the terms, at least one
 */
public record SearchQuery(List<Term> terms) {

    /** The most terms a search may have. */
    static final int MAX_TERMS = 16;

    /** Copies the terms. */
    public SearchQuery {
        terms = List.copyOf(terms);
    }

    /**
     * One term: a word, a prefix or a phrase.
     *
     * @param words  the word, or the words of a phrase in order
     * @param prefix whether the (single) word matches every word it begins
     */
    public record Term(List<String> words, boolean prefix) {

        /** Copies the words. */
        public Term {
            words = List.copyOf(words);
        }

        boolean isPhrase() {
            return words.size() > 1;
        }
    }

    /**
     * Reads a search text.
     *
     * @throws IllegalArgumentException quoting the text when it holds no word to look for, or too many
     */
    public static SearchQuery parse(String text) {
        List<Term> terms = new ArrayList<>();
        int i = 0;
        int length = text.length();
        while (i < length) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '"') {
                int close = text.indexOf('"', i + 1);
                int end = close < 0 ? length : close;
                List<String> words = SearchText.wordList(text.substring(i + 1, end));
                if (!words.isEmpty()) {
                    terms.add(new Term(words, false));
                }
                i = close < 0 ? length : close + 1;
            } else {
                int end = i;
                while (end < length && !Character.isWhitespace(text.charAt(end)) && text.charAt(end) != '"') {
                    end++;
                }
                String token = text.substring(i, end);
                boolean prefix = token.endsWith("*");
                List<String> words = SearchText.wordList(token);
                if (prefix && !words.isEmpty()) {
                    // foo-ba* : the words before the last are words; the last is a prefix
                    words.subList(0, words.size() - 1).forEach(word -> terms.add(new Term(List.of(word), false)));
                    terms.add(new Term(List.of(words.get(words.size() - 1)), true));
                } else if (!words.isEmpty()) {
                    terms.add(new Term(words, false));
                }
                i = end;
            }
        }
        if (terms.isEmpty()) {
            throw new IllegalArgumentException("search '" + text + "' holds no word to look for: search for letters "
                    + "or digits (punctuation is ignored)");
        }
        if (terms.size() > MAX_TERMS) {
            throw new IllegalArgumentException("search '" + text + "' has " + terms.size() + " terms; at most "
                    + MAX_TERMS + " are looked for: leave some out or quote a phrase");
        }
        return new SearchQuery(terms);
    }

    /** Returns the exact words of all terms (words and the words of phrases), without repeats. */
    List<String> exactWords() {
        return terms.stream().filter(term -> !term.prefix()).flatMap(term -> term.words().stream()).distinct()
                .toList();
    }

    /** Returns whether any term is a phrase, which the index alone cannot confirm. */
    boolean hasPhrase() {
        return terms.stream().anyMatch(Term::isPhrase);
    }
}
