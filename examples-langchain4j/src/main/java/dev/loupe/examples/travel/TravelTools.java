package dev.loupe.examples.travel;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import java.util.List;
import java.util.Map;

/** The agent's two tools: a weather forecast and a train timetable, from small in-memory tables. */
public final class TravelTools {

    private static final Map<String, String> FORECASTS = Map.of(
            "Lyon", "sunny, 24 C",
            "Marseille", "windy, 19 C",
            "Lille", "rain, 12 C");

    private static final Map<String, List<String>> TRAINS = Map.of(
            "Paris->Lyon", List.of("TGV 6601 08:04-10:00", "TGV 6611 10:04-12:00"),
            "Paris->Marseille", List.of("TGV 6103 07:37-10:55"));

    /** Returns the forecast for a city on a day, or says there is none. */
    @Tool("Returns the weather forecast for a city on a day")
    public String forecast(@P("the city") String city, @P("the day, as YYYY-MM-DD") String day) {
        return FORECASTS.getOrDefault(city, "no forecast") + " in " + city + " on " + day;
    }

    /** Returns the direct trains between two cities, or none. */
    @Tool("Finds the direct trains between two cities")
    public List<String> trains(@P("the departure city") String from, @P("the arrival city") String to) {
        return TRAINS.getOrDefault(from + "->" + to, List.of());
    }
}
