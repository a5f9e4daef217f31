package io.cococloud.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The stdout or stderr of one context: collects what the current call writes, up to a limit.
 * A context serves one call at a time, so one buffer per context is enough.
 */
final class OutputCapture extends OutputStream {

    private final int limit;
    private final boolean failWhenFull;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private boolean truncated;

    /**
     * @param failWhenFull true: writing past the limit raises an error in Python (print output);
     *                     false: the rest is dropped and marked (log lines)
     */
    OutputCapture(int limit, boolean failWhenFull) {
        this.limit = limit;
        this.failWhenFull = failWhenFull;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
        int room = limit - buffer.size();
        if (length <= room) {
            buffer.write(bytes, offset, length);
            return;
        }
        buffer.write(bytes, offset, Math.max(0, room));
        if (failWhenFull) {
            throw new IOException("output limit of " + limit + " bytes per call exceeded");
        }
        truncated = true;
    }

    /**
     * What a version's load outside any call wrote, taken as it is (not as text, so its limit and cut mark stay),
     * to be {@linkplain #putBack put back} for the version's first call.
     */
    record Held(byte[] bytes, boolean truncated) {}

    /** What was written since the last take, as it is, and starts afresh; null when nothing was. */
    synchronized Held hold() {
        Held held = buffer.size() == 0 && !truncated ? null : new Held(buffer.toByteArray(), truncated);
        buffer.reset();
        truncated = false;
        return held;
    }

    /** Writes held output back, before the call about to run writes: it counts against that call's limit. */
    synchronized void putBack(Held held) {
        if (held != null) {
            buffer.write(held.bytes(), 0, held.bytes().length);
            truncated |= held.truncated();
        }
    }

    /** What was written since the last call to this method, and starts afresh. */
    synchronized String take() {
        String text = buffer.toString(StandardCharsets.UTF_8) + (truncated ? "\n[cut at " + limit + " bytes]" : "");
        buffer.reset();
        truncated = false;
        return text;
    }
}
