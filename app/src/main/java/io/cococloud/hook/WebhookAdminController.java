package io.cococloud.hook;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.cococloud.data.CollectionService;
import io.cococloud.error.InvalidInputException;
import io.cococloud.error.NotFoundException;
import io.cococloud.project.Membership;
import io.cococloud.project.ProjectRole;
import io.cococloud.project.Role;

/**
 * A collection's webhook in the admin API (docs/hooks.md#collection-webhooks). Admins only: the answer carries the
 * signing secret, which is as sensitive as a project secret. Its deliveries, which carry no secret, any member may
 * read.
 */
@RestController
@RequestMapping("/admin/api/v1/projects/{projectId}/collections/{collection}/webhook")
class WebhookAdminController {

    private final WebhookService webhooks;
    private final CollectionService collections;
    private final WebhookDeliveryHistory history;

    WebhookAdminController(WebhookService webhooks, CollectionService collections, WebhookDeliveryHistory history) {
        this.webhooks = webhooks;
        this.collections = collections;
        this.history = history;
    }

    @GetMapping
    WebhookService.View get(@PathVariable String collection, @ProjectRole(Role.ADMIN) Membership project) {
        return webhooks.view(project.projectId(), collection).orElseThrow(() -> none(collection));
    }

    /** {@code {"url": "https://..."}}: sets the webhook (a new one gets a new secret). */
    @PutMapping
    WebhookService.View put(@PathVariable String collection, @RequestBody Map<String, Object> body,
            @ProjectRole(Role.ADMIN) Membership project) {
        if (!(body.get("url") instanceof String url) || url.isBlank()) {
            throw InvalidInputException.atField("url", "url is required: the http or https URL to POST events to");
        }
        if (collections.find(project.projectId(), collection).isEmpty()) {
            throw new NotFoundException("Collection " + collection + " not found");
        }
        webhooks.set(project.projectId(), collection, url);
        return webhooks.view(project.projectId(), collection).orElseThrow();
    }

    @DeleteMapping
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable String collection, @ProjectRole(Role.ADMIN) Membership project) {
        webhooks.view(project.projectId(), collection).orElseThrow(() -> none(collection));
        webhooks.set(project.projectId(), collection, null);
    }

    /** A new signing secret; the old one signs no more deliveries. */
    @PostMapping("/rotate-secret")
    WebhookService.View rotate(@PathVariable String collection, @ProjectRole(Role.ADMIN) Membership project) {
        return webhooks.rotate(project.projectId(), collection);
    }

    /** The collection's deliveries kept, newest first (also after its webhook was removed). */
    @GetMapping("/deliveries")
    List<WebhookDeliveryHistory.Delivery> deliveries(@PathVariable String collection,
            @RequestParam(defaultValue = "50") int limit, @RequestParam(defaultValue = "0") int offset,
            @ProjectRole(Role.VIEWER) Membership project) {
        if (collections.find(project.projectId(), collection).isEmpty()) {
            throw new NotFoundException("Collection " + collection + " not found");
        }
        return history.list(project.projectId(), collection, limit, offset);
    }

    private static NotFoundException none(String collection) {
        return new NotFoundException("Collection " + collection + " has no webhook");
    }
}
