package io.cococloud.function;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Service;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;

import io.cococloud.cluster.CachesMayBeStale;
import io.cococloud.cluster.ClusterProperties;
import io.cococloud.cluster.CoherentCache;
import io.cococloud.error.ConflictException;
import io.cococloud.error.InvalidInputException;
import io.cococloud.error.NotFoundException;
import io.cococloud.project.ProjectDeleted;
import io.cococloud.project.ProjectPackagesChanged;

/**
 * A project's package layer (issue 12 §1): pure-Python distributions shared by the project's functions and site.
 * Uploads replace a distribution of the same (PEP 503) name; a change is seen by the next call, without a redeploy:
 * once committed, the layer's cache is dropped and {@link ProjectPackagesChanged} tells the function registry, the
 * site cache and the runtime's warm contexts to drop theirs.
 *
 * <p>Lives in the function feature because it is the function upload's checks that it applies
 * ({@link FunctionZip}, {@link VendoredPackages}, package-private there) and the functions and sites that read it: a
 * package of its own would depend on this one and this one on it.
 */
@Service
class ProjectPackages {

    /** The whole layer's limits: those of one function upload, as every version's tree carries the layer too. */
    static final int MAX_LAYER_FILES = FunctionFiles.MAX_UPLOAD_FILES;
    static final long MAX_LAYER_BYTES = FunctionFiles.MAX_UPLOAD_BYTES;

    private final ProjectPackageRepository repository;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher events;
    /** The layer of each project asked for, loaded once and shared by every version's files. */
    private final CoherentCache<UUID, PackageLayer> layers;
    /** The bound on the layers kept in memory; past this, the least used are loaded again on their next use. */
    static final long MAX_CACHED_BYTES = 256L * 1024 * 1024;

    ProjectPackages(ProjectPackageRepository repository, TransactionTemplate transactions,
            ApplicationEventPublisher events, ClusterProperties cluster) {
        this.layers = new CoherentCache<>(cluster, MAX_CACHED_BYTES, PackageLayer::bytes);
        this.repository = repository;
        this.transactions = transactions;
        this.events = events;
    }

    /** A distribution with its file list: the one GET .../packages/{name} answers. */
    record Described(ProjectPackageRepository.PackageRow row, Map<String, Long> files) {}

    /**
     * Stores the upload's distributions, each replacing the project's distribution of the same name.
     *
     * @return the stored distributions, in name order
     * @throws InvalidInputException for a refused upload
     * @throws ConflictException     when a file belongs to another stored distribution
     */
    List<ProjectPackageRepository.PackageRow> upload(UUID projectId, byte[] zip, UUID uploadedBy) {
        List<PackageLayer.Distribution> uploaded = PackageLayerUpload.read(zip);
        Set<String> names = new HashSet<>();
        uploaded.forEach(d -> names.add(d.name()));
        List<ProjectPackageRepository.PackageRow> stored = transactions.execute(status -> {
            repository.lock(projectId);
            refuseClashes(projectId, uploaded, names);
            refuseOverLimits(projectId, uploaded, names);
            List<ProjectPackageRepository.PackageRow> rows = new ArrayList<>();
            for (PackageLayer.Distribution distribution : uploaded) {
                repository.replace(projectId, distribution, uploadedBy);
                rows.add(repository.find(projectId, distribution.name()).orElseThrow());
            }
            return rows;
        });
        changed(projectId);
        return stored.stream().sorted(Comparator.comparing(ProjectPackageRepository.PackageRow::name))
                .toList();
    }

    List<ProjectPackageRepository.PackageRow> list(UUID projectId) {
        return repository.list(projectId);
    }

    Described get(UUID projectId, String name) {
        String normalised = VendoredPackages.normalised(name);
        return repository.find(projectId, normalised)
                .map(row -> new Described(row, repository.files(projectId, normalised)))
                .orElseThrow(() -> notFound(name));
    }

