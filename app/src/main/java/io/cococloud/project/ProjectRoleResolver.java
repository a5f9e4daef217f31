package io.cococloud.project;

import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.MethodParameter;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import io.cococloud.admin.AdminPrincipal;
import io.cococloud.error.UnauthenticatedException;

/** Gives a {@link ProjectRole} parameter its {@link Membership}: the one membership check of the admin API. */
@Component
class ProjectRoleResolver implements HandlerMethodArgumentResolver, WebMvcConfigurer {

    /** The path variable that names the project on every project URL of the admin API. */
    static final String PROJECT_VARIABLE = "projectId";

    private static final String RESOLVED = ProjectRoleResolver.class.getName() + ".membership";

    private final ProjectAccess access;

    ProjectRoleResolver(ProjectAccess access) {
        this.access = access;
    }

    @Override
    public void addArgumentResolvers(java.util.List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(this);
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.hasParameterAnnotation(ProjectRole.class)
                && parameter.getParameterType() == Membership.class;
    }

    @Override
    public Membership resolveArgument(MethodParameter parameter, ModelAndViewContainer container,
            NativeWebRequest request, WebDataBinderFactory binders) {
        ProjectRole declared = parameter.getParameterAnnotation(ProjectRole.class);
        AdminPrincipal caller = caller();
        String projectRef = projectRef(request);
        Membership membership = (Membership) request.getAttribute(RESOLVED, RequestAttributes.SCOPE_REQUEST);
        if (membership == null) {
            membership = access.membership(projectRef, caller);
            request.setAttribute(RESOLVED, membership, RequestAttributes.SCOPE_REQUEST);
        }
        return access.check(membership, projectRef, caller, declared.value(), declared.orInstanceAdmin());
    }

    private static AdminPrincipal caller() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof AdminPrincipal principal) {
            return principal;
        }
        throw new UnauthenticatedException("Sign in to the console or send a personal access token");
    }

    @SuppressWarnings("unchecked")
    private static String projectRef(NativeWebRequest request) {
        var variables = (Map<String, String>) request.getNativeRequest(HttpServletRequest.class)
                .getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        String ref = variables == null ? null : variables.get(PROJECT_VARIABLE);
        if (ref == null) {
            throw new IllegalStateException("@ProjectRole on an endpoint whose path has no {projectId}");
        }
        return ref;
    }
}
