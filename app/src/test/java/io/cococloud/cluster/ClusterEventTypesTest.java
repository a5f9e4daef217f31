package io.cococloud.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.GeneratedFiles.Kind;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.javapoet.ClassName;

import io.cococloud.CocoCloudApplication;
import io.cococloud.project.ProjectLimitsChanged;

/** Which classes a notification may name, and the list the build writes so that a start need not scan for them. */
class ClusterEventTypesTest {

    private static final List<String> APPLICATION = List.of(CocoCloudApplication.class.getPackageName());

    @Test
    void theBuildListsTheTypesAStartWithoutItFinds() throws IOException {
        DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
        AutoConfigurationPackages.register(beans, APPLICATION.toArray(String[]::new));
        InMemoryGeneratedFiles files = new InMemoryGeneratedFiles();
        BeanFactoryInitializationAotContribution contribution = new ClusterEventTypesAotProcessor()
                .processAheadOfTime(beans);

        contribution.applyTo(new DefaultGenerationContext(new ClassNameGenerator(ClassName.get(getClass())), files),
                null);

        List<String> listed = files.getGeneratedFileContent(Kind.RESOURCE, ClusterEventTypes.LISTED_AT_BUILD)
                .lines().toList();
        assertThat(listed).containsExactlyElementsOf(ClusterEventTypes.scan(APPLICATION))
                .contains(ProjectLimitsChanged.class.getName());
        assertThat(new ClusterEventTypes(listed).size()).isEqualTo(listed.size()).isGreaterThan(10);
    }

    @Test
    void aStartWithTheGeneratedCodeReadsTheBuildsList(@TempDir Path jar) throws IOException {
        Path list = jar.resolve(ClusterEventTypes.LISTED_AT_BUILD);
        Files.createDirectories(list.getParent());
        Files.writeString(list, ProjectLimitsChanged.class.getName() + "\n" + CachesMayBeStale.class.getName() + "\n");

        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            assertThat(ClusterEventTypes.listedAtBuild(loader))
                    .containsExactly(ProjectLimitsChanged.class.getName(), CachesMayBeStale.class.getName());
        }
    }

    @Test
    void aStartWithTheGeneratedCodeRefusesAJarWithoutTheList(@TempDir Path jar) throws IOException {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            assertThatThrownBy(() -> ClusterEventTypes.listedAtBuild(loader))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining(ClusterEventTypes.LISTED_AT_BUILD);
        }
    }

    @Test
    void aListedClassThatIsNotAClusterEventRecordIsNotAType() {
        ClusterEventTypes types = new ClusterEventTypes(List.of(ProjectLimitsChanged.class.getName(),
                ProcessBuilder.class.getName(), CachesMayBeStale.class.getName(), ClusterEvent.class.getName()));

        assertThat(types.size()).isEqualTo(1);
        assertThat(types.named(ProjectLimitsChanged.class.getName())).contains(ProjectLimitsChanged.class);
        assertThat(types.named(ProcessBuilder.class.getName())).isEmpty();
        assertThat(types.knows(CachesMayBeStale.class)).isFalse();
    }
}
