package io.cococloud.template;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Service;

import io.cococloud.error.InvalidInputException;
import io.cococloud.error.TooLargeException;

/**
 * A project's stored templates for the admin API: names and sizes checked, every write kept as a version, and
 * the renderers' in-memory copy of a name dropped once its write has committed.
 */
@Service
public class TemplateService {

    static final int MAX_CONTENT_BYTES = 512 * 1024;
    static final int MAX_TEMPLATES = 1_000;

    private final TemplateRepository repository;
    private final TemplateCache cache;

    TemplateService(TemplateRepository repository, TemplateCache cache) {
        this.repository = repository;
        this.cache = cache;
    }

    List<TemplateRepository.Summary> list(UUID projectId) {
        return repository.list(projectId);
    }

    Optional<TemplateRepository.Stored> get(UUID projectId, String name, Integer version) {
        requireName(name);
        return version == null ? repository.find(projectId, name) : repository.findVersion(projectId, name, version);
    }

    Optional<List<TemplateRepository.Version>> versions(UUID projectId, String name) {
        requireName(name);
        List<TemplateRepository.Version> versions = repository.versions(projectId, name);
        return versions.isEmpty() ? Optional.empty() : Optional.of(versions);
    }

    /** Version 1 of a new template; empty when the name is taken. */
    Optional<TemplateRepository.Stored> create(UUID projectId, String name, String content) {
        requireName(name);
        requireContent(content);
        if (repository.count(projectId) >= MAX_TEMPLATES) {
            throw new InvalidInputException("A project holds at most " + MAX_TEMPLATES + " templates");
        }
        Optional<TemplateRepository.Stored> created = repository.create(projectId, name, content);
        cache.forget(projectId, name);  // a render may have remembered that the name did not exist
        return created;
    }

    Optional<TemplateRepository.Stored> update(UUID projectId, String name, String content) {
        requireName(name);
        requireContent(content);
        Optional<TemplateRepository.Stored> updated = repository.update(projectId, name, content);
        cache.forget(projectId, name);
        return updated;
    }

    boolean delete(UUID projectId, String name) {
        requireName(name);
        boolean deleted = repository.delete(projectId, name);
        cache.forget(projectId, name);
        return deleted;
    }

    private static void requireName(String name) {
        String problem = TemplateName.problem(name);
        if (problem != null) {
            throw InvalidInputException.atField("name", "Invalid template name: " + problem);
        }
    }

    private static void requireContent(String content) {
        if (content == null) {
            throw InvalidInputException.atField("content", "content is required: the template's Jinja source");
        }
        int bytes = content.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_CONTENT_BYTES) {
            // an HTTP problem still: no domain refusal has the request-too-large type its answer keeps
            throw new TooLargeException("A template holds at most " + MAX_CONTENT_BYTES
                    + " bytes (UTF-8); this one has " + bytes).with("field", "content");
        }
    }
}
