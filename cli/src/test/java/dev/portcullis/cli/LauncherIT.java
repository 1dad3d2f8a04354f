package dev.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/portcullis}, the launcher the README puts on the PATH, runs the built jar, also through a link. */
class LauncherIT {
    @TempDir
    Path tmp;

    @Test
    void theLauncherRunsTheJarDirectlyAndThroughASymlink() throws Exception {
        Path launcher = Path.of("../bin/portcullis").toAbsolutePath().normalize();
        Assumptions.assumeTrue(Files.isRegularFile(Path.of("target/portcullis.jar")),
                "target/portcullis.jar not built (the IT runs after package)");
        assertThat(launcher).isExecutable();
        Path link = Files.createSymbolicLink(tmp.resolve("portcullis"), launcher);
        for (Path p : new Path[] {launcher, link}) {
            ProcessBuilder pb = new ProcessBuilder(p.toString(), "--version").redirectErrorStream(true);
            pb.environment().put("JAVA_HOME", Path.of(ProcessHandle.current().info().command().orElseThrow())
                    .getParent().getParent().toString());
            Process run = pb.start();
            assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(run.exitValue()).as(out).isZero();
            assertThat(out.strip()).isEqualTo("portcullis " + Main.version());
        }
    }
}
