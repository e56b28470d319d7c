package dev.loupe.devserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Sends HTTP requests byte for byte over a socket and reads the answer: for the malformed requests that
 * {@code java.net.http} refuses to send, and for methods such as HEAD whose answers it reads its own way.
 */
final class RawHttp {

    private final int port;

    RawHttp(int port) {
        this.port = port;
    }

    /** The status, headers (names in lower case) and body of one answer. */
    record Response(int status, Map<String, String> headers, String body) {

        /** Returns a header's value, if the answer has it. */
        Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }

        /** Returns the {@code message} of a JSON error answer. */
        String message() {
            try {
                JsonNode json = ApiJson.MAPPER.readTree(body);
                return json.path("message").asText();
            } catch (IOException notJson) {
                throw new AssertionError("Expecting a JSON body but found:\n  " + body, notJson);
            }
        }
    }

    /**
     * Returns the bytes of a request with a request line, a Host header naming 127.0.0.1, {@code Connection: close}
     * and the given header lines (each without its CRLF).
     */
    static byte[] request(String method, String target, String... headerLines) {
        StringBuilder request = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1\r\nConnection: close\r\n");
        for (String line : headerLines) {
            request.append(line).append("\r\n");
        }
        return request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Sends a request as it is, reads the answer until the server closes the connection, and parses it. */
    Response send(byte[] request) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            return parse(readAll(socket.getInputStream()));
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                bytes.write(buffer, 0, read);
            }
        } catch (SocketTimeoutException | SocketException closedWhileReading) {
            // Jetty may reset a connection whose request it refused; what arrived before is the answer.
        }
        return bytes.toByteArray();
    }

    private static Response parse(byte[] answer) {
        String text = new String(answer, StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new AssertionError("Expecting an HTTP answer but found:\n  " + text);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        return new Response(status, headers, text.substring(end + 4));
    }
}
