package io.cococloud.data;

import java.util.List;

import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Lets a client-API handler declare a {@link ClientCaller} parameter: the project of the
 * {@code x-api-key} and the app user of the bearer token, resolved (or refused with 401) once.
 */
@Configuration(proxyBeanMethods = false)
class ClientCallerResolver implements HandlerMethodArgumentResolver, WebMvcConfigurer {

    private final CollectionPermissions permissions;

    ClientCallerResolver(CollectionPermissions permissions) {
        this.permissions = permissions;
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == ClientCaller.class;
    }

    @Override
    public ClientCaller resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
            NativeWebRequest request, WebDataBinderFactory binderFactory) {
        return permissions.caller(request.getHeader(CollectionPermissions.API_KEY_HEADER),
                request.getHeader(HttpHeaders.AUTHORIZATION));
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(this);
    }
}
