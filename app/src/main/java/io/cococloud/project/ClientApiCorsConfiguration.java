package io.cococloud.project;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

import io.cococloud.web.ProblemResponses;

/** Runs {@link ClientApiCors} on the client API only, before security: a preflight is answered without it. */
@Configuration(proxyBeanMethods = false)
class ClientApiCorsConfiguration {

    @Bean
    FilterRegistrationBean<ClientApiCors> clientApiCors(ProjectCors cors, ApiKeyService keys,
            ProblemResponses problems) {
        FilterRegistrationBean<ClientApiCors> registration = new FilterRegistrationBean<>(new ClientApiCors(cors, keys,
                problems));
        registration.addUrlPatterns("/collections/*", "/auth-collections/*", "/realtime/rooms");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return registration;
    }
}
