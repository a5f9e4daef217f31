package io.cococloud.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import com.sun.management.GarbageCollectorMXBean;
import com.sun.management.GcInfo;
import com.sun.management.HotSpotDiagnosticMXBean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** When a quiet server's heap is compacted: on an injected clock, then against this JVM's own collections. */
class IdleHeapCompactorTest {

    private static final Duration QUIET = Duration.ofSeconds(10);
    private static final long MB = 1 << 20;
    private static final int ARRAY_BYTES = 16 * 1024;
    /** The heap in use after each collection of the injected-clock tests: all that was allocated is garbage. */
    private static final long LIVE = 60 * MB;

    private long now;
    private final AtomicInteger compactions = new AtomicInteger();
    private final IdleHeapCompactor compactor = new IdleHeapCompactor(QUIET, () -> now, compactions::incrementAndGet);

    @AfterEach
    void stopListening() {
        compactor.destroy();
    }

    private void pass(Duration time) {
        now += time.toNanos();
        compactor.compactIfQuiet();
    }

    private void youngCollection(long allocatedSinceTheLast) {
        compactor.collectionEnded(false, LIVE + allocatedSinceTheLast, LIVE);
    }

    private void fullCollection() {
        compactor.collectionEnded(true, LIVE, LIVE);
    }

    @Test
    void theHeapIsCompactedOnceTheQuietPeriodHasPassedWithoutACollection() {
        pass(QUIET.minusMillis(1));
        assertThat(compactions).hasValue(0);
        pass(Duration.ofMillis(1));
        assertThat(compactions).hasValue(1);
    }

    @Test
    void aCollectionStartsTheQuietPeriodAgain() {
        pass(QUIET.minusSeconds(1));
        youngCollection(8 * MB);
        pass(QUIET.minusSeconds(1));
        assertThat(compactions).hasValue(0);
        pass(Duration.ofSeconds(1));
        assertThat(compactions).hasValue(1);
    }

    @Test
    void aLongQuietSpellIsCompactedOnlyOnce() {
        pass(QUIET);
        fullCollection(); // the compaction's own notification
        pass(QUIET.multipliedBy(100));
        assertThat(compactions).hasValue(1);
    }

    @Test
    void theCollectionRightAfterACompactionDoesNotStartAnotherSpell() {
        pass(QUIET);
        fullCollection();
        youngCollection(2 * MB); // the compaction left no free region: the next allocation collects
        pass(QUIET.multipliedBy(100));
        assertThat(compactions).hasValue(1);
    }

    @Test
    void theNextSpellIsCompactedOnceTheServerAllocatedWhatTheLastCompactionLeft() {
        pass(QUIET);
        fullCollection();
        youngCollection(LIVE / 2);
        youngCollection(LIVE / 2);
        pass(QUIET);
        assertThat(compactions).hasValue(2);
    }

    @Test
    void lessAllocatedThanTheLastCompactionLeftStartsNoNewSpell() {
        pass(QUIET);
        fullCollection();
        youngCollection(LIVE / 2);
        youngCollection(LIVE / 2 - MB);
        pass(QUIET.multipliedBy(100));
        assertThat(compactions).hasValue(1);
    }

    @Test
    void aFullCollectionByAnyoneElseLeavesNothingToCompact() {
        youngCollection(8 * MB);
        fullCollection(); // another compactor's, or G1's last resort
        pass(QUIET);
        assertThat(compactions).hasValue(0);
    }

    @Test
    void aZeroQuietPeriodNeverCompacts() {
        IdleHeapCompactor off = new IdleHeapCompactor(Duration.ZERO, () -> now, compactions::incrementAndGet);
        now += Duration.ofDays(1).toNanos();
        off.compactIfQuiet();
        assertThat(compactions).hasValue(0);
    }

