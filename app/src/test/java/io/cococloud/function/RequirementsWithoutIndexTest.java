package io.cococloud.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.support.AdminApi;
import io.cococloud.support.Functions;
import io.cococloud.support.IntegrationTest;

/**
 * A server without a package index (the default: this machine reaches none) resolves nothing: a requirement
 * nothing vendored meets is refused naming it, as before the index existed, and nothing is looked up.
 */
@IntegrationTest
class RequirementsWithoutIndexTest {

    @LocalServerPort
    int port;

    @Test
    void aRequirementNothingVendoredMeetsIsRefusedNamingItAsBefore() {
        Functions functions = Functions.inNewProject(port);
        AdminApi owner = functions.owner();

        String detail = owner.post(functions.functionsPath(), Map.of("name", "needs", "files", Map.of("index.py",
                "def main():\n    return 1\n", "requirements.txt", "# pinned\nhousepkg==1.0 ; sys_platform == 'linux'\n")))
                .expect(400).json().get("detail").asString();

        assertThat(detail).isEqualTo("requirements.txt requires 'housepkg==1.0 ; sys_platform == 'linux'', but no"
                + " vendored package is housepkg (the upload vendors none): install it beside the code (pip install"
                + " -t .), in python_packages/ or in the project's package layer");
        assertThat(owner.get(functions.functionsPath()).expect(200).json().size()).as("nothing stored").isZero();
    }
}
