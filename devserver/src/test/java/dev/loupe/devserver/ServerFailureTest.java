package dev.loupe.devserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loupe.store.TraceStore;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;

/** A request that fails inside the devserver answers 500 with the documented JSON, naming the failure. */
class ServerFailureTest {

    @Test
    void answersAnExceptionFromTheStoreWith500NamingIt() {
        try (DevServer server = DevServer.start(storeFailingWith(new IllegalStateException("the disk is full")),
                "127.0.0.1", 0)) {
            ApiClient.Response response = new ApiClient(server.url()).get("/api/public/traces");

            assertThat(response.status()).isEqualTo(500);
            assertThat(response.message()).isEqualTo("The devserver failed to answer: IllegalStateException: "
                    + "the disk is full. The devserver's log has the details.");
        }
    }

    @Test
    void answersAnErrorFromTheStoreWith500AsJsonToo() {
        try (DevServer server = DevServer.start(storeFailingWith(new StackOverflowError()), "127.0.0.1", 0)) {
            ApiClient.Response response = new ApiClient(server.url()).get("/api/public/traces/some-trace");

            assertThat(response.status()).isEqualTo(500);
            assertThat(response.message()).isEqualTo("The devserver failed to answer: StackOverflowError. "
                    + "The devserver's log has the details.");
        }
    }

    /** Returns a store held in memory whose every query throws this failure. */
    private static TraceStore storeFailingWith(Throwable failure) {
        return (TraceStore) Proxy.newProxyInstance(TraceStore.class.getClassLoader(),
                new Class<?>[] {TraceStore.class}, (proxy, method, arguments) -> {
                    if (method.getName().equals("location")) {
                        return "memory:failing-store";
                    }
                    throw failure;
                });
    }
}
