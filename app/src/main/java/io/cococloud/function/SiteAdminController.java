package io.cococloud.function;

import java.io.IOException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;

import io.cococloud.admin.AdminPrincipal;
import io.cococloud.error.InvalidInputException;
import io.cococloud.error.NotFoundException;
import io.cococloud.origin.TenantOrigins;
import io.cococloud.project.Membership;
import io.cococloud.project.ProjectRole;
import io.cococloud.project.Role;

/**
 * A project's site in the admin API: deploy a zip (developers), list the live version's routes and static files,
 * its versions, roll back, take it down, and read a route's executions (viewers read).
 */
@RestController
@RequestMapping("/admin/api/v1/projects/{projectId}/sites")
class SiteAdminController {

    private final SiteService sites;
    private final ExecutionLog executions;
    private final TenantOrigins origins;

    SiteAdminController(SiteService sites, ExecutionLog executions, TenantOrigins origins) {
        this.sites = sites;
        this.executions = executions;
        this.origins = origins;
    }

    record RouteView(String pattern, String file, String style, String kind, String prefix, UUID routeId) {}

    record StaticFileView(String path, String contentType, long size) {}

    record SiteView(int version, Instant deployedAt, String url, List<RouteView> routes,
            List<StaticFileView> staticFiles) {}

    record VersionView(int version, int fileCount, long sizeBytes, UUID createdBy, Instant createdAt,
            boolean deployed) {}

    /**
     * The zip as the body ({@code application/zip}), or as the field {@code zip} of a multipart form. Answers the
     * new live version.
     */
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    SiteView deploy(@ProjectRole(Role.DEVELOPER) Membership membership, @AuthenticationPrincipal AdminPrincipal me,
            HttpServletRequest request) throws IOException {
        UUID project = membership.projectId();
        return view(sites.deploy(project, zipOf(request), me.accountId()));
    }

    @GetMapping
    SiteView live(@ProjectRole(Role.VIEWER) Membership membership) {
        UUID project = membership.projectId();
        return sites.live(project).map(this::view)
                .orElseThrow(() -> NotFoundException.of("Site of this project (none is deployed)"));
    }

    @DeleteMapping
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void takeDown(@ProjectRole(Role.DEVELOPER) Membership membership) {
        sites.takeDown(membership.projectId());
    }

    @GetMapping("/versions")
    List<VersionView> versions(@ProjectRole(Role.VIEWER) Membership membership) {
        UUID project = membership.projectId();
        Integer deployed = sites.deployedVersion(project).orElse(null);
        return sites.versions(project).stream().map(v -> new VersionView(v.version(), v.fileCount(), v.sizeBytes(),
                v.createdBy(), v.createdAt(), Integer.valueOf(v.version()).equals(deployed))).toList();
    }

    @PostMapping("/versions/{version}/deploy")
    SiteView redeploy(@ProjectRole(Role.DEVELOPER) Membership membership, @PathVariable int version) {
        UUID project = membership.projectId();
        return view(sites.redeploy(project, version));
    }

    /** The calls of one route file (by its path in cloud-functions/), newest first, across versions. */
    @GetMapping("/executions")
    List<FunctionAdminController.ExecutionView> executions(@ProjectRole(Role.VIEWER) Membership membership,
            @RequestParam String file, @RequestParam(defaultValue = "50") int limit) {
        UUID project = membership.projectId();
        ExecutionParameters.checkLimit(limit);
        return executions.list(project, SiteRoute.idOf(project, file), null, null, limit).stream()
                .map(FunctionAdminController.ExecutionView::of).toList();
    }

    private static byte[] zipOf(HttpServletRequest request) throws IOException {
        if (request instanceof MultipartHttpServletRequest multipart) {
            MultipartFile zip;
            try {
                zip = multipart.getFile("zip");
            } catch (MultipartException e) {
                throw new InvalidInputException(
                        "The multipart form could not be read: send the zip in the field 'zip'");
            }
            if (zip == null) {
                throw new InvalidInputException("The form has no field 'zip' with the site's zip");
            }
            return zip.getBytes();
        }
        String type = request.getContentType();
        if (type != null && type.startsWith("multipart/")) {
            throw new InvalidInputException("The form could not be read; send the zip in the field 'zip'");
        }
        if (type == null || !(type.startsWith("application/zip") || type.startsWith("application/octet-stream")
                || type.startsWith("application/x-zip-compressed"))) {
            throw new InvalidInputException("Send the site as a zip: Content-Type application/zip (the zip as the body)"
                    + " or multipart/form-data with the field 'zip'; got " + (type == null ? "none" : type));
        }
        return request.getInputStream().readNBytes((int) SiteZip.MAX_ZIP_BYTES + 1);
    }

    private SiteView view(Site site) {
        String base = origins.separate() ? origins.baseUrlOf(site.projectId())
                : origins.baseUrlOf(site.projectId()) + "/p/" + site.projectId();
        List<RouteView> routes = site.routes().all().stream()
                .map(r -> new RouteView(r.pattern(), r.file(), r.style(), r.kind().name().toLowerCase()
                        .replace('_', '-'), r.prefix(), SiteRoute.idOf(site.projectId(), r.file())))
                .toList();
        List<StaticFileView> statics = site.statics().values().stream()
                .sorted(Comparator.comparing(Site.StaticFile::path))
                .map(f -> new StaticFileView(f.path(), f.contentType(), f.size())).toList();
        return new SiteView(site.version(), site.deployedAt(), base + "/", routes, statics);
    }
}
