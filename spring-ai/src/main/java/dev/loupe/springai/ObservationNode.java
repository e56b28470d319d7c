package dev.loupe.springai;

import dev.loupe.trace.ObservationType;
import dev.loupe.trace.Tracer;
import dev.loupe.trace.spi.ObservationRecord;
import dev.loupe.trace.spi.RecordIds;
import java.time.Instant;
import org.springframework.ai.chat.prompt.Prompt;

/**
 * The Loupe observation that one Spring AI (Micrometer) observation becomes, from its start to its stop. It is kept
 * in the Micrometer context, where its children find it as their parent.
 */
final class ObservationNode {


    final Tracer tracer;
    final String traceId;
    final String id;
    /** The Loupe observation it is nested in, or null at the top of its trace. */
    final String parentId;
    /** The node it is nested in when that is a Spring AI observation too; null otherwise. */
    final ObservationNode parent;
    final ObservationType type;
    final String name;
    final Instant startTime;

    /**
     * When a model call's own answer had ended: in streaming with tools, Spring AI runs the tool calls and the next
     * round inside the model call's observation, which stops only when the last round does.
     */
    private Instant ownEndTime;
    /** The prompt of the next round, in streaming with tools: it holds this round's own answer. */
    private Prompt nextRoundPrompt;
    /** Observations nested in this one that have not ended yet. */
    private int openChildren;
    /** This observation's record, held back while nested ones are still open; null otherwise. */
    private ObservationRecord heldBack;
    /** The latest end of an observation nested in this one. */
    private Instant lastChildEnd;

    ObservationNode(Tracer tracer, String traceId, String parentId, ObservationNode parent, ObservationType type,
            String name, Instant startTime) {
        this.tracer = tracer;
        this.traceId = traceId;
        this.id = RecordIds.observationId();
        this.parentId = parentId;
        this.parent = parent;
        this.type = type;
        this.name = name;
        this.startTime = startTime;
    }

    boolean isTraceRoot() {
        return parentId == null;
    }

    /** Records that work nested in this model call started, so its own answer had ended by then. */
    synchronized void nestedWorkStarted(Instant time, Prompt nextPrompt) {
        if (ownEndTime == null) {
            ownEndTime = time;
        }
        if (nextPrompt != null && nextRoundPrompt == null) {
            nextRoundPrompt = nextPrompt;
        }
    }

    synchronized void childStarted() {
        openChildren++;
    }

    /**
     * Records that a nested observation ended; returns this observation's record when it had been held back for the
     * nested ones and can go now, ending when the last of them did.
     */
    synchronized ObservationRecord childEnded(Instant end) {
        openChildren--;
        if (lastChildEnd == null || end.isAfter(lastChildEnd)) {
            lastChildEnd = end;
        }
        if (openChildren > 0 || heldBack == null) {
            return null;
        }
        ObservationRecord record = endingNoEarlierThan(heldBack, lastChildEnd);
        heldBack = null;
        return record;
    }

    /**
     * Returns the record to hand over now that this observation stopped, or null when it is held back until the
     * observations nested in it end: in streaming, Spring AI stops an observation before the ones nested in it.
     */
    synchronized ObservationRecord stopped(ObservationRecord record) {
        if (openChildren > 0) {
            heldBack = record;
            return null;
        }
        return endingNoEarlierThan(record, lastChildEnd);
    }

    private static ObservationRecord endingNoEarlierThan(ObservationRecord record, Instant end) {
        if (end == null || record.endTime() == null || !end.isAfter(record.endTime())) {
            return record;
        }
        return new ObservationRecord(record.id(), record.traceId(), record.parentObservationId(), record.type(),
                record.name(), record.startTime(), end, record.completionStartTime(), record.input(), record.output(),
                record.metadata(), record.level(), record.statusMessage(), record.version(), record.model(),
                record.modelParameters(), record.usage(), record.cost(), record.promptName(), record.promptVersion());
    }

    synchronized Instant ownEndTime() {
        return ownEndTime;
    }

    synchronized Prompt nextRoundPrompt() {
        return nextRoundPrompt;
    }


}
