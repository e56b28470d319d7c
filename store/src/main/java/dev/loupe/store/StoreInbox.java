package dev.loupe.store;

import dev.loupe.model.TestResult;
import dev.loupe.model.TestRun;
import dev.loupe.model.TraceBatch;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deliveries waiting to be written into a file store, kept in its {@code inbox} directory: for writers that must not
 * wait for the database, such as a test run of a single test, which would otherwise spend most of its time starting
 * H2. The store takes them in whenever it is opened, and the devserver while it serves it; each delivery is written
 * whole (all its records, or none) and then removed. Writes are upserts, so a delivery taken in twice (after a crash
 * between writing and removing it) changes nothing.
 */
public final class StoreInbox {

    /** The inbox's directory name inside the store's directory. */
    public static final String DIRECTORY = "inbox";

    private static final Logger LOG = LoggerFactory.getLogger(StoreInbox.class);
    private static final String READY = ".delivery";
    private static final String CLAIMED = ".taking-";
    private static final String FAILED = ".failed";
    /** A claim older than this was left by a process that died while taking the delivery in: it is taken again. */
    private static final Duration ABANDONED = Duration.ofMinutes(2);
    private static final Set<String> ALLOWED_PACKAGES = Set.of("dev.loupe.model", "dev.loupe.trace", "java.util",
            "java.time", "java.math", "java.lang");

    private final Path directory;

    private StoreInbox(Path directory) {
        this.directory = directory;
    }

    /** Returns the inbox of the file store in this directory. */
    public static StoreInbox of(Path storeDirectory) {
        return new StoreInbox(storeDirectory.toAbsolutePath().normalize().resolve(DIRECTORY));
    }

    /** Returns the directory the deliveries wait in. */
    public Path directory() {
        return directory;
    }

    /**
     * Puts a delivery in the inbox, durably: it survives the process being killed once this returns.
     *
     * @throws UncheckedIOException naming the directory when the delivery cannot be written
     */
    public void put(Delivery delivery) {
        String name = Instant.now().toEpochMilli() + "-" + UUID.randomUUID();
        Path partial = directory.resolve(name + ".partial");
        try {
            Files.createDirectories(directory);
            try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
                    OutputStream out = Channels.newOutputStream(channel);
                    ObjectOutputStream objects = new ObjectOutputStream(out)) {
                objects.writeObject(delivery);
                objects.flush();
                channel.force(true);
            }
            move(partial, directory.resolve(name + READY));
        } catch (IOException failure) {
            throw new UncheckedIOException("Cannot put a delivery in the Loupe store's inbox " + directory + ": "
                    + failure.getMessage() + ". Check that the directory is writable.", failure);
        }
    }

    /** Returns how many deliveries wait, not counting those that failed. */
    public int waiting() {
        return deliveries().size();
    }

    /**
     * Writes every waiting delivery into the store, oldest first, and removes it. A delivery another process is
     * taking in is left to it. One that cannot be read or written is renamed {@code *.failed} and logged; the others
     * are still taken in. Never throws.
     *
     * @return how many deliveries were taken in
     */
    public int deliverTo(TraceStore store) {
        int delivered = 0;
        for (Path ready : deliveries()) {
            Path claimed = ready.resolveSibling(ready.getFileName().toString().replaceFirst(
                    "(" + Pattern.quote(READY) + "|" + Pattern.quote(CLAIMED)
                            + ".*)$", "") + CLAIMED + UUID.randomUUID());
            try {
                move(ready, claimed);
            } catch (NoSuchFileException takenByAnother) {
                continue;
            } catch (IOException failure) {
                LOG.warn("Loupe could not take {} from the store's inbox: {}", ready, failure.toString());
                continue;
            }
            try {
                Delivery delivery = read(claimed);
                store.write(delivery.batch());
                for (TestRun run : delivery.runs()) {
                    store.testRuns().writeRun(run);
                }
                store.testRuns().writeResults(delivery.results());
                Files.deleteIfExists(claimed);
                delivered++;
            } catch (IOException | ClassNotFoundException | RuntimeException failure) {
                Path failed = claimed.resolveSibling(claimed.getFileName().toString().replaceFirst(
                        Pattern.quote(CLAIMED) + ".*$", "") + FAILED);
                LOG.error("Loupe could not write the delivery {} into {}; it is kept as {}", ready,
                        store.location(), failed, failure);
                try {
                    move(claimed, failed);
                } catch (IOException ignored) {
                    LOG.warn("Loupe could not rename {} to {}", claimed, failed);
                }
            }
        }
        return delivered;
    }

    /** Returns the deliveries ready to be taken in, and those whose taker died, oldest first. */
    private List<Path> deliveries() {
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return found;
        }
        Instant abandonedBefore = Instant.now().minus(ABANDONED);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.endsWith(READY) || name.contains(CLAIMED) && modifiedBefore(file, abandonedBefore)) {
                    found.add(file);
                }
            }
        } catch (IOException failure) {
            LOG.warn("Loupe could not list the store's inbox {}: {}", directory, failure.toString());
        }
        found.sort(null);
        return found;
    }

    private static boolean modifiedBefore(Path file, Instant limit) {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            return modified.toInstant().isBefore(limit);
        } catch (IOException gone) {
            return false;
        }
    }

    private static Delivery read(Path file) throws IOException, ClassNotFoundException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file));
                ObjectInputStream objects = new ObjectInputStream(in)) {
            objects.setObjectInputFilter(StoreInbox::allowed);
            Object read = objects.readObject();
            if (!(read instanceof Delivery delivery)) {
                throw new IOException("it holds a " + (read == null ? "null" : read.getClass().getName())
                        + ", not a delivery");
            }
            return delivery;
        }
    }

    /** Only the read model, its values and the JDK's collections and numbers may be read from a delivery. */
    private static ObjectInputFilter.Status allowed(ObjectInputFilter.FilterInfo info) {
        if (info.depth() > 20 || info.arrayLength() > 10_000_000) {
            return ObjectInputFilter.Status.REJECTED;
        }
        Class<?> type = info.serialClass();
        if (type == null) {
            return ObjectInputFilter.Status.UNDECIDED;
        }
        while (type.isArray()) {
            type = type.getComponentType();
        }
        if (type.isPrimitive() || type == Delivery.class) {
            return ObjectInputFilter.Status.ALLOWED;
        }
        String packageName = type.getPackageName();
        return ALLOWED_PACKAGES.contains(packageName) ? ObjectInputFilter.Status.ALLOWED
                : ObjectInputFilter.Status.REJECTED;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException notAtomic) {
            Files.move(from, to);
        }
    }

    /**
     * What one delivery holds: records to write, and test runs and test results to record beside them.
     *
     * @param batch   traces, observations and scores
     * @param runs    test runs, as started or as completed
     * @param results test results
     */
    public record Delivery(TraceBatch batch, List<TestRun> runs, List<TestResult> results) implements Serializable {

        /** Copies the lists. */
        public Delivery {
            batch = batch == null ? new TraceBatch(List.of(), List.of(), List.of()) : batch;
            runs = List.copyOf(runs);
            results = List.copyOf(results);
        }
    }
}
