package io.cococloud.function;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.cococloud.error.InvalidInputException;

/**
 * A site version's route table, built once per deploy (or load) and matched per request in memory. Priority, as
 * EdgeOne's routing says: an exact static route, then routes with {@code [param]} segments, then catch-alls
 * ({@code [[rest]]}), the longer pattern first among equals (and at the first differing segment, a static one
 * before a parameter); last, a framework app (WSGI/ASGI) answers every path under its prefix, the longer prefix
 * first.
 */
final class SiteRoutes {

    /** A matched route and the parameters it took from the path. */
    record Match(SiteRoute route, Map<String, String> params) {}

    private final List<SiteRoute> all;
    private final Map<List<String>, SiteRoute> exact = new HashMap<>();
    private final List<SiteRoute> dynamic;
    private final List<SiteRoute> apps;

    /** @throws InvalidInputException 400 naming both files when two of them claim the same paths */
    SiteRoutes(List<SiteRoute> routes) {
        Map<String, SiteRoute> byShape = new HashMap<>();
        for (SiteRoute route : routes) {
            SiteRoute other = byShape.putIfAbsent(route.shape(), route);
            if (other != null) {
                throw new InvalidInputException("The route files 'cloud-functions/" + other.file() + "' and"
                        + " 'cloud-functions/" + route.file() + "' both claim the route " + route.pattern());
            }
        }
        this.all = routes.stream().sorted(Comparator.comparing(SiteRoute::pattern)).toList();
        List<SiteRoute> dynamicRoutes = new ArrayList<>();
        List<SiteRoute> appRoutes = new ArrayList<>();
        for (SiteRoute route : routes) {
            if (route.kind() == SiteRoute.Segment.Kind.STATIC) {
                exact.put(route.segments().stream().map(SiteRoute.Segment::text).toList(), route);
                if (route.isApp()) {
                    appRoutes.add(route);
                }
            } else {
                dynamicRoutes.add(route);
            }
        }
        dynamicRoutes.sort(SiteRoutes::byPriority);
        appRoutes.sort(Comparator.comparingInt((SiteRoute r) -> r.segments().size()).reversed());
        this.dynamic = List.copyOf(dynamicRoutes);
        this.apps = List.copyOf(appRoutes);
    }

    List<SiteRoute> all() {
        return all;
    }

    /** The route for a path's (decoded) segments, or null when none answers it. */
    Match match(List<String> path) {
        SiteRoute route = exact.get(path);
        if (route != null) {
            return new Match(route, Map.of());
        }
        for (SiteRoute candidate : dynamic) {
            Map<String, String> params = candidate.match(path);
            if (params != null) {
                return new Match(candidate, Map.copyOf(params));
            }
        }
        for (SiteRoute app : apps) {
            if (app.under(path)) {
                return new Match(app, Map.of());
            }
        }
        return null;
    }

    private static int byPriority(SiteRoute a, SiteRoute b) {
        int kind = Integer.compare(a.kind().ordinal(), b.kind().ordinal());
        if (kind != 0) {
            return kind;
        }
        int length = Integer.compare(b.segments().size(), a.segments().size());
        if (length != 0) {
            return length;
        }
        for (int i = 0; i < a.segments().size(); i++) {
            int segment = Integer.compare(a.segments().get(i).kind().ordinal(), b.segments().get(i).kind().ordinal());
            if (segment != 0) {
                return segment;
            }
        }
        return a.file().compareTo(b.file());
    }
}
