package dev.portcullis.oci;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NamespaceTest {
    @Test
    void clientsWriteOnlyUnscannedTeamRepositories() {
        assertThat(Namespace.writeRefusal("unscanned/acme/app")).isEmpty();
        assertThat(Namespace.writeRefusal("unscanned/acme/group/app")).isEmpty();
        assertThat(Namespace.writeRefusal("scanned/acme/app")).hasValueSatisfying(why -> assertThat(why)
                .contains("only by the quarantine gate").contains("push to unscanned/acme/app instead"));
        for (String elsewhere : new String[] {"foo/bar", "library/app", "app", "unscanned/acme", "scanned/acme",
                "team/unscanned/app"}) {
            assertThat(Namespace.writeRefusal(elsewhere)).as(elsewhere).hasValueSatisfying(why -> assertThat(why)
                    .startsWith(elsewhere + " is in no team's quarantine").contains("unscanned/<team>/<name>"));
        }
    }
}
