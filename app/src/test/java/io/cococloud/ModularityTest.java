package io.cococloud;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/**
 * The module boundaries, verified by the build: every top-level package under {@code io.cococloud} is a module,
 * other modules may use only its top-level public types, and no two modules depend on each other in a cycle
 * (no cycle is allowed, none is exempted).
 */
class ModularityTest {

    private static final ApplicationModules MODULES = ApplicationModules.of(CocoCloudApplication.class);

    @Test
    void modulesHaveNoCyclesAndUseOnlyEachOthersApi() {
        MODULES.verify();
    }

    @Test
    void writesTheModuleDocumentation() {
        new Documenter(MODULES).writeModulesAsPlantUml().writeIndividualModulesAsPlantUml().writeModuleCanvases();
    }
}
