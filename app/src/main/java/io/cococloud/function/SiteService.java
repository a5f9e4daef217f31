package io.cococloud.function;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import io.cococloud.error.InvalidInputException;
import io.cococloud.error.NotFoundException;
import io.cococloud.project.ProjectDeleted;
import io.cococloud.project.ProjectPackagesChanged;
import io.cococloud.runtime.PythonRuntime;
import io.cococloud.storage.ContentTypes;

/**
 * A project's site (issue 11 §3): deploys a zip as a new immutable version that replaces the live one in one
 * step, rolls back to an earlier version, takes the site down, and keeps the live version in memory for serving.
 * The cache is per project and per node, filled on first use, evicted on every node after a deploy
 * ({@link SiteChanged}) and when the project is deleted; bounded in count and in age ({@code coco.cluster.*}).
 */
@Service
class SiteService {

    private final SiteRepository repository;
    private final PythonRuntime runtime;
    private final ProjectPackages packages;
    private final TransactionTemplate transactions;
    /** The live site of each project asked for; empty: the project has none (so a miss reads no table twice). */
    private final CoherentCache<UUID, Optional<Site>> live;
    private final ApplicationEventPublisher events;
    /** Live sites kept in memory; past this, the least used are loaded again on their next request. */
    static final long MAX_SITES = 2_000;

    SiteService(SiteRepository repository, PythonRuntime runtime, ProjectPackages packages,
            TransactionTemplate transactions, ApplicationEventPublisher events, ClusterProperties cluster) {
        this.events = events;
        this.live = new CoherentCache<>(cluster, MAX_SITES);
        this.repository = repository;
        this.runtime = runtime;
        this.packages = packages;
        this.transactions = transactions;
    }

    /** The live site of a project, if it has one: from memory after the first call. */
    Optional<Site> live(UUID projectId) {
        return live.get(projectId,
                project -> repository.deployedVersion(project).map(version -> load(project, version)));
    }

    /**
     * Checks the zip's tree and stores it as the new live version; the previous version stays for rollback.
     *
     * @throws InvalidInputException 400 naming the offending path when the tree is refused
     */
    Site deploy(UUID projectId, byte[] zip, UUID deployedBy) {
        SiteZip.Contents contents = SiteZip.unpack(zip);
        checkRequirements(projectId, contents);
        List<SiteRoute> routes = routes(contents.code());
        new SiteRoutes(routes); // refuses two files claiming one route before anything is stored
        int version = transactions.execute(status -> {
            int next = repository.nextVersion(projectId);
            long size = contents.code().values().stream().mapToLong(t -> t.getBytes(StandardCharsets.UTF_8).length)
                    .sum() + contents.statics().values().stream().mapToLong(b -> b.length).sum();
            repository.insertVersion(projectId, next, contents.code().size() + contents.statics().size(), size,
                    deployedBy);
            for (Map.Entry<String, String> file : contents.code().entrySet()) {
                byte[] bytes = file.getValue().getBytes(StandardCharsets.UTF_8);
                repository.insertFile(projectId, next, new SiteRepository.FileRow("code", file.getKey(), bytes,
                        "text/x-python; charset=utf-8", sha256(bytes)));
            }
            for (Map.Entry<String, byte[]> file : contents.statics().entrySet()) {
                repository.insertFile(projectId, next, new SiteRepository.FileRow("static", file.getKey(),
                        file.getValue(), ContentTypes.of(file.getKey()), sha256(file.getValue())));
            }
            for (SiteRoute route : routes) {
                repository.insertRoute(projectId, next,
                        new SiteRepository.RouteRow(route.file(), route.style(), route.entryName()));
            }
            // nothing of the new version was visible before: it goes live with this statement, at commit
            repository.deploy(projectId, next);
            return next;
        });
        changed(projectId);
        Site site = live(projectId).filter(live -> live.version() == version)
                .orElseGet(() -> load(projectId, version));
        runtime.prewarm(List.copyOf(site.code().values())); // a framework route imports now, not in its first call
        return site;
    }

    /**
     * A requirements.txt in cloud-functions/ or at the zip's root (where EdgeOne reads it) must be met by what the
     * site vendors in python_packages/ or the project's package layer: a 400 naming the requirement otherwise.
     */
    private void checkRequirements(UUID projectId, SiteZip.Contents contents) {
        String requirements = contents.code().get(VendoredPackages.REQUIREMENTS);
        if (requirements == null && contents.statics().get(VendoredPackages.REQUIREMENTS) instanceof byte[] atRoot) {
            requirements = new String(atRoot, StandardCharsets.UTF_8);
        }
        if (requirements == null) {
            return;
        }
        Map<String, byte[]> code = new java.util.HashMap<>();
        contents.code().forEach((path, text) -> code.put(path, text.getBytes(StandardCharsets.UTF_8)));
        VendoredPackages.of(code).checkRequirements(requirements, packages.layer(projectId).asVendored());
    }

