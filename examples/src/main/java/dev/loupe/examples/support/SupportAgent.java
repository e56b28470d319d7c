package dev.loupe.examples.support;

import dev.loupe.Loupe;
import dev.loupe.examples.support.DocsIndex.Doc;
import dev.loupe.examples.support.Llm.Completion;
import dev.loupe.examples.support.Llm.Message;
import dev.loupe.trace.ObservationLevel;
import dev.loupe.trace.Tracer;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A support agent as an application would write it: it drafts a search query with one model call, searches the help
 * centre with a tool, and answers with a second model call. It uses the global tracer and knows nothing of tests. The
 * model calls are traced in callback style; the search is an {@code @Observe} method ({@link DocsIndex#search}).
 */
public final class SupportAgent {

    private final Llm llm;
    private final DocsIndex docs = new DocsIndex();
    private final Tracer tracer = Loupe.tracer();

    /** Creates an agent that talks to this model. */
    public SupportAgent(Llm llm) {
        this.llm = llm;
    }

    /** Answers one question of a user in a session (conversation); each call is one trace. */
    public String answer(String userId, String sessionId, String question) {
        return tracer.trace("support-agent", root -> {
            root.input(question).userId(userId).sessionId(sessionId).tags("support");
            String query = tracer.generation("draft-reply", gen -> complete(gen,
                    List.of(new Message("system", "Draft a search query for the help centre."),
                            new Message("user", question))))
                    .replaceFirst("^search: ", "");
            List<Doc> found = docs.search(query);     // @Observe: recorded as the tool call search_docs
            if (found.isEmpty()) {
                tracer.event("no-docs-found", Map.of("query", query));
                tracer.currentTrace().tags("unanswered");
            }
            String context = found.stream().map(Doc::text).collect(Collectors.joining("\n"));
            String answer = tracer.generation("final-answer", gen -> complete(gen,
                    List.of(new Message("system", "Answer from these docs only:\n" + context),
                            new Message("user", question))));
            root.score("docs-found", !found.isEmpty());
            return answer;
        });
    }

    /** Records one model call on the generation handle. */
    private String complete(dev.loupe.trace.Generation gen, List<Message> messages) {
        gen.model(llm.model()).input(messages).modelParameters(Map.of("temperature", 0.2));
        Completion completion = llm.complete(messages);
        gen.output(new Message("assistant", completion.text()))
                .usage(completion.inputTokens(), completion.outputTokens());
        if (completion.outputTokens() > 40) {
            gen.level(ObservationLevel.WARNING).statusMessage("long answer");
        }
        return completion.text();
    }
}
