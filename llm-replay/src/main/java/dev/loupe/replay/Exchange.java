package dev.loupe.replay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.replay.RequestKeys.RequestKey;
import java.util.List;

/**
 * One recorded model call: the request as it is matched and the response as the provider sent it.
 *
 * @param request  the request's key (method, path, normalised body without secret fields)
 * @param response the response
 */
record Exchange(RequestKey request, RecordedResponse response) {

    /**
     * A provider's response as recorded.
     *
     * @param status      the HTTP status
     * @param contentType the content type, or null
     * @param body        the body of a plain response (JSON, or text for anything else), or null for a stream
     * @param events      the events of a streamed (server-sent events) response, in the order and chunks the
     *                    provider sent them, or null for a plain one
     */
    record RecordedResponse(int status, String contentType, JsonNode body, List<StreamEvent> events) {

        /** Returns whether the response was streamed. */
        boolean streamed() {
            return events != null;
        }
    }

    /**
     * One server-sent event.
     *
     * @param event its {@code event:} name (Anthropic names them), or null
     * @param data  its data: JSON, or text such as OpenAI's {@code [DONE]}
     */
    record StreamEvent(String event, JsonNode data) {
    }
}
