package dev.loupe.examples.springai;

import org.springframework.ai.chat.client.ChatClientRequest;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.client.advisor.api.CallAdvisor;
import org.springframework.ai.chat.client.advisor.api.CallAdvisorChain;

/** An advisor that adds the company's travel policy to every request the agent sends to the model. */
public class TravelPolicyAdvisor implements CallAdvisor {

    static final String POLICY = "Company policy: economy class only, no flights above 150 euros.";

    /** Adds the policy to the system message, then lets the request go on. */
    @Override
    public ChatClientResponse adviseCall(ChatClientRequest request, CallAdvisorChain chain) {
        return chain.nextCall(request.mutate().prompt(request.prompt().augmentSystemMessage(
                system -> system.mutate().text(system.getText() + "\n" + POLICY).build())).build());
    }

    /** Returns the advisor's name, which is also the name of its observation in a trace. */
    @Override
    public String getName() {
        return "TravelPolicyAdvisor";
    }

    /** Runs first, so that every later step sees the policy. */
    @Override
    public int getOrder() {
        return 0;
    }
}
