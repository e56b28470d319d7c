package dev.loupe.devserver;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.loupe.opentelemetry.OtlpSpans;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The OTLP/HTTP trace receiver: {@code POST /v1/traces} (an OpenTelemetry exporter's default path) and
 * {@code POST /api/public/otel/v1/traces} (Langfuse's, where the Langfuse SDKs send). It reads protobuf and JSON
 * bodies, gzipped or not, maps the spans through the same normaliser as the in-process capture, writes them through
 * the devserver's record intake, and answers with OTLP's response: 200 (with a partial success naming the spans it
 * rejected), 400 for a body it cannot read, 413 for a body over {@link #MAX_BODY_BYTES}, 415 for another media type.
 */
final class OtlpReceiver {

    /** The largest body taken, before and after gzip decompression: 16 MiB. */
    static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

    private static final String PROTOBUF = "application/x-protobuf";
    private static final String JSON = "application/json";
    /** Rejection reasons named in a partial success; the count covers them all. */
    private static final int REASONS_SHOWN = 5;

    private final RecordIntake intake;

    OtlpReceiver(RecordIntake intake) {
        this.intake = intake;
    }

    /** Adds the receiver's routes. */
    void addRoutes(RoutesConfig routes) {
        routes.post("/v1/traces", this::traces);
        routes.post("/api/public/otel/v1/traces", this::traces);
    }

    private void traces(Context ctx) {
        String mediaType = mediaType(ctx.contentType());
        boolean json = mediaType.equals(JSON);
        if (!json && !mediaType.equals(PROTOBUF)) {
            throw ApiError.unsupportedMediaType("OTLP traces must be sent as " + PROTOBUF + " or " + JSON
                    + ", not '" + ctx.contentType() + "'");
        }
        byte[] body = body(ctx);
        ExportTraceServiceRequest request;
        try {
            request = json ? OtlpJson.parse(new String(body, StandardCharsets.UTF_8))
                    : ExportTraceServiceRequest.parseFrom(body);
        } catch (InvalidProtocolBufferException invalid) {
            throw ApiError.badRequest("The body is not an OTLP trace export request in protobuf: "
                    + invalid.getMessage());
        } catch (IllegalArgumentException invalid) {
            throw ApiError.badRequest("The body is not an OTLP/JSON trace export request: " + invalid.getMessage());
        }
        OtlpSpans.Result result = OtlpSpans.records(request);
        RecordIntake.Outcome outcome = intake.write(result.records());
        if (!outcome.complete()) {
            throw ApiError.unavailable("Loupe could not write the " + result.spans() + " spans (" + outcome.dropped()
                    + " records dropped, " + outcome.failed() + " failed" + (outcome.written() ? ""
                    : ", not written within " + RecordIntake.WRITE_TIMEOUT.toSeconds() + " s")
                    + "); see the devserver's log, then send them again");
        }
        ExportTraceServiceResponse.Builder response = ExportTraceServiceResponse.newBuilder();
        List<String> rejected = result.rejected();
        if (!rejected.isEmpty()) {
            String shown = String.join("; ", rejected.subList(0, Math.min(REASONS_SHOWN, rejected.size())));
            response.setPartialSuccess(ExportTracePartialSuccess.newBuilder()
                    .setRejectedSpans(rejected.size())
                    .setErrorMessage(rejected.size() + " of " + result.spans() + " spans rejected: " + shown
                            + (rejected.size() > REASONS_SHOWN ? "; ..." : "")));
        }
        if (json) {
            ctx.contentType(JSON).result(OtlpJson.print(response));
        } else {
            ctx.contentType(PROTOBUF).result(response.build().toByteArray());
        }
    }

    private static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int parameters = contentType.indexOf(';');
        return (parameters < 0 ? contentType : contentType.substring(0, parameters)).trim().toLowerCase(Locale.ROOT);
    }

    /** Reads the body, gunzipping it when its encoding says gzip, and refuses it beyond the size limit. */
    private static byte[] body(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > MAX_BODY_BYTES) {
            throw tooLarge(declared + " bytes");
        }
        String encoding = ctx.header("Content-Encoding");
        boolean gzip = encoding != null && encoding.trim().equalsIgnoreCase("gzip");
        if (encoding != null && !gzip && !encoding.isBlank() && !encoding.trim().equalsIgnoreCase("identity")) {
            throw ApiError.unsupportedMediaType("Content-Encoding '" + encoding
                    + "' is not supported: send the body as it is or gzipped");
        }
        try (InputStream raw = ctx.req().getInputStream()) {
            byte[] body = readAtMost(raw, "bytes");
            if (!gzip) {
                return body;
            }
            try (InputStream unzipped = new GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
                return readAtMost(unzipped, "bytes once gunzipped");
            } catch (ZipException | java.io.EOFException notGzip) {
                throw ApiError.badRequest("The body is declared gzip (Content-Encoding: gzip) but is not gzip data: "
                        + notGzip.getMessage());
            }
        } catch (IOException failure) {
            throw new UncheckedIOException("reading the request body failed", failure);
        }
    }

    private static byte[] readAtMost(InputStream in, String unit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        int read;
        while ((read = in.read(buffer)) >= 0) {
            if (out.size() + read > MAX_BODY_BYTES) {
                throw tooLarge("more than " + MAX_BODY_BYTES + " " + unit);
            }
            out.write(buffer, 0, read);
        }
        return out.toByteArray();
    }

    private static ApiError tooLarge(String size) {
        return ApiError.payloadTooLarge("The body has " + size + ", over the limit of " + MAX_BODY_BYTES
                + " bytes (16 MiB): send fewer spans per request (OTEL_BSP_MAX_EXPORT_BATCH_SIZE)");
    }
}