    @Test
    void aNegativeQuietPeriodIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> new IdleHeapCompactor(Duration.ofSeconds(-1), () -> now, compactions::incrementAndGet))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("coco.memory.compact-after-quiet");
    }

    @Test
    void thisJvmsFullCollectionIsHeardAsACompaction() {
        compactor.listen();
        youngCollection(8 * MB);
        await().atMost(Duration.ofSeconds(30)).until(() -> { // again should another test's young collection end last
            System.gc();
            return compactor.compactSinceActivity();
        });
    }

    @Test
    void thisJvmsYoungCollectionIsHeardWithWhatWasAllocated() {
        compactor.listen();
        compactor.collectionEnded(true, MB, MB); // re-armed by a collection that saw a MB or more allocated
        List<byte[]> garbage = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (int i = 0; i < 1_000; i++) { // 64 MB of short-lived arrays per poll fill any young generation soon
                garbage.add(new byte[64 * 1024]);
                if (garbage.size() > 16) {
                    garbage.clear();
                }
            }
            return !compactor.compactSinceActivity();
        });
    }

    @Test
    void aTightCompactionLeavesLessOfTheHeapFreeThanAPlainFullCollection() {
        byte[][] live = halfOfAGrownHeapLive();
        System.gc(); // shrinks to what is live plus jvm.options' at most 30 % free: ~290 MB
        long plain = heapAfterTheLastFullCollection().getCommitted();
        IdleHeapCompactor.compactTightly(); // plus its least 10 % free: ~0.78 of that
        long tight = heapAfterTheLastFullCollection().getCommitted();
        assertThat(tight).isLessThan(plain * 85 / 100);
        assertThat(live[0]).hasSize(ARRAY_BYTES); // still reachable here, so live during both collections
    }

    @Test
    void aTightCompactionLeavesTheLeastFreeShareFreeForTheNextAllocations() {
        byte[][] live = halfOfAGrownHeapLive();
        IdleHeapCompactor.compactTightly();
        MemoryUsage heap = heapAfterTheLastFullCollection();
        long leastFreePercent = Long.parseLong(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                .getVMOption("MinHeapFreeRatio").getValue());
        assertThat(leastFreePercent).isPositive(); // jvm.options' 10: else this test would prove nothing
        assertThat((heap.getCommitted() - heap.getUsed()) * 100).isGreaterThanOrEqualTo(
                heap.getCommitted() * leastFreePercent);
        assertThat(live[0]).hasSize(ARRAY_BYTES);
    }

    /** 400 MB live grow the heap past that; then half of it goes: 200 MB live in a heap of 400 MB or more. */
    private static byte[][] halfOfAGrownHeapLive() {
        // of 16 KB: they fill a region but for a few KB (256 KB ones left an eighth of each free, arrays of half a
        // region or more would each take a whole one)
        byte[][] live = new byte[25_600][];
        for (int i = 0; i < live.length; i++) {
            live[i] = new byte[ARRAY_BYTES];
        }
        Arrays.fill(live, live.length / 2, live.length, null);
        return live;
    }

    /**
     * As the full collection left it: read afterwards, a young collection in between (this JVM's other threads) may
     * already have grown it again, by as much as G1 likes after the test's burst of collections.
     */
    private static MemoryUsage heapAfterTheLastFullCollection() {
        GcInfo last = ManagementFactory.getPlatformMXBeans(GarbageCollectorMXBean.class).stream()
                .filter(collector -> collector.getName().equals("G1 Old Generation")) // G1's full collections
                .findFirst().orElseThrow().getLastGcInfo();
        Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName)
                .collect(Collectors.toSet());
        List<MemoryUsage> pools = last.getMemoryUsageAfterGc().entrySet().stream()
                .filter(pool -> heapPools.contains(pool.getKey())).map(Map.Entry::getValue).toList();
        return new MemoryUsage(0, pools.stream().mapToLong(MemoryUsage::getUsed).sum(),
                pools.stream().mapToLong(MemoryUsage::getCommitted).sum(), -1);
    }

    @Test
    void aTightCompactionPutsTheFreeRatiosBack() {
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        String min = vm.getVMOption("MinHeapFreeRatio").getValue();
        String max = vm.getVMOption("MaxHeapFreeRatio").getValue();
        IdleHeapCompactor.compactTightly();
        assertThat(vm.getVMOption("MinHeapFreeRatio").getValue()).isEqualTo(min);
        assertThat(vm.getVMOption("MaxHeapFreeRatio").getValue()).isEqualTo(max);
    }
}
