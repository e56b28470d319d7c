package dev.loupe.junit;

import dev.loupe.model.Observation;
import dev.loupe.model.Score;
import dev.loupe.model.TestResult;
import dev.loupe.model.TestStatus;
import dev.loupe.model.TraceTree;
import dev.loupe.trace.Scope;
import dev.loupe.trace.TraceContext;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.DynamicTestInvocationContext;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;
import org.junit.jupiter.api.extension.TestWatcher;
import org.opentest4j.TestAbortedException;

/**
 * A JUnit Jupiter extension that captures each test's traces: {@code @ExtendWith(TraceCapture.class)}, or
 * {@link CaptureTraces @CaptureTraces} with settings, or {@code @RegisterExtension} with {@link #builder()}.
 *
 * <p>While a test's lifecycle methods and the test itself run, the test's capture is carried in the
 * {@link TraceContext}; traces begun there, or on threads that carry that context, belong to the test and are
 * available through {@link CapturedTraces}. {@code @BeforeEach} traces belong to the test that follows,
 * {@code @BeforeAll} ones to the class. Application code needs no change: it uses {@code Loupe.tracer()}.
 *
 * <p>With {@code @CaptureTraces(installAgent = true)} (or {@code loupe.junit.installAgent=true}) the extension
 * installs the Loupe agent before the class's tests run, so that {@code @Observe} methods of any class are traced.
 *
 * <p>When a test fails, its trace trees are printed next to the failure. With persistence on (the default), each
 * test's traces, a {@code test.passed} score on each of them and a test result are written to the test store
 * ({@code target/loupe}), and the end of the run says where they are.
 */
