package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DataSizeTest {
    @Test
    void readsBinaryUnitsAndPrintsTheLargestExactOne() {
        assertThat(DataSize.parse("512MiB")).isEqualTo(DataSize.ofMiB(512));
        assertThat(DataSize.parse("4 GiB").bytes()).isEqualTo(4L << 30);
        assertThat(DataSize.parse("1TiB").bytes()).isEqualTo(1L << 40);
        assertThat(DataSize.parse("3KiB").bytes()).isEqualTo(3072);
        assertThat(DataSize.parse("100B").bytes()).isEqualTo(100);
        assertThat(DataSize.parse("0").bytes()).isZero();
        assertThat(DataSize.ofMiB(640)).hasToString("640MiB");
        assertThat(DataSize.ofMiB(2048)).hasToString("2GiB");
        assertThat(DataSize.ofBytes(1000)).hasToString("1000B");
        assertThat(DataSize.ofBytes(0)).hasToString("0B");
        for (String s : new String[] {"640MiB", "1000B", "0B", "7TiB", "1025KiB"}) {
            assertThat(DataSize.parse(s)).hasToString(s);
        }
    }

    @Test
    void refusesWhatItWouldHaveToGuess() {
        assertThatThrownBy(() -> DataSize.parse("12 parsecs")).hasMessageContaining("'12 parsecs' is not a whole"
                + " number with a unit");
        assertThatThrownBy(() -> DataSize.parse("512MB")).hasMessageContaining("binary");
        assertThatThrownBy(() -> DataSize.parse("1gib")).hasMessageContaining("binary");
        assertThatThrownBy(() -> DataSize.parse("1024")).hasMessageContaining("no unit");
        assertThatThrownBy(() -> DataSize.parse("1.5GiB")).hasMessageContaining("whole number");
        assertThatThrownBy(() -> DataSize.parse("-1MiB")).hasMessageContaining("whole number");
        assertThatThrownBy(() -> DataSize.parse("9999999TiB")).hasMessageContaining("larger than");
        assertThatThrownBy(() -> DataSize.ofBytes(-1)).hasMessageContaining("negative");
    }
}
