package io.cococloud;

import io.cococloud.startup.OptimizingCompilerPriority;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class CocoCloudApplication {

    public static void main(String[] args) {
        OptimizingCompilerPriority compiler = OptimizingCompilerPriority.lowerUntilReady(); // first: the start is short
        SpringApplication application = new SpringApplication(CocoCloudApplication.class);
        application.addListeners(compiler);
        application.run(args);
    }
}
