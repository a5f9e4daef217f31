package io.cococloud.cluster;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * A node's copy of rows whose truth is in PostgreSQL: bounded in count, never older than
 * {@code coco.cluster.max-staleness}, and evicted by its owner on the events that change the rows (its own change
 * event, {@code ProjectDeleted}, {@link CachesMayBeStale}), which reach every node.
 *
 * <p>A load races with evictions: it may read the row just before a change commits and finish just after the
 * change's eviction. An entry loads inside Caffeine's {@code get(key, loader)}, and evicting that key waits for the
 * load in progress, so one key's eviction never leaves its old value behind and never disturbs other keys. Evictions
 * of many keys at once (a project's, or all) cannot wait for loads of keys not yet present, so they are counted,
 * and a load that overlapped one is answered but not kept. Those are rare (a project deleted, its keys changed, a
 * lost connection), so one tenant's everyday changes never cost another's loads their caching.
 *
 * @param <K> what names an entry; its owner decides which keys a project's eviction covers
 * @param <V> the value; a loader's null is answered and never kept
 */
public final class CoherentCache<K, V> {

    private final Cache<K, V> entries;
    private final AtomicLong manyKeyEvictions = new AtomicLong();

    /** At most {@code maximumSize} entries. */
    public CoherentCache(ClusterProperties cluster, long maximumSize) {
        this.entries = Caffeine.newBuilder().maximumSize(maximumSize).expireAfterWrite(cluster.maxStaleness())
                .build();
    }

    /** At most {@code maximumBytes} of values, as {@code size} measures them: for values of very different sizes. */
    public CoherentCache(ClusterProperties cluster, long maximumBytes, ToLongFunction<? super V> size) {
        this.entries = Caffeine.newBuilder().maximumWeight(maximumBytes)
                .<K, V>weigher((key, value) -> (int) Math.min(Integer.MAX_VALUE, Math.max(1, size.applyAsLong(value))))
                .expireAfterWrite(cluster.maxStaleness()).build();
    }

    /** The kept value of {@code key}, else the loader's, kept unless an eviction of many keys overlapped the load. */
    public V get(K key, Function<? super K, ? extends V> loader) {
        V cached = entries.getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        long before = manyKeyEvictions.get();
        V loaded = entries.get(key, loader);
        if (loaded != null && manyKeyEvictions.get() != before) {
            entries.invalidate(key); // loaded with what was there before that eviction
        }
        return loaded;
    }

    /** Evicts one key; waits for a load of it in progress, so what that load read is not kept. */
    public void evict(K key) {
        entries.invalidate(key);
    }

    /** Evicts the entries whose keys match, e.g. those of one project. */
    public void evictIf(Predicate<? super K> which) {
        manyKeyEvictions.incrementAndGet();
        entries.asMap().keySet().removeIf(which);
    }

    /** Evicts the entries whose values match, e.g. the slugs that name one project. */
    public void evictValues(Predicate<? super V> which) {
        manyKeyEvictions.incrementAndGet();
        entries.asMap().values().removeIf(which);
    }

    public void evictAll() {
        manyKeyEvictions.incrementAndGet();
        entries.invalidateAll();
    }
}
