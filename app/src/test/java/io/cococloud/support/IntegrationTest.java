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
        "coco.data-dir=target/test-data",
        // GreenMail listens on loopback: the operator's allowance that projects' SMTP settings may name it.
        "coco.mail.allowed-internal-hosts=127.0.0.1",
        // Webhook tests receive on a loopback server of their own: the operator's allowance (docs/hooks.md).
        "coco.webhooks.allowed-internal-hosts=127.0.0.1",
        // Hundreds of test projects each warm a few contexts: let idle ones go soon, as a long-running server's do.
        "coco.runtime.idle-timeout=2m"})
@ContextConfiguration(initializers = TestPostgres.Initializer.class)
public @interface IntegrationTest {
}
