package dev.loupe.examples.support;

import dev.loupe.trace.Observe;
import dev.loupe.trace.ObservationType;
import java.util.List;
import java.util.Locale;

/** A tiny help-centre index searched by keyword, standing in for a vector store. */
public final class DocsIndex {

    /**
     * One help-centre article.
     *
     * @param id    the article id
     * @param title its title
     * @param text  its text
     */
    public record Doc(String id, String title, String text) {
    }

    private final List<Doc> docs = List.of(
            new Doc("kb-101", "Reset your password", "Go to Settings > Security > Reset password."),
            new Doc("kb-102", "Two-factor authentication", "Turn on 2FA under Settings > Security."),
            new Doc("kb-201", "Refunds", "Billing refunds approved requests within 5 working days."));

    /**
     * Returns the articles that share a word of four letters or more with the query. Each call is a tool call in the
     * trace, with the query as its input and the articles as its output: {@code @Observe} records it.
     */
    @Observe(name = "search_docs", type = ObservationType.TOOL)
    public List<Doc> search(String query) {
        List<String> words = List.of(query.toLowerCase(Locale.ROOT).split("\\W+"));
        return docs.stream()
                .filter(doc -> words.stream().filter(word -> word.length() >= 4)
                        .anyMatch(word -> (doc.title() + " " + doc.text()).toLowerCase(Locale.ROOT).contains(word)))
                .toList();
    }
}
