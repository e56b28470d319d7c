package dev.loupe.examples.springai;

import java.util.List;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.annotation.ToolParam;
import org.springframework.stereotype.Component;

/** The tools of the travel agent: a flight search and a booking, over a small fixed timetable. */
@Component
public class FlightTools {

    private static final List<Flight> TIMETABLE = List.of(
            new Flight("AF1381", "LHR", "CDG", 89),
            new Flight("BA304", "LHR", "CDG", 120),
            new Flight("AZ203", "LHR", "FCO", 140));

    /** Returns the flights between two airports. */
    @Tool(description = "Finds the flights between two airports on a date")
    public List<Flight> findFlights(@ToolParam(description = "IATA code of the departure airport") String from,
            @ToolParam(description = "IATA code of the arrival airport") String to,
            @ToolParam(description = "the date, as yyyy-MM-dd") String date) {
        return TIMETABLE.stream().filter(flight -> flight.from().equals(from) && flight.to().equals(to)).toList();
    }

    /** Books a seat on a flight and returns the booking. */
    @Tool(description = "Books a seat on a flight for a passenger and returns the booking reference")
    public Booking bookFlight(@ToolParam(description = "the flight number") String flightId,
            @ToolParam(description = "the passenger's full name") String passenger) {
        return new Booking("BK-" + flightId, flightId, passenger);
    }

    /** A flight of the timetable, with its price in euros. */
    public record Flight(String id, String from, String to, int priceEur) {
    }

    /** A confirmed booking. */
    public record Booking(String reference, String flightId, String passenger) {
    }
}
