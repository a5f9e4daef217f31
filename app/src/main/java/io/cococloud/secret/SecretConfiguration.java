package io.cococloud.secret;

import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The master keys and the cipher, and the startup duty that goes with them: check that every stored
 * secret can be read with the configured keys (else refuse to start), then finish any rotation.
 * Both run while the context starts, before the server accepts requests, and after Flyway (the
 * repository needs JdbcClient, which Spring Boot orders after database migrations).
 */
@Configuration(proxyBeanMethods = false)
class SecretConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecretConfiguration.class);

    @Bean
    MasterKeys masterKeys(SecretProperties settings, @Value("${coco.data-dir}") Path dataDir) {
        return MasterKeys.load(settings.masterKey(), settings.previousKeys(), dataDir);
    }

    @Bean
    SecretCipher secretCipher() {
        return new SecretCipher();
    }

    @Bean
    InitializingBean masterKeyAtStartup(SecretRepository secrets, SecretCipher cipher, MasterKeys keys) {
        return () -> {
            new MasterKeyCheck(secrets, keys).verify();
            new KeyRotation(secrets, cipher, keys).run();
            log.info("Secrets master key {} ready{}", keys.current().id(), keys.previousIds().isEmpty() ? ""
                    : " (previous keys " + String.join(", ", keys.previousIds()) + " still readable)");
        };
    }
}
