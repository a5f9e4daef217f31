package io.cococloud.function;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;

import io.cococloud.admin.AdminPrincipal;
import io.cococloud.error.InvalidInputException;
import io.cococloud.project.Membership;
import io.cococloud.project.ProjectRole;
import io.cococloud.project.Role;

/**
 * A project's package layer in the admin API: upload a zip or a wheel of distributions (developers), list them,
 * read one with its files (viewers), delete one (developers).
 */
@RestController
@RequestMapping("/admin/api/v1/projects/{projectId}/packages")
class ProjectPackagesController {

    private final ProjectPackages packages;

    ProjectPackagesController(ProjectPackages packages) {
        this.packages = packages;
    }

    /**
     * @param topLevel the importable names it installs
     * @param files    its number of files
     */
    record PackageView(String name, String version, List<String> topLevel, int files, long bytes,
            Instant uploadedAt, UUID uploadedBy) {
        static PackageView of(ProjectPackageRepository.PackageRow row) {
            return new PackageView(row.name(), row.version(), row.topLevel(), row.fileCount(), row.sizeBytes(),
                    row.uploadedAt(), row.uploadedBy());
        }
    }

    record FileView(String path, long size) {}

    record PackageDetailView(String name, String version, List<String> topLevel, int files, long bytes,
            Instant uploadedAt, UUID uploadedBy, List<FileView> fileList) {}

    /** The zip (or wheel) as the body, or as the field {@code file} of a multipart form; answers what it stored. */
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    List<PackageView> upload(@ProjectRole(Role.DEVELOPER) Membership membership,
            @AuthenticationPrincipal AdminPrincipal me, HttpServletRequest request) throws IOException {
        UUID project = membership.projectId();
        return packages.upload(project, zipOf(request), me.accountId()).stream().map(PackageView::of).toList();
    }

    @GetMapping
    List<PackageView> list(@ProjectRole(Role.VIEWER) Membership membership) {
        UUID project = membership.projectId();
        return packages.list(project).stream().map(PackageView::of).toList();
    }

    @GetMapping("/{name}")
    PackageDetailView get(@ProjectRole(Role.VIEWER) Membership membership, @PathVariable String name) {
        UUID project = membership.projectId();
        ProjectPackages.Described described = packages.get(project, name);
        ProjectPackageRepository.PackageRow row = described.row();
        return new PackageDetailView(row.name(), row.version(), row.topLevel(), row.fileCount(), row.sizeBytes(),
                row.uploadedAt(), row.uploadedBy(), described.files().entrySet().stream()
                        .map(f -> new FileView(f.getKey(), f.getValue())).toList());
    }

    @DeleteMapping("/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@ProjectRole(Role.DEVELOPER) Membership membership, @PathVariable String name) {
        packages.delete(membership.projectId(), name);
    }

    /** A multipart body that could not be taken apart (cut off, malformed, over the server's limits) is a 400. */
    @ExceptionHandler(MultipartException.class)
    ResponseEntity<ProblemDetail> unreadableUpload(MultipartException e) {
        return FunctionAdminController.unreadableUpload(e, "a package layer's zip or wheel");
    }

    private static byte[] zipOf(HttpServletRequest request) throws IOException {
        if (request instanceof MultipartHttpServletRequest multipart) {
            MultipartFile file;
            try {
                file = multipart.getFile("file");
            } catch (MultipartException e) {
                throw new InvalidInputException("The multipart form could not be read: send the zip or wheel in the"
                        + " field 'file'");
            }
            if (file == null) {
                throw new InvalidInputException("The form has no field 'file' with the packages' zip or wheel");
            }
            return bounded(file.getSize(), file.getInputStream());
        }
        String type = request.getContentType();
        if (type != null && type.startsWith("multipart/")) {
            throw new InvalidInputException("The form could not be read; send the zip or wheel in the field 'file'");
        }
        if (type == null || !(type.startsWith("application/zip") || type.startsWith("application/octet-stream")
                || type.startsWith("application/x-zip-compressed"))) {
            throw new InvalidInputException("Send the packages as a zip or a wheel: Content-Type application/zip (as"
                    + " the body) or multipart/form-data with the field 'file'; got " + (type == null ? "none" : type));
        }
        return bounded(request.getContentLengthLong(), request.getInputStream());
    }

    /** The upload's bytes, refused beyond the zip limit without reading more than that. */
    private static byte[] bounded(long declared, InputStream in) throws IOException {
        if (declared > FunctionZip.MAX_ZIP_BYTES) {
            throw new InvalidInputException("The upload is " + declared + " bytes; the limit is "
                    + FunctionZip.MAX_ZIP_BYTES + " bytes (30 MB)");
        }
        try (in) {
            return in.readNBytes(FunctionZip.MAX_ZIP_BYTES + 1); // FunctionZip refuses one byte more, naming the limit
        }
    }
}
