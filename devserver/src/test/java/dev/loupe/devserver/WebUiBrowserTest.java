package dev.loupe.devserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loupe.engine.TracerBuilder;
import dev.loupe.model.Observation;
import dev.loupe.model.TestResult;
import dev.loupe.model.TestRun;
import dev.loupe.model.TestStatus;
import dev.loupe.model.Trace;
import dev.loupe.model.TraceBatch;
import dev.loupe.store.TraceStore;
import dev.loupe.trace.ObservationType;
import dev.loupe.trace.Tracer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI in headless Chromium (Debian's chromium and chromium-driver), against a real server over the demo
 * data and one hostile trace. Skipped only where the browser or its driver is not installed.
 */
class WebUiBrowserTest {

    /** Where each run leaves pictures of the trace detail page and of a test run, to look at. */
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    static final String XSS_MARKUP = "<img src=x onerror=\"window.loupeXss='img';alert('img')\">"
            + "<script>window.loupeXss='script';alert('script')</script>";
    static final String HOSTILE_RUN = "hostile-run";

    @TempDir
    static Path directory;

    static TraceStore store;
    static DevServer server;
    static HeadlessChromium chromium;
    static ChromeDriver browser;
    static WebDriverWait wait;
    static int visits;

    @BeforeAll
    static void startServerAndBrowser() {
        chromium = HeadlessChromium.start(directory.resolve("chromium-profile"));
        browser = chromium.browser;
        wait = chromium.wait;
        store = TraceStore.open(directory.resolve("store"));
        DemoData.seed(store, Instant.now());
        writeHostileTestRun(recordHostileTrace());
        server = DevServer.start(store, "127.0.0.1", 0);
    }

    @AfterAll
    static void stopBrowserAndServer() {
        if (chromium != null) {
            chromium.close();
        }
        if (server != null) {
            server.close();
        }
        if (store != null) {
            store.close();
        }
    }

    @Test
    void tracesPageListsTheRecordedTracesNewestFirst() {
        open("#/traces");

        List<WebElement> rows = waitForRows("table.traces tbody tr", 13);

        assertThat(rows.get(0).getText()).contains("checkout-agent");
        assertThat(rows.get(1).getText()).contains("support-agent", "frank@example.com");
        assertThat(headers()).contains("Time ▼", "Name", "Duration", "User", "Session", "Tags", "Obs.", "Tokens",
                "Cost", "Scores");
    }

    @Test
    void filteringByUserKeepsOnlyThatUsersTraces() {
        open("#/traces");
        waitForRows("table.traces tbody tr", 13);

        browser.findElement(By.name("userId")).sendKeys("alice@example.com");
        browser.findElement(By.cssSelector(".filters button[type=submit]")).click();

        List<WebElement> rows = waitForRows("table.traces tbody tr", 3);
        assertThat(rows).allSatisfy(row -> assertThat(row.getText()).contains("alice@example.com"));
        assertThat(browser.getCurrentUrl()).contains("userId=alice%40example.com");
    }

    @Test
    void errorsOnlyShowsTheFailedRunWithItsErrorBadge() {
        open("#/traces");
        waitForRows("table.traces tbody tr", 13);

        browser.findElement(By.name("errors")).click();
        browser.findElement(By.cssSelector(".filters button[type=submit]")).click();

        List<WebElement> rows = waitForRows("table.traces tbody tr", 1);
        assertThat(rows.get(0).getText()).contains("carol@example.net").contains("3 ERRORS");
    }

    @Test
    void sortingByDurationPutsTheSlowestTraceFirst() {
        open("#/traces");
        waitForRows("table.traces tbody tr", 13);

        browser.findElement(By.cssSelector("button[data-sort=latency]")).click();

        wait.until(ExpectedConditions.urlContains("orderBy=latency.desc"));
        wait.until(driver -> driver.findElements(By.cssSelector("table.traces tbody tr")).stream().findFirst()
                .filter(first -> first.getText().contains("carol@example.net")).isPresent());
    }

    @Test
    void openingATraceShowsItsTreeWhichExpandsOnClick() {
        openTraceOf("bob@example.org");

        WebElement retriever = observationRow("search-knowledge-base");
        assertThat(browser.findElements(rowSelector("embed-query"))).isEmpty();
        retriever.findElement(By.cssSelector("button.toggle")).click();

        wait.until(ExpectedConditions.visibilityOfElementLocated(rowSelector("embed-query")));
        assertThat(observationRow("vector-search").isDisplayed()).isTrue();
        assertThat(observationRow("search-knowledge-base").findElement(By.cssSelector("button.toggle"))
                .getAttribute("aria-expanded")).isEqualTo("true");
        assertThat(browser.findElements(By.cssSelector(".obs-timeline .bar"))).hasSizeGreaterThan(5);
    }

    @Test
    void aTraceWhoseParentsFormACycleShowsEveryObservationOnceInTheServersTree() {
        // A store of its own, so the other tests' counts stay as they are.
        try (TraceStore cyclic = TraceStore.inMemory();
                DevServer cyclicServer = DevServer.start(cyclic, "127.0.0.1", 0)) {
            CyclicTrace.writeInto(cyclic);

            browser.get(cyclicServer.url().resolve("/#/traces/" + CyclicTrace.ID).toString());

            // The failed rewrite sits three levels down: the way to it is open, so every row shows.
            List<WebElement> rows = waitForRows(".obs-row[data-observation-id]", CyclicTrace.WALK.size());
            assertThat(rows).extracting(row -> row.getAttribute("data-name"))
                    .containsExactlyElementsOf(CyclicTrace.WALK);
            assertThat(rows).extracting(row -> row.findElement(By.cssSelector(".indent")).getCssValue("width"))
                    .containsExactly("0px", "16px", "32px", "48px", "0px", "0px");
        }
    }

    @Test
    void theSearchBoxFindsTracesByTextInAnObservationAndLinksToWhereItWasFound() {
        open("#/traces");
        waitForRows("table.traces tbody tr", 13);

        browser.findElement(By.name("search")).sendKeys("\"RF-55810\"");
        browser.findElement(By.cssSelector(".filters button[type=submit]")).click();

        List<WebElement> rows = waitForRows("table.traces tbody tr", 1);
        assertThat(rows.get(0).getText()).contains("alice@example.com");
        assertThat(rows.get(0).findElements(By.cssSelector(".found-in a.found-observation")))
                .extracting(WebElement::getText).contains("issue_refund");
        assertThat(browser.getCurrentUrl()).contains("search=%22RF-55810%22");

        rows.get(0).findElement(By.xpath(".//a[contains(@class,'found-observation') and text()='issue_refund']"))
                .click();

        WebElement tool = observationRow("issue_refund");
        wait.until(driver -> tool.getAttribute("class").contains("is-selected"));
        assertThat(tool.getAttribute("class")).contains("is-match");
        assertThat(browser.findElement(By.cssSelector("input[name=find]")).getAttribute("value"))
                .isEqualTo("\"RF-55810\"");
        assertThat(browser.findElement(By.cssSelector("#details .detail-name")).getText()).isEqualTo("issue_refund");
    }

    @Test
    void findInATraceOfThousandsOfObservationsShowsOnlyTheMatchesAndTheWayDownToThem() {
        // A store of its own, so the other tests' counts stay as they are.
        try (TraceStore big = TraceStore.inMemory();
                DevServer bigServer = DevServer.start(big, "127.0.0.1", 0)) {
            int steps = 2_000;
            writeTraceWithManySteps(big, steps, List.of(7, 1_234, 1_999));
            browser.get(bigServer.url().resolve("/#/traces/big-trace").toString());
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".obs-row[data-observation-id]")));

            browser.findElement(By.cssSelector("input[name=find]")).sendKeys("timeout");
            browser.findElement(By.cssSelector(".find-bar button[type=submit]")).click();

            List<WebElement> matches = waitForRows(".obs-row.is-match", 3);
            assertThat(matches).extracting(row -> row.getAttribute("data-name"))
                    .containsExactly("step-7", "step-1234", "step-1999");
            assertThat(browser.findElements(By.cssSelector(".obs-row[data-observation-id]")))
                    .as("the matches and the root above them").hasSize(4);
            assertThat(browser.findElement(By.cssSelector(".find-result")).getText())
                    .isEqualTo("3 of 2,001 observations match");
            assertThat(browser.getCurrentUrl()).contains("find=timeout");

            browser.findElement(By.cssSelector("button.clear-find")).click();

            wait.until(driver -> driver.findElements(By.cssSelector(".obs-row.is-match")).isEmpty());
            assertThat(browser.findElements(By.cssSelector(".obs-row[data-observation-id]"))).hasSize(steps + 1);
        }
    }

    @Test
    void selectingAGenerationShowsItsMessagesModelAndUsage() throws IOException {
        openTraceOf("bob@example.org");

        observationRow("compose-answer").click();

        WebElement details = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#details .msg[data-role=user]"))).findElement(By.xpath("ancestor::aside"));
        assertThat(details.findElements(By.cssSelector(".msg"))).extracting(message -> message.getAttribute("data-role"))
                .containsExactly("system", "system", "user", "assistant");
        assertThat(details.findElement(By.cssSelector(".msg[data-role=user] .msg-text")).getText())
                .isEqualTo("Where is my package? The tracking page hasn't changed in four days.");
        assertThat(details.getText()).contains("gpt-4o-mini", "support-answer v3", "temperature", "1,460");
        // the cost by kind of token: 436 plain input tokens at $0.15 and 1,024 cached ones at $0.075 per million
        assertThat(details.findElements(By.cssSelector("table.usage tbody tr"))).extracting(WebElement::getText)
                .containsExactly("Input 1,460 $0.000142", "cached input (read) 1,024 $0.0000768",
                        "Output 88 $0.0000528", "Total 1,548 $0.000195");
        assertThat(details.findElement(By.cssSelector("table.usage tr[data-kind=cached_input]")).getAttribute("class"))
                .isEqualTo("part");
        saveScreenshot("trace-detail.png");
    }

    @Test
    void aFailedRunHighlightsEachFailedObservationAndItsMessage() {
        openTraceOf("carol@example.net");

        List<WebElement> failed = browser.findElements(By.cssSelector(".obs-row.is-error"));
        assertThat(failed).extracting(row -> row.getAttribute("data-name"))
                .containsExactly("support-agent", "lookup_invoices", "lookup_invoices");
        failed.get(1).click();

        WebElement status = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#details .status-message")));
        assertThat(status.getText()).isEqualTo("ERROR billing-api did not answer within 5000 ms");
    }

    @Test
    void aSessionReadsAsAConversationInOrder() {
        open("#/sessions");
        wait.until(ExpectedConditions.elementToBeClickable(
                By.cssSelector("tr[data-session-id='chat-7f3a9c-alice'] a"))).click();

        List<WebElement> turns = waitForRows("ol.turns > li", 3);

        assertThat(turns).extracting(turn -> turn.findElement(By.cssSelector(".msg[data-role=user] .msg-text"))
                .getText()).containsExactly(
                        "Hi! My order A-1042 arrived and the tent pole is snapped in two. Can I get a refund?",
                        "Done, I've attached the photo.",
                        "Great, thanks! How long until the money is back on my card?");
        assertThat(browser.findElement(By.cssSelector(".trace-head")).getText()).contains("resolved", "true");
    }

    @Test
    void testRunsPageListsTheRunsNewestFirstWithARedBadgeWhereATestFailed() {
        open("#/test-runs");

        List<WebElement> rows = waitForRows("table.test-runs tbody tr", 2);

        assertThat(rows.get(0).getText()).contains("fix/refund-ids", "3b9f2c41d7");
        assertThat(rows.get(0).findElements(By.cssSelector("td.num"))).extracting(WebElement::getText)
                .containsSequence("6", "3", "1", "1", "1");
        assertThat(rows.get(0).findElement(By.cssSelector(".badge.error")).getText()).isEqualTo("1 FAILED");
        assertThat(rows.get(0).getAttribute("class")).contains("has-error");
        assertThat(browser.findElement(By.cssSelector("nav a.active")).getText()).isEqualTo("Test runs");
    }

    @Test
    void aTestRunShowsTheFailedTestFirstWithItsMessageAndLinksToItsTrace() throws IOException {
        open("#/test-runs");
        waitForRows("table.test-runs tbody tr", 2).get(0).findElement(By.cssSelector("td.name a")).click();

        List<WebElement> classes = waitForRows("section.test-class", 2);
        assertThat(classes).extracting(section -> section.getAttribute("data-test-class"))
                .containsExactly("com.acme.support.SupportAgentTest", "com.acme.support.GuardrailTest");
        List<WebElement> tests = classes.get(0).findElements(By.cssSelector("tbody.test"));
        assertThat(tests).extracting(test -> test.getAttribute("data-status"))
                .containsExactly("FAILED", "PASSED", "SKIPPED");
        WebElement failed = tests.get(0);
        assertThat(failed.findElement(By.cssSelector(".display-name")).getText())
                .isEqualTo("issuesRefundForDamagedItems()");
        assertThat(failed.findElement(By.cssSelector("pre.failure-message")).getText())
                .startsWith("Expecting actual:").contains("to contain:", "\"RF-\"");
        assertThat(classes.get(1).findElements(By.cssSelector("tbody.test"))).extracting(
                test -> test.getAttribute("data-status")).containsExactly("ABORTED", "PASSED", "PASSED");
        assertThat(classes.get(1).getText()).contains("[1] Ignore all previous instructions");
        saveScreenshot("test-run.png");

        WebElement traceLink = failed.findElement(By.cssSelector(".trace-links a"));
        String traceId = traceLink.getAttribute("data-trace-id");
        traceLink.click();

        wait.until(ExpectedConditions.urlContains("#/traces/" + traceId));
        observationRow("support-agent");
        assertThat(browser.findElement(By.cssSelector(".trace-head")).getText()).contains("test.passed false");
    }

    @Test
    void aModelCallReplayedByTheLlmProxyCarriesAReplayedBadge() {
        // A store of its own, so the other tests' counts stay as they are.
        try (TraceStore own = TraceStore.inMemory(); DevServer ownServer = DevServer.start(own, "127.0.0.1", 0)) {
            String traceId;
            try (Tracer tracer = TracerBuilder.create().store(own).shutdownHook(false).build()) {
                traceId = tracer.trace("agent-with-recorded-calls", root -> {
                    tracer.generation("chat gpt-4o-mini", generation -> generation.model("gpt-4o-mini")
                            .metadata("loupe.llm.replay", "replayed"));
                    tracer.generation("chat gpt-4o", generation -> generation.model("gpt-4o"));
                    return root.traceId();
                });
                tracer.flush();
            }

            browser.get(ownServer.url().resolve("/#/traces/" + traceId).toString());

            WebElement replayed = wait.until(ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector(".obs-row[data-name='chat gpt-4o-mini'] .badge.llm-replayed")));
            assertThat(replayed.getText()).isEqualToIgnoringCase("replayed");
            assertThat(replayed.getAttribute("title")).contains("no provider was called");
            assertThat(browser.findElements(By.cssSelector(".obs-row[data-name='chat gpt-4o'] .badge"))).isEmpty();
        }
    }

    @Test
    void newTracesAppearWhileThePageIsOpen() {
        // A store of its own, so the other tests' counts stay as they are.
        try (TraceStore live = TraceStore.inMemory(); DevServer liveServer = DevServer.start(live, "127.0.0.1", 0)) {
            browser.get(liveServer.url().resolve("/#/traces").toString());
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".results"),
                    "No traces yet."));

            try (Tracer tracer = TracerBuilder.create().store(live).shutdownHook(false).build()) {
                tracer.trace("arrives-later", () -> { });
                tracer.flush();
            }

            assertThat(waitForRows("table.traces tbody tr", 1).get(0).getText()).contains("arrives-later");
        }
    }

    @Test
    void newTestRunsAppearWhileThePageIsOpen() {
        // A store of its own, so the other tests' runs stay as they are.
        try (TraceStore live = TraceStore.inMemory(); DevServer liveServer = DevServer.start(live, "127.0.0.1", 0)) {
            browser.get(liveServer.url().resolve("/#/test-runs").toString());
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".results"),
                    "No test runs yet."));

            live.testRuns().writeRun(new TestRun("arrives-later", Instant.now(), null, null, "main", 0, 0, 0, 0));

            WebElement row = waitForRows("table.test-runs tbody tr", 1).get(0);
            assertThat(row.getText()).contains("main", "running");
        }
    }

    @Test
    void storedMarkupIsShownAsTextAndRunsNothing() {
        open("#/traces?name=checkout-agent");
        WebElement row = waitForRows("table.traces tbody tr", 1).get(0);
        assertThat(row.getText()).contains("mallory-<b>bold</b>");

        row.findElement(By.cssSelector("td.name a")).click();
        observationRow(XSS_MARKUP).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#details .msg[data-role=user]")));

        assertThat(browser.findElement(By.id("details")).getText()).contains(XSS_MARKUP);
        open("#/sessions/s-" + "%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("ol.turns"), XSS_MARKUP));

        assertThatThrownBy(() -> browser.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        assertThat(((JavascriptExecutor) browser).executeScript("return window.loupeXss === undefined")).isEqualTo(true);
        assertThat(browser.findElements(By.cssSelector("#view img, #view script"))).isEmpty();
        assertThat(browser.findElements(By.xpath("//b[text()='bold']"))).isEmpty();
    }

    @Test
    void markupStoredInATestRunIsShownAsTextAndRunsNothing() {
        open("#/test-runs");
        WebElement row = waitForRows("table.test-runs tbody tr", 2).get(1);
        assertThat(row.findElement(By.cssSelector("td.branch")).getText()).isEqualTo(XSS_MARKUP);

        row.findElement(By.cssSelector("td.name a")).click();
        WebElement message = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("pre.failure-message")));

        assertThat(message.getText()).isEqualTo(XSS_MARKUP);
        assertThat(browser.findElement(By.cssSelector("section.test-class .display-name")).getText())
                .isEqualTo(XSS_MARKUP);
        assertThat(browser.findElement(By.cssSelector(".trace-head")).getText()).contains(XSS_MARKUP);
        assertThatThrownBy(() -> browser.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        assertThat(((JavascriptExecutor) browser).executeScript("return window.loupeXss === undefined")).isEqualTo(true);
        assertThat(browser.findElements(By.cssSelector("#view img, #view script"))).isEmpty();
    }

    // ---------------------------------------------------------------------------------------------------------

    /** A trace whose every stored text is markup that would run if the UI ever parsed data as HTML. */
    private static String recordHostileTrace() {
        try (Tracer tracer = TracerBuilder.create().store(store).shutdownHook(false).build()) {
            String id = tracer.trace("checkout-agent", root -> {
                root.userId("mallory-<b>bold</b>").sessionId("s-<img src=x onerror=alert(1)>")
                        .tags("<img src=x onerror=alert(2)>").input(XSS_MARKUP)
                        .traceMetadata("note", XSS_MARKUP);
                tracer.generation(XSS_MARKUP, generation -> {
                    generation.model("<script>alert(3)</script>")
                            .input(List.of(Map.of("role", "user", "content", XSS_MARKUP),
                                    Map.of("role", "<img src=x onerror=alert(4)>", "content", XSS_MARKUP)))
                            .output(Map.of("role", "assistant", "content", XSS_MARKUP))
                            .metadata(XSS_MARKUP, XSS_MARKUP);
                    return null;
                });
                root.score(XSS_MARKUP, XSS_MARKUP, XSS_MARKUP);
                root.output(XSS_MARKUP);
                return root.traceId();
            });
            tracer.flush();
            return id;
        }
    }

    /** Writes a trace of a root span over many steps; the steps at the given indexes time out. */
    private static void writeTraceWithManySteps(TraceStore target, int steps, List<Integer> timingOut) {
        Instant start = Instant.now().minus(Duration.ofHours(1));
        List<Observation> observations = new ArrayList<>();
        observations.add(Observation.builder("root", "big-trace").type(ObservationType.AGENT)
                .name("batch-agent").startTime(start).endTime(start.plusSeconds(steps)).build());
        for (int i = 0; i < steps; i++) {
            observations.add(Observation.builder("step-" + i, "big-trace")
                    .parentObservationId("root").type(ObservationType.TOOL).name("step-" + i)
                    .startTime(start.plusSeconds(i)).endTime(start.plusSeconds(i).plusMillis(500))
                    .input("{\"item\":" + i + "}")
                    .statusMessage(timingOut.contains(i) ? "Timeout after 30 s" : "done").build());
        }
        target.write(new TraceBatch(List.of(Trace.builder("big-trace")
                .name("nightly-batch").timestamp(start).build()), observations, List.of()));
    }

    /** A test run, two days old, whose every stored text is markup, with a failed test of the hostile trace. */
    private static void writeHostileTestRun(String traceId) {
        Instant start = Instant.now().minus(Duration.ofDays(2));
        store.testRuns().writeRun(new TestRun(HOSTILE_RUN, start, start.plusSeconds(1), XSS_MARKUP, XSS_MARKUP,
                0, 1, 0, 0));
        store.testRuns().writeResults(List.of(new TestResult("hostile-result", HOSTILE_RUN, XSS_MARKUP, XSS_MARKUP,
                XSS_MARKUP, XSS_MARKUP, XSS_MARKUP, List.of(XSS_MARKUP), TestStatus.FAILED, start,
                Duration.ofMillis(5), XSS_MARKUP, List.of(traceId))));
    }

    private static void open(String hash) {
        // A new query string makes every visit a fresh page load, so no test sees another's state.
        browser.get(server.url().resolve("/?visit=" + ++visits + hash).toString());
    }

    private static void openTraceOf(String userId) {
        open("#/traces?userId=" + userId.replace("@", "%40"));
        waitForRows("table.traces tbody tr", 1).get(0).findElement(By.cssSelector("td.name a")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".obs-row[data-observation-id]")));
    }

    private static List<WebElement> waitForRows(String selector, int count) {
        return wait.until(driver -> {
            List<WebElement> rows = driver.findElements(By.cssSelector(selector));
            return rows.size() == count ? rows : null;
        });
    }

    private static By rowSelector(String name) {
        return By.xpath("//div[contains(@class,'obs-row') and @data-name=" + xpathLiteral(name) + "]");
    }

    private static WebElement observationRow(String name) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(rowSelector(name)));
    }

    private static String xpathLiteral(String text) {
        if (!text.contains("'")) {
            return "'" + text + "'";
        }
        return "concat('" + text.replace("'", "', \"'\", '") + "')";
    }

    private static List<String> headers() {
        return browser.findElements(By.cssSelector("table.traces thead th")).stream().map(WebElement::getText).toList();
    }

    private static void saveScreenshot(String name) throws IOException {
        Path picture = browser.getScreenshotAs(OutputType.FILE).toPath();
        Files.createDirectories(SCREENSHOTS);
        Files.copy(picture, SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
}
