package dev.loupe.devserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loupe.store.TraceStore;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** The comparison pages in a real browser, reached through the links on a test run's and a test trace's pages. */
class ComparisonBrowserTest {

    @TempDir
    static Path directory;

    static TraceStore store;
    static DevServer server;
    static HeadlessChromium chromium;

    @BeforeAll
    static void startServerAndBrowser() {
        chromium = HeadlessChromium.start(directory.resolve("chromium-profile"));
        store = TraceStore.inMemory();
        SampleComparisons.recordInto(store);
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

    private static void open(String hash) {
        chromium.browser.get(server.url().resolve("/" + hash).toString());
    }

    @Test
    void aTestRunLinksToTheComparisonWithThePreviousRunOnItsBranchWhichListsTheChangedTests() {
        open("#/test-runs/" + SampleComparisons.LATER_RUN);
        chromium.wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("a.compare-link"))).click();

        List<WebElement> rows = chromium.wait.until(driver -> {
            List<WebElement> found = driver.findElements(By.cssSelector("table.tests-changed tbody tr"));
            return found.size() == 2 ? found : null;
        });
        assertThat(chromium.browser.findElement(By.cssSelector(".comparison-sides")).getText())
                .contains("main", "aaaa1111", "bbbb2222");
        WebElement shipping = rows.stream().filter(row -> row.getText().contains("answersShipping()")).findFirst()
                .orElseThrow();
        assertThat(shipping.findElements(By.cssSelector(".badge.status")))
                .extracting(badge -> badge.getText().toLowerCase(Locale.ROOT))
                .containsExactly("passed", "failed");
        WebElement refunds = rows.stream().filter(row -> row.getText().contains("answersRefunds()")).findFirst()
                .orElseThrow();
        assertThat(refunds.getText()).contains("+60").containsIgnoringCase("changed");

        refunds.findElement(By.cssSelector("a.compare-traces")).click();
        chromium.wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("table.comparison tr.change")));
        assertThat(chromium.browser.getCurrentUrl()).contains("#/compare/traces?before=");
    }

    @Test
    void aTestsTraceLinksToItsComparisonWithTheSameTestsTraceInThePreviousRun() {
        open("#/traces/" + URLEncoder.encode(SampleComparisons.traceId(SampleComparisons.LATER_RUN,
                "answersRefunds"), StandardCharsets.UTF_8));
        chromium.wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("a.compare-link"))).click();

        List<WebElement> changes = chromium.wait.until(driver -> {
            List<WebElement> found = driver.findElements(By.cssSelector("table.comparison tr.change"));
            return found.size() == 2 ? found : null;
        });
        assertThat(changes.get(0).getAttribute("class")).contains("change-changed");
        assertThat(changes.get(0).getText()).contains("answer", "model", "gpt-4o-mini", "gpt-4o");
        assertThat(changes.get(1).getAttribute("class")).contains("change-added");
        assertThat(changes.get(1).getText()).contains("search_orders");
        assertThat(chromium.browser.findElement(By.cssSelector("[data-delta=tokens] dd")).getText()).isEqualTo("+60");
        assertThat(chromium.browser.findElement(By.cssSelector("[data-delta=shape] dd")).getText())
                .isEqualTo("changed");
    }

    @Test
    void aComparisonWithoutAnEarlierCounterpartSaysWhyInsteadOfShowingAnEmptyPage() {
        open("#/compare/traces?after=" + URLEncoder.encode(SampleComparisons.traceId(SampleComparisons.EARLIER_RUN,
                "greets"), StandardCharsets.UTF_8));

        WebElement message = chromium.wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector(".notice.error[role=alert]")));
        assertThat(message.getText()).contains("has no counterpart in an earlier run");
    }
}
