package dev.loupe.replay.junit;

import dev.loupe.junit.CapturedTraces;
import dev.loupe.junit.TraceCapture;
import dev.loupe.model.Observation;
import dev.loupe.replay.LlmEndpoint;
import dev.loupe.replay.LlmProxy.OpenObservation;
import dev.loupe.replay.LlmProxy;
import dev.loupe.replay.ReplayMode;
import dev.loupe.trace.ObservationType;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit Jupiter extension behind {@link LlmReplay}: one proxy per test class, one session per test. A test
 * whose calls found no recording to replay fails after it ran, with the closest recorded request and a diff.
 */
public final class LlmReplayExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, ParameterResolver {

    /** The system property that chooses the mode: record, replay or auto. */
    public static final String MODE_PROPERTY = "loupe.llm.mode";
    /** The environment variable that chooses the mode when the system property does not. */
    public static final String MODE_VARIABLE = "LOUPE_LLM_MODE";
    /** The system property that names the provider's root URL to record from. */
    public static final String UPSTREAM_PROPERTY = "loupe.llm.upstream";
    /** The environment variable that names the provider's root URL when the system property does not. */
    public static final String UPSTREAM_VARIABLE = "LOUPE_LLM_UPSTREAM";
    /** The system property set to the proxy's base URL while a class runs. */
    public static final String BASE_URL_PROPERTY = "loupe.llm.base-url";
    /** The system property set to the proxy's base URL followed by {@code /v1}, for OpenAI's clients. */
    public static final String OPENAI_BASE_URL_PROPERTY = "loupe.llm.openai-base-url";

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(LlmReplayExtension.class);
    private static final Pattern SEGMENT = Pattern.compile("\\[([^:\\]]+):([^\\]]*)]");
    /** The package of a parameter type, to drop: {@code answers(java.lang.String)} is filed as {@code answers(String)}. */
    private static final Pattern SIMPLE_TYPES = Pattern.compile("(?<=[(,\\s])(?:[a-z_][\\w]*\\.)+");

    /** Creates the extension; {@link LlmReplay} registers it. */
    public LlmReplayExtension() {
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        LlmReplay settings = AnnotationSupport.findAnnotation(context.getRequiredTestClass(), LlmReplay.class)
                .orElseThrow(() -> new ExtensionConfigurationException("LlmReplayExtension needs @LlmReplay on "
                        + context.getRequiredTestClass().getName() + ": annotate the class with @LlmReplay instead "
                        + "of registering the extension"));
        LlmProxy proxy;
        try {
            proxy = LlmProxy.builder()
                    .mode(mode(settings))
                    .upstream(setting(UPSTREAM_PROPERTY, UPSTREAM_VARIABLE, settings.upstream()))
                    .recordingsFile(Path.of(settings.directory(), context.getRequiredTestClass().getName() + ".json"))
                    .ignoreFields(settings.ignoreFields())
                    .secretFields(settings.secretFields())
                    .start();
        } catch (IllegalArgumentException | IllegalStateException misconfigured) {
            throw new ExtensionConfigurationException("@LlmReplay on " + context.getRequiredTestClass().getName()
                    + ": " + misconfigured.getMessage(), misconfigured);
        }
        context.getStore(NAMESPACE).put(ProxyResource.class, new ProxyResource(proxy));
        System.setProperty(BASE_URL_PROPERTY, proxy.baseUrl().toString());
        System.setProperty(OPENAI_BASE_URL_PROPERTY, proxy.baseUrl() + "/v1");
    }

    @Override
    public void afterAll(ExtensionContext context) {
        ProxyResource resource = context.getStore(NAMESPACE).remove(ProxyResource.class, ProxyResource.class);
        if (resource != null) {
            resource.close();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        LlmProxy proxy = proxy(context);
        LlmProxy.Session session = proxy.openSession(testName(context),
                () -> TraceCapture.testContext(context).orElse(null),
                () -> innermostOpen(context));
        context.getStore(NAMESPACE).put(LlmProxy.Session.class, session);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        LlmProxy.Session session = context.getStore(NAMESPACE).remove(LlmProxy.Session.class,
                LlmProxy.Session.class);
        if (session == null) {
            return;
        }
        session.close();
        List<String> misses = session.misses();
        if (!misses.isEmpty()) {
            throw new AssertionError(String.join("\n\n", misses));
        }
    }

    /** Supports parameters of type {@link LlmEndpoint}: the test's own base URL. */
    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == LlmEndpoint.class;
    }

    /** Returns the test's endpoint, or in {@code @BeforeAll} and {@code @AfterAll} methods the class's. */
    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        LlmProxy.Session session = extensionContext.getStore(NAMESPACE).get(LlmProxy.Session.class,
                LlmProxy.Session.class);
        return session != null ? session : proxy(extensionContext).classSession();
    }

    private static LlmProxy proxy(ExtensionContext context) {
        ProxyResource resource = context.getStore(NAMESPACE).get(ProxyResource.class, ProxyResource.class);
        if (resource == null) {
            throw new ExtensionConfigurationException("Loupe's LLM proxy is not running for "
                    + context.getDisplayName() + ": annotate the test class with @LlmReplay");
        }
        return resource.proxy;
    }

    private static ReplayMode mode(LlmReplay settings) {
        String property = System.getProperty(MODE_PROPERTY);
        if (property != null && !property.isBlank()) {
            return ReplayMode.parse(property, "The system property " + MODE_PROPERTY);
        }
        String variable = System.getenv(MODE_VARIABLE);
        if (variable != null && !variable.isBlank()) {
            return ReplayMode.parse(variable, "The environment variable " + MODE_VARIABLE);
        }
        return settings.mode();
    }

    private static String setting(String property, String variable, String otherwise) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(variable);
        }
        return value == null || value.isBlank() ? otherwise : value;
    }

    /**
     * Returns the name a test's calls are filed under: its method (with parameters), and below it the repetition
     * or invocation, from the test's unique id after its class, such as {@code answers(String)/#2}.
     */
    static String testName(ExtensionContext context) {
        String uniqueId = context.getUniqueId();
        Matcher segment = SEGMENT.matcher(uniqueId);
        StringBuilder name = new StringBuilder();
        boolean afterClass = false;
        while (segment.find()) {
            String type = segment.group(1);
            if (type.equals("class")) {
                afterClass = true;
                continue;
            }
            if (afterClass) {
                if (name.length() > 0) {
                    name.append('/');
                }
                name.append(SIMPLE_TYPES.matcher(segment.group(2)).replaceAll(""));
            }
        }
        return name.length() == 0 ? context.getDisplayName() : name.toString();
    }

    private static OpenObservation innermostOpen(ExtensionContext context) {
        Optional<CapturedTraces> traces = TraceCapture.findCapturedTraces(context);
        if (traces.isEmpty()) {
            return null;
        }
        return traces.get().openObservations().stream()
                .max(Comparator.comparing(Observation::startTime, Comparator.nullsFirst(Comparator.naturalOrder())))
                .map(open -> new OpenObservation(open.traceId(), open.id(),
                        open.type() == ObservationType.GENERATION || open.type() == ObservationType.EMBEDDING))
                .orElse(null);
    }

    /** The proxy, closed with the class's context: the recordings are written then. */
    private static final class ProxyResource implements ExtensionContext.Store.CloseableResource {

        final LlmProxy proxy;

        ProxyResource(LlmProxy proxy) {
            this.proxy = proxy;
        }

        @Override
        public void close() {
            System.clearProperty(BASE_URL_PROPERTY);
            System.clearProperty(OPENAI_BASE_URL_PROPERTY);
            proxy.close();
        }
    }
}
