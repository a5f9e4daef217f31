package io.cococloud.bench;

import java.util.Map;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The baseline of bench/: the same JSON a warm hello-world function answers, from plain Spring
 * MVC through the same filters. Off unless {@code coco.bench.bare-endpoint=true}.
 */
@RestController
@ConditionalOnProperty("coco.bench.bare-endpoint")
class BareEndpoint {

    @GetMapping("/bench/bare")
    Map<String, Object> hello() {
        return Map.of("success", true, "result", Map.of("message", "Hello, World!"), "output", "", "error", "",
                "execution_time", 0.0);
    }
}
