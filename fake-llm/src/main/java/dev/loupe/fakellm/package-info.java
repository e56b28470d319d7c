/**
 * Test support: {@link dev.loupe.fakellm.FakeLlm}, an OpenAI-compatible chat-completions and embeddings server on
 * loopback that a test scripts (answers, tool calls, streaming, usage, errors, hangs) and then inspects (the requests it
 * received). It lets tests drive real LLM frameworks and their real HTTP clients without a real provider.
 */
package dev.loupe.fakellm;
