package io.cococloud.function;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Wheels downloaded from the package index, by sha256, in memory and bounded in bytes (least recently used go
 * first), so that deploying the same requirements again downloads nothing; and, for files an index lists without
 * a hash, which sha256 a location gave last time. The content is checked against its hash when it is stored, and
 * a hash names one content: a cached wheel is the wheel.
 */
final class WheelCache {

    private final long maxBytes;
    private final LinkedHashMap<String, byte[]> wheels = new LinkedHashMap<>(16, 0.75f, true);
    private final LinkedHashMap<String, String> hashes = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > 10_000;
        }
    };
    private long bytes;

    WheelCache(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    synchronized byte[] get(String sha256) {
        return sha256 == null ? null : wheels.get(sha256);
    }

    /** The sha256 a location's content had when it was last read, or null. */
    synchronized String hashOf(String location) {
        return hashes.get(location);
    }

    synchronized void put(String location, String sha256, byte[] wheel) {
        hashes.put(location, sha256);
        if (wheel.length > maxBytes || wheels.containsKey(sha256)) {
            return;
        }
        wheels.put(sha256, wheel);
        bytes += wheel.length;
        var eldest = wheels.entrySet().iterator();
        while (bytes > maxBytes && eldest.hasNext()) {
            bytes -= eldest.next().getValue().length;
            eldest.remove();
        }
    }
}