public final class TraceCapture implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, TestWatcher, InvocationInterceptor, ParameterResolver, TestInstancePostProcessor {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TraceCapture.class);
    private static final String SETTINGS = "settings";
    private static final String CAPTURE = "capture:";

    private final CaptureSettings.Overrides overrides;

    /** Creates the extension with settings from {@link CaptureTraces} and the configuration parameters. */
    public TraceCapture() {
        this(CaptureSettings.Overrides.NONE);
    }

    private TraceCapture(CaptureSettings.Overrides overrides) {
        this.overrides = overrides;
    }

    /** Returns a builder for {@code @RegisterExtension static TraceCapture capture = TraceCapture.builder()...}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the traces captured in an extension context: a test's, or a class's for its class-level lifecycle
     * methods. For other extensions, such as a budget check after each test, whose callbacks run without the test's
     * context on the thread.
     */
    public static CapturedTraces capturedTraces(ExtensionContext context) {
        return new TraceCapture().captureOf(context);
    }

    /**
     * Returns the traces captured for a test (or class) if TraceCapture captures it, or empty when it is not
     * registered there. Unlike {@link #capturedTraces}, it never starts a capture of its own.
     */
    public static Optional<CapturedTraces> findCapturedTraces(ExtensionContext context) {
        return existing(context).map(resource -> resource.capture);
    }

    /**
     * Returns the trace context that attributes work to a test (or to a class, for its class-level lifecycle
     * methods): the current context with the test's capture added, or empty when TraceCapture does not capture it.
     * Traces begun while it is current, on any thread, belong to that test. For other extensions that do work for a
     * test on their own threads, such as a server that answers the test's requests.
     */
    public static Optional<TraceContext> testContext(ExtensionContext context) {
        return existing(context).map(resource -> TraceContext.current().with(CaptureRouter.CAPTURE,
                resource.capture));
    }

    private static Optional<CaptureResource> existing(ExtensionContext context) {
        return Optional.ofNullable(context.getStore(NAMESPACE).get(CAPTURE + context.getUniqueId(),
                CaptureResource.class));
    }

    // ------------------------------------------------------------------------------------------------------------
    // Lifecycle

    @Override
    public void beforeAll(ExtensionContext context) {
        CaptureSettings settings = settings(context);
        if (settings.installAgent()) {
            AgentInstallation.install(context.getRequiredTestClass());
        }
        if (settings.persist()) {
            recorder(context).prepare(settings.store());
        }
        captureOf(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (settings(context).installAgent()) {
            // here too: an extension registered on an instance field gets no beforeAll
            AgentInstallation.install(context.getRequiredTestClass());
        }
        router().running(captureOf(context));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (context.getTestMethod().map(method -> method.isAnnotationPresent(TestFactory.class)).orElse(false)) {
            // A test factory is a container: its dynamic tests are recorded one by one; its own traces are kept.
            resource(context).finish(null);
            return;
        }
        finished(context, captureOf(context), context.getExecutionException().orElse(null));
    }

    /** Prints the trees of a failed test and hands its capture and result to the recorder. */
    private void finished(ExtensionContext context, TestCapture capture, Throwable failure) {
        TestStatus status = failure == null ? TestStatus.PASSED
                : failure instanceof TestAbortedException ? TestStatus.ABORTED : TestStatus.FAILED;
        CaptureSettings settings = settings(context);
        if (status == TestStatus.FAILED && settings.onFailure() != FailureOutput.NONE) {
            printTrees(capture, settings.onFailure(), System.err);
        }
        resource(context).finish(result(context, capture, status, failure));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        resource(context).finish(null);
    }

    @Override
    public void testDisabled(ExtensionContext context, Optional<String> reason) {
        CaptureSettings settings = settings(context);
        recorder(context).skipped(settings, new TestResult(UUID.randomUUID().toString(), recorder(context).runId(),
                context.getUniqueId(), context.getRequiredTestClass().getName(),
                context.getTestMethod().map(Method::getName).orElse(null), context.getDisplayName(), null,
                List.copyOf(context.getTags()), TestStatus.SKIPPED, Instant.now().truncatedTo(ChronoUnit.MICROS),
                Duration.ZERO, reason.orElse(null), List.of()));
    }

    private TestResult result(ExtensionContext context, TestCapture capture, TestStatus status, Throwable failure) {
        CaptureResource resource = resource(context);
        return new TestResult(UUID.randomUUID().toString(), recorder(context).runId(), context.getUniqueId(),
                context.getTestClass().map(Class::getName).orElse(null),
                context.getTestMethod().map(Method::getName).orElse(null), context.getDisplayName(),
                resource.parameters, List.copyOf(context.getTags()), status, resource.start,
                TestRunRecorder.since(resource.start), failure == null ? null : String.valueOf(failure.getMessage()),
                capture.traceIds());
    }

    private static void printTrees(TestCapture capture, FailureOutput output, PrintStream out) {
        List<TraceTree> trees = capture.all();
        StringBuilder text = new StringBuilder("Loupe: ").append(capture.displayName()).append(" failed; it captured ")
                .append(trees.size()).append(trees.size() == 1 ? " trace:" : " traces:");
        for (TraceTree tree : trees) {
            text.append('\n').append(TestCapture.indent(tree.render()));
            if (output == FailureOutput.TREE_WITH_PAYLOADS) {
                for (Observation observation : tree.walk()) {
                    if (observation.isError() || observation.equals(tree.root())) {
                        text.append("\n  ").append(tree.path(observation)).append("\n    input:  ")
                                .append(observation.input()).append("\n    output: ").append(observation.output());
                    }
                }
            }
        }
        out.println(text);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Carrying the capture into every invocation

    private <T> T proceedCapturing(Invocation<T> invocation, ExtensionContext context) throws Throwable {
        TestCapture capture = captureOf(context);
        try (Scope ignored = TraceContext.current().with(CaptureRouter.CAPTURE, capture).makeCurrent()) {
            return invocation.proceed();
        }
    }

    @Override
    public <T> T interceptTestClassConstructor(Invocation<T> invocation,
            ReflectiveInvocationContext<Constructor<T>> invocationContext, ExtensionContext context) throws Throwable {
        return proceedCapturing(invocation, context);
    }

    @Override
    public void interceptBeforeAllMethod(Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
        proceedCapturing(invocation, context);
    }

    @Override
    public void interceptBeforeEachMethod(Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
        proceedCapturing(invocation, context);
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext context) throws Throwable {
        proceedCapturing(invocation, context);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
        List<Object> arguments = invocationContext.getArguments();
        if (!arguments.isEmpty()) {
            resource(context).parameters = arguments.stream().map(TraceCapture::describe)
                    .collect(Collectors.joining(", "));
        }
        proceedCapturing(invocation, context);
    }

    @Override
    public <T> T interceptTestFactoryMethod(Invocation<T> invocation,
            ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
        return proceedCapturing(invocation, context);
    }

    /**
     * Runs a dynamic test with its own capture. No afterEach callback runs for dynamic tests, so its outcome is taken
     * here, from what the invocation throws, and recorded like a test method's.
     */
    @Override
    public void interceptDynamicTest(Invocation<Void> invocation, DynamicTestInvocationContext invocationContext,
            ExtensionContext context) throws Throwable {
        TestCapture capture = captureOf(context);
        router().running(capture);
        Throwable failure = null;
        try {
            proceedCapturing(invocation, context);
        } catch (Throwable thrown) {
            failure = thrown;
            throw thrown;
        } finally {
            finished(context, capture, failure);
        }
    }

    @Override
    public void interceptAfterEachMethod(Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
        proceedCapturing(invocation, context);
    }

    @Override
    public void interceptAfterAllMethod(Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
        proceedCapturing(invocation, context);
    }

    private static String describe(Object argument) {
        if (argument instanceof Object[] array) {
            return Arrays.deepToString(array);
        }
        return String.valueOf(argument);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Giving tests their CapturedTraces

    /** Supports parameters of type {@link CapturedTraces}. */
    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == CapturedTraces.class;
    }

    /** Returns the traces of the test (or, in {@code @BeforeAll} and {@code @AfterAll}, of the class). */
    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return captureOf(extensionContext);
    }

    /**
     * Sets fields of type {@link CapturedTraces} that are still null to a view of the traces of whichever test runs
     * on the calling thread, which stays right when one instance serves several tests, in parallel too.
     */
    @Override
    public void postProcessTestInstance(Object testInstance, ExtensionContext context) throws IllegalAccessException {
        for (Class<?> type = testInstance.getClass(); type != null && type != Object.class;
                type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (field.getType() == CapturedTraces.class && !Modifier.isStatic(field.getModifiers())) {
                    if (Modifier.isFinal(field.getModifiers())) {
                        throw new ExtensionConfigurationException("Field " + type.getSimpleName() + "." + field.getName()
                                + " of type CapturedTraces is final: TraceCapture cannot set it; remove 'final'");
                    }
                    field.setAccessible(true);
                    if (field.get(testInstance) == null) {
                        field.set(testInstance, CurrentTestTraces.INSTANCE);
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Per-context state, in the ExtensionContext.Store

    private CaptureSettings settings(ExtensionContext context) {
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(SETTINGS,
                key -> CaptureSettings.resolve(context, overrides), CaptureSettings.class);
    }

    private static CaptureRouter router() {
        return CaptureRouter.get();
    }

    private static TestRunRecorder recorder(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(TestRunRecorder.class,
                key -> new TestRunRecorder(router()), TestRunRecorder.class);
    }

    private TestCapture captureOf(ExtensionContext context) {
        return resource(context).capture;
    }

    /** Each context has its own capture; keys carry the unique id because stores see their parents' values. */
    private CaptureResource resource(ExtensionContext context) {
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(CAPTURE + context.getUniqueId(),
                key -> new CaptureResource(new TestCapture(router(), context.getDisplayName(), context.getUniqueId()),
                        settings(context), recorder(context)),
                CaptureResource.class);
    }

    /** A capture and its bookkeeping; closed by JUnit with its context, which hands it to the recorder. */
    private static final class CaptureResource implements AutoCloseable {
        final TestCapture capture;
        final CaptureSettings settings;
        final TestRunRecorder recorder;
        final Instant start = Instant.now().truncatedTo(ChronoUnit.MICROS);
        volatile String parameters;
        private boolean finished;

        CaptureResource(TestCapture capture, CaptureSettings settings, TestRunRecorder recorder) {
            this.capture = capture;
            this.settings = settings;
            this.recorder = recorder;
        }

        synchronized void finish(TestResult result) {
            if (!finished) {
                finished = true;
                CaptureRouter.get().stopped(capture);
                recorder.finished(capture, settings, result);
            }
        }

        @Override
        public void close() {
            finish(null);
        }
    }

    /** The {@link CapturedTraces} of whichever test runs on the calling thread, for injected fields. */
    private enum CurrentTestTraces implements CapturedTraces {
        INSTANCE;

        @Override
        public List<TraceTree> all() {
            return CapturedTraces.current().all();
        }

        @Override
        public TraceTree single() {
            return CapturedTraces.current().single();
        }

        @Override
        public TraceTree single(String name) {
            return CapturedTraces.current().single(name);
        }

        @Override
        public List<TraceTree> named(String name) {
            return CapturedTraces.current().named(name);
        }

        @Override
        public int count() {
            return CapturedTraces.current().count();
        }

        @Override
        public List<String> names() {
            return CapturedTraces.current().names();
        }

        @Override
        public List<Observation> openObservations() {
            return CapturedTraces.current().openObservations();
        }

        @Override
        public List<Score> sessionScores() {
            return CapturedTraces.current().sessionScores();
        }

        @Override
        public List<TraceTree> awaitAtLeast(int traces, Duration timeout) {
            return CapturedTraces.current().awaitAtLeast(traces, timeout);
        }

        @Override
        public List<TraceTree> awaitCompleted(Duration timeout) {
            return CapturedTraces.current().awaitCompleted(timeout);
        }
    }

    /** Configures a {@link TraceCapture} for {@code @RegisterExtension}; unset values fall back as usual. */
    public static final class Builder {
        private Path store;
        private Boolean persist;
        private FailureOutput onFailure;
        private Boolean installAgent;

        private Builder() {
        }

        /** Sets the directory of the test store. */
        public Builder store(Path directory) {
            this.store = Objects.requireNonNull(directory, "store");
            return this;
        }

        /** Sets whether test runs and their traces are written to the test store. */
        public Builder persist(boolean write) {
            this.persist = write;
            return this;
        }

        /** Sets what is printed when a test fails. */
        public Builder onFailure(FailureOutput output) {
            this.onFailure = Objects.requireNonNull(output, "onFailure");
            return this;
        }

        /**
         * Sets whether the Loupe agent ({@code dev.loupe:loupe-agent} on the test class path) is installed into the
         * test JVM, so that the {@code @Observe} methods of any class are traced.
         */
        public Builder installAgent(boolean install) {
            this.installAgent = install;
            return this;
        }

        /** Returns the extension. */
        public TraceCapture build() {
            return new TraceCapture(new CaptureSettings.Overrides(store, persist, onFailure, installAgent));
        }
    }
}
