package cococloud.bench;

import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The baseline of bench/: the same JSON a warm hello-world function answers, from plain Spring MVC through the
 * same filters. Not part of the app: bench/lib.sh compiles it against the built jar and puts it on the server's
 * class path (COCO_LOADER_PATH), where {@link BareEndpointRegistration} adds it to the context. Outside the app's
 * packages, so that a start without Spring AOT does not also find it by its component scan.
 */
@RestController
class BareEndpoint {

    @GetMapping("/bench/bare")
    Map<String, Object> hello() {
        return Map.of("success", true, "result", Map.of("message", "Hello, World!"), "output", "", "error", "",
                "execution_time", 0.0);
    }
}