    void delete(UUID projectId, String name) {
        boolean deleted = Boolean.TRUE.equals(transactions.execute(status -> {
            repository.lock(projectId);
            return repository.delete(projectId, VendoredPackages.normalised(name));
        }));
        if (!deleted) {
            throw notFound(name);
        }
        changed(projectId);
    }

    /** The project's layer as the runtime sees it: from memory after the first call. */
    PackageLayer layer(UUID projectId) {
        return layers.get(projectId, this::load);
    }

    @TransactionalEventListener(fallbackExecution = true)
    void projectDeleted(ProjectDeleted event) {
        evict(event.projectId());
    }

    /**
     * Another node changed the layer (this node evicted already): dropped before the listeners that reload from it
     * (the function registry and the sites listen last).
     */
    @EventListener
    @Order(Ordered.HIGHEST_PRECEDENCE)
    void packagesChanged(ProjectPackagesChanged event) {
        evict(event.projectId());
    }

    @EventListener
    void cachesMayBeStale(CachesMayBeStale event) {
        layers.evictAll();
    }

    /** Called once the change is committed: this cache first, as the listeners reload from it. */
    private void changed(UUID projectId) {
        evict(projectId);
        events.publishEvent(new ProjectPackagesChanged(projectId));
    }

    private void evict(UUID projectId) {
        layers.evict(projectId);
    }

    private PackageLayer load(UUID projectId) {
        List<ProjectPackageRepository.PackageRow> rows = repository.list(projectId);
        if (rows.isEmpty()) {
            return PackageLayer.EMPTY;
        }
        Map<String, Map<String, byte[]>> contents = repository.contents(projectId);
        List<PackageLayer.Distribution> distributions = new ArrayList<>();
        for (ProjectPackageRepository.PackageRow row : rows) {
            Map<String, byte[]> files = contents.getOrDefault(row.name(), Map.of());
            Map<String, String> sources = new HashMap<>();
            files.forEach((path, bytes) -> {
                if (path.endsWith(".py")) {
                    sources.put(path, new String(bytes, StandardCharsets.UTF_8));
                }
            });
            distributions.add(new PackageLayer.Distribution(row.name(), row.version(), row.topLevel(), sources,
                    files, row.uploadedAt()));
        }
        return new PackageLayer(distributions);
    }

    /** A file of the upload that another stored distribution (one the upload does not replace) has already. */
    private void refuseClashes(UUID projectId, List<PackageLayer.Distribution> uploaded, Set<String> names) {
        Map<String, String> owners = repository.owners(projectId);
        for (PackageLayer.Distribution distribution : uploaded) {
            for (String path : distribution.files().keySet()) {
                String owner = owners.get(path);
                if (owner != null && !names.contains(owner)) {
                    throw new ConflictException("file '" + path + "' of " + distribution.name() + " belongs to the"
                            + " project's distribution '" + owner + "' already; delete that one first");
                }
            }
        }
    }

    private void refuseOverLimits(UUID projectId, List<PackageLayer.Distribution> uploaded, Set<String> names) {
        long files = 0;
        long bytes = 0;
        for (ProjectPackageRepository.PackageRow row : repository.list(projectId)) {
            if (!names.contains(row.name())) {
                files += row.fileCount();
                bytes += row.sizeBytes();
            }
        }
        for (PackageLayer.Distribution distribution : uploaded) {
            files += distribution.files().size();
            bytes += distribution.files().values().stream().mapToLong(b -> b.length).sum();
        }
        if (files > MAX_LAYER_FILES) {
            throw new InvalidInputException("The project's package layer would hold " + files + " files; the limit is "
                    + MAX_LAYER_FILES + " files per project");
        }
        if (bytes > MAX_LAYER_BYTES) {
            throw new InvalidInputException("The project's package layer would hold " + bytes + " bytes; the limit is "
                    + MAX_LAYER_BYTES + " bytes (64 MB) per project");
        }
    }

    private static NotFoundException notFound(String name) {
        return NotFoundException.of("Package '" + FunctionFiles.printable(name) + "' of this project's layer");
    }
}
