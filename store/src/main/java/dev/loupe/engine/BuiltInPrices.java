package dev.loupe.engine;

import dev.loupe.engine.ModelPrices.Entry;
import dev.loupe.engine.ModelPrices.Price;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The built-in price table: list prices in US dollars per million tokens, as the providers published them on the
 * date {@link ModelPrices#pricesDate()} gives (Mistral's from its list of June 2026). OpenAI, Anthropic and Google
 * prices were checked against Langfuse's MIT-licensed {@code default-model-prices.json}. Reasoning costs what output
 * does for every model listed; where no cache price is given, cached input costs what input does. Long-context and
 * priority tiers are not modelled: the standard tier is priced.
 */
final class BuiltInPrices {

    private static final String OPENAI = "(openai/)?";
    private static final String OPENAI_DATE = "(-\\d{4}-\\d{2}-\\d{2})?";
    private static final String ANTHROPIC = "(anthropic/)?";
    private static final String ANTHROPIC_DATE = "(-\\d{8}|-latest)?";
    private static final String GOOGLE = "(google(ai)?/|models/)?";
    private static final String GOOGLE_VERSION = "(-\\d{3}|-latest)?";
    private static final String MISTRAL = "(mistral(ai)?/)?";
    private static final String MISTRAL_VERSION = "(-latest)?";
    private static final String MISTRAL_RELEASE = "(-\\d{4})?";

    private BuiltInPrices() {
    }

    static List<Entry> entries() {
        List<Entry> table = new ArrayList<>();
        // OpenAI: input, output, cached input
        openai(table, "gpt-4o", 2.50, 10.00, 1.25);
        openai(table, "gpt-4o-mini", 0.15, 0.60, 0.075);
        openai(table, "gpt-4\\.1", 2.00, 8.00, 0.50);
        openai(table, "gpt-4\\.1-mini", 0.40, 1.60, 0.10);
        openai(table, "gpt-4\\.1-nano", 0.10, 0.40, 0.025);
        openai(table, "o1", 15.00, 60.00, 7.50);
        openai(table, "o1-mini", 1.10, 4.40, 0.55);
        openai(table, "o1-pro", 150.00, 600.00, null);
        openai(table, "o3", 2.00, 8.00, 0.50);
        openai(table, "o3-mini", 1.10, 4.40, 0.55);
        openai(table, "o3-pro", 20.00, 80.00, null);
        openai(table, "o4-mini", 1.10, 4.40, 0.275);
        openai(table, "gpt-5", 1.25, 10.00, 0.125);
        openai(table, "gpt-5-mini", 0.25, 2.00, 0.025);
        openai(table, "gpt-5-nano", 0.05, 0.40, 0.005);
        openai(table, "gpt-5-pro", 15.00, 120.00, null);
        openai(table, "gpt-5-chat-latest", 1.25, 10.00, 0.125);
        openai(table, "gpt-5\\.1", 1.25, 10.00, 0.125);
        openai(table, "gpt-5\\.2", 1.75, 14.00, 0.175);
        openai(table, "gpt-5\\.2-pro", 21.00, 168.00, null);
        openai(table, "gpt-5\\.3-codex", 1.75, 14.00, 0.175);
        openai(table, "gpt-5\\.4", 2.50, 15.00, 0.25);
        openai(table, "gpt-5\\.4-pro", 30.00, 180.00, null);
        openai(table, "gpt-5\\.4-mini", 0.75, 4.50, 0.075);
        openai(table, "gpt-5\\.4-nano", 0.20, 1.25, 0.02);
        openai(table, "gpt-5\\.5", 5.00, 30.00, 0.50);
        openai(table, "gpt-5\\.5-pro", 30.00, 180.00, null);
        add(table, OPENAI + "gpt-5\\.6-sol", 5.00, 30.00, 0.50, 6.25);
        add(table, OPENAI + "gpt-5\\.6-terra", 2.00, 12.00, 0.20, 2.50);
        add(table, OPENAI + "gpt-5\\.6-luna", 0.20, 1.20, 0.02, 0.25);
        add(table, OPENAI + "text-embedding-3-small", 0.02, 0, null, null);
        add(table, OPENAI + "text-embedding-3-large", 0.13, 0, null, null);
        add(table, OPENAI + "text-embedding-ada-002(-v2)?", 0.10, 0, null, null);

        // Anthropic: input, output, cache read, cache write (5-minute cache)
        anthropic(table, "claude-3-haiku", 0.25, 1.25, null, null);
        anthropic(table, "claude-3-opus", 15.00, 75.00, 1.50, 18.75);
        anthropic(table, "claude-3-5-haiku", 0.80, 4.00, 0.08, 1.00);
        anthropic(table, "claude-(3-5|3-7|3\\.5|3\\.7)-sonnet", 3.00, 15.00, 0.30, 3.75);
        anthropic(table, "claude-sonnet-4(-5|-6)?", 3.00, 15.00, 0.30, 3.75);
        anthropic(table, "claude-opus-4(-0|-1)?", 15.00, 75.00, 1.50, 18.75);
        anthropic(table, "claude-opus-4-[5-8]", 5.00, 25.00, 0.50, 6.25);
        anthropic(table, "claude-haiku-4-5", 1.00, 5.00, 0.10, 1.25);
        anthropic(table, "claude-sonnet-5", 2.00, 10.00, 0.20, 2.50);
        anthropic(table, "claude-opus-5", 5.00, 25.00, 0.50, 6.25);
        anthropic(table, "claude-(fable|mythos)-5", 10.00, 50.00, 1.00, 12.50);

        // Google: input, output, cached input (prompts up to 200K tokens)
        google(table, "gemini-2\\.0-flash", 0.10, 0.40, null);
        google(table, "gemini-2\\.0-flash-lite(-preview(-\\d{2}-\\d{2})?)?", 0.075, 0.30, null);
        google(table, "gemini-2\\.5-pro", 1.25, 10.00, 0.125);
        google(table, "gemini-2\\.5-flash", 0.30, 2.50, 0.03);
        google(table, "gemini-2\\.5-flash-lite", 0.10, 0.40, 0.01);
        google(table, "gemini-3(\\.1)?-pro-preview", 2.00, 12.00, 0.20);
        google(table, "gemini-3-flash-preview", 0.50, 3.00, 0.05);
        google(table, "gemini-3\\.1-flash-lite(-preview)?", 0.25, 1.50, 0.025);
        google(table, "gemini-3\\.5-flash", 1.50, 9.00, 0.15);
        google(table, "gemini-3\\.5-flash-lite", 0.30, 2.50, 0.03);
        google(table, "gemini-3\\.[67]-flash", 0.75, 3.75, 0.075);

        // Mistral: input, output (no cache discount published)
        mistral(table, "mistral-large(-2512)?", 0.50, 1.50);
        mistral(table, "mistral-large-(2407|2411)", 2.00, 6.00);
        mistral(table, "mistral-medium(-3\\.5)?", 1.50, 7.50);
        mistral(table, "mistral-medium-(2505|2508)", 0.40, 2.00);
        mistral(table, "mistral-small" + MISTRAL_RELEASE, 0.10, 0.30);
        mistral(table, "magistral-medium" + MISTRAL_RELEASE, 2.00, 5.00);
        mistral(table, "magistral-small" + MISTRAL_RELEASE, 0.50, 1.50);
        mistral(table, "ministral-(3-)?3b" + MISTRAL_RELEASE, 0.10, 0.10);
        mistral(table, "ministral-(3-)?8b" + MISTRAL_RELEASE, 0.15, 0.15);
        mistral(table, "ministral-(3-)?14b" + MISTRAL_RELEASE, 0.20, 0.20);
        mistral(table, "codestral" + MISTRAL_RELEASE, 0.30, 0.90);
        mistral(table, "devstral-small" + MISTRAL_RELEASE, 0.10, 0.30);
        mistral(table, "devstral(-medium|-2)?" + MISTRAL_RELEASE, 0.40, 2.00);
        mistral(table, "mistral-embed" + MISTRAL_RELEASE, 0.10, 0);
        return table;
    }

    private static void openai(List<Entry> table, String name, double input, double output, Double cached) {
        add(table, OPENAI + name + OPENAI_DATE, input, output, cached, null);
    }

    private static void anthropic(List<Entry> table, String name, double input, double output, Double cached,
            Double write) {
        add(table, ANTHROPIC + name + ANTHROPIC_DATE, input, output, cached, write);
    }

    private static void google(List<Entry> table, String name, double input, double output, Double cached) {
        add(table, GOOGLE + name + GOOGLE_VERSION, input, output, cached, null);
    }

    private static void mistral(List<Entry> table, String name, double input, double output) {
        add(table, MISTRAL + name + MISTRAL_VERSION, input, output, null, null);
    }

    private static void add(List<Entry> table, String pattern, double input, double output, Double cached,
            Double write) {
        table.add(new Entry(Pattern.compile("(?i)" + pattern), new Price(BigDecimal.valueOf(input),
                BigDecimal.valueOf(output), cached == null ? null : BigDecimal.valueOf(cached),
                write == null ? null : BigDecimal.valueOf(write), null)));
    }
}
