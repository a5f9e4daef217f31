package io.cococloud.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.support.Functions;
import io.cococloud.support.IntegrationTest;

/**
 * db refuses what it cannot store or answer with a ValueError naming the culprit: a NUL (it was
 * "RuntimeError: the database could not answer"), and integers beyond 32 bits (limit=2**32+5
 * quietly became 5, offset=2**31 a complaint about -2147483648).
 */
@IntegrationTest
class DatabaseBadInputTest {

    @LocalServerPort
    int port;

    Functions functions;

    @BeforeEach
    void project() {
        functions = Functions.inNewProject(port);
    }

    @Test
    void aNulInDocumentDataIsAValueErrorNamingTheField() {
        assertThat(functions.raisedBy("db.create_document('posts', {'title': 'a\\0b'})"))
                .startsWith("ValueError").contains("'data.title'").contains("NUL");
        assertThat(functions.raisedBy("db.create_document('posts', {'a\\0': 1})")).startsWith("ValueError").contains("NUL");
        assertThat(functions.runMain("return db.count_documents('posts')").asInt()).isZero();
    }

    @Test
    void aNulInAFilterIsAValueErrorNamingIt() {
        assertThat(functions.raisedBy("db.query('posts', title='\\0')")).startsWith("ValueError").contains("'filters.title'");
    }

    @Test
    void aLoneSurrogateInDocumentDataIsAValueErrorNamingTheField() {
        assertThat(functions.raisedBy("db.create_document('posts', {'name': '\\udc00'})"))
                .startsWith("ValueError").contains("'data.name'").contains("lone surrogate");
    }

    @Test
    void aLimitBeyond32BitsIsAValueErrorNamingIt() {
        assertThat(functions.raisedBy("db.query('posts', limit=2**32 + 5)")).startsWith("ValueError: limit")
                .contains("4294967301");
        assertThat(functions.raisedBy("db.query_users(limit=2**40)")).startsWith("ValueError: limit");
    }

    @Test
    void anOffsetBeyond32BitsIsAValueErrorNamingIt() {
        assertThat(functions.raisedBy("db.query('posts', offset=2**31)")).startsWith("ValueError: offset")
                .contains("2147483648").doesNotContain("-2147483648");
        assertThat(functions.raisedBy("db.query('posts', offset='99999999999')")).startsWith("ValueError: offset");
    }
}