    /** Makes an earlier (or later) version the live one again. */
    Site redeploy(UUID projectId, int version) {
        transactions.executeWithoutResult(status -> {
            if (repository.version(projectId, version).isEmpty()) {
                throw NotFoundException.of("Site version " + version);
            }
            repository.deploy(projectId, version);
        });
        changed(projectId);
        return live(projectId).orElseThrow(() -> NotFoundException.of("Site version " + version));
    }

    /** Takes the site down; its versions stay, and any of them can be deployed again. */
    void takeDown(UUID projectId) {
        if (repository.deployedVersion(projectId).isEmpty()) {
            throw NotFoundException.of("Site of this project");
        }
        repository.deploy(projectId, null);
        changed(projectId);
    }

    List<SiteRepository.VersionRow> versions(UUID projectId) {
        return repository.versions(projectId);
    }

    Optional<Integer> deployedVersion(UUID projectId) {
        return live(projectId).map(Site::version);
    }

    Optional<byte[]> staticContent(Site site, Site.StaticFile file) {
        return repository.staticContent(site.projectId(), site.version(), file.path());
    }

    /** A deleted project's site stops answering once the deletion commits. */
    @TransactionalEventListener(fallbackExecution = true)
    void projectDeleted(ProjectDeleted event) {
        evict(event.projectId());
    }

    /**
     * The routes carry the layer's files: the live site is loaded anew with the layer as it is now, and its routes
     * warmed in the background (after the runtime has dropped the project's contexts: see the order).
     */
    @EventListener
    @Order(Ordered.LOWEST_PRECEDENCE)
    void packagesChanged(ProjectPackagesChanged event) {
        evict(event.projectId());
        live(event.projectId()).ifPresent(site -> runtime.prewarm(List.copyOf(site.code().values())));
    }

    /**
     * Every .py file's check: an entry point makes it a route, none makes it a helper module, a syntax error
     * refuses the deploy naming the file and line. Files in a python_packages/ folder are never routes.
     */
    private List<SiteRoute> routes(Map<String, String> code) {
        List<SiteRoute> routes = new ArrayList<>();
        for (Map.Entry<String, PythonRuntime.Check> checked : runtime.checkTree(code).entrySet()) {
            String file = checked.getKey();
            PythonRuntime.Check check = checked.getValue();
            switch (check.problem()) {
                case NONE -> {
                    if (!inPackagesFolder(file)) {
                        routes.add(SiteRoute.of(file, check.style(), check.entryName()));
                    }
                }
                case NO_ENTRY -> { } // a helper module, importable by the route files
                default -> throw new InvalidInputException((check.file() != null
                        ? "The file 'cloud-functions/" + check.file() + "' does not compile"
                        : "A file of cloud-functions/ does not compile")
                        + (check.line() > 0 ? " (line " + check.line() + ")" : "") + ": " + check.error())
                        .with("file", check.file() == null ? null : "cloud-functions/" + check.file())
                        .with("line", check.line() > 0 ? check.line() : null);
            }
        }
        return routes;
    }

    private static boolean inPackagesFolder(String file) {
        return file.startsWith(SiteZip.PACKAGES_FOLDER + "/") || file.contains("/" + SiteZip.PACKAGES_FOLDER + "/");
    }

    /** The live site changed (once committed): every node drops its copy, this one at once. */
    private void changed(UUID projectId) {
        evict(projectId);
        events.publishEvent(new SiteChanged(projectId));
    }

    @EventListener
    void siteChanged(SiteChanged event) {
        evict(event.projectId());
    }

    @EventListener
    void cachesMayBeStale(CachesMayBeStale event) {
        live.evictAll();
    }

    private void evict(UUID projectId) {
        live.evict(projectId);
    }

    private Site load(UUID projectId, int version) {
        Instant deployedAt = repository.version(projectId, version).map(SiteRepository.VersionRow::createdAt)
                .orElseGet(Instant::now);
        List<SiteRoute> routes = repository.routes(projectId, version).stream()
                .map(r -> SiteRoute.of(r.file(), r.style(), r.entryName())).toList();
        Map<String, String> files = new java.util.HashMap<>();
        repository.code(projectId, version).forEach(f -> files.put(f.path(), f.text()));
        PackageLayer.Merged code = packages.layer(projectId).under(files, Map.of());
        return Site.of(projectId, version, deployedAt, routes, code.files(), code.tree(), code.stamp(),
                repository.statics(projectId, version));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
