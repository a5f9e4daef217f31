package io.cococloud.cluster;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AssignableTypeFilter;
import org.springframework.stereotype.Component;
import org.springframework.util.ClassUtils;

/**
 * The event types a notification may name: the records of the application's packages that implement
 * {@link ClusterEvent}, found once at start. A type name read from a notification is looked up here and nowhere
 * else, so a payload can never make this node load or build a class of its choosing.
 */
@Component
class ClusterEventTypes {

    private final Map<String, Class<? extends ClusterEvent>> byName = new TreeMap<>();

    ClusterEventTypes(BeanFactory beans) {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AssignableTypeFilter(ClusterEvent.class));
        ClassLoader loader = ClassUtils.getDefaultClassLoader();
        for (String base : AutoConfigurationPackages.get(beans)) {
            scanner.findCandidateComponents(base).forEach(candidate -> {
                Class<?> type = ClassUtils.resolveClassName(candidate.getBeanClassName(), loader);
                if (type.isRecord()) {
                    byName.put(type.getName(), type.asSubclass(ClusterEvent.class));
                }
            });
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
