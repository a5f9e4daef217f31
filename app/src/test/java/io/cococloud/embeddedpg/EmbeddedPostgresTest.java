package io.cococloud.embeddedpg;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The zero-config database: a real PostgreSQL whose data survives a stop and a start. */
class EmbeddedPostgresTest {

    @TempDir
    Path home;

    @Test
    void dataSurvivesARestart() throws Exception {
        try (EmbeddedPostgres first = EmbeddedPostgres.start(home, false);
             Connection c = connect(first)) {
            c.createStatement().execute("CREATE TABLE kept (v text)");
            c.createStatement().execute("INSERT INTO kept VALUES ('still here')");
        }
        try (EmbeddedPostgres second = EmbeddedPostgres.start(home, false);
             Connection c = connect(second);
             ResultSet rows = c.createStatement().executeQuery("SELECT v FROM kept")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("still here");
        }
    }

    @Test
    void thePasswordIsGeneratedAndReadableOnlyByItsOwner() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(home, false)) {
            Path passwordFile = home.toRealPath().resolve("password");
            assertThat(Files.readString(passwordFile).strip()).isEqualTo(pg.password()).hasSizeGreaterThan(30);
            assertThat(Files.getPosixFilePermissions(passwordFile).stream().map(Enum::name))
                    .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
            assertThat(DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password()).isValid(1)).isTrue();
        }
    }

    @Test
    void whenTheJvmIsRootPostgresRunsAsAnUnprivilegedUser() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(home, false);
             Connection c = connect(pg)) {
            String owner = Files.getOwner(home.toRealPath().resolve("pgdata")).getName();
            String expected = "root".equals(System.getProperty("user.name")) ? "nobody"
                    : System.getProperty("user.name");
            assertThat(owner).isEqualTo(expected);
        }
    }

    @Test
    void aLeftoverServerOfAKilledRunIsStoppedAndReplaced() throws Exception {
        EmbeddedPostgres orphan = EmbeddedPostgres.start(home, false); // never closed, like after kill -9
        try (EmbeddedPostgres next = EmbeddedPostgres.start(home, false);
             Connection c = connect(next)) {
            assertThat(c.isValid(1)).isTrue();
            assertThat(next.port()).isNotEqualTo(orphan.port());
        }
    }

    private static Connection connect(EmbeddedPostgres pg) throws Exception {
        return DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
    }
}
