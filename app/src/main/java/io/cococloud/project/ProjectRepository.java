package io.cococloud.project;

import static io.cococloud.jdbc.Timestamps.instant;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The rows of {@code projects}. */
@Repository
class ProjectRepository {

    private static final String COLUMNS = "p.id, p.slug, p.name, p.created_at, p.updated_at";

    private final JdbcClient db;

    ProjectRepository(JdbcClient db) {
        this.db = db;
    }

    /** A project an account is a member of, with its role there. */
    record ProjectWithRole(Project project, Role role) {}

    Project insert(Project project) {
        db.sql("INSERT INTO projects (id, slug, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)")
                .params(project.id(), project.slug(), project.name(), Timestamp.from(project.createdAt()),
                        Timestamp.from(project.updatedAt()))
                .update();
        return project;
    }

    /** Writes its name, slug and time of change. */
    void update(Project project) {
        db.sql("UPDATE projects SET slug = ?, name = ?, updated_at = ? WHERE id = ?")
                .params(project.slug(), project.name(), Timestamp.from(project.updatedAt()), project.id()).update();
    }

    /** Every row of the project goes with it (ON DELETE CASCADE on every tenant table). */
    void delete(UUID id) {
        db.sql("DELETE FROM projects WHERE id = ?").params(id).update();
    }

    Optional<Project> findById(UUID id) {
        return db.sql("SELECT " + COLUMNS + " FROM projects p WHERE p.id = ?").params(id)
                .query(ProjectRepository::project).optional();
    }

    Optional<Project> findBySlug(String slug) {
        return db.sql("SELECT " + COLUMNS + " FROM projects p WHERE p.slug = ?").params(slug)
                .query(ProjectRepository::project).optional();
    }

    boolean existsBySlug(String slug) {
        return db.sql("SELECT EXISTS (SELECT 1 FROM projects WHERE slug = ?)").params(slug)
                .query(Boolean.class).single();
    }

    /** The projects an account is a member of, with its role in each. */
    List<ProjectWithRole> findByMember(UUID accountId) {
        return db.sql("SELECT " + COLUMNS + """
                , m.role FROM projects p JOIN project_members m ON m.project_id = p.id
                WHERE m.account_id = ? ORDER BY p.created_at, p.id""").params(accountId)
                .query((rs, row) -> new ProjectWithRole(project(rs, row), Role.ofColumn(rs.getString("role"))))
                .list();
    }

    private static Project project(ResultSet rs, int row) throws SQLException {
        return new Project(rs.getObject("id", UUID.class), rs.getString("slug"), rs.getString("name"),
                instant(rs.getTimestamp("created_at")), instant(rs.getTimestamp("updated_at")));
    }
}
