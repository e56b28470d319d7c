package dev.loupe.replay;

import java.net.URI;

/**
 * Where a test's model calls go: the recording proxy, under a base URL of the test's own, so that calls from tests
 * running in parallel are told apart. Point the client's base URL here instead of at the provider.
 */
public interface LlmEndpoint {

    /** Returns the base URL that stands for the provider's root, such as {@code http://127.0.0.1:41234/t/3}. */
    URI baseUrl();

    /**
     * Returns the base URL for clients that expect the API version in it, as OpenAI's do
     * ({@code https://api.openai.com/v1}): {@link #baseUrl()} followed by {@code /v1}.
     */
    default URI openAiBaseUrl() {
        return URI.create(baseUrl() + "/v1");
    }

    /** Returns whether calls are recorded, replayed, or either. */
    ReplayMode mode();
}
