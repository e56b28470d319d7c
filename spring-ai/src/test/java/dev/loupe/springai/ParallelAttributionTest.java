package dev.loupe.springai;

import static dev.loupe.assertj.LoupeAssertions.assertThat;

import dev.loupe.junit.CapturedTraces;
import dev.loupe.model.TraceTree;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Tests that run at the same time, in two test classes, in one Spring application: each sees only the traces of
 * its own calls.
 */
class ParallelAttributionTest extends SpringAiBootTest {

    private static final int CALLS = 2 * 4;

    @BeforeAll
    static void everyCallGetsTheSameAnswer() {
        llm.reply("Noted.").usage(12, 2).times(CALLS);
    }

    /** The replies are shared by all tests of this class: they are all used only when the last one has run. */
    @Override
    void everyScriptedReplyWasUsed() {
    }

    @AfterAll
    static void everyCallWasAnswered() {
        assertThat(llm.pendingReplies()).as("replies left for the calls of this class").isZero();
    }

    static void askAndSeeOnlyThisTest(ChatClient.Builder chatClients, String who, CapturedTraces traces) {
        String question = "Remember " + who + " " + Thread.currentThread().getName() + " " + System.nanoTime();

        chatClients.build().prompt().user(question).call().content();

        TraceTree trace = traces.single();
        assertThat(trace).hasName("chat_client").hasInputContaining(question);
        assertThat(trace).generation("chat gpt-4o-mini").hasInputMessage("user", question).hasUsage(12, 2);
    }

    @Nested
    @Execution(ExecutionMode.CONCURRENT)
    class Alice {

        @Autowired
        ChatClient.Builder chatClients;

        @RepeatedTest(CALLS / 2)
        void seesOnlyItsOwnTrace(CapturedTraces traces) {
            askAndSeeOnlyThisTest(chatClients, "alice", traces);
        }
    }

    @Nested
    @Execution(ExecutionMode.CONCURRENT)
    class Bob {

        @Autowired
        ChatClient.Builder chatClients;

        @RepeatedTest(CALLS / 2)
        void seesOnlyItsOwnTrace(CapturedTraces traces) {
            askAndSeeOnlyThisTest(chatClients, "bob", traces);
        }
    }
}
