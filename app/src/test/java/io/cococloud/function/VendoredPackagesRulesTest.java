package io.cococloud.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import io.cococloud.error.InvalidInputException;

/**
 * How an upload's files are told apart (own or vendored) and how requirements.txt is read: the rules, without a
 * server. VendoredPackagesTest deploys real packages through the admin API.
 */
class VendoredPackagesRulesTest {

    private static VendoredPackages of(String... pathsAndContents) {
        Map<String, byte[]> files = new TreeMap<>();
        for (int i = 0; i < pathsAndContents.length; i += 2) {
            files.put(pathsAndContents[i], pathsAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return VendoredPackages.of(files);
    }

    private static final VendoredPackages FLASK_AND_SIX = of(
            "index.py", "",
            "flask/__init__.py", "",
            "Flask-2.2.2.egg-info/PKG-INFO", "Metadata-Version: 2.1\nName: Flask\nVersion: 2.2.2\n\nName: not this\n",
            "Flask-2.2.2.egg-info/top_level.txt", "flask\n",
            "six.py", "",
            "six-1.16.0.dist-info/METADATA", "Name: six\nVersion: 1.16.0\n",
            "six-1.16.0.dist-info/RECORD", "six.py,sha256=x,1\nsix-1.16.0.dist-info/METADATA,,\n",
            "typing_extensions.py", "",
            "typing_extensions-4.4.0.dist-info/METADATA", "Name: typing_extensions\nVersion: 4.4.0\n",
            "python_packages/anything/__init__.py", "");

    @Test
    void filesOfADistributionAtTheRootAreVendored() {
        assertThat(FLASK_AND_SIX.vendored("flask/__init__.py")).isTrue();
        assertThat(FLASK_AND_SIX.vendored("Flask-2.2.2.egg-info/PKG-INFO")).isTrue();
        assertThat(FLASK_AND_SIX.vendored("six.py")).as("a module RECORD names").isTrue();
        assertThat(FLASK_AND_SIX.vendored("typing_extensions.py")).as("a module named after its distribution")
                .isTrue();
        assertThat(FLASK_AND_SIX.vendored("python_packages/anything/__init__.py")).isTrue();
    }

    @Test
    void theFunctionsOwnFilesAreNotVendored() {
        assertThat(FLASK_AND_SIX.vendored("index.py")).isFalse();
        assertThat(FLASK_AND_SIX.vendored("lib/util.py")).isFalse();
        assertThat(FLASK_AND_SIX.vendored("templates/flask.html")).isFalse();
        assertThat(FLASK_AND_SIX.vendored("flask")).as("a top-level data file named like a package").isFalse();
    }

    @Test
    void distributionNamesAreNormalisedAsPep503Says() {
        assertThat(VendoredPackages.normalised("Typing__Extensions")).isEqualTo("typing-extensions");
        assertThat(VendoredPackages.normalised("zope.interface")).isEqualTo("zope-interface");
        FLASK_AND_SIX.checkRequirements("FLASK\ntyping-extensions\nTyping.Extensions>=4\nsix==1.16.0\n");
    }

    @Test
    void simpleVersionSpecifiersAreChecked() {
        assertThat(VendoredPackages.satisfies("2.2.2", "==2.2.2")).isTrue();
        assertThat(VendoredPackages.satisfies("2.2.2", "==2.2")).isFalse();
        assertThat(VendoredPackages.satisfies("2.2", "==2.2.0")).isTrue();
        assertThat(VendoredPackages.satisfies("2.2.2", ">=2.0,<3")).isTrue();
        assertThat(VendoredPackages.satisfies("3.0.1", ">=2.0,<3")).isFalse();
        assertThat(VendoredPackages.satisfies("2.10", ">2.9")).isTrue();
        assertThat(VendoredPackages.satisfies("3.1.2", "~=3.1")).isTrue();
        assertThat(VendoredPackages.satisfies("4.0", "~=3.1")).isFalse();
        assertThat(VendoredPackages.satisfies("3.1.2", "~=3.1.3")).isFalse();
        assertThat(VendoredPackages.satisfies("2.1.2", "==2.*")).isTrue();
        assertThat(VendoredPackages.satisfies("3.0", "==2.*")).isFalse();
        assertThat(VendoredPackages.satisfies("2.1.2", "!=2.1.2")).isFalse();
        assertThat(VendoredPackages.satisfies("1.0", "<=1.0")).isTrue();
    }

    @Test
    void anUnmetRequirementIsNamed() {
        assertThatThrownBy(() -> FLASK_AND_SIX.checkRequirements("flask\n\n# tools\nrequests>=2 # http\n"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("'requests>=2'")
                .hasMessageContaining("flask 2.2.2");
        assertThatThrownBy(() -> FLASK_AND_SIX.checkRequirements("six<1.16\n"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("'six<1.16'").hasMessageContaining("1.16.0");
    }

    @Test
    void optionsUrlsAndMarkersAreNotResolvedButTheNameIsChecked() {
        FLASK_AND_SIX.checkRequirements("-r other.txt\n--hash=sha256:abc\nflask @ https://example.com/f.whl\n"
                + "six ; python_version < \"3\"\n");
        assertThatThrownBy(() -> FLASK_AND_SIX.checkRequirements("django ; python_version >= \"3.8\"\n"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("django");
    }

    @Test
    void aNativeExtensionIsRefusedNamingItsPackage() {
        assertThatThrownBy(() -> of("index.py", "", "numpy/core/_multiarray.cpython-312-x86_64-linux-gnu.so", ""))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("'numpy/core/_multiarray")
                .hasMessageContaining("'numpy'");
        assertThatThrownBy(() -> of("index.py", "", "_cffi_backend.cpython-312-darwin.dylib", ""))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("'_cffi_backend'");
        assertThatThrownBy(() -> of("python_packages/lxml/etree.pyd", "")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'lxml'");
        assertThatThrownBy(() -> of("libs/libfoo.so.1.2", "")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("libs/libfoo.so.1.2");
    }
}
