package dev.loupe.springai;

import java.util.ArrayList;
import java.util.List;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.annotation.ToolParam;

/** Tools the model of the tests calls; each call is also kept here, to compare with what Loupe recorded. */
class TravelTools {

    final List<String> calls = new ArrayList<>();

    @Tool(description = "Returns the current weather in a city")
    String currentWeather(@ToolParam(description = "the city") String city) {
        calls.add("currentWeather " + city);
        return "sunny, 21 degrees in " + city;
    }

    @Tool(description = "Books a table in a restaurant and returns the booking reference")
    Booking bookTable(@ToolParam(description = "the restaurant") String restaurant,
            @ToolParam(description = "how many people") int people) {
        calls.add("bookTable " + restaurant + " " + people);
        return new Booking("B-" + people + "-" + restaurant.length(), restaurant, people);
    }

    /** A booking, returned as JSON to the model. */
    record Booking(String reference, String restaurant, int people) {
    }
}
