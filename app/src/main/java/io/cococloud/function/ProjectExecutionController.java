package io.cococloud.function;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.cococloud.error.InvalidInputException;
import io.cococloud.project.Membership;
import io.cococloud.project.ProjectRole;
import io.cococloud.project.Role;

/** Every execution of a project, whatever ran it (functions, site routes), for the console's project-wide log. */
@RestController
@RequestMapping("/admin/api/v1/projects/{projectId}/executions")
class ProjectExecutionController {

    private final ExecutionLog executions;
    private final FunctionRepository functions;
    private final SiteRepository sites;

    ProjectExecutionController(ExecutionLog executions, FunctionRepository functions, SiteRepository sites) {
        this.executions = executions;
        this.functions = functions;
        this.sites = sites;
    }

    /**
     * An execution with the name of what ran: the function's name, or for a site route its file in
     * cloud-functions/ (the row holds the route's id, which its file determines); null when neither exists any more.
     */
    record ProjectExecutionView(@JsonUnwrapped FunctionAdminController.ExecutionView execution, String functionName) {}

    @GetMapping
    List<ProjectExecutionView> list(@ProjectRole(Role.VIEWER) Membership membership,
            @RequestParam(required = false) String status, @RequestParam(required = false) String trigger,
            @RequestParam(required = false) String function, @RequestParam(required = false) Instant since,
            @RequestParam(required = false) Instant before, @RequestParam(defaultValue = "50") int limit) {
        UUID project = membership.projectId();
        ExecutionParameters.check(status, limit);
        if (trigger != null && !ExecutionLog.TRIGGERS.contains(trigger)) {
            throw new InvalidInputException("trigger must be one of " + String.join(", ", ExecutionLog.TRIGGERS))
                    .with("field", "trigger");
        }
        Map<UUID, String> names = names(project);
        UUID functionId = function == null ? null : functionId(function, names);
        return executions.list(project, new ExecutionLog.Filter(functionId, status, trigger, since, before, limit))
                .stream()
                .map(e -> new ProjectExecutionView(FunctionAdminController.ExecutionView.of(e),
                        names.get(e.functionId())))
                .toList();
    }

    /** The project's functions and site routes by the id their executions are recorded under. */
    private Map<UUID, String> names(UUID project) {
        Map<UUID, String> names = new HashMap<>();
        for (String file : sites.routeFiles(project)) {
            names.put(SiteRoute.idOf(project, file), file);
        }
        for (FunctionRepository.FunctionRow f : functions.list(project)) {
            names.put(f.id(), f.name());
        }
        return names;
    }

    /** An id as given (a deleted function's executions stay listable until pruned), or a function or route file. */
    private static UUID functionId(String function, Map<UUID, String> names) {
        try {
            return UUID.fromString(function);
        } catch (IllegalArgumentException notAnId) {
            return names.entrySet().stream().filter(e -> e.getValue().equals(function)).map(Map.Entry::getKey)
                    .findFirst()
                    .orElseThrow(() -> new InvalidInputException("function '" + function + "' is neither an id nor the"
                            + " name of a function or site route of this project").with("field", "function"));
        }
    }
}
