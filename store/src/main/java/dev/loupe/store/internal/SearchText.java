package dev.loupe.store.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.loupe.model.Observation;
import dev.loupe.model.Trace;
import java.io.IOException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * How text is cut into the words that full-text search indexes and looks for: the one definition, used by the writer
 * for what it stores and by queries for what they look up, so the two always agree.
 *
 * <p>A word is a run of letters, digits and combining marks, folded to lower case (after NFKC normalisation and
 * upper case when it is not ASCII, so that {@code ß} finds {@code SS}). Everything else separates words. Han,
 * Hiragana and Katakana characters, which are written without spaces between words, are each a word of their own:
 * a query for a word of several of them becomes a phrase. Words longer than {@value #MAX_WORD_LENGTH} characters are
 * cut to that length, in the index and in queries alike. Of JSON documents (inputs, outputs) the string and number
 * values are searched, of metadata the keys as well.
 */
final class SearchText {

    /** The longest word kept; longer ones are cut, in the index and in queries alike. */
    static final int MAX_WORD_LENGTH = 64;
    /** The most distinct words indexed of one document (a trace's own fields, or one observation). */
    static final int MAX_WORDS_PER_DOCUMENT = 2_000;

    private static final JsonFactory JSON = new JsonFactory();

    private SearchText() {
    }

    /** Returns the distinct words of a trace's own searchable fields: name, input, output and metadata. */
    static Set<String> words(Trace trace) {
        Set<String> words = new LinkedHashSet<>();
        Consumer<String> sink = bounded(words);
        forEachPlainWord(trace.name(), sink);
        forEachJsonWord(trace.input(), false, sink);
        forEachJsonWord(trace.output(), false, sink);
        forEachJsonWord(trace.metadata(), true, sink);
        return words;
    }

    /** Returns the distinct words of an observation's name, input, output, status message and metadata. */
    static Set<String> words(Observation observation) {
        Set<String> words = new LinkedHashSet<>();
        Consumer<String> sink = bounded(words);
        forEachPlainWord(observation.name(), sink);
        forEachJsonWord(observation.input(), false, sink);
        forEachJsonWord(observation.output(), false, sink);
        forEachPlainWord(observation.statusMessage(), sink);
        forEachJsonWord(observation.metadata(), true, sink);
        return words;
    }

    /** Returns the distinct words of a trace's own fields and of all its observations. */
    static Set<String> words(Trace trace, List<Observation> observations) {
        Set<String> words = trace == null ? new LinkedHashSet<>() : words(trace);
        observations.forEach(observation -> words.addAll(words(observation)));
        return words;
    }

    private static Consumer<String> bounded(Set<String> words) {
        return word -> {
            if (words.size() < MAX_WORDS_PER_DOCUMENT) {
                words.add(word);
            }
        };
    }

    /** Returns whether one field of the trace holds the words in this order, next to each other. */
    static boolean containsPhrase(Trace trace, List<String> phrase) {
        return plainHasPhrase(trace.name(), phrase)
                || jsonHasPhrase(trace.input(), false, phrase)
                || jsonHasPhrase(trace.output(), false, phrase)
                || jsonHasPhrase(trace.metadata(), true, phrase);
    }

    /** Returns whether one field of the observation holds the words in this order, next to each other. */
    static boolean containsPhrase(Observation observation, List<String> phrase) {
        return plainHasPhrase(observation.name(), phrase)
                || jsonHasPhrase(observation.input(), false, phrase)
                || jsonHasPhrase(observation.output(), false, phrase)
                || plainHasPhrase(observation.statusMessage(), phrase)
                || jsonHasPhrase(observation.metadata(), true, phrase);
    }

    private static boolean plainHasPhrase(String text, List<String> phrase) {
        return text != null && hasPhrase(wordList(text), phrase);
    }

    private static boolean jsonHasPhrase(String json, boolean withKeys, List<String> phrase) {
        if (json == null) {
            return false;
        }
        boolean[] found = new boolean[1];
        forEachJsonText(json, withKeys, text -> found[0] |= hasPhrase(wordList(text), phrase));
        return found[0];
    }

    private static boolean hasPhrase(List<String> words, List<String> phrase) {
        return java.util.Collections.indexOfSubList(words, phrase) >= 0;
    }

    /** Returns the words of a text in order, repeats included. */
    static List<String> wordList(String text) {
        List<String> words = new ArrayList<>();
        forEachPlainWord(text, words::add);
        return words;
    }

    private static void forEachJsonWord(String json, boolean withKeys, Consumer<String> sink) {
        if (json != null) {
            forEachJsonText(json, withKeys, text -> forEachPlainWord(text, sink));
        }
    }

    /** Passes each string and number value (and, with keys, each key) of a JSON document to the sink. */
    private static void forEachJsonText(String json, boolean withKeys, Consumer<String> sink) {
        try (JsonParser parser = JSON.createParser(json)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                switch (token) {
                    case FIELD_NAME -> {
                        if (withKeys) {
                            sink.accept(parser.currentName());
                        }
                    }
                    case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> sink.accept(parser.getText());
                    default -> {
                        // structure, booleans and nulls hold no words
                    }
                }
            }
        } catch (IOException notJson) {
            // Stored values are JSON documents; should one not be, its text is still searchable.
            sink.accept(json);
        }
    }

    /** Passes each word of a plain text to the sink, in order. */
    static void forEachPlainWord(String text, Consumer<String> sink) {
        if (text == null) {
            return;
        }
        int length = text.length();
        int start = -1;
        boolean ascii = true;
        for (int i = 0; i < length; ) {
            int codePoint = text.codePointAt(i);
            int next = i + Character.charCount(codePoint);
            if (isSingleCharacterWord(codePoint)) {
                if (start >= 0) {
                    sink.accept(normalised(text.substring(start, i), ascii));
                    start = -1;
                }
                sink.accept(normalised(text.substring(i, next), false));
            } else if (isWordCharacter(codePoint)) {
                if (start < 0) {
                    start = i;
                    ascii = true;
                }
                ascii &= codePoint < 128;
            } else if (start >= 0) {
                sink.accept(normalised(text.substring(start, i), ascii));
                start = -1;
            }
            i = next;
        }
        if (start >= 0) {
            sink.accept(normalised(text.substring(start), ascii));
        }
    }

    private static boolean isWordCharacter(int codePoint) {
        if (codePoint < 128) {
            return (codePoint >= 'a' && codePoint <= 'z') || (codePoint >= 'A' && codePoint <= 'Z')
                    || (codePoint >= '0' && codePoint <= '9');
        }
        int type = Character.getType(codePoint);
        return Character.isLetterOrDigit(codePoint) || type == Character.NON_SPACING_MARK
                || type == Character.COMBINING_SPACING_MARK;
    }

    private static boolean isSingleCharacterWord(int codePoint) {
        if (codePoint < 0x2E80) {
            return false;
        }
        Character.UnicodeScript script = Character.UnicodeScript.of(codePoint);
        return script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
                || script == Character.UnicodeScript.KATAKANA;
    }

    private static String normalised(String word, boolean ascii) {
        String folded = ascii ? word.toLowerCase(Locale.ROOT)
                // Upper case first folds what lower case alone keeps apart: ß and SS, ς and σ.
                : Normalizer.normalize(word, Normalizer.Form.NFKC).toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
        if (folded.length() <= MAX_WORD_LENGTH) {
            return folded;
        }
        int end = MAX_WORD_LENGTH;
        if (Character.isLowSurrogate(folded.charAt(end)) && Character.isHighSurrogate(folded.charAt(end - 1))) {
            end--;
        }
        return folded.substring(0, end);
    }
}
