package dev.loupe.examples.travel;

import dev.langchain4j.service.SystemMessage;

/** The travel agent as LangChain4j sees it: an AI service that plans a trip from one request. */
public interface TripPlanner {

    /** Plans a trip: checks the weather, finds trains and answers with what the travel guide says. */
    @SystemMessage("You are a travel agent. Check the weather and the trains with the tools, use the travel guide, "
            + "and answer in two sentences.")
    String plan(String request);
}
