package io.cococloud.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

/**
 * The whole server on a random port against the run's real PostgreSQL. Every class with this
 * annotation shares one Spring context (and so one server); tests keep apart by using fresh
 * accounts and projects (see {@link AdminApi}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "coco.admin.email=" + AdminApi.ROOT_EMAIL,
        "coco.admin.password=" + AdminApi.ROOT_PASSWORD,
        "coco.data-dir=target/test-data"})
@ContextConfiguration(initializers = TestPostgres.Initializer.class)
public @interface IntegrationTest {
}
