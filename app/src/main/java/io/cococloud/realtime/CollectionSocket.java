package io.cococloud.realtime;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.stereotype.Component;

import io.cococloud.appuser.ClientCaller;
import io.cococloud.data.CollectionPermissions;
import io.cococloud.data.DocumentService;
import io.cococloud.error.DomainException;

/**
 * {@code /realtime/collections/{name}}: {@code {"api_key", "filters"?, "access_token"?}} → {@code {"event":
 * "connected", "collection_id", "filters"}}, then {@code {"event": "create"|"update"|"delete", "collection_id",
 * "document_id", "data", "old_data"?}} for each change the caller may read (the collection's read rule, checked at
 * each event) and that its filters match. A collection not created yet may be watched: its first document is an event.
 */
@Component
class CollectionSocket extends RealtimeSocket {

    /** Keys of one watch's filters: each becomes part of one statement per change. */
    static final int MAX_FILTERS = 20;

    private final CollectionPermissions permissions;

    CollectionSocket(RealtimeSocketSupport support, CollectionPermissions permissions) {
        super(support);
        this.permissions = permissions;
    }

    @Override
    String prefix() {
        return "/realtime/collections/";
    }

    @Override
    Subscription subscription(ClientCaller caller, String name, Map<String, Object> first) {
        try {
            DocumentService.requireCollection(name);
        } catch (DomainException e) {
            throw new ChannelRefusal(ChannelRefusal.NOT_FOUND, e.getMessage());
        }
        if (!permissions.mayRead(caller.projectId(), caller.reader(), name)) {
            throw new ChannelRefusal(ChannelRefusal.FORBIDDEN, "Collection not found or access denied").with(
                    "error_detail", caller.user() == null ? "reading " + name + " needs a signed-in user with a role"
                            + " its read rule names: send access_token" : "the user has none of the roles that may"
                            + " read " + name);
        }
        Map<String, Object> filters = filters(first.get("filters"));
        return new Subscription(caller.projectId(), Subscription.Kind.COLLECTION, name, caller, filters, null, null);
    }

    @Override
    Map<String, Object> subscribe(LiveConnection connection, Subscription subscription, Map<String, Object> first) {
        connections.subscribe(connection, subscription);
        return reply("event", "connected", "collection_id", subscription.name(), "filters", subscription.filters());
    }

    private static Map<String, Object> filters(Object given) {
        if (given == null) {
            return Map.of();
        }
        if (!(given instanceof Map<?, ?> map)) {
            throw new ChannelRefusal(ChannelRefusal.BAD_MESSAGE, "filters must be an object, such as"
                    + " {\"status\": \"active\", \"age_gte\": 18}");
        }
        if (map.size() > MAX_FILTERS) {
            throw new ChannelRefusal(ChannelRefusal.BAD_MESSAGE, "filters may have at most " + MAX_FILTERS + " keys");
        }
        Map<String, Object> filters = new LinkedHashMap<>();
        map.forEach((key, value) -> filters.put(String.valueOf(key), value));
        try {
            RealtimeFilters.check(filters);
        } catch (DomainException e) {
            throw new ChannelRefusal(ChannelRefusal.BAD_MESSAGE, e.getMessage());
        }
        return java.util.Collections.unmodifiableMap(filters);
    }
}
