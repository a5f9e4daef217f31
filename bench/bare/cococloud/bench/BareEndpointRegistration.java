package cococloud.bench;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.support.GenericApplicationContext;

/**
 * Adds {@link BareEndpoint} to the server's context, named in this folder's META-INF/spring.factories, which Spring
 * Boot reads from every class path entry. A component scan would find it only in a start without Spring AOT, whose
 * bean definitions the build generated without it; this way the baseline runs in the server as users start it, so
 * the benchmark's first start measures that server (its idle RSS was ~20 MB higher without Spring AOT).
 */
public class BareEndpointRegistration implements ApplicationContextInitializer<GenericApplicationContext> {

    @Override
    public void initialize(GenericApplicationContext context) {
        context.registerBean(BareEndpoint.class);
    }
}
