package dev.loupe.examples.springai;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.stereotype.Service;

/**
 * A travel agent: a Spring AI chat client that finds flights and books one with its tools, under the company's
 * travel policy (an advisor). Nothing in it refers to Loupe.
 */
@Service
public class TravelAgent {

    private final ChatClient chatClient;

    /** Builds the agent's chat client from Spring AI's auto-configured builder. */
    public TravelAgent(ChatClient.Builder chatClients, FlightTools tools) {
        this.chatClient = chatClients
                .defaultSystem("You are a travel agent. Find flights, then book the cheapest one for the traveller.")
                .defaultTools(tools)
                .defaultAdvisors(new TravelPolicyAdvisor())
                .build();
    }

    /** Handles a traveller's request and returns the agent's answer. */
    public String handle(String request) {
        return chatClient.prompt().user(request).call().content();
    }
}
