package dev.loupe.springai;

import static dev.loupe.assertj.LoupeAssertions.assertThat;

import dev.loupe.fakellm.FakeLlm;
import dev.loupe.fakellm.ToolCall;
import dev.loupe.junit.CapturedTraces;
import dev.loupe.junit.TraceCapture;
import dev.loupe.model.TraceTree;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(classes = SpringAiTestApplication.class)
@ExtendWith(TraceCapture.class)
class ChatClientCaptureTest {

    static final FakeLlm llm = FakeLlm.start();

    @Autowired
    ChatClient.Builder chatClients;

    @DynamicPropertySource
    static void openAi(DynamicPropertyRegistry registry) {
        FakeLlmProperties.register(registry, llm);
    }

    @AfterAll
    static void stopServer() {
        llm.close();
    }

    @Test
    void plain(CapturedTraces traces) {
        llm.reply("Paris is sunny.").usage(20, 5);
        String answer = chatClients.build().prompt().system("Be terse.").user("Weather in Paris?").call().content();
        System.out.println(answer);
        TraceTree trace = traces.single();
        System.out.println(trace.render());
    }

    @Test
    void tools(CapturedTraces traces) {
        TravelTools tools = new TravelTools();
        llm.replyWithToolCalls(ToolCall.of("currentWeather", "{\"city\":\"Paris\"}")).usage(50, 10);
        llm.replyWithToolCalls(ToolCall.of("bookTable", "{\"restaurant\":\"Chez Nous\",\"people\":2}")).usage(80, 12);
        llm.reply("Booked.").usage(100, 6);
        String answer = chatClients.build().prompt().user("Book a table").tools(tools).call().content();
        System.out.println(answer + tools.calls);
        TraceTree trace = traces.single();
        System.out.println(trace.render());
    }

    @Test
    void streamingTools(CapturedTraces traces) {
        TravelTools tools = new TravelTools();
        llm.replyWithToolCalls(ToolCall.of("currentWeather", "{\"city\":\"Paris\"}")).usage(50, 10);
        llm.reply("It is sunny.").chunks("It is ", "sunny.").usage(100, 6);
        var answer = chatClients.build().prompt().user("Weather?").tools(tools).stream().content().collectList()
                .block();
        System.out.println(answer + "" + tools.calls);
        for (TraceTree trace : traces.awaitCompleted(java.time.Duration.ofSeconds(10))) {
            System.out.println(trace.render());
        }
    }
}
