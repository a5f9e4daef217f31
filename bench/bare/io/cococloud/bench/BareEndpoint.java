package io.cococloud.bench;

import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The baseline of bench/: the same JSON a warm hello-world function answers, from plain Spring MVC through the
 * same filters. Not part of the app: bench/run.sh compiles it against the built jar and puts it on the server's
 * classpath (COCO_LOADER_PATH), where the app's component scan finds it.
 */
@RestController
class BareEndpoint {

    @GetMapping("/bench/bare")
    Map<String, Object> hello() {
        return Map.of("success", true, "result", Map.of("message", "Hello, World!"), "output", "", "error", "",
                "execution_time", 0.0);
    }
}
