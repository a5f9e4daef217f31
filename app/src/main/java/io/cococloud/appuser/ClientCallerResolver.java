package io.cococloud.appuser;

import java.util.List;

import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import io.cococloud.error.UnauthenticatedException;
import io.cococloud.project.ApiKeyService.ResolvedKey;
import io.cococloud.project.ApiKeyService;
import io.cococloud.token.BearerToken;

/**
 * The one resolution of a client API caller. A handler declares what it needs as a parameter: a
 * {@link ResolvedKey} (the project of the {@code x-api-key}, for calls that need no app user: signing up, logging
 * in, recovering a password; a token sent along is not read) or a {@link ClientCaller} (the key's project and the
 * app user of the bearer token, if one was sent). A missing or unknown key, a malformed Authorization header or a
 * token that is not a live session of the key's project is refused with 401 before the handler runs.
 */
@Configuration(proxyBeanMethods = false)
class ClientCallerResolver implements HandlerMethodArgumentResolver, WebMvcConfigurer {

    static final String API_KEY_HEADER = "x-api-key";
    static final String SEND_TOKEN = "Send the access token as " + HttpHeaders.AUTHORIZATION
            + ": Bearer <access_token>";

    private final ApiKeyService keys;
    private final AppUserService users;

    ClientCallerResolver(ApiKeyService keys, AppUserService users) {
        this.keys = keys;
        this.users = users;
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == ClientCaller.class || parameter.getParameterType() == ResolvedKey.class;
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
            NativeWebRequest request, WebDataBinderFactory binderFactory) {
        ResolvedKey key = key(request.getHeader(API_KEY_HEADER));
        if (parameter.getParameterType() == ResolvedKey.class) {
            return key;
        }
        return caller(key, request.getHeader(HttpHeaders.AUTHORIZATION));
    }

    private ResolvedKey key(String apiKey) {
        if (apiKey == null || apiKey.isBlank()) {
            throw new UnauthenticatedException("Send the project's API key in the " + API_KEY_HEADER + " header");
        }
        return keys.resolve(apiKey.strip())
                .orElseThrow(() -> new UnauthenticatedException("The API key is unknown or has been revoked"));
    }

    private ClientCaller caller(ResolvedKey key, String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return new ClientCaller(key.projectId(), key.server(), null, null);
        }
        String token = BearerToken.of(authorization).orElseThrow(() -> new UnauthenticatedException(SEND_TOKEN));
        AppUser user = users.findBySessionToken(key.projectId(), token).orElseThrow(
                () -> new UnauthenticatedException("The access token is invalid or has expired; log in again"));
        return new ClientCaller(key.projectId(), key.server(), user, token);
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(this);
    }
}
