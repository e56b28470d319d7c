/**
 * A LangChain4j travel agent: an AI service ({@link dev.loupe.examples.travel.TripPlanner}) with two tools
 * ({@link dev.loupe.examples.travel.TravelTools}) and a retriever over a travel guide
 * ({@link dev.loupe.examples.travel.TravelGuide}). Its tests capture it with Loupe and check its trajectory.
 */
package dev.loupe.examples.travel;
