package io.cococloud.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/**
 * The rules a deploy resolves requirements by, without a server: how requirements and Requires-Dist headers
 * read, which environment markers hold for GraalPy 3.12 on Linux, which wheels the sandbox runs, which version is
 * the newest.
 */
class PackageIndexRulesTest {

    @Test
    void aRequirementReadsAsRequirementsTxtAndMetadataWriteIt() {
        Requirement line = Requirement.parse("Flask_Login[extra, two] >=0.6,<1 ; python_version >= \"3.8\"");
        assertThat(line.name()).isEqualTo("flask-login");
        assertThat(line.extras()).containsExactly("extra", "two");
        assertThat(line.specifier()).isEqualTo(">=0.6,<1");
        assertThat(line.marker()).isEqualTo("python_version >= \"3.8\"");
        assertThat(line.url()).isNull();

        Requirement metadata = Requirement.parse("requests (>=2.0) ; extra == 'http'");
        assertThat(metadata.name()).isEqualTo("requests");
        assertThat(metadata.specifier()).isEqualTo(">=2.0");
        assertThat(metadata.marker()).isEqualTo("extra == 'http'");

        Requirement url = Requirement.parse("pkg @ https://example.com/pkg-1.0-py3-none-any.whl");
        assertThat(url.url()).isEqualTo("https://example.com/pkg-1.0-py3-none-any.whl");
        assertThat(url.specifier()).isEmpty();

        assertThat(Requirement.parse("idna<4,>=2.5").specifier()).isEqualTo("<4,>=2.5");
        assertThat(Requirement.parse("!!! not one")).isNull();
    }

    @Test
    void hashedRequirementsAsPipCompileWritesThemKeepTheirPin() {
        List<Requirement> missing = VendoredPackages.of(java.util.Map.of()).missing("""
                # pip-compile --generate-hashes
                flask==2.2.2 \\
                    --hash=sha256:642c450d19c4ad482f96729bd2a8f6d32554aa1e231f4f6b4e7e5264b16cca2b \\
                    --hash=sha256:b9c46cc36662a7949f34b52d8ec7bb59c0d74ba08ba6cb9ce9adc1d8676d9526
                    # via -r requirements.in
                six==1.16.0 --hash=sha256:8abb2f1d86890a2dfb989f9a77cfcfd3e47c2a354b01111771326f8aa26e0254\r
                """);

        assertThat(missing).extracting(Requirement::name, Requirement::specifier)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("flask", "==2.2.2"),
                        org.assertj.core.groups.Tuple.tuple("six", "==1.16.0"));
    }

    @Test
    void onlySimpleSpecifiersAreResolved() {
        assertThat(VendoredPackages.simple("")).isTrue();
        assertThat(VendoredPackages.simple(">=2.0, <3,!=2.1.*")).isTrue();
        assertThat(VendoredPackages.simple("~=1.4.2")).isTrue();
        assertThat(VendoredPackages.simple(">=abc")).isFalse();
        assertThat(VendoredPackages.simple("2.0")).isFalse();
    }

    @Test
    void markersAreEvaluatedForGraalPy312OnLinux() {
        assertThat(Marker.evaluate("python_version >= \"3.8\"")).contains(true);
        assertThat(Marker.evaluate("python_version < '3.8'")).contains(false);
        assertThat(Marker.evaluate("python_full_version >= \"3.12.1\" and sys_platform == 'linux'")).contains(true);
        assertThat(Marker.evaluate("sys_platform == \"win32\"")).contains(false);
        assertThat(Marker.evaluate("platform_system == 'Windows' or os_name == 'nt'")).contains(false);
        assertThat(Marker.evaluate("(python_version < '3.11' or sys_platform == 'linux') and os_name == 'posix'"))
                .contains(true);
        assertThat(Marker.evaluate("'3.8' <= python_version")).contains(true);
        assertThat(Marker.evaluate("implementation_name == 'cpython'")).contains(false);
        assertThat(Marker.evaluate("platform_python_implementation != 'PyPy'")).contains(true);
        assertThat(Marker.evaluate("'linux' in sys_platform")).contains(true);
        assertThat(Marker.evaluate("extra == 'test'")).as("no extras are resolved").contains(false);
    }

    @Test
    void aMarkerThatIsNotSimpleHasNoAnswer() {
        assertThat(Marker.evaluate("platform_release >= '5'")).isEqualTo(Optional.empty());
        assertThat(Marker.evaluate("sys_platform > 'linux'")).as("ordering strings").isEmpty();
        assertThat(Marker.evaluate("python_version >= '3.8' and")).isEmpty();
        assertThat(Marker.evaluate("(python_version >= '3.8'")).isEmpty();
        assertThat(Marker.evaluate("python_version $ '3'")).isEmpty();
    }

    @Test
    void onlyPurePython3WheelsFitTheSandbox() {
        assertThat(pure("pkg-1.0-py3-none-any.whl")).isTrue();
        assertThat(pure("six-1.16.0-py2.py3-none-any.whl")).isTrue();
        assertThat(pure("pkg-1.0-1build-py312-none-any.whl")).isTrue();
        assertThat(pure("pkg-1.0-py38-none-any.whl")).isTrue();
        assertThat(pure("pkg-1.0-py2-none-any.whl")).isFalse();
        assertThat(pure("pkg-1.0-py313-none-any.whl")).isFalse();
        assertThat(pure("pkg-1.0-cp312-cp312-manylinux_2_17_x86_64.whl")).isFalse();
        assertThat(pure("pkg-1.0-cp312-none-any.whl")).as("CPython only").isFalse();
        assertThat(pure("pkg-1.0-py3-none-win_amd64.whl")).isFalse();
        assertThat(pure("pkg-1.0-py3-abi3-any.whl")).isFalse();
        assertThat(WheelName.parse("Flask_Login-0.6.3-py3-none-any.whl").name()).isEqualTo("flask-login");
        assertThat(WheelName.parse("pkg-1.0.tar.gz")).isNull();
        assertThat(PackageFiles.project("Flask-Login-0.6.3.tar.gz")).isEqualTo("flask-login");
        assertThat(PackageFiles.version("Flask-Login-0.6.3.tar.gz")).isEqualTo("0.6.3");
    }

    @Test
    void versionsOrderAsPep440Says() {
        List<String> ordered = List.of("0.9", "1.0.dev1", "1.0a1", "1.0b2", "1.0rc1", "1.0", "1.0.post1", "1.1",
                "1.10", "2.0", "1!0.1");
        List<String> shuffled = new java.util.ArrayList<>(ordered);
        java.util.Collections.shuffle(shuffled, new java.util.Random(12));
        assertThat(shuffled.stream().map(PackageVersion::parse).sorted().map(PackageVersion::text).toList())
                .isEqualTo(ordered);
        assertThat(PackageVersion.parse("1.0")).isEqualTo(PackageVersion.parse("1.0.0"));
        assertThat(PackageVersion.parse("1.0rc1").preRelease()).isTrue();
        assertThat(PackageVersion.parse("1.0.post1").preRelease()).isFalse();
        assertThat(PackageVersion.parse("not-a-version")).isLessThan(PackageVersion.parse("0.0.1"));
    }

    private static boolean pure(String file) {
        return WheelName.parse(file).pure();
    }
}
