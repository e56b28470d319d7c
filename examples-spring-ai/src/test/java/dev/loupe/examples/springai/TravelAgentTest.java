package dev.loupe.examples.springai;

import static dev.loupe.assertj.LoupeAssertions.assertThat;
import static dev.loupe.assertj.LoupeAssertions.assertThatThrownBy;

import dev.loupe.assertj.TraceBudget;
import dev.loupe.fakellm.FakeLlm;
import dev.loupe.fakellm.ToolCall;
import dev.loupe.junit.CapturedTraces;
import dev.loupe.junit.TraceCapture;
import dev.loupe.model.TraceTree;
import dev.loupe.trace.ObservationType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

// tag::spring-ai[]
@SpringBootTest(properties = {"spring.main.web-application-type=none", "spring.ai.retry.max-attempts=1"})
@ExtendWith(TraceCapture.class)
@TraceBudget(maxTokens = 2_500)                        // checked after every test of the class
class TravelAgentTest {

    static final FakeLlm llm = FakeLlm.start();        // an OpenAI-compatible fake model on loopback

    @DynamicPropertySource
    static void fakeModel(DynamicPropertyRegistry registry) {
        registry.add("spring.ai.openai.base-url", llm::rootUrl);
        registry.add("spring.ai.openai.api-key", () -> "test-key");
    }

    @Autowired
    TravelAgent agent;                                 // plain Spring AI code: loupe-spring-ai records it

    @Test
    void findsFlightsThenBooksTheCheapest(CapturedTraces traces) {
        llm.replyWithToolCalls(ToolCall.of("findFlights", "{\"from\":\"LHR\",\"to\":\"CDG\",\"date\":\"2026-05-04\"}"))
                .usage(410, 30);
        llm.replyWithToolCalls(ToolCall.of("bookFlight", "{\"flightId\":\"AF1381\",\"passenger\":\"Ada Lovelace\"}"))
                .usage(620, 25);
        llm.reply("Booked AF1381 (89 euros), reference BK-AF1381.").usage(700, 18);

        String answer = agent.handle("Book the cheapest flight from LHR to CDG on 4 May 2026 for Ada Lovelace.");

        assertThat(answer).contains("BK-AF1381");
        TraceTree trace = traces.single();
        assertThat(trace).hasNoErrors()
                .hasToolCallsInOrder("findFlights", "bookFlight")
                .hasObservationCount(ObservationType.GENERATION, 3)
                .hasTotalTokensAtMost(1_900)
                .hasShape("""
                        AGENT chat_client
                          CHAIN TravelPolicyAdvisor
                            CHAIN call
                              GENERATION chat gpt-4o-mini
                              TOOL findFlights
                              GENERATION chat gpt-4o-mini
                              TOOL bookFlight
                              GENERATION chat gpt-4o-mini
                        """);
        assertThat(trace).toolCall("findFlights").hasArgument("from", "LHR").hasArgument("to", "CDG")
                .hasResultContaining("AF1381");
        assertThat(trace).toolCall("bookFlight").hasArgument("flightId", "AF1381")
                .hasArgument("passenger", "Ada Lovelace").hasResultContaining("BK-AF1381");
        assertThat(trace).generation("chat gpt-4o-mini").hasModel("gpt-4o-mini").hasUsage(410, 30)
                .hasInputMessageContaining("system", "economy class only");
    }

    @Test
    void aModelOutageReachesTheCallerAndIsTheFirstErrorOfTheTrace(CapturedTraces traces) {
        llm.fail(500).message("the model is overloaded");

        assertThatThrownBy(() -> agent.handle("Book me a flight to Rome.")).hasMessageContaining("overloaded");

        assertThat(traces.single()).hasFirstErrorIn("chat gpt-4o-mini").hasErrorWithMessage("overloaded")
                .toolCalls().isEmpty();
    }
    // end::spring-ai[]

    @AfterAll
    static void stopServer() {
        llm.close();
    }
}
