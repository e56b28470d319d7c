/** A Spring AI travel agent, traced by loupe-spring-ai and tested with TraceCapture. */
package dev.loupe.examples.springai;
