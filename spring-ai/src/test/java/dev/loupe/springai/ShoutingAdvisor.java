package dev.loupe.springai;

import org.springframework.ai.chat.client.ChatClientRequest;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.client.advisor.api.CallAdvisor;
import org.springframework.ai.chat.client.advisor.api.CallAdvisorChain;

/** An advisor of the tests: it asks the model to answer in capitals. */
class ShoutingAdvisor implements CallAdvisor {

    @Override
    public ChatClientResponse adviseCall(ChatClientRequest request, CallAdvisorChain chain) {
        return chain.nextCall(request.mutate()
                .prompt(request.prompt().augmentSystemMessage("Answer in capitals."))
                .build());
    }

    @Override
    public String getName() {
        return "ShoutingAdvisor";
    }

    @Override
    public int getOrder() {
        return 0;
    }
}
