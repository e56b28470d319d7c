package dev.loupe.devserver;

import dev.loupe.store.StoreInbox;
import dev.loupe.store.TraceStore;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Takes in, every second, what short test runs left in the store's inbox, so that their traces show up while
 * the devserver runs (opening the store took in what was there already).
 */
record InboxWatch(ScheduledExecutorService timer) implements AutoCloseable {

    /** How often the inbox is looked at. */
    static final Duration EVERY = Duration.ofSeconds(1);

    /** Starts watching the inbox of a file store; a store held in memory has none, and nothing is watched. */
    static InboxWatch start(TraceStore store) {
        Path directory;
        try {
            directory = Path.of(store.location());
        } catch (InvalidPathException | IllegalStateException notAFileStore) {
            directory = null;
        }
        if (directory == null || !Files.isDirectory(directory)) {
            return new InboxWatch(null);
        }
        StoreInbox inbox = StoreInbox.of(directory);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "loupe-devserver-inbox");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(() -> inbox.deliverTo(store), EVERY.toMillis(), EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
        return new InboxWatch(timer);
    }

    /** Stops watching, after a delivery being taken in is written. */
    @Override
    public void close() {
        if (timer == null) {
            return;
        }
        timer.shutdown();
        try {
            timer.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
