package io.cococloud.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The heap flags of jvm.options, as the server's JVM reads them: a start with room to grow, a minimum the quiet
 * server's compaction can shrink to, and an operator's own heap flags still honoured.
 */
class JvmHeapOptionsTest {

    private static final long MB = 1024 * 1024;

    @Test
    void onAMachineOfThisKindTheHeapStartsLargeAndMayShrinkToSixtyFourMegabytes() throws Exception {
        JvmFlags flags = serverJvm("-XX:MaxRAM=24g");

        assertThat(flags.exitCode()).isZero();
        assertThat(flags.bytes("InitialHeapSize")).isGreaterThanOrEqualTo(200 * MB);
        assertThat(flags.bytes("MinHeapSize")).isEqualTo(64 * MB);
    }

    @Test
    void anOperatorsMaxHeapBelowTheUsualInitialHeapStillStarts() throws Exception {
        JvmFlags flags = serverJvm("-XX:MaxRAM=24g", "-Xmx200m");

        assertThat(flags.exitCode()).as(flags.output()).isZero();
        assertThat(flags.bytes("InitialHeapSize")).isLessThanOrEqualTo(200 * MB);
    }

    @Test
    void anOperatorsInitialHeapWins() throws Exception {
        JvmFlags flags = serverJvm("-XX:MaxRAM=24g", "-Xms1g");

        assertThat(flags.exitCode()).as(flags.output()).isZero();
        assertThat(flags.bytes("InitialHeapSize")).isEqualTo(1024 * MB);
    }

    /** `java @jvm.options <extra> -XX:+PrintFlagsFinal -version` with this test's JDK, as the launcher runs it. */
    private static JvmFlags serverJvm(String... extra) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "@" + Path.of("..", "jvm.options")));
        command.addAll(List.of(extra));
        command.addAll(List.of("-XX:+PrintFlagsFinal", "-version"));
        Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(java.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new JvmFlags(java.exitValue(), output);
    }

    private record JvmFlags(int exitCode, String output) {
        long bytes(String flag) {
            Matcher value = Pattern.compile("\\s" + flag + "\\s+=\\s+(\\d+)").matcher(output);
            assertThat(value.find()).as(flag + " in " + output).isTrue();
            return Long.parseLong(value.group(1));
        }
    }
}
