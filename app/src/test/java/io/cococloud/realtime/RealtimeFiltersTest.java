package io.cococloud.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.cococloud.support.IntegrationTest;

/** How a change is matched against its watchers' filters: by PostgreSQL, in bounded statements. */
@IntegrationTest
class RealtimeFiltersTest {

    @Autowired
    RealtimeFilters filters;

    @Test
    void moreDistinctFiltersThanOneStatementTakesAreAllDecided() {
        List<Map<String, Object>> each = IntStream.range(0, 250).<Map<String, Object>>mapToObj(n -> Map.of("n", n))
                .toList();
        boolean[] matched = filters.matches(each, "d1", Map.of("n", 180), null);
        assertThat(IntStream.range(0, 250).filter(i -> matched[i]).boxed().toList()).containsExactly(180);
    }

    @Test
    void anUpdateMatchesWhenTheFieldsBeforeItMatched() {
        boolean[] matched = filters.matches(List.of(Map.of("status", "live"), Map.of()), "d1",
                Map.of("status", "hidden"), Map.of("status", "live"));
        assertThat(matched).containsExactly(true, true);
    }

    @Test
    void aWatchMayBindOnlySoManyValues() {
        String many = String.join(",", IntStream.range(0, 101).mapToObj(String::valueOf).toList());
        assertThatThrownBy(() -> RealtimeFilters.check(Map.of("n_in", many))).isInstanceOf(ChannelRefusal.class)
                .hasMessageContaining("at most 100 values");
    }
}
