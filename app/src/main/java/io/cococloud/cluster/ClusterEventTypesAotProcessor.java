package io.cococloud.cluster;

import java.util.Collection;

import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;

/**
 * At build time (Spring AOT's {@code process-aot}), finds the cluster event types as a start without the generated
 * code would, and writes their names into the jar for {@link ClusterEventTypes} to read at every start. Registered
 * in {@code META-INF/spring/aot.factories}.
 */
class ClusterEventTypesAotProcessor implements BeanFactoryInitializationAotProcessor {

    @Override
    public BeanFactoryInitializationAotContribution processAheadOfTime(ConfigurableListableBeanFactory beans) {
        if (!AutoConfigurationPackages.has(beans)) {
            return null;
        }
        Collection<String> names = ClusterEventTypes.scan(AutoConfigurationPackages.get(beans));
        StringBuilder list = new StringBuilder();
        names.forEach(name -> list.append(name).append('\n'));
        return (generation, code) -> generation.getGeneratedFiles()
                .addResourceFile(ClusterEventTypes.LISTED_AT_BUILD, list);
    }
}
