package io.cococloud.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

import org.springframework.aot.AotDetector;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AssignableTypeFilter;
import org.springframework.stereotype.Component;
import org.springframework.util.ClassUtils;

/**
 * The event types a notification may name: the records of the application's packages that implement
 * {@link ClusterEvent}. A type name read from a notification is looked up here and nowhere else, so a payload can
 * never make this node load or build a class of its choosing.
 *
 * <p>Finding them means reading the class files of every package, ~0.3 s of a restart's critical path on 2 cores
 * (bench/README.md). So the build does it: Spring AOT's processing writes the names it finds into the jar
 * ({@link ClusterEventTypesAotProcessor}), and a start with the generated code reads that list. Without it (tests,
 * {@code -Dspring.aot.enabled=false}) the start scans.
 */
@Component
class ClusterEventTypes {

    /** The build's list of cluster event types in the jar: one class name a line. */
    static final String LISTED_AT_BUILD = "META-INF/cococloud/cluster-event-types";

    private final Map<String, Class<? extends ClusterEvent>> byName = new TreeMap<>();

    @Autowired
    ClusterEventTypes(BeanFactory beans) {
        this(AotDetector.useGeneratedArtifacts() ? listedAtBuild(ClassUtils.getDefaultClassLoader())
                : scan(AutoConfigurationPackages.get(beans)));
    }

    /** The types of these names that are records implementing {@link ClusterEvent}; any other name is ignored. */
    ClusterEventTypes(Collection<String> names) {
        ClassLoader loader = ClassUtils.getDefaultClassLoader();
        for (String name : names) {
            Class<?> type = ClassUtils.resolveClassName(name, loader);
            if (type.isRecord() && ClusterEvent.class.isAssignableFrom(type)) {
                byName.put(type.getName(), type.asSubclass(ClusterEvent.class));
            }
        }
    }

    /** The names of the classes in these packages (and below) that implement {@link ClusterEvent}. */
    static Collection<String> scan(List<String> packages) {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AssignableTypeFilter(ClusterEvent.class));
        Collection<String> names = new TreeSet<>();
        for (String base : packages) {
            scanner.findCandidateComponents(base).forEach(candidate -> names.add(candidate.getBeanClassName()));
        }
        return names;
    }

    /** The names the build listed into the jar this loader reads; refused when there is no list. */
    static Collection<String> listedAtBuild(ClassLoader loader) {
        try (InputStream list = loader.getResourceAsStream(LISTED_AT_BUILD)) {
            if (list == null) {
                throw new IllegalStateException("Started with Spring AOT's generated code, but the jar has no "
                        + LISTED_AT_BUILD + ": rebuild it (./cococloud build)");
            }
            return new String(list.readAllBytes(), StandardCharsets.UTF_8).lines().filter(line -> !line.isBlank())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + LISTED_AT_BUILD, e);
        }
    }

    Optional<Class<? extends ClusterEvent>> named(String name) {
        return Optional.ofNullable(name == null ? null : byName.get(name));
    }

    boolean knows(Class<?> type) {
        return byName.get(type.getName()) == type;
    }

    int size() {
        return byName.size();
    }
}
