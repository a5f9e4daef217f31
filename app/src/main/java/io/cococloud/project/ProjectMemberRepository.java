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

/** The rows of {@code project_members}; every statement is bound to one project. */
@Repository
class ProjectMemberRepository {

    private static final String COLUMNS = "project_id, id, account_id, role, created_at";

    private final JdbcClient db;

    ProjectMemberRepository(JdbcClient db) {
        this.db = db;
    }

    ProjectMember insert(ProjectMember member) {
        db.sql("INSERT INTO project_members (project_id, id, account_id, role, created_at) VALUES (?, ?, ?, ?, ?)")
                .params(member.projectId(), member.id(), member.accountId(), member.role().json(),
                        Timestamp.from(member.createdAt()))
                .update();
        return member;
    }

    void updateRole(ProjectMember member) {
        db.sql("UPDATE project_members SET role = ? WHERE project_id = ? AND id = ?")
                .params(member.role().json(), member.projectId(), member.id()).update();
    }

    void delete(ProjectMember member) {
        db.sql("DELETE FROM project_members WHERE project_id = ? AND id = ?")
                .params(member.projectId(), member.id()).update();
    }

    Optional<ProjectMember> find(UUID projectId, UUID id) {
        return db.sql("SELECT " + COLUMNS + " FROM project_members WHERE project_id = ? AND id = ?")
                .params(projectId, id).query(ProjectMemberRepository::member).optional();
    }

    Optional<ProjectMember> findByProjectIdAndAccountId(UUID projectId, UUID accountId) {
        return db.sql("SELECT " + COLUMNS + " FROM project_members WHERE project_id = ? AND account_id = ?")
                .params(projectId, accountId).query(ProjectMemberRepository::member).optional();
    }

    List<ProjectMember> findByProjectIdOrderByCreatedAt(UUID projectId) {
        return db.sql("SELECT " + COLUMNS + " FROM project_members WHERE project_id = ? ORDER BY created_at, id")
                .params(projectId).query(ProjectMemberRepository::member).list();
    }

    long countByProjectIdAndRole(UUID projectId, Role role) {
        return db.sql("SELECT count(*) FROM project_members WHERE project_id = ? AND role = ?")
                .params(projectId, role.json()).query(Long.class).single();
    }

    private static ProjectMember member(ResultSet rs, int row) throws SQLException {
        return new ProjectMember(rs.getObject("project_id", UUID.class), rs.getObject("id", UUID.class),
                rs.getObject("account_id", UUID.class), Role.ofColumn(rs.getString("role")),
                instant(rs.getTimestamp("created_at")));
    }
}
