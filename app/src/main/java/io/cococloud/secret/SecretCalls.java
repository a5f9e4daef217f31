package io.cococloud.secret;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the Python runtime asks of this package, as plain values: {@code secrets.get/exists} and the
 * project's variables for {@code os.environ} and {@code function.variables}. The caller holds the
 * project id; functions never name one.
 */
@Component
public class SecretCalls {

    private static final Logger log = LoggerFactory.getLogger(SecretCalls.class);

    private final SecretService secrets;
    private final VariableService variables;
    private final JsonMapper json;

    SecretCalls(SecretService secrets, VariableService variables, JsonMapper json) {
        this.secrets = secrets;
        this.variables = variables;
        this.json = json;
    }

    /** A secret that cannot be given to the function; the message is for the function's author. */
    public static class Failure extends RuntimeException {
        Failure(String message) {
            super(message);
        }
    }

    /**
     * @return the secret's value, or null when the project has no such secret
     * @throws Failure when it exists but cannot be read (a moved or altered row, a missing key, the
     *                 database down): never a wrong value
     */
    public String secret(UUID projectId, String name) {
        try {
            return secrets.read(projectId, name).orElse(null);
        } catch (UnreadableSecretException e) {
            log.warn("Project {}: {}", projectId, e.getMessage());
            throw new Failure(e.getMessage());
        } catch (DataAccessException e) {
            log.warn("secrets.get failed for project {}: {}", projectId, e.getMostSpecificCause().getMessage());
            throw new Failure("the database could not answer (secrets.get)");
        }
    }

    public boolean exists(UUID projectId, String name) {
        try {
            return secrets.exists(projectId, name);
        } catch (DataAccessException e) {
            log.warn("secrets.exists failed for project {}: {}", projectId, e.getMostSpecificCause().getMessage());
            throw new Failure("the database could not answer (secrets.exists)");
        }
    }

    /** Cheap: from memory except after a change or when the node's copy has aged out. */
    public long variablesVersion(UUID projectId) {
        return snapshot(projectId).version();
    }

    /** {@code {"version": n, "values": {name: value}}}: read by Python only when the version moved. */
    public String variablesJson(UUID projectId) {
        VariableService.Snapshot snapshot = snapshot(projectId);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("version", snapshot.version());
        answer.put("values", snapshot.values());
        return json.writeValueAsString(answer);
    }

    private VariableService.Snapshot snapshot(UUID projectId) {
        try {
            return variables.snapshot(projectId);
        } catch (DataAccessException e) {
            log.warn("Reading the variables of project {} failed: {}", projectId, e.getMostSpecificCause().getMessage());
            throw new Failure("the database could not answer (variables)");
        }
    }
}
