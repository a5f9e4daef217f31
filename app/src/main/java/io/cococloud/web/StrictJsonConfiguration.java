package io.cococloud.web;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;

import io.cococloud.json.StorableJson;

/**
 * JSON bodies are read strictly: a number or boolean where a string is expected is an error
 * ("name": 5 is a mistake, not a project called "5"); unknown fields are errors too
 * (spring.jackson.deserialization.fail-on-unknown-properties). Strings, keys and numbers that
 * PostgreSQL could not store as sent (NUL, lone surrogates, numbers beyond a double) are errors
 * naming the field ({@link StorableJson}).
 */
@Configuration(proxyBeanMethods = false)
class StrictJsonConfiguration {

    @Bean
    JsonMapperBuilderCustomizer noScalarCoercionToText() {
        return builder -> builder.withCoercionConfig(LogicalType.Textual, config -> config
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
    }

    @Bean
    JsonMapperBuilderCustomizer onlyStorableValues() {
        return builder -> builder.addModule(StorableJson.module());
    }
}
