/**
 * Captures LangChain4j applications: {@link dev.loupe.langchain4j.LoupeLangChain4j} gives out LangChain4j listeners
 * that record AI service invocations, model calls, tool executions, guardrails, retrievals and embeddings as Loupe
 * observations.
 */
package dev.loupe.langchain4j;
