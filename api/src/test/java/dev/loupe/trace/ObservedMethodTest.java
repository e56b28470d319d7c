package dev.loupe.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loupe.Loupe;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Which methods both weavings observe, and how, by the one rule of {@link ObservedMethod}. */
class ObservedMethodTest {

    static class Annotated {
        @Observe(name = "lookup", type = ObservationType.TOOL)
        public String find(String query) {
            return query;
        }

        @Observe
        String packagePrivate() {
            return "";
        }

        public String notAnnotated() {
            return "";
        }
    }

    @Observe(type = ObservationType.RETRIEVER)
    static class AnnotatedType implements Comparable<AnnotatedType> {
        public List<String> search(String query) {
            return List.of(query);
        }

        @Observe(type = ObservationType.TOOL)
        public String overridden() {
            return "";
        }

        private String helper() {
            return "";
        }

        @Override
        public int compareTo(AnnotatedType other) {
            return 0;
        }
    }

    abstract static class Abstract {
        @Observe
        abstract String step();
    }

    @Test
    void anAnnotatedMethodIsObservedWithItsNameAndTypeWhateverItsVisibility() throws Exception {
        ObservedMethod find = ObservedMethod.of(Annotated.class.getMethod("find", String.class));

        assertThat(find.name()).isEqualTo("lookup");
        assertThat(find.type()).isEqualTo(ObservationType.TOOL);
        assertThat(ObservedMethod.of(Annotated.class.getDeclaredMethod("packagePrivate")).name())
                .isEqualTo("packagePrivate");
        assertThat(ObservedMethod.of(Annotated.class.getMethod("notAnnotated"))).isNull();
    }

    @Test
    void anAnnotatedTypeObservesItsPublicMethodsWithItsTypeUnlessTheMethodSaysOtherwise() throws Exception {
        ObservedMethod search = ObservedMethod.of(AnnotatedType.class.getMethod("search", String.class));

        assertThat(search.name()).isEqualTo("search");
        assertThat(search.type()).isEqualTo(ObservationType.RETRIEVER);
        assertThat(ObservedMethod.of(AnnotatedType.class.getMethod("overridden")).type())
                .isEqualTo(ObservationType.TOOL);
        assertThat(ObservedMethod.isObserved(AnnotatedType.class.getDeclaredMethod("helper"))).isFalse();
    }

    @Test
    void bridgeAndAbstractMethodsAreNotObserved() throws Exception {
        assertThat(ObservedMethod.isObserved(AnnotatedType.class.getMethod("compareTo", AnnotatedType.class)))
                .isTrue();
        assertThat(ObservedMethod.isObserved(AnnotatedType.class.getMethod("compareTo", Object.class)))
                .as("the bridge the compiler adds").isFalse();
        assertThat(ObservedMethod.isObserved(Abstract.class.getDeclaredMethod("step"))).isFalse();
    }

    @Test
    void bytecodeWeavingsFindAMethodByItsNameAndDescriptor() throws Exception {
        ObservedMethod byReflection = ObservedMethod.of(AnnotatedType.class.getMethod("search", String.class));

        assertThat(ObservedMethod.of(AnnotatedType.class, "search(Ljava/lang/String;)Ljava/util/List;"))
                .isSameAs(byReflection);
        assertThat(ObservedMethod.of(AnnotatedType.class, "helper()Ljava/lang/String;")).isNull();
    }

    @Test
    void withTracingOffACallRecordsNothingAndItsResultIsReturnedUnchanged() throws Exception {
        assertThat(Loupe.tracer().isEnabled()).as("loupe-api alone: the no-op tracer").isFalse();
        ObservedMethod find = ObservedMethod.of(Annotated.class.getMethod("find", String.class));
        CompletableFuture<String> result = new CompletableFuture<>();

        ObservationHandle<?> handle = find.enter(new Object[] {"query"});

        assertThat(handle).isNull();
        assertThat(ObservedMethod.exit(handle, result, null)).isSameAs(result);
    }
}
